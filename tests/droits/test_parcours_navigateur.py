"""Browser journey (phone layout) through the public questionnaire to the printable summary, with
an accessibility scan (axe-core) of every step."""

import os
import re
from pathlib import Path

import pytest

from tests.accessibilite import verifier_accessibilite

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

# REPERE_CAPTURES=dossier : a full-page screenshot of each screen checked at 390 px, to look at.
CAPTURES = os.environ.get("REPERE_CAPTURES")


def _ecran_390(page, nom: str) -> None:
    """Nothing wider than the phone screen: no horizontal scrolling, and no visible element whose box
    goes past the right edge (text cut off by a hidden overflow)."""
    if CAPTURES:
        Path(CAPTURES).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(CAPTURES) / f"{nom}.png"), full_page=True)
    largeur = page.evaluate("document.documentElement.clientWidth")  # 390: innerWidth grows with the content
    assert page.evaluate("document.documentElement.scrollWidth") <= largeur, nom
    debordent = page.evaluate(
        """() => [...document.querySelectorAll('body *')].filter(e => {
            const r = e.getBoundingClientRect();
            const s = getComputedStyle(e);
            // inside one of the boxes made to scroll sideways: the main menu, wide tables
            const defilant = e.closest('.tableau-defilant, .nav-principale ul, .nav-travail ul') !== null;
            const bord = document.documentElement.clientWidth + 1;
            return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && r.right > bord
                && !defilant && !e.closest('.visually-hidden, .sr-only, [aria-hidden="true"]');
        }).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 40))"""
    )
    assert debordent == [], (nom, debordent[:5])


