"""The seamless path: home page ways in, French error pages even with DEBUG, legal pages from the
configuration, favicon, each role landing on its work with no menu link to a 403 or a 404."""

import re

import pytest
from django.urls import reverse

from repere.comptes.models import User
from repere.organisations import demo as demo_organisations
from repere.organisations.demo import MOT_DE_PASSE_DEMO
from tests.rendu import espaces

pytestmark = pytest.mark.django_db


def test_accueil_deux_portes_qui_sont_des_liens(client):
    html = client.get("/").content.decode()
    assert re.search(r'<a class="porte" href="/droits/">.*?À quoi ai-je droit \?', html, re.S)
    assert re.search(
        r'<a class="porte" href="/annuaire/">.*?Où trouver de l&#x27;aide près de chez moi \?', html, re.S
    ) or re.search(r'<a class="porte" href="/annuaire/">.*?Où trouver de l\'aide près de chez moi \?', html, re.S)
    # no pillar shown as « bientôt » and no link to a page that does not exist
    assert "bientôt" not in html


@pytest.mark.parametrize("url", ["/nexiste/pas/", "/territoires/commune/99999/", "/droits/etape/inconnue/"])
def test_404_en_francais_dans_la_mise_en_page_meme_en_debug(client, settings, url):
    settings.DEBUG = True
    r = client.get(url)
    html = r.content.decode()
    assert r.status_code == 404
    assert "Page introuvable" in html and 'class="entete"' in html and '<html lang="fr">' in html
    assert "Using the URLconf" not in html and "Page not found" not in html


def test_404_api_reste_en_json_en_debug(client, settings):
    settings.DEBUG = True
    r = client.get("/api/v1/territoires/commune/99999")
    assert r.status_code == 404 and r["Content-Type"].startswith("application/json")


def test_favicon(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r["Content-Type"] == "image/x-icon"
    assert r.content[:4] == b"\x00\x00\x01\x00"


def test_mentions_legales_depuis_la_configuration(client, settings):
    settings.REPERE_EXPLOITANT = {
        "nom": "CCAS de Chemillé-en-Anjou",
        "adresse": "5 rue de l'Arzillé, 49120 Chemillé-en-Anjou",
        "siret": "",
        "directeur_publication": "Mme la Présidente du CCAS",
        "contact": "contact@ccas.example.org",
        "dpo": "dpo@ccas.example.org",
        "hebergeur": "Hébergeur SAS",
        "hebergeur_adresse": "1 rue du Serveur, 75000 Paris",
    }
    html = client.get("/mentions-legales/").content.decode()
    for attendu in ["CCAS de Chemillé-en-Anjou", "Mme la Présidente du CCAS", "Hébergeur SAS", "1 rue du Serveur"]:
        assert attendu in html
    assert "figurent dans la configuration" not in html  # the old placeholder
    html = client.get("/donnees-personnelles/").content.decode()
    assert "dpo@ccas.example.org" in html and "730" in html


def test_mentions_legales_non_renseignees_le_disent(client, settings):
    settings.REPERE_EXPLOITANT = dict.fromkeys(
        ("nom", "adresse", "directeur_publication", "contact", "dpo", "hebergeur"), ""
    )
    html = espaces(client.get("/mentions-legales/").content)
    assert "Non renseigné dans la configuration de cette instance." in html


def _liens_de_menu(html: str) -> list[str]:
    menus = re.findall(r'<nav class="(?:nav-compte|nav-principale|nav-travail)".*?</nav>', html, re.S)
    return [u for m in menus for u in re.findall(r'href="([^"#]+)"', m)]


ATTENDU = {
    "admin.ccas-chemille": r"^/organisations/\d+/$",
    "pro.ccas-chemille": r"^/compte/journee/$",
    "benevole.ccas-chemille": r"^/aller-vers/$",
    "observateur.ccas-chemille": r"^/aller-vers/indicateurs/$",
    "pro.cd49": r"^/depistage/\d+/$",
    "plateforme": r"^/organisations/$",
}


@pytest.mark.parametrize("compte, page", ATTENDU.items())
def test_chaque_role_arrive_sur_son_travail_et_ses_menus_menent_quelque_part(client, compte, page):
    demo_organisations.charger()
    email = f"{compte}@{demo_organisations.DOMAINE}"
    r = client.post(reverse("comptes:login"), {"username": email, "password": MOT_DE_PASSE_DEMO})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert re.match(page, r.url), r.url
    r = client.get(r.url)
    assert r.status_code == 200
    liens = _liens_de_menu(r.content.decode())
    assert liens
    for url in set(liens):
        reponse = client.get(url)
        assert reponse.status_code in (200, 302), (compte, url, reponse.status_code)
        if reponse.status_code == 302:
            assert client.get(reponse.url).status_code == 200, (compte, url, reponse.url)


def test_aides_locales_seulement_pour_les_administrateurs(client):
    demo_organisations.charger()
    for compte, visible in (
        ("admin.ccas-chemille", True),
        ("pro.ccas-chemille", False),
        ("benevole.ccas-chemille", False),
    ):
        client.force_login(User.objects.get(email=f"{compte}@{demo_organisations.DOMAINE}"))
        html = client.get("/droits/").content.decode()
        assert ("/droits/aides-locales/" in html) is visible, compte


def test_effacer_mes_reponses_demande_confirmation(client):
    from tests.droits.test_questionnaire import _remplir

    _remplir(client)
    r = client.post(reverse("droits:recommencer"))
    assert r.status_code == 200 and "Effacer toutes vos réponses ?" in r.content.decode()
    assert client.get(reverse("droits:resultats")).status_code == 200  # nothing erased yet
    r = client.post(reverse("droits:recommencer"), {"confirme": "oui"})
    assert r.status_code == 302
    assert client.get(reverse("droits:resultats")).status_code == 302  # answers gone: back to the questionnaire


def test_resultats_et_recapitulatif_disent_ou_faire_ces_demarches(client):
    from tests.annuaire.factories import ServiceFactory, StructureFactory
    from tests.droits.test_questionnaire import _remplir

    ServiceFactory(
        structure=StructureFactory(nom="CAF d'Angers", reseaux_porteurs=["caf"], code_insee="49007"),
        latitude=47.47,
        longitude=-0.55,
        horaires_accueil="Mo-Fr 08:30-16:30; PH off",
    )
    _remplir(client)  # commune: Angers
    html = client.get(reverse("droits:resultats")).content.decode()
    bloc = html[html.index('id="ou-faire-ces-demarches"') :][:3000]
    assert "Où faire ces démarches près d&#x27;Angers" in html or "Où faire ces démarches près d'Angers" in html
    assert "CAF d&#x27;Angers" in html and "Du lundi au vendredi de 8\u00a0h\u00a030 à 16\u00a0h\u00a030" in html, bloc
    assert "/annuaire/?commune_nom=Angers&amp;commune=49007" in html
    html = client.get(reverse("droits:imprimer")).content.decode()
    assert "CAF d&#x27;Angers" in html and "Du lundi au vendredi de 8\u00a0h\u00a030 à 16\u00a0h\u00a030" in html
