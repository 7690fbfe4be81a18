"""A referral's whole life in headless Chromium: search, send, answer through the signed link
(no account), outcome, dashboard and CSV export; accessibility scans of the search and service pages."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client

from repere.annuaire.models import Orientation
from tests.accessibilite import verifier_accessibilite
from tests.organisations.factories import OrganisationFactory, membre

from .factories import ServiceFactory, StructureFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def connecter(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_vie_complete_d_une_orientation(live_server, page, navigateur):
    emettrice = OrganisationFactory(nom="CCAS Émetteur")
    pro = membre(emettrice, first_name="Dominique", last_name="Pro")
    receveuse = OrganisationFactory(nom="Épicerie Mauges")
    membre(receveuse, email="accueil@epicerie.exemple.fr")
    ServiceFactory(
        nom="Épicerie solidaire",
        description="Produits alimentaires à petit prix <b>sans</b> condition.",
        structure=StructureFactory(nom="Épicerie Mauges", organisation=receveuse),
        horaires_accueil="Mo-Sa 08:00-20:00",
    )
    ServiceFactory(nom="Atelier numérique", thematiques=["numerique--acceder-a-des-services-en-ligne"])
    connecter(page, live_server, pro)

    # search page: commune through the accessible autocomplete, a theme, a word
    page.goto(live_server.url + "/annuaire/")
    champ = page.get_by_role("combobox", name="Commune")
    champ.press_sequentially("chemille", delay=30)
    page.get_by_role("option", name="Chemillé-en-Anjou (49120)").wait_for(timeout=30_000)
    champ.press("ArrowDown")
    champ.press("Enter")
    assert page.locator("#id_commune").input_value() == "49092"
    page.get_by_label("Se nourrir, s'équiper").check()  # a need, with its pictogram
    page.get_by_label("Mots-clés").fill("epicerie")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("heading", name=re.compile("1 service trouvé autour de Chemillé-en-Anjou")).wait_for()
    page.locator("#carte-annuaire .leaflet-marker-icon").first.wait_for()  # outlines and marker drawn
    verifier_accessibilite(page)

    page.get_by_role("link", name="Épicerie solidaire").click()
    page.get_by_role("heading", name="Épicerie solidaire").wait_for()
    assert "<b>sans</b>" in page.locator("main").inner_text()  # escaped, shown as text
    verifier_accessibilite(page)

    # send the referral
    page.get_by_role("link", name="Orienter une personne").click()
    page.get_by_label("Prénom de la personne").fill("Camille")
    page.get_by_role("textbox", name="Nom de la personne", exact=True).fill("Martin")
    page.get_by_label("Par téléphone").check()
    page.get_by_role("textbox", name="Téléphone", exact=True).fill("06 00 00 00 00")
    page.get_by_label("Besoins et motif de l'orientation").fill("Reste à vivre très faible ce mois-ci.")
    page.get_by_label("Base légale du traitement").select_option("consentement")
    page.get_by_label(re.compile("J'ai informé la personne")).check()
    verifier_accessibilite(page)
    page.get_by_role("button", name="Envoyer l'orientation").click()
    page.get_by_text("L'orientation a été envoyée.").wait_for()
    orientation = Orientation.objects.get()
    assert page.locator("#statut").inner_text() == "Envoyée, en attente de réponse"

    # the receiving structure answers through the signed link, without an account
    message = next(m for m in mail.outbox if "accueil@epicerie.exemple.fr" in m.to)
    lien = re.search(r"http\S+/reponse/#\S+", message.body).group(0)  # the token in the fragment
    lien = live_server.url + lien[lien.index("/annuaire/") :]
    contexte = navigateur.new_context(locale="fr-FR")
    anonyme = contexte.new_page()
    anonyme.goto(lien)
    assert "Camille Martin" in anonyme.locator("main").inner_text()
    anonyme.get_by_label("J'accepte l'orientation").check()
    anonyme.get_by_role("button", name="Enregistrer la réponse").click()
    anonyme.get_by_text("Votre réponse a été enregistrée.").wait_for()
    verifier_accessibilite(anonyme)
    anonyme.get_by_label("La personne a été aidée").check()
    anonyme.get_by_role("button", name="Enregistrer le résultat").click()
    anonyme.get_by_role("heading", name="Merci, votre réponse est enregistrée").wait_for()
    anonyme.goto("about:blank")
    anonyme.goto(lien)
    anonyme.get_by_role("heading", name="Ce lien ne peut pas être utilisé").wait_for()
    contexte.close()

    orientation.refresh_from_db()
    assert orientation.statut == "cloturee" and orientation.resultat == "aide_obtenue"
    assert [e.statut for e in orientation.historique.all()] == ["envoyee", "acceptee", "cloturee"]

    # the sender follows it on the dashboard and exports it
    page.goto(live_server.url + "/annuaire/orientations/envoyees/")
    ligne = page.locator("tbody tr").first
    assert "Clôturée" in ligne.inner_text() and "La personne a été aidée" in ligne.inner_text()
    verifier_accessibilite(page)
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Exporter en CSV").click()
    contenu = Path(telechargement.value.path()).read_text(encoding="utf-8-sig")
    assert f"{orientation.pk};" in contenu and "La personne a été aidée" in contenu
    page.get_by_role("link", name=str(orientation.pk), exact=True).click()
    assert "par lien de réponse" in page.locator(".historique").inner_text()
