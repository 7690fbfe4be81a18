"""Batch-screening activity per commune (issue 13): anonymous counts recorded when a job ends, the
statistical secret applied when they are read, and the observatory's indicators computed from them."""

import csv
import datetime
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from repere.depistage import activite, fichiers
from repere.depistage import selectors as depistage_selectors
from repere.depistage.execution import Options, depister
from repere.depistage.models import ActiviteCommune, Depistage, Statut
from repere.organisations.models import Role
from tests.depistage.factories import ecrire_csv, personne, texte_csv
from tests.organisations.factories import OrganisationFactory, membre

pytestmark = pytest.mark.django_db


def _menages(n, commune, prefixe, **kw):
    return [personne(id_menage=f"{prefixe}-{i}", commune=commune, **kw) for i in range(n)]


# 13 low-wage tenants in Angers, 3 in Chemillé-en-Anjou, 2 well-off owners in Angers.
LIGNES = (
    _menages(13, "49007", "A")
    + _menages(3, "49092", "C")
    + _menages(2, "49007", "R", salaire_net="7000", statut_logement="proprietaire", loyer="")
)


def _resultats(chemin):
    with open(chemin, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


@pytest.mark.parametrize("format", ["csv", "parquet", "xlsx"])
def test_comptes_par_commune_depuis_les_resultats(tmp_path, format):
    entree = ecrire_csv(tmp_path / "m.csv", LIGNES)
    depister(entree=entree, sortie_chemin=tmp_path / f"r.{format}", options=Options(mois="2026-11", taille_lot=5))
    depister(entree=entree, sortie_chemin=tmp_path / "r.csv", options=Options(mois="2026-11", taille_lot=5))
    lignes = _resultats(tmp_path / "r.csv")
    comptes = activite.compter(tmp_path / f"r.{format}")
    angers = [r for r in lignes if r["commune"] == "49007"]
    a_demander = [r for r in angers if int(r["nb_non_recours"]) > 0]
    assert 0 < len(a_demander) < len(angers) == 15
    assert comptes[("49007", "")][:2] == [15, len(a_demander)]
    montant = sum(float(r["priorite_mensuelle"].replace(",", ".")) for r in a_demander)
    assert comptes[("49007", "")][2] == pytest.approx(montant, abs=0.05)
    ppa = [r for r in angers if r["ppa_non_recours"] == "oui"]
    assert ppa and comptes[("49007", "ppa")][:2] == [15, len(ppa)]
    assert comptes[("49007", "ppa")][2] == pytest.approx(
        sum(float(r["ppa_estime"].replace(",", ".")) for r in ppa), abs=0.05
    )
    assert comptes[("49092", "")][0] == 3
    # Nothing of a household is kept: only communes and benefits.
    assert all(len(cle[0]) == 5 for cle in comptes)


def test_fin_de_depot_enregistre_les_comptes_et_secret_a_la_lecture(client, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(nom="CCAS de Test")
    client.force_login(membre(organisation, Role.PROFESSIONNEL))
    fichier = SimpleUploadedFile("menages.csv", texte_csv(LIGNES).encode("utf-8"), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("depistage:organisation", args=[organisation.pk]),
            {"fichier": fichier, "format_sortie": "csv", "mois": "2026-11"},
        )
    depistage = Depistage.objects.get()
    assert depistage.statut == Statut.TERMINE, depistage.message
    rangees = ActiviteCommune.objects.filter(depistage=depistage)
    assert rangees.get(commune="49007", prestation="").menages_depistes == 15
    assert rangees.get(commune="49092", prestation="").menages_depistes == 3
    assert not any("A-" in str(v) for r in rangees.values() for v in r.values())

    jour = timezone.localdate()
    brut = depistage_selectors.activite_par_commune(du=jour, au=jour, secret=False)
    lu = depistage_selectors.activite_par_commune(du=jour, au=jour)
    assert lu["49007"]["menages_depistes"] == 15
    assert brut["49092"]["menages_depistes"] == 3 and lu["49092"]["menages_depistes"] is None
    # An amount resting on fewer than 11 households is hidden, whatever its size in euros.
    assert brut["49092"]["montant_a_demander"] > 11 and lu["49092"]["montant_a_demander"] is None
    if brut["49007"]["menages_a_demander"] >= 11:
        assert lu["49007"]["montant_a_demander"] == brut["49007"]["montant_a_demander"]

    # A second upload by the same organisation replaces the first: households are not counted twice.
    resultats = fichiers.resultats(depistage)
    deuxieme = Depistage.objects.create(
        organisation=organisation, format_entree="csv", mois="2026-11", statut=Statut.TERMINE, termine_le=timezone.now()
    )
    activite.enregistrer(depistage_id=deuxieme.pk, resultats=resultats)
    assert depistage_selectors.activite_par_commune(du=jour, au=jour)["49007"]["menages_depistes"] == 15
    # Another organisation's job adds up.
    autre = Depistage.objects.create(
        organisation=OrganisationFactory(),
        format_entree="csv",
        mois="2026-11",
        statut=Statut.TERMINE,
        termine_le=timezone.now(),
    )
    activite.enregistrer(depistage_id=autre.pk, resultats=resultats)
    assert depistage_selectors.activite_par_commune(du=jour, au=jour)["49007"]["menages_depistes"] == 30
    assert (
        depistage_selectors.activite_par_commune(
            du=jour - datetime.timedelta(days=400), au=jour - datetime.timedelta(days=1)
        )
        == {}
    )


def test_fichier_illisible_ne_change_pas_le_depistage(tmp_path, caplog):
    depistage = Depistage.objects.create(
        organisation=OrganisationFactory(), format_entree="csv", mois="2026-11", statut=Statut.TERMINE
    )
    journal = logging.getLogger("repere.depistage.activite")
    journal.addHandler(caplog.handler)
    try:
        assert activite.enregistrer(depistage_id=depistage.pk, resultats=tmp_path / "absent.csv") == 0
    finally:
        journal.removeHandler(caplog.handler)
    assert not ActiviteCommune.objects.exists()
    assert "comptes par commune non enregistrés" in caplog.text and "absent" not in caplog.text
