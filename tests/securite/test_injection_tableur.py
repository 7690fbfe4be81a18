"""Issue 11: spreadsheet formula injection. Every CSV/XLSX the application writes (batch results, their
rejected lines, the referrals export, the directory import's rejects) goes through ``cellule_sure``."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from repere.annuaire import services as annuaire
from repere.annuaire.importation import Rapport
from repere.depistage.execution import Options, depister
from repere.organisations.models import Role
from repere.utils.tableurs import DEBUTS_DANGEREUX
from tests.annuaire.factories import ServiceFactory, StructureFactory
from tests.depistage.factories import ecrire_csv, personne
from tests.organisations.factories import OrganisationFactory, membre

pytestmark = pytest.mark.django_db

FORMULES = ["=cmd|' /C calc'!A0", '=HYPERLINK("https://evil.example","clic")', "+1+1", "@SUM(A1:A9)", "-2+3"]


@pytest.fixture(autouse=True)
def _repertoire(settings, tmp_path):
    settings.DEPISTAGE_REPERTOIRE = str(tmp_path / "depistage")


def _cellules_csv(chemin):
    with open(chemin, encoding="utf-8-sig", newline="") as f:
        return [c for ligne in csv.reader(f, delimiter=";") for c in ligne]


def _verifier_xlsx(chemin):
    classeur = load_workbook(chemin)
    for feuille in classeur.worksheets:
        for ligne in feuille.iter_rows():
            for cellule in ligne:
                assert cellule.data_type != "f", f"formule écrite : {cellule.value!r}"
                if isinstance(cellule.value, str):
                    assert not cellule.value.startswith(DEBUTS_DANGEREUX), cellule.value


def _lignes():
    lignes = [personne(id_menage=f, salaire_net="900", loyer="500") for f in FORMULES]
    lignes.append(personne(id_menage="=1+2", loyer="=1+1"))  # rejected: the message quotes the value
    return lignes


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_resultats_et_lignes_rejetees_sans_formule(tmp_path, format):
    entree = ecrire_csv(tmp_path / "m.csv", _lignes())
    sortie = tmp_path / f"resultats.{format}"
    bilan = depister(entree=entree, sortie_chemin=sortie, options=Options(mois="2026-11", taille_lot=2))
    assert bilan.menages_calcules == len(FORMULES) and bilan.menages_rejetes == 1
    rejets = tmp_path / f"resultats-lignes-rejetees.{format}"
    if format == "csv":
        for chemin in (sortie, rejets):
            cellules = _cellules_csv(chemin)
            assert not [c for c in cellules if c.startswith(DEBUTS_DANGEREUX)]
        assert "'=cmd|' /C calc'!A0" in _cellules_csv(sortie)  # kept, readable, neutralised
    else:
        _verifier_xlsx(sortie)
        _verifier_xlsx(rejets)
        ids = [c.value for c in load_workbook(sortie).active["B"]]
        assert "'+1+1" in ids


def test_export_csv_des_orientations_sans_formule(client):
    emettrice = OrganisationFactory(nom='=HYPERLINK("https://evil.example","Voir")')
    recue = OrganisationFactory()
    service = ServiceFactory(nom="+1+1", structure=StructureFactory(organisation=recue, nom="@SUM(A1)"))
    annuaire.creer_orientation(
        emetteur=membre(emettrice, Role.PROFESSIONNEL),
        organisation_emettrice=emettrice,
        service=service,
        personne={"prenom": "A", "nom": "B"},
        besoins="x",
        consentement={
            "informe_par": "C",
            "le": timezone.now() - timedelta(minutes=1),
            "version_notice": "1",
            "base_legale": "consentement",
        },
    )
    client.force_login(membre(recue, Role.PROFESSIONNEL))
    r = client.get("/annuaire/orientations/recues/export.csv")
    assert r.status_code == 200
    lignes = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    cellules = [c for ligne in lignes for c in ligne]
    assert not [c for c in cellules if c.startswith(DEBUTS_DANGEREUX)]
    assert '\'=HYPERLINK("https://evil.example","Voir")' in cellules


def test_rejets_d_import_de_l_annuaire_sans_formule():
    rapport = Rapport()
    rapport.rejeter("structures.csv", 3, "=cmd|' /C calc'!A0", "+nom manquant")
    cellules = [
        c for ligne in csv.reader(io.StringIO(rapport.csv_rejets().lstrip("\ufeff")), delimiter=";") for c in ligne
    ]
    assert not [c for c in cellules if c.startswith(DEBUTS_DANGEREUX)]
    assert "3" in cellules
