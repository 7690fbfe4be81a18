"""Browser journeys of the professional's follow-up (issue 12): the multi-valued territory picker of a
campaign used with the keyboard only; the person record's tabs (arrows, Home/End, #fragment) and the same
record without JavaScript (anchored sections, all shown); the printable pages (the person's access record,
the batch report) no wider than a phone (390 px) nor than an A4 page (print media, default margins)."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from repere.allervers import services
from repere.allervers.models import Campagne
from repere.depistage import fichiers
from repere.depistage.models import Statut
from repere.depistage.rapport import Synthese, ecrire_rapport
from repere.organisations.models import Role
from tests.accessibilite import verifier_accessibilite
from tests.allervers.factories import NoticeFactory, campagne
from tests.depistage.factories import DepistageFactory
from tests.organisations.factories import OrganisationFactory, membre

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

TELEPHONE = 390
# A4 is 210 mm wide; Chromium prints with default margins of 0.4 in each side: 794 - 2 × 38 ≈ 718 CSS px.
A4_IMPRIMABLE = 718


def _connecter(page, live_server, client, user):
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _largeur(page, maximum: int) -> None:
    largeur = page.evaluate("document.documentElement.scrollWidth")
    assert largeur <= maximum, f"{page.url} fait {largeur} px de large pour {maximum} px"


def _a_la_largeur_d_un_telephone_et_d_une_page_a4(page) -> None:
    _largeur(page, TELEPHONE)
    page.set_viewport_size({"width": A4_IMPRIMABLE, "height": 1000})
    page.emulate_media(media="print")
    _largeur(page, A4_IMPRIMABLE)
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": TELEPHONE, "height": 844})


def test_territoires_d_une_campagne_au_clavier(live_server, page_mobile, client):
    page = page_mobile
    org = OrganisationFactory(nom="CCAS de Chemillé")
    pro = membre(org, Role.PROFESSIONNEL)
    NoticeFactory(organisation=org)
    _connecter(page, live_server, client, pro)
    page.goto(f"{live_server.url}/aller-vers/campagnes/nouvelle/")
    champ = page.get_by_role("combobox", name=re.compile("^Territoire"))
    for tape, choisi in (("chemil", "Chemillé-en-Anjou (49120)"), ("mauges comm", "Mauges Communauté")):
        champ.press_sequentially(tape, delay=40)
        expect(page.locator("#id_territoires-liste [role=option]").first).to_be_visible()
        champ.press("ArrowDown")
        expect(champ).to_have_attribute("aria-activedescendant", re.compile("."))
        champ.press("Enter")  # chooses the option: the form is not sent
        expect(page.get_by_role("checkbox", name=re.compile(re.escape(choisi)))).to_be_checked()
        expect(champ).to_have_value("")
    assert page.url.endswith("/campagnes/nouvelle/")
    # the names are shown, never the codes
    assert "49092" not in page.locator("#id_territoires_choisis").inner_text()
    _largeur(page, TELEPHONE)
    verifier_accessibilite(page)
    page.get_by_label("Nom de la campagne").fill("Porte-à-porte des Mauges")
    page.get_by_label("Organisation porteuse").select_option(label="CCAS de Chemillé")
    page.get_by_label("Notice d'information lue aux personnes").select_option(index=1)
    page.get_by_label("Début").fill(timezone.localdate().isoformat())
    page.get_by_label("Fin").fill((timezone.localdate() + datetime.timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Créer la campagne").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Porte-à-porte des Mauges")
    c = Campagne.objects.get()
    assert sorted(t.code for t in c.territoires.all()) == ["200060010", "49092"]


def _personne_avec_suivi():
    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    c = campagne(organisation=org, equipe=[pro])
    p = services.creer_personne(par=pro, organisation=org, accord=True, notice=c.notice, prenom="Léa", nom="Martin")
    services.ajouter_rappel(personne=p, par=pro, echeance=timezone.localdate(), objet="Rappeler pour l'APL")
    return pro, p


def test_fiche_en_onglets_au_clavier(live_server, page_mobile, client):
    page = page_mobile
    pro, p = _personne_avec_suivi()
    _connecter(page, live_server, client, pro)
    page.goto(f"{live_server.url}/aller-vers/personnes/{p.pk}/")
    onglets = page.get_by_role("tablist", name="Sections de la fiche").get_by_role("tab")
    expect(onglets).to_have_count(5)
    synthese = page.get_by_role("tab", name="Synthèse")
    expect(synthese).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel", name="Synthèse")).to_be_visible()
    expect(page.get_by_text("Rappeler pour l'APL", exact=False).last).to_be_hidden()
    synthese.focus()
    page.keyboard.press("ArrowRight")
    suivi = page.get_by_role("tab", name=re.compile("^Suivi"))
    expect(suivi).to_be_focused()
    expect(suivi).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("tabpanel", name=re.compile("^Suivi"))).to_contain_text("Rappeler pour l'APL")
    expect(page.locator("#synthese")).to_be_hidden()
    page.keyboard.press("End")
    expect(page.get_by_role("tab", name="Données personnelles")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowRight")  # wraps round
    expect(synthese).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("tab", name="Données personnelles")).to_be_focused()
    page.keyboard.press("Home")
    expect(synthese).to_have_attribute("aria-selected", "true")
    # only the selected tab is in the Tab order; Tab goes into its panel
    assert [o.get_attribute("tabindex") for o in onglets.all()] == ["0", "-1", "-1", "-1", "-1"]
    _largeur(page, TELEPHONE)
    verifier_accessibilite(page)
    # a #fragment (as after « Changer l'étape », redirected to #droits) opens the tab holding it
    page.goto(f"{live_server.url}/aller-vers/personnes/{p.pk}/#suivi")
    expect(suivi).to_have_attribute("aria-selected", "true")
    page.goto(f"{live_server.url}/aller-vers/personnes/{p.pk}/#droits")
    expect(synthese).to_have_attribute("aria-selected", "true")
    # a form sent from a tab comes back on it
    page.get_by_role("tab", name="Entretien").click()
    page.get_by_label("Résumé partagé").fill("Appel pour le dossier APL")
    page.get_by_role("button", name="Enregistrer l'entretien").click()
    expect(page.locator(".message--success")).to_contain_text("Entretien enregistré")
    expect(page.get_by_role("tab", name="Entretien")).to_have_attribute("aria-selected", "true")


def test_fiche_sans_javascript_toutes_les_sections(live_server, navigateur, client):
    contexte = navigateur.new_context(
        locale="fr-FR", viewport={"width": TELEPHONE, "height": 844}, java_script_enabled=False
    )
    page = contexte.new_page()
    try:
        pro, p = _personne_avec_suivi()
        _connecter(page, live_server, client, pro)
        page.goto(f"{live_server.url}/aller-vers/personnes/{p.pk}/")
        assert page.get_by_role("tab").count() == 0
        sommaire = page.get_by_role("navigation", name="Sections de la fiche")
        for nom, ancre in (
            ("Synthèse", "synthese"),
            ("Suivi", "suivi"),
            ("Entretien", "entretien"),
            ("Parcours", "parcours"),
            ("Données personnelles", "donnees"),
        ):
            expect(sommaire.get_by_role("link", name=re.compile(f"^{nom}"))).to_have_attribute("href", f"#{ancre}")
            expect(page.locator(f"#{ancre}")).to_be_visible()
        expect(page.get_by_text("Rappeler pour l'APL").first).to_be_visible()
        _largeur(page, TELEPHONE)
    finally:
        contexte.close()


def test_imprimables_a_la_largeur_d_un_telephone_et_d_une_page_a4(live_server, page_mobile, client):
    page = page_mobile
    pro, p = _personne_avec_suivi()
    _connecter(page, live_server, client, pro)
    page.goto(f"{live_server.url}/aller-vers/personnes/{p.pk}/acces/")
    _a_la_largeur_d_un_telephone_et_d_une_page_a4(page)

    # the batch report: a real one written by the report writer, long names included
    depistage = DepistageFactory(organisation=p.organisation, statut=Statut.TERMINE)
    codes = ("rsa", "ppa", "aide_logement", "css_participation", "cheque_energie", "aah")
    synthese = Synthese(codes=codes, menages=2000, menages_non_recours=1748, menages_droit=1900, menages_percu=600)
    synthese.montant_total = 345678.5
    synthese.par_prestation = {c: [300 + i, 120, 200 - i, 45678.25 + i] for i, c in enumerate(codes)}
    synthese.par_commune = {
        "49092": [800, 700, 120000.0],
        "49244": [400, 350, 60000.0],
        "49301": [300, 250, 40000.0],
    }
    synthese.tranches = [100, 200, 300, 400, 500, 300, 200]
    fichiers.repertoire(depistage).mkdir(parents=True, exist_ok=True)
    ecrire_rapport(
        fichiers.rapport(depistage),
        synthese=synthese,
        bilan=SimpleNamespace(menages_rejetes=12, lignes_rejetees=15, duree=321.0),
        options=SimpleNamespace(mois="2026-11"),
        noms_communes={"49092": "Chemillé-en-Anjou", "49244": "Mauges-sur-Loire", "49301": "Saint-Germain-sur-Moine"},
    )
    page.goto(f"{live_server.url}/depistage/{p.organisation.pk}/{depistage.pk}/rapport/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _a_la_largeur_d_un_telephone_et_d_une_page_a4(page)
