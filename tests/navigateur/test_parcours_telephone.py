"""« Done when » of the seamless path, on a phone (390 px): the public journey from the home page to the
printable summary through « Où faire ces démarches », and every demo role landing on its work with no menu
link to a 403 or a 404; no page of these journeys wider than the screen; axe-core: no serious or critical
violation (the API documentation page included)."""

import re

import pytest

from repere.organisations.demo import DOMAINE, MOT_DE_PASSE_DEMO
from repere.organisations.demo import charger as charger_organisations
from tests.accessibilite import verifier_accessibilite
from tests.annuaire.factories import ServiceFactory, StructureFactory
from tests.navigateur.mots import mots_coupes

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

LARGEUR = 390


# A4 is 210 mm wide; Chromium prints with default margins of 0.4 in each side: 794 - 2 × 38 ≈ 718 CSS px.
A4_IMPRIMABLE = 718


def verifier_largeur(page, maximum: int = LARGEUR) -> None:
    """Fails when the page is wider than the phone's screen (a horizontal scroll of the whole page)."""
    largeur = page.evaluate("document.documentElement.scrollWidth")
    assert largeur <= maximum, f"{page.url} fait {largeur} px de large pour un écran de {maximum} px"


def verifier_en_tetes(page) -> None:
    """Fails when a table header breaks a word in the middle (« Personn-es ») to fit a phone: a narrow table
    scrolls sideways in its own box instead."""
    coupes = mots_coupes(page, "th", trait_d_union_permis=False)
    assert not coupes, f"{page.url} : mots coupés dans les en-têtes de tableau : {coupes}"


def verifier(page) -> None:
    verifier_largeur(page)
    verifier_en_tetes(page)
    verifier_accessibilite(page)