def test_questionnaire_jusqu_au_recapitulatif(live_server, page_mobile):
    page = page_mobile
    page.set_default_timeout(30_000)
    page.goto(live_server.url + "/droits/")
    verifier_accessibilite(page)
    page.get_by_role("link", name="Commencer").click()

    # Step 1: household; an error first, tied to its field
    assert page.get_by_text("Étape 1 sur 5").is_visible()
    page.get_by_role("button", name="Continuer").click()
    assert page.get_by_text("Indiquez votre commune.").is_visible()
    verifier_accessibilite(page)
    champ = page.get_by_role("combobox", name="Commune de résidence")
    champ.press_sequentially("angers", delay=30)
    page.get_by_role("option", name=re.compile(r"^Angers")).first.click()
    page.get_by_label("Votre âge").fill("36")
    page.get_by_label("Nombre d'enfants à charge vivant avec vous").fill("2")
    page.get_by_role("button", name="Continuer").click()

    # Step 2: children
    page.get_by_role("heading", name="Vos enfants").wait_for()
    page.get_by_label("Âge de l'enfant 1").fill("8")
    page.get_by_label("Scolarité de l'enfant 1").select_option("primaire")
    page.get_by_label("Âge de l'enfant 2").fill("4")
    page.get_by_label("Scolarité de l'enfant 2").select_option("maternelle")
    verifier_accessibilite(page)
    page.get_by_role("button", name="Continuer").click()

    # Step 3: activity and incomes; then back and forth without losing answers
    page.get_by_role("heading", name="Activité et revenus").wait_for()
    page.get_by_label("Salarié(e) (CDI, CDD, intérim, apprentissage)").check()
    page.get_by_label("Salaire net mensuel").fill("1000")
    verifier_accessibilite(page)
    page.get_by_role("button", name="Étape précédente").click()
    page.get_by_role("heading", name="Vos enfants").wait_for()
    assert page.get_by_label("Âge de l'enfant 1").input_value() == "8"
    page.get_by_role("button", name="Continuer").click()
    assert page.get_by_label("Salaire net mensuel").input_value() == "1000"
    page.get_by_role("button", name="Continuer").click()

    # Step 4: housing
    page.get_by_role("heading", name="Logement").wait_for()
    page.get_by_label("Locataire (y compris HLM)").check()
    page.get_by_label("Loyer mensuel hors charges (ou mensualité d'emprunt)").fill("600")
    verifier_accessibilite(page)
    page.get_by_role("button", name="Continuer").click()

    # Step 5: benefits already received
    page.get_by_role("heading", name="Aides déjà perçues").wait_for()
    assert page.get_by_text("Étape 5 sur 5").is_visible()
    verifier_accessibilite(page)
    page.get_by_role("button", name="Voir mes résultats").click()

    # Results, sorted by amount, with why and how to apply
    page.get_by_role("heading", name="Vos droits estimés").wait_for()
    assert page.get_by_role("heading", name="Allocations familiales").is_visible()
    assert "153\u00a0€" in page.locator("#p-af").locator("xpath=ancestor::article").inner_text()  # rounded
    page.get_by_text("Pas d'effet de seuil").or_(page.get_by_text("effet(s) de seuil")).wait_for()
    assert page.locator("#graphique-courbe").is_visible()
    # The chart speaks French (« 4 000 € », not « 4,000 ») and its legend does not cover the curves.
    graduations = page.evaluate("Chart.getChart('graphique-courbe').scales.y.ticks.map(t => t.label)")
    assert graduations and all("," not in g and g.endswith("\u00a0€") for g in graduations), graduations
    assert any("\u202f" in g for g in graduations), graduations  # thousands: narrow no-break space
    legende_sous_les_courbes = page.evaluate(
        "(() => { const c = Chart.getChart('graphique-courbe'); return c.legend.top >= c.chartArea.bottom; })()"
    )
    assert legende_sous_les_courbes
    verifier_accessibilite(page)
    _ecran_390(page, "1-resultats")
    page.locator("article:has(#p-af) summary").click()
    assert page.get_by_text("livret de famille ou acte de naissance des enfants").is_visible()

    # Accessible table alternative of the chart
    page.get_by_role("link", name="Voir ces montants sous forme de tableau").click()
    assert page.get_by_role("table").is_visible()
    # On a phone, the first screen shows the salary and the total side by side (the total used to be
    # the last of 15 columns, 2 000 px to the right), and the salary column stays while scrolling.
    entetes = page.locator(".tableau-courbe thead th")
    assert entetes.nth(1).inner_text() == "Total des ressources"
    assert entetes.nth(1).bounding_box()["x"] + entetes.nth(1).bounding_box()["width"] <= 390
    page.locator(".tableau-defilant").evaluate("e => { e.scrollLeft = 600; }")
    assert 0 <= entetes.nth(0).bounding_box()["x"] < 30
    verifier_accessibilite(page)
    page.go_back()

    # « Facile à lire » mode, switched on the page: one idea per sentence, pictograms, large type
    page.get_by_role("link", name="Version facile à lire").click()
    page.get_by_text("Vous lisez la version facile à lire.").wait_for()
    carte = page.locator("article:has(#p-af)")
    assert "Vous pouvez recevoir environ 153\u00a0€ par mois." in carte.inner_text()
    assert carte.get_by_role("heading", name="Comment faire").is_visible()
    taille = page.locator(".resultats").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert taille >= 19  # large type
    assert page.get_by_role("heading", name="Les mots à connaître").is_visible()
    verifier_accessibilite(page)
    _ecran_390(page, "2-resultats-facile")
    page.get_by_role("link", name="Récapitulatif à imprimer").click()
    page.get_by_role("heading", name="Récapitulatif de vos droits").wait_for()
    assert "Vous pouvez recevoir environ 153\u00a0€ par mois." in page.locator("article:has(#p-af)").inner_text()
    verifier_accessibilite(page)
    _ecran_390(page, "3-recapitulatif-facile")  # fits the phone screen without horizontal scrolling
    page.get_by_role("link", name="Revenir à la version détaillée").click()
    page.get_by_role("link", name="Version facile à lire").wait_for()

    # Printable summary
    page.get_by_role("heading", name="Récapitulatif de vos droits").wait_for()
    verifier_accessibilite(page)
    _ecran_390(page, "4-recapitulatif")
    page.emulate_media(media="print")
    assert not page.locator("header.entete").is_visible()
    assert page.get_by_role("heading", name="Allocations familiales").is_visible()
    pdf = page.context.new_page()
    pdf.goto(page.url)
    assert len(pdf.pdf()) > 10_000  # Chromium renders the printable page to a PDF
    pdf.close()
