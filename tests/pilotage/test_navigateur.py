"""Browser journeys: an action created with a budget and an indicator changes the COPIL dashboard;
a workshop fiche captured on a phone, offline then online, by the page's queue."""

from datetime import date

import pytest
from playwright.sync_api import expect

from repere.concertation.models import Atelier, Contribution
from repere.organisations.models import Role
from tests.accessibilite import verifier_accessibilite
from tests.concertation.factories import evenement
from tests.organisations.factories import OrganisationFactory, membre
from tests.pilotage.factories import axe, plan


def _connecter(page, live_server, client, user):
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_une_action_avec_budget_et_indicateur_change_le_tableau_de_bord(page, live_server, client):
    org = OrganisationFactory(nom="Département navigateur")
    user = membre(org, Role.PROFESSIONNEL)
    p = plan(organisation=org, nom="Pacte navigateur")
    axe(p, numero=3)
    _connecter(page, live_server, client, user)
    page.goto(f"{live_server.url}/pilotage/tableau-de-bord/")
    expect(page.locator("#chiffres-cles")).to_contain_text("0 actions suivies")

    page.goto(f"{live_server.url}/pilotage/plans/{p.pk}/actions/nouvelle/")
    page.get_by_label("Titre").fill("Permanences itinérantes")
    page.locator("#id_axe").select_option(label="Axe 3")
    page.get_by_label("Statut").select_option("en_cours")
    page.get_by_label("Date de début").fill("2024-01-01")
    page.get_by_label("Date de fin prévue").fill("2027-12-31")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Permanences itinérantes")

    page.get_by_text("Ajouter ou changer une ligne de budget").click()
    page.get_by_label("Année").fill("2025")
    page.locator("#id_budget-financeur").fill("État — crédits du Pacte")
    page.get_by_label("Catégorie du financeur").select_option("etat_pacte")
    page.get_by_label("Prévu (€)").fill("10000")
    page.get_by_label("Engagé (€)").fill("8000")
    page.get_by_label("Payé (€)").fill("2500")
    page.get_by_role("button", name="Enregistrer la ligne de budget").click()
    expect(page.locator("#budget")).to_contain_text("10 000")

    page.locator("summary", has_text="Ajouter un indicateur").click()
    page.locator("#id_indicateur-nom").fill("Foyers rencontrés")
    page.locator("#id_indicateur-valeur_initiale").fill("0")
    page.locator("#id_indicateur-date_initiale").fill("2024-01-01")
    page.locator("#id_indicateur-cible").fill("1000")
    page.locator("#id_indicateur-date_cible").fill("2026-01-01")
    page.get_by_role("button", name="Ajouter l'indicateur").click()
    page.locator("#indicateurs summary", has_text="Ajouter une valeur").click()
    page.locator("#id_valeur-date").fill(date(2025, 1, 1).isoformat())
    page.locator("#id_valeur-valeur").fill("100")
    page.get_by_role("button", name="Enregistrer la valeur").click()
    expect(page.locator("#indicateurs")).to_contain_text("hors trajectoire")

    page.goto(f"{live_server.url}/pilotage/tableau-de-bord/")
    chiffres = page.locator("#chiffres-cles")
    expect(chiffres).to_contain_text("1 action suivie")
    expect(chiffres).to_contain_text("10 000")
    expect(chiffres).to_contain_text("2 500")
    expect(chiffres).to_contain_text("25")
    expect(chiffres).to_contain_text("1 indicateur hors trajectoire sur 1")
    expect(page.locator("#hors-cible + ul")).to_contain_text("Foyers rencontrés")
    verifier_accessibilite(page)
    page.goto(f"{live_server.url}/pilotage/chronologie/")
    expect(page.get_by_role("img", name="Permanences itinérantes")).to_be_visible()
    verifier_accessibilite(page)


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_fiche_d_atelier_saisie_au_telephone_meme_hors_connexion(page_mobile, live_server, client):
    page = page_mobile
    org = OrganisationFactory()
    animateur = membre(org, Role.BENEVOLE)
    ev = evenement(org)
    atelier = Atelier.objects.create(
        evenement=ev, numero=1, thematique="Précarité en milieu rural", enjeu="Accès aux droits ?"
    )
    atelier.animateurs.add(animateur)
    _connecter(page, live_server, client, animateur)
    page.goto(f"{live_server.url}/concertation/ateliers/{atelier.pk}/saisie/")
    verifier_accessibilite(page)
    page.get_by_label("Défis prioritaires").fill("Réduire le non-recours")
    page.get_by_role("button", name="Ajouter à « Défis prioritaires »").click()
    expect(page.locator("#file-attente")).to_contain_text("1 élément envoyé", timeout=20_000)
    expect(page.locator("#fiche")).to_contain_text("Réduire le non-recours")

    page.context.set_offline(True)
    page.get_by_label("Propositions d'actions ou projets à lancer").fill("Guichet unique de proximité")
    page.get_by_role("button", name="Ajouter à « Propositions d'actions ou projets à lancer »").click()
    page.get_by_label("Acteurs à solliciter").fill("N/A")
    page.get_by_role("button", name="Ajouter à « Acteurs à solliciter »").click()
    expect(page.locator("#file-attente")).to_contain_text("2 éléments en attente d'envoi")
    assert Contribution.objects.count() == 1
    page.context.set_offline(False)
    page.evaluate("window.FicheAtelier.envoyer()")
    expect(page.locator("#file-attente")).to_contain_text("2 éléments envoyés", timeout=20_000)
    assert set(Contribution.objects.values_list("texte", "non_renseigne")) == {
        ("Réduire le non-recours", False),
        ("Guichet unique de proximité", False),
        ("N/A", True),
    }
    expect(page.locator("#fiche")).to_contain_text("Guichet unique de proximité")


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_a_390_px_un_nouveau_venu_lit_des_mots_et_pas_des_codes(page_mobile, live_server, client):
    """The COPIL dashboard, the action table, an action's budget (with its history and an indicator read
    from the observatory) and the synthesis, walked on a phone: no page wider than the screen, every field
    labelled (axe-core), no internal code shown."""
    from decimal import Decimal

    from repere.concertation import synthese
    from repere.pilotage import services
    from repere.territoires.models import Territoire, TypeTerritoire
    from tests.concertation.test_synthese import _evenement
    from tests.observatoire.factories import IndicateurFactory, ValeurFactory
    from tests.pilotage.factories import action

    page = page_mobile
    org = OrganisationFactory(nom="Département téléphone")
    user = membre(org, Role.ADMIN)
    p = plan(organisation=org, nom="Pacte téléphone")
    a = action(p, titre="Maraudes d'accès aux droits", axe=axe(p, numero=3), statut="en_cours")
    for le, prevu, engage in ((date(2025, 1, 10), 10000, 0), (date(2025, 3, 1), 12000, 4000)):
        services.enregistrer_ligne_budget(
            action=a,
            par=user,
            annee=2025,
            type="fonctionnement",
            financeur_nom="CAF",
            prevu=prevu,
            engage=engage,
            type_financeur="caf",
            date_effet=le,
        )
    obs = IndicateurFactory(code="foyers_rsa_tel", libelle="Foyers allocataires du RSA", source="CAF")
    ValeurFactory(indicateur=obs, code="49092", periode="2022", valeur=215.0)
    ind = services.ajouter_indicateur(
        action=a,
        par=user,
        nom="Foyers au RSA",
        valeur_initiale=Decimal(200),
        date_initiale=date(2020, 1, 1),
        cible=Decimal(150),
        date_cible=date(2027, 12, 31),
        sens="baisse",
    )
    services.relier_observatoire(
        indicateur=ind,
        par=user,
        code="foyers_rsa_tel",
        territoire=Territoire.objects.get(type=TypeTerritoire.COMMUNE, code="49092"),
    )
    ev = _evenement()
    ev.organisation = org
    ev.save()
    synthese.calculer_synthese(evenement=ev)
    _connecter(page, live_server, client, user)
    codes = ("en_cours", "a_venir", "fonctionnement\u00a0", "foyers_rsa_tel", "etat_pacte", "None")
    for url in (
        "/pilotage/tableau-de-bord/",
        "/pilotage/actions/",
        f"/pilotage/actions/{a.pk}/?budget_au=2025-02-01",
        f"/concertation/evenements/{ev.pk}/synthese/",
    ):
        page.goto(f"{live_server.url}{url}")
        verifier_accessibilite(page)
        largeur = page.evaluate("document.documentElement.scrollWidth")
        assert largeur <= 390, (url, largeur)
        texte = page.inner_text("main")
        for code in codes:
            assert code not in texte, (url, code)
    expect(page.locator("main")).to_contain_text("Récurrence")
    page.goto(f"{live_server.url}/pilotage/actions/{a.pk}/?budget_au=2025-02-01")
    expect(page.locator("#budget")).to_contain_text("Au 01/02/2025 : 10\u202f000\u00a0€ prévus")
    expect(page.locator("#indicateurs")).to_contain_text("Valeurs lues dans l'observatoire")
