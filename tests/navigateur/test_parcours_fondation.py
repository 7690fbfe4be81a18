"""Foundation journey in headless Chromium: home, demo admin login, invitation, territory search."""

import re

import pytest
from django.core import mail

from repere.organisations.demo import MOT_DE_PASSE_DEMO
from repere.organisations.demo import charger as charger_demo
from repere.organisations.models import Invitation
from tests.accessibilite import verifier_accessibilite

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_parcours_fondation(live_server, page):
    charger_demo()

    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text().startswith("Repère")
    verifier_accessibilite(page)

    # keyboard users reach the content through the skip link
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"

    page.get_by_role("link", name="Espace professionnel : se connecter").click()
    verifier_accessibilite(page)
    page.get_by_label("Adresse e-mail").fill("admin.ccas-chemille@demo.repere.localhost")
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE_DEMO)
    page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_role("heading", name="Mon compte").is_visible()

    page.get_by_role("link", name="Mes organisations").click()
    page.get_by_role("heading", name="CCAS de Chemillé-en-Anjou (démo)").wait_for()
    verifier_accessibilite(page)
    page.get_by_label("Adresse e-mail de la personne à inviter").fill("nouvelle.benevole@exemple.fr")
    page.locator("form[action$='/inviter/']").get_by_label("Rôle").select_option("benevole")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    assert page.get_by_text("Invitation envoyée à nouvelle.benevole@exemple.fr.").is_visible()
    assert page.locator("#invitations + ul").inner_text().startswith("nouvelle.benevole@exemple.fr — Bénévole")
    invitation = Invitation.objects.get(email="nouvelle.benevole@exemple.fr")
    assert invitation.est_en_attente
    assert re.search(rf"/organisations/invitation/#{invitation.jeton}", mail.outbox[-1].body)

    page.get_by_role("link", name="Territoires").click()
    champ = page.get_by_role("combobox", name="Nom, code postal ou code INSEE")
    champ.press_sequentially("chemille", delay=30)
    option = page.get_by_role("option", name="Chemillé-en-Anjou (49120)")
    option.wait_for()
    verifier_accessibilite(page)
    champ.press("ArrowDown")
    champ.press("Enter")
    page.wait_for_url("**/territoires/commune/49092/")
    assert page.get_by_role("heading", name="Chemillé-en-Anjou").is_visible()
    fiche = page.locator("dl.fiche").inner_text()
    assert "Communauté d'agglomération Mauges Communauté" in fiche
    assert "Maine-et-Loire (49)" in fiche and "Pays de la Loire" in fiche
    # the outline is drawn by Leaflet from the stored geometry, without any tile server
    page.locator("#carte.carte-prete path.leaflet-interactive").wait_for()
    assert page.locator("#carte img.leaflet-tile").count() == 0
    verifier_accessibilite(page)


def test_recherche_sans_javascript_et_telephone(live_server, page_mobile):
    page_mobile.goto(live_server.url + "/territoires/?q=49120")
    assert page_mobile.get_by_role("link", name="Chemillé-en-Anjou").is_visible()
    largeur = page_mobile.evaluate("document.documentElement.scrollWidth")
    assert largeur <= 390, "la page ne doit pas défiler horizontalement sur un téléphone"
    verifier_accessibilite(page_mobile)