def test_de_l_accueil_au_recapitulatif_en_passant_par_ou_faire_ces_demarches(live_server, page_mobile):
    page = page_mobile
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(120_000)
    ServiceFactory(
        nom="Accueil sur rendez-vous",
        structure=StructureFactory(
            nom="CAF de Maine-et-Loire — accueil d'Angers", reseaux_porteurs=["caf"], code_insee="49007"
        ),
        latitude=47.47,
        longitude=-0.55,
        horaires_accueil="Mo-Fr 08:30-16:30; PH off",
    )
    ServiceFactory(
        nom="Accueil France Services",
        thematiques=["difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"],
        structure=StructureFactory(
            nom="France Services d'Angers", reseaux_porteurs=["france-service"], code_insee="49007"
        ),
        latitude=47.46,
        longitude=-0.56,
        horaires_accueil="Tu,Th 14:00-18:00; Sa 09:00-12:00; PH off",
    )
    page.goto(live_server.url + "/")
    verifier(page)
    page.get_by_role("link", name=re.compile("À quoi ai-je droit")).click()
    verifier(page)
    page.get_by_role("link", name="Commencer").click()
    champ = page.get_by_role("combobox", name="Commune de résidence")
    champ.press_sequentially("angers", delay=30)
    page.get_by_role("option", name=re.compile(r"^Angers")).first.click()
    page.get_by_label("Votre âge").fill("36")
    page.get_by_label("Nombre d'enfants à charge vivant avec vous").fill("2")
    verifier(page)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Vos enfants").wait_for()
    page.get_by_label("Âge de l'enfant 1").fill("8")
    page.get_by_label("Scolarité de l'enfant 1").select_option("primaire")
    page.get_by_label("Âge de l'enfant 2").fill("4")
    page.get_by_label("Scolarité de l'enfant 2").select_option("maternelle")
    verifier_largeur(page)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Activité et revenus").wait_for()
    page.get_by_label("Salarié(e) (CDI, CDD, intérim, apprentissage)").check()
    page.get_by_label("Salaire net mensuel").fill("1000")
    verifier_largeur(page)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Logement").wait_for()
    page.get_by_label("Locataire (y compris HLM)").check()
    page.get_by_label("Loyer mensuel hors charges (ou mensualité d'emprunt)").fill("600")
    verifier_largeur(page)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Aides déjà perçues").wait_for()
    verifier_largeur(page)
    page.get_by_role("button", name="Voir mes résultats").click()

    page.get_by_role("heading", name="Vos droits estimés").wait_for()
    bloc = page.locator("#ou-faire-ces-demarches")
    assert "Où faire ces démarches près d'Angers" in bloc.get_by_role("heading", level=2).inner_text()
    assert bloc.get_by_role("heading", name="CAF de Maine-et-Loire — accueil d'Angers").is_visible()
    assert "Du lundi au vendredi de 8\u00a0h\u00a030 à 16\u00a0h\u00a030" in bloc.inner_text()
    assert "Le mardi et le jeudi de 14\u00a0h à 18\u00a0h ; le samedi de 9\u00a0h à 12\u00a0h" in bloc.inner_text()
    page.locator("#carte-annuaire .leaflet-marker-icon, #carte-annuaire .marker-cluster").first.wait_for()
    verifier(page)

    # « Effacer mes réponses » asks first
    page.get_by_role("button", name="Effacer mes réponses").click()
    page.get_by_role("heading", name="Effacer toutes vos réponses ?").wait_for()
    verifier(page)
    page.get_by_role("link", name="Non, garder mes réponses").click()
    page.get_by_role("heading", name="Vos droits estimés").wait_for()

    # the directory, for the commune already given
    page.locator("#ou-faire-ces-demarches").get_by_role(
        "link", name=re.compile("Chercher d'autres lieux d'aide")
    ).click()
    page.locator("#resultats").wait_for()
    assert page.get_by_label("Commune", exact=True).input_value().startswith("Angers")
    verifier(page)
    page.go_back()

    page.get_by_role("link", name="Récapitulatif à imprimer").click()
    page.get_by_role("heading", name="Récapitulatif de vos droits").wait_for()
    assert "CAF de Maine-et-Loire — accueil d'Angers" in page.locator("#ou-faire-ces-demarches").inner_text()
    verifier(page)
    # printed on A4 (print media, Chromium's default margins): no wider than the page either
    page.set_viewport_size({"width": A4_IMPRIMABLE, "height": 1000})
    page.emulate_media(media="print")
    verifier_largeur(page, A4_IMPRIMABLE)


ROLES = {
    "admin.ccas-chemille": "CCAS de Chemillé-en-Anjou (démo)",
    "pro.ccas-chemille": "Ma journée",
    "benevole.ccas-chemille": "Aller-vers et suivi",
    "observateur.ccas-chemille": "Indicateurs aller-vers",
    "pro.cd49": "Repérage du non-recours par fichier",
    "plateforme": "Organisations",
}


def test_chaque_role_arrive_sur_son_travail_sans_lien_mort(live_server, page_mobile):
    page = page_mobile
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(120_000)
    charger_organisations()
    for compte, titre in ROLES.items():
        page.context.clear_cookies()
        page.goto(live_server.url + "/compte/connexion/")
        page.get_by_label("Adresse e-mail").fill(f"{compte}@{DOMAINE}")
        page.get_by_label("Mot de passe").fill(MOT_DE_PASSE_DEMO)
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_role("heading", level=1).wait_for()
        assert page.get_by_role("heading", level=1).inner_text().startswith(titre), (compte, page.url)
        verifier(page)
        liens = page.eval_on_selector_all(
            ".nav-compte a, .nav-principale a, .nav-travail a", "els => els.map(e => e.href)"
        )
        assert liens, compte
        for url in dict.fromkeys(liens):
            reponse = page.goto(url)
            assert reponse.status < 400, (compte, url, reponse.status)
            assert "Page introuvable" not in page.title() and "Accès refusé" not in page.title(), (compte, url)
            verifier(page)


def test_documentation_de_l_api_accessible_et_a_la_largeur(live_server, page_mobile):
    page = page_mobile
    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_load_state("networkidle")
    verifier_accessibilite(page)
