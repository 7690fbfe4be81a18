"""Portrait → map → export in headless Chromium, with axe-core scans of each page."""

import pytest

from repere.observatoire.importation import caf, filosofi
from repere.observatoire.importation.commun import Fichier
from repere.observatoire.services import enregistrer_import
from tests.accessibilite import verifier_accessibilite
from tests.observatoire.factories import CAF_COM, FILOSOFI_COM

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_portrait_carte_export(live_server, page):
    for nom, texte, lecteur in (
        ("FILO2021_DISP_COM.csv", FILOSOFI_COM, filosofi),
        ("FILO2021_DISP_DEP.csv", "CODGEO;LIBGEO;TP6021;MED21\n49;Maine-et-Loire;12,1;21870\n", filosofi),
        ("rsa_par_commune.csv", CAF_COM, caf),
    ):
        f = Fichier(nom=nom, contenu=texte.encode())
        enregistrer_import(lecture=lecteur.lire(f), fichier=f)

    page.goto(live_server.url + "/observatoire/")
    verifier_accessibilite(page)
    champ = page.get_by_role("combobox", name="Commune, intercommunalité, département ou région")
    champ.press_sequentially("chemille", delay=30)
    page.get_by_role("option", name="Chemillé-en-Anjou (49120)").wait_for(timeout=30_000)
    champ.press("ArrowDown")
    champ.press("Enter")
    page.get_by_role("button", name="Voir le portrait").click()
    page.wait_for_url("**/territoire/commune/49092/")
    assert "est inférieur à celui du Maine-et-Loire" in page.content()
    verifier_accessibilite(page)

    page.get_by_role("link", name="Taux de pauvreté (seuil à 60 % du niveau de vie médian)").click()
    page.wait_for_url("**/observatoire/carte/**")
    page.locator("#carte-observatoire[data-pret='1']").wait_for(timeout=30_000)
    assert page.locator("path.zone-secret").count() >= 1  # Béhuard, secret, hatched
    assert page.get_by_role("cell", name="secret statistique").count() >= 1
    verifier_accessibilite(page)

    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Exporter en CSV").click()
    with open(telechargement.value.path(), encoding="utf-8-sig") as f:
        contenu = f.read()
    assert "Chemillé-en-Anjou;49092;9,8" in contenu and "secret statistique" in contenu

    # a click on a commune of the map opens its portrait
    page.locator("path.leaflet-interactive").first.click(force=True)
    page.wait_for_url("**/territoire/commune/**")


def test_telephone_portrait_carte_export_pdf(live_server, page_mobile):
    """At 390 px: portrait → map → export → PDF of the portrait, without horizontal scrolling."""
    page = page_mobile
    for nom, texte, lecteur in (
        ("FILO2021_DISP_COM.csv", FILOSOFI_COM, filosofi),
        ("FILO2021_DISP_DEP.csv", "CODGEO;LIBGEO;TP6021;MED21\n49;Maine-et-Loire;12,1;21870\n", filosofi),
    ):
        f = Fichier(nom=nom, contenu=texte.encode())
        enregistrer_import(lecture=lecteur.lire(f), fichier=f)

    def sans_defilement():
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(live_server.url + "/observatoire/territoire/commune/49092/")
    assert "est inférieur à celui du Maine-et-Loire" in page.content()
    sans_defilement()
    verifier_accessibilite(page)
    # The PDF is made on the server: give it time on a loaded machine.
    with page.expect_download(timeout=60_000) as telechargement:
        page.get_by_role("link", name="Télécharger le portrait en PDF (A4)").click(no_wait_after=True)
    with open(telechargement.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    assert telechargement.value.suggested_filename == "portrait-commune-49092.pdf"

    page.get_by_role("link", name="Taux de pauvreté (seuil à 60 % du niveau de vie médian)").click()
    page.wait_for_url("**/observatoire/carte/**")
    page.locator("#carte-observatoire[data-pret='1']").wait_for(timeout=30_000)
    sans_defilement()
    verifier_accessibilite(page)
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Exporter en CSV").click()
    with open(telechargement.value.path(), encoding="utf-8-sig") as f:
        assert "Chemillé-en-Anjou;49092;9,8" in f.read()


def test_carte_zoome_de_la_region_aux_iris_d_une_commune(live_server, page):
    """A click on a commune whose IRIS outlines are loaded opens its IRIS map; a click on an IRIS, its portrait."""
    from repere.observatoire.geographie import vider_cache
    from repere.observatoire.importation import iris
    from repere.observatoire.services import enregistrer_contours_iris
    from tests.observatoire.factories import FILOSOFI_IRIS, contours_iris_geojson

    vider_cache()
    f = Fichier(nom="CONTOURS-IRIS.geojson", contenu=contours_iris_geojson().encode())
    enregistrer_contours_iris(lecture=iris.lire(f), fichier=f)
    for nom, texte in (("FILO2021_DISP_COM.csv", FILOSOFI_COM), ("BASE_TD_FILO_IRIS_2021_DISP.csv", FILOSOFI_IRIS)):
        f = Fichier(nom=nom, contenu=texte.encode())
        enregistrer_import(lecture=filosofi.lire(f), fichier=f)
    try:
        page.goto(live_server.url + "/observatoire/carte/?indicateur=filosofi_tp60&perimetre=region:52")
        page.locator("#carte-observatoire[data-pret='1']").wait_for(timeout=30_000)
        page.locator("path.zone-commune-49007").click(force=True)
        page.wait_for_url("**niveau=iris**")
        page.locator("#carte-observatoire[data-pret='1']").wait_for(timeout=30_000)
        assert page.locator("path.zone-iris-490070102.zone-secret").count() == 1
        assert page.get_by_role("cell", name="24,1").count() == 1
        verifier_accessibilite(page)
        page.locator("path.zone-iris-490070101").click(force=True)
        page.wait_for_url("**/territoire/iris/490070101/")
        verifier_accessibilite(page)
    finally:
        vider_cache()
