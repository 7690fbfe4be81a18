"""La fiche d'une personne dit ce qui est cohérent et lisible (défauts 11, 12 et 16 de l'essai)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from repere.allervers import services
from repere.organisations.models import Role
from tests.allervers.factories import RECONTACT, REPONSES, campagne
from tests.organisations.factories import OrganisationFactory, membre
from tests.rendu import espaces

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


@pytest.fixture
def fiche(client):
    org = OrganisationFactory(nom="CCAS de Test")
    pro = membre(org, Role.PROFESSIONNEL, first_name="Dominique", last_name="Pro")
    c = campagne(organisation=org, equipe=[pro])
    contact, _ = services.enregistrer_contact(
        par=pro,
        campagne=c,
        date=timezone.localdate(),
        canal="porte",
        reponses=REPONSES,  # 40 ans, 2 enfants, locataire
        suivi_souhaite=True,
        recontact=RECONTACT,
    )
    p = services.creer_personne(
        par=pro,
        organisation=org,
        accord=True,
        notice=c.notice,
        prenom="Léa",
        nom="Martin",
        contact=contact,
        telephone="0600000000",
    )
    client.force_login(pro)
    return p, espaces(client.get(reverse("allervers:personne", args=[p.pk])).content)


def test_le_foyer_du_pre_reperage_suit_la_personne(fiche):
    # défaut 16 : « Foyer : non renseigné » à côté d'allocations familiales estimées pour des enfants
    personne, html = fiche
    assert len(personne.menage["personnes"]) == 3
    assert "non renseigné" not in html and "3 personnes" in html


def test_telephone_et_referent_lisibles(fiche):
    _, html = fiche
    assert NBSP.join(["06", "00", "00", "00", "00"]) in html and "0600000000<" not in html
    assert "(CCAS de Test)" not in html and "Dominique Pro, CCAS de Test" in html


def test_registre_en_mots(client):
    # défaut 11 : le registre listait les noms de champs (accord_le, cree_par, est_demo…) et des codes
    client.force_login(membre(OrganisationFactory(), Role.PROFESSIONNEL))
    html = espaces(client.get(reverse("allervers:registre")).content)
    tableau = html[html.index("Sort de chaque donnée") :]
    for code in ("accord_le", "cree_par", "est_demo", "NoticeInformation", ": supprime ", ": conserve "):
        assert code not in tableau, code
    assert "supprimé" in tableau and "conservé" in tableau


def test_tableau_de_bord_de_campagne_accorde(client, fiche):
    # défaut 12 : « 1 personnes identifiées », « 1 suivis en cours, 1 rappels »
    personne, _ = fiche
    html = espaces(client.get(reverse("allervers:campagne", args=[personne.campagne_id])).content)
    assert "1</strong> personne identifiée" in html and "personnes identifiées" not in html
    assert "1</strong> contact<" in html and "1</strong> souhaite un suivi" in html


def test_listes_d_organisations_sans_tirets(client):
    # défaut 11 : la liste des organisations s'ouvrait sur « --------- »
    org = OrganisationFactory()
    client.force_login(membre(org, Role.PROFESSIONNEL))
    html = client.get(reverse("allervers:campagne_creer")).content.decode()
    assert "---------" not in html and org.nom in html
