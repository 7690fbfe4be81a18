"""Ce que lisent les personnes sur un repérage (défaut 9 de l'essai) : accords, phrases honnêtes quand il n'y a
rien, libellés entiers."""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from repere.depistage import sortie
from repere.depistage.models import Statut
from repere.depistage.rapport import Synthese, ecrire_rapport
from repere.organisations.models import Role
from repere.utils.nombres import euros
from tests.depistage.factories import DepistageFactory
from tests.organisations.factories import OrganisationFactory, membre

NBSP = "\u00a0"


def _une_ligne(html: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", html)  # as rendered; the no-break spaces stay


def _rapport(tmp_path, **chiffres) -> str:
    synthese = Synthese(codes=sortie.CODES, **chiffres)
    bilan = SimpleNamespace(menages_rejetes=0, lignes_rejetees=0, duree=1.0)
    chemin = tmp_path / "rapport.html"
    ecrire_rapport(chemin, synthese=synthese, bilan=bilan, options=SimpleNamespace(mois="2026-12"), noms_communes={})
    return _une_ligne(chemin.read_text(encoding="utf-8"))


def test_rapport_accorde_les_nombres(tmp_path):
    html = _rapport(tmp_path, menages=1, menages_droit=1, menages_percu=0)
    assert "<strong>1</strong> ménage calculé" in html and "ménages calculés" not in html
    assert "seuls 0 des 1" not in html
    assert f"0{NBSP}ménage sur 1 ayant un droit estimé (0{NBSP}%) déclare un montant perçu" in html
    assert "mois simulé décembre 2026" in html


def test_rapport_sans_aucun_droit_estime(tmp_path):
    html = _rapport(tmp_path, menages=0, menages_droit=0, menages_percu=0)
    assert "0 des 0" not in html and "0 ménages" not in html
    assert "Aucun ménage n'a pu être calculé" in html and "vides ou presque" not in html
    html = _rapport(tmp_path, menages=2, menages_droit=0, menages_percu=0)
    assert "Aucun ménage calculé n'a de droit estimé" in html


def test_rapport_libelles_des_prestations_entiers(tmp_path):
    synthese = {"menages": 2, "menages_droit": 2, "menages_percu": 2}
    html = _rapport(tmp_path, **synthese, par_prestation={"css_participation": [2, 2, 2, 60.0]})
    graphiques = re.findall(r'<figure class="barres">.*?</figure>', html, flags=re.S)
    assert graphiques and all("Complémentaire santé solidaire avec participation" in g for g in graphiques[:2])
    assert "<svg" not in html  # the charts' text keeps the page's size on a phone


@pytest.mark.django_db
def test_resultats_accordes_et_lisibles(client):
    organisation = OrganisationFactory()
    depistage = DepistageFactory(
        organisation=organisation,
        statut=Statut.TERMINE,
        mois="2026-12",
        menages_total=4,
        menages_calcules=1,
        menages_rejetes=3,
        lignes_rejetees=1,
        menages_droit_estime=1,
        menages_percu_declare=0,
    )
    client.force_login(membre(organisation, Role.PROFESSIONNEL))
    html = _une_ligne(client.get(reverse("depistage:detail", args=[organisation.pk, depistage.pk])).text)
    assert "<strong>1</strong> ménage calculé" in html and "ménages calculés" not in html
    assert f"0{NBSP}ménage sur 1 ayant un droit estimé déclare un montant perçu" in html
    assert "<strong>3</strong> ménages non calculés" in html and f"1{NBSP}ligne à corriger" in html
    assert "décembre 2026" in html and "2026-12" not in html


@pytest.mark.django_db
def test_resultats_sans_aucun_droit_estime(client):
    organisation = OrganisationFactory()
    depistage = DepistageFactory(organisation=organisation, statut=Statut.TERMINE, menages_total=3, menages_rejetes=3)
    client.force_login(membre(organisation, Role.PROFESSIONNEL))
    html = _une_ligne(client.get(reverse("depistage:detail", args=[organisation.pk, depistage.pk])).text)
    assert "0 ménages sur 0" not in html and "sur 0 ayant" not in html
    # every household rejected: that is what to say, not that the « perçu » columns are empty
    assert "Aucun ménage n'a pu être calculé" in html and "vides ou presque" not in html


@pytest.mark.django_db
def test_pas_de_ligne_de_commande_pour_les_professionnels(client):
    # défaut 11 : « la commande manage.py depister » sur la page de dépôt
    organisation = OrganisationFactory()
    echoue = DepistageFactory(organisation=organisation, statut=Statut.ECHOUE, message="Fichier illisible.")
    client.force_login(membre(organisation, Role.PROFESSIONNEL))
    for url in (
        reverse("depistage:organisation", args=[organisation.pk]),
        reverse("depistage:detail", args=[organisation.pk, echoue.pk]),
    ):
        html = client.get(url).text
        assert "manage.py" not in html, url


def test_tranches_sans_chevauchement_et_communes_comptees_honnetement(tmp_path):
    """« 0 € » then « 0 € à 50 € » overlapped, and « les 15 premières communes » was said of 3 communes."""
    from html import unescape

    html = unescape(
        _rapport(
            tmp_path,
            menages=3,
            menages_droit=3,
            menages_percu=3,
            montant_total=160.0,
            par_commune={"49092": [2, 1, 100.0], "49099": [1, 1, 60.0]},
            tranches=[0, 1, 2, 0, 0, 0, 0],
        )
    )
    assert f"0{NBSP}€ à 50" not in html
    assert f"jusqu'à 50{NBSP}€" in html and f"plus de 50{NBSP}€, jusqu'à 100{NBSP}€" in html
    assert f"plus de {euros(1000)}" in html and html.count("jusqu") == 5
    assert "15 premières" not in html
