"""Phone journey: contacts online and offline, person with agreement, full simulation, referral
through the directory, a right moved to "opened", indicators and export updated."""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from repere.allervers.models import Contact, DroitSuivi, Personne
from repere.annuaire.models import Orientation
from repere.organisations.models import Role
from tests.allervers.factories import campagne
from tests.annuaire.factories import ServiceFactory
from tests.organisations.factories import OrganisationFactory, membre


def _connecter(page, live_server, client, user):
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def _remplir_contact(page, *, suivi=False, prereperage=False):
    page.get_by_label("Accompagnement pour l’accès aux droits", exact=False).first.check()
    if prereperage:
        page.get_by_text("Pré-repérage des droits").click()
        page.get_by_label("Âge").fill("40")
        page.get_by_label("Enfants à charge").fill("2")
        page.get_by_label("Logement", exact=True).select_option("locataire")
        page.get_by_label("Loyer mensuel (€)").fill("500")
        page.get_by_label("Activité").select_option("sans_emploi")
        page.get_by_label("Revenus nets du foyer par mois (€)").fill("800")
    if suivi:
        # who to call back is asked only once the person wants to be contacted again
        expect(page.get_by_label("Prénom")).to_be_hidden()
        page.get_by_label("La personne souhaite être recontactée").check()
        expect(page.locator("#recontact")).to_contain_text("J'accepte que")
        page.get_by_label("La personne a entendu cette phrase et elle est d'accord").check()
        page.get_by_label("Prénom").fill("Lou")
        page.get_by_label("Téléphone", exact=True).fill("06 12 34 56 78")


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_parcours_telephone(page_mobile, live_server, client):
    page = page_mobile
    page.set_default_navigation_timeout(60_000)  # the shared test machine is slow under load
    org = OrganisationFactory(nom="CCAS test")
    pro = membre(org, Role.PROFESSIONNEL)
    c = campagne(organisation=org, equipe=[pro], nom="Porte-à-porte navigateur")
    ServiceFactory(
        nom="Point conseil logement",
        thematiques=["difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"],
    )
    _connecter(page, live_server, client, pro)

    # 1. Online contact with the quick pre-screen.
    page.goto(f"{live_server.url}/aller-vers/campagnes/{c.pk}/saisie/")
    # phone-first: a compact header, « Enregistrer » within reach without scrolling
    assert page.locator("header.entete").bounding_box()["height"] <= 180
    bouton = page.get_by_role("button", name="Enregistrer le contact").bounding_box()
    assert bouton["y"] + bouton["height"] <= 844
    _remplir_contact(page, suivi=True, prereperage=True)
    position = page.evaluate("window.scrollY")
    page.get_by_role("button", name="Voir les droits probables").click()
    expect(page.locator("#resultat-prereperage")).to_contain_text("Aide au logement", timeout=30_000)
    expect(page.locator("#resultat-prereperage")).to_contain_text("à confirmer")
    page.get_by_role("button", name="Enregistrer le contact").click()
    expect(page.locator("#file-attente")).to_contain_text("1 contact envoyé", timeout=30_000)
    assert Contact.objects.count() == 1
    # the page stays where it was, the confirmation is read next to the button
    assert abs(page.evaluate("window.scrollY") - position) < 200  # no jump back to the top (was 2 000 px+)
    expect(page.locator("#statut-envoi")).to_contain_text("Contact enregistré")
    # The service worker has cached the capture page.
    expect(page.locator("#form-contact")).to_have_attribute("data-hors-ligne", "pret", timeout=15_000)

    # 2. Network cut: the page reloads from the service worker, the contact stays on the device.
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("button", name="Enregistrer le contact")).to_be_visible()
    _remplir_contact(page)
    page.get_by_role("button", name="Enregistrer le contact").click()
    expect(page.locator("#file-attente")).to_contain_text("1 contact en attente d'envoi")
    assert Contact.objects.count() == 1
    # 3. Network back: sent once, no duplicate.
    page.context.set_offline(False)
    expect(page.locator("#file-attente")).to_contain_text("1 contact envoyé", timeout=30_000)
    assert Contact.objects.count() == 2

    # A contact the server refuses (date in the future) stays visible on the device with the reason.
    demain = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    page.get_by_label("Date").fill(demain)
    _remplir_contact(page)
    page.get_by_role("button", name="Enregistrer le contact").click()
    expect(page.locator("#file-refus")).to_contain_text("dans le futur", timeout=30_000)
    page.reload()
    expect(page.locator("#file-refus")).to_contain_text("dans le futur")
    page.get_by_role("button", name="Retirer ce contact de l'appareil").click()
    expect(page.locator("#file-refus li")).to_have_count(0)
    assert Contact.objects.count() == 2

    # 4. From contact to person, with agreement: the follow-up list says whom to call.
    page.goto(f"{live_server.url}/aller-vers/campagnes/{c.pk}/contacts/")
    expect(page.locator("table")).to_contain_text("À appeler : Lou — 06 12 34 56 78")
    page.get_by_role("link", name="Créer une fiche (avec accord)").click()
    page.locator("#id_prenom").fill("Léa")
    page.locator("#id_nom").fill("Martin")
    page.get_by_role("button", name="Créer la fiche").click()
    expect(page.locator("#id_accord_erreur")).to_contain_text("accord")
    page.get_by_label(re.compile("donne son accord")).check()
    page.get_by_role("button", name="Créer la fiche").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Léa Martin")
    personne = Personne.objects.get()

    # 5. Household then full simulation, stored with the engine version.
    page.get_by_role("link", name="Composition du foyer").click()
    page.get_by_label("Âge (si la date de naissance n'est pas connue)").fill("40")
    page.locator("#id_activite").select_option("chomeur")
    page.get_by_label("Âges des enfants à charge").fill("6, 9")
    page.locator("#id_logement").select_option("locataire")
    page.get_by_label("Loyer mensuel hors charges (€)").fill("500")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".message--success")).to_contain_text("foyer")
    page.get_by_role("button", name="Lancer une simulation complète").click()
    expect(page.locator(".message--success")).to_contain_text("Simulation complète enregistrée", timeout=60_000)
    assert personne.simulations.get().version_moteur

    # 6. Referral through the directory (from the record's « Suivi » tab).
    page.get_by_role("tab", name=re.compile("^Suivi")).click()
    page.get_by_role("link", name="Orienter vers un service de l'annuaire").click()
    page.get_by_role("button", name="Envoyer l'orientation").click()
    expect(page.locator(".message--success")).to_contain_text("Orientation envoyée")
    assert Orientation.objects.get().origine == f"allervers:{personne.pk}"

    # 7. A right moved to "opened" with its confirmed amount.
    droit = DroitSuivi.objects.filter(personne=personne, prestation="aide_logement").get()
    ligne = page.locator("tr", has=page.get_by_role("rowheader", name=droit.libelle))
    # one compact table: each right has one « Changer l'étape » action, opened on demand
    expect(ligne.get_by_label("Étape")).to_be_hidden()
    ligne.get_by_text("Changer l'étape").click()
    ligne.get_by_label("Étape").select_option("ouvert")
    ligne.get_by_label("Montant confirmé (€/mois, si ouvert)").fill("321")
    ligne.get_by_role("button", name="Enregistrer l'étape").click()
    expect(page.locator(".message--success")).to_contain_text("Droit ouvert")
    droit.refresh_from_db()
    assert droit.statut == "ouvert" and droit.ouvert_le == timezone.localdate()

    # 8. Indicators and export reflect it.
    page.goto(f"{live_server.url}/aller-vers/indicateurs/?campagne={c.pk}")
    expect(page.locator("#montant-confirme")).to_contain_text("321")
    expect(page.locator("#orientations-annuaire")).to_have_text("1")
    # the rights chart counts rights: whole numbers, never « 0,2 0,4 0,6 » (defect 7)
    graduations = page.evaluate(
        "(() => { const g = Chart.getChart('graphique-droits'); return g ? g.scales.y.ticks.map(t => t.label) : null; })()"
    )
    assert graduations and all("," not in g for g in graduations), graduations
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger (CSV)").click()
    contenu = Path(telechargement.value.path()).read_text(encoding="utf-8-sig")
    assert (
        "Droits ouverts;1" in contenu and "Montant confirmé (€/mois);321\n" in contenu
    )  # French CSV: comma decimals, no point
    _accessible(page)
    page.goto(f"{live_server.url}/aller-vers/personnes/{personne.pk}/")
    _accessible(page)
    page.goto(f"{live_server.url}/aller-vers/campagnes/{c.pk}/saisie/")
    _accessible(page)
    page.goto(f"{live_server.url}/aller-vers/campagnes/{c.pk}/")
    _accessible(page)


def _accessible(page):
    from axe_playwright_python.sync_playwright import Axe

    violations = [v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
