"""Browser journeys (Chromium headless): upload a file, follow the live progress, download the result."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from repere.depistage import fichiers
from repere.depistage.models import Depistage, Statut
from repere.organisations.models import Role
from tests.depistage.factories import DepistageFactory, texte_csv
from tests.depistage.factories import personne as ligne_personne
from tests.navigateur.mots import mots_coupes
from tests.organisations.factories import OrganisationFactory, membre

pytestmark = [
    pytest.mark.navigateur,
    pytest.mark.django_db(transaction=True),
]


def _connecter(page, client, live_server, user):
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _sans_violation_grave(page):
    resultats = Axe().run(page)
    graves = [v for v in resultats.response["violations"] if v["impact"] in ("serious", "critical")]
    assert graves == [], [(v["id"], v["nodes"][0]["target"]) for v in graves]


def test_depot_puis_telechargement(page, live_server, client, tmp_path):
    organisation = OrganisationFactory(nom="CCAS de Test")
    _connecter(page, client, live_server, membre(organisation, Role.PROFESSIONNEL))
    chemin = tmp_path / "menages.csv"
    chemin.write_text(
        texte_csv([ligne_personne(id_menage="DOSSIER-1"), ligne_personne(id_menage="DOSSIER-2", loyer="abc")]),
        encoding="utf-8",
    )
    page.goto(f"{live_server.url}/depistage/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Repérage du non-recours par fichier")
    _sans_violation_grave(page)
    page.get_by_label("Fichier des ménages").set_input_files(str(chemin))
    page.get_by_label("Mois simulé").fill("2026-11")
    page.get_by_role("button", name="Lancer le repérage").click()
    page.get_by_role("heading", name="Résultats").wait_for(timeout=60_000)
    assert "1 ménage non calculé" in " ".join(page.locator("#progression").inner_text().split())
    _sans_violation_grave(page)
    with page.expect_download(timeout=30_000) as telechargement:
        page.get_by_role("link", name="Télécharger les résultats (CSV)").click(timeout=30_000)
    contenu = Path(telechargement.value.path()).read_text(encoding="utf-8-sig")
    assert "DOSSIER-1" in contenu and "DOSSIER-2" not in contenu
    # deleting is offered as soon as the live progress shows the results (it needed a reload), after a confirmation
    page.get_by_text("Supprimer maintenant ce repérage et ses fichiers").click()
    page.get_by_role("button", name="Confirmer la suppression").click()
    page.get_by_text("et ses fichiers ont été supprimés").wait_for(timeout=10_000)


def test_progression_en_direct(page, live_server, client):
    organisation = OrganisationFactory()
    _connecter(page, client, live_server, membre(organisation, Role.ADMIN))
    depistage = DepistageFactory(
        organisation=organisation, statut=Statut.EN_COURS, etape="calcul", menages_total=200, menages_faits=50
    )
    page.goto(f"{live_server.url}/depistage/{organisation.pk}/{depistage.pk}/")
    barre = page.get_by_role("progressbar")
    assert barre.get_attribute("value") == "25"
    assert "50\u00a0ménages calculés sur 200" in page.locator("#progression").inner_text()
    _sans_violation_grave(page)

    # The worker moves on: the page follows without reloading (htmx polling of the progress fragment).
    Depistage.objects.filter(pk=depistage.pk).update(menages_faits=150)
    page.get_by_text("150 ménages calculés sur 200").wait_for(timeout=10_000)
    assert page.get_by_role("progressbar").get_attribute("value") == "75"

    repertoire = fichiers.repertoire(depistage)
    repertoire.mkdir(parents=True)
    fichiers.resultats(depistage).write_text("rang;id_menage\n1;X\n", encoding="utf-8")
    fichiers.rapport(depistage).write_text("<!DOCTYPE html><title>r</title>", encoding="utf-8")
    Depistage.objects.filter(pk=depistage.pk).update(
        statut=Statut.TERMINE,
        menages_faits=200,
        menages_calcules=200,
        menages_non_recours=80,
        menages_droit_estime=120,
        menages_percu_declare=60,
    )
    page.get_by_role("link", name="Télécharger les résultats (CSV)").wait_for(timeout=10_000)
    assert "80 en non-recours probable" in " ".join(page.locator("#progression").inner_text().split())
    page.wait_for_timeout(2500)  # polling stopped: the finished fragment carries no trigger any more
    assert page.locator("[hx-trigger]").count() == 0


def test_page_sur_telephone(page_mobile, live_server, client):
    organisation = OrganisationFactory()
    _connecter(page_mobile, client, live_server, membre(organisation, Role.PROFESSIONNEL))
    page_mobile.goto(f"{live_server.url}/depistage/{organisation.pk}/")
    largeur = page_mobile.evaluate("document.documentElement.scrollWidth")
    assert largeur <= 390 + 1
    _sans_violation_grave(page_mobile)


def test_telephone_cellules_entieres_et_menu_visible(page_mobile, live_server, client):
    # défauts 6 et 15 de l'essai : « décemb re 2026 », « Ter min é », badge « d é m o » vertical dans la liste
    # des repérages ; menu principal de 866 px dans 390 px (« Observatoire », « Pilotage » cachés) ; « Repérage par
    # fichier » deux fois pour un professionnel
    page = page_mobile
    organisation = OrganisationFactory(nom="CCAS de Chemillé-en-Anjou (démo)")
    for _ in range(2):
        DepistageFactory(organisation=organisation, statut=Statut.TERMINE, est_demo=True, menages_calcules=200)
    DepistageFactory(
        organisation=organisation,
        statut=Statut.TERMINE,
        nom_fichier="depistage-modele-de-janvier.csv",
        menages_total=2000,
        menages_calcules=2000,
        menages_non_recours=1234,
    )
    _connecter(page, client, live_server, membre(organisation, Role.PROFESSIONNEL))
    page.goto(f"{live_server.url}/depistage/{organisation.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert mots_coupes(page, ".tableau-defilant td, .tableau-defilant th") == []
    # the list of runs: its columns all fit on the phone (« État », « Ménages » were off screen), counts in French
    boite = page.locator(".tableau-defilant").first
    assert boite.evaluate("e => e.scrollWidth <= e.clientWidth"), boite.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert "2\u202f000" in boite.inner_text() and "1\u202f234" in boite.inner_text()
    for lien in page.locator(".nav-principale a").all():
        boite = lien.bounding_box()
        assert boite and boite["x"] >= 0 and boite["x"] + boite["width"] <= 390, lien.inner_text()
    libelles = [lien.inner_text().strip() for lien in page.locator("header nav a").all()]
    assert libelles.count("Repérage par fichier") == 1, libelles
