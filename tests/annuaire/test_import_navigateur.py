"""The import assistant in headless Chromium: a CSV in a foreign layout (the 2019-style directory) is
mapped column by column, checked (rejections with line, field, value, reason; downloadable), then
imported; the services are then found in the directory. Plus the same journey's rules in plain tests."""

import re
from pathlib import Path

import pytest
from django.test import Client

from repere.annuaire.models import Service, SourceImport, Structure
from repere.organisations.models import Role
from tests.accessibilite import verifier_accessibilite
from tests.organisations.factories import OrganisationFactory, membre

from .test_navigateur import connecter

FIXTURES = Path(__file__).parent / "fixtures"
CSV_2019 = FIXTURES / "annuaire_2019.csv"


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_assistant_importe_un_csv_de_disposition_etrangere(live_server, page, navigateur):
    organisation = OrganisationFactory(nom="Conseil départemental (test)", type="departement")
    admin = membre(organisation, role=Role.ADMIN)
    connecter(page, live_server, admin)

    page.goto(live_server.url + "/annuaire/import/")
    page.get_by_label("Fichier des structures et services").set_input_files(str(CSV_2019))
    page.get_by_label("Nom de la nouvelle source").fill("Annuaire 2019 des services publics")
    page.get_by_label("Organisation propriétaire de la nouvelle source").select_option(
        label="Conseil départemental (test)"
    )
    verifier_accessibilite(page)
    page.get_by_role("button", name="Lire le fichier").click()

    page.get_by_role("heading", name="Quelle colonne contient quoi ?").wait_for()
    # suggested from the headers
    assert page.locator("#colonne-id").input_value() == "id"
    assert page.get_by_label("Site web", exact=True).input_value() == "site"
    # the « notes » column holds the address and the phone number
    for champ, partie in (
        ("adresse", "adresse"),
        ("code_postal", "code_postal"),
        ("commune", "commune"),
        ("telephone", "telephone"),
    ):
        page.locator(f"#colonne-{champ}").select_option("notes")
        page.locator(f"#extraire-{champ}").select_option(partie)
    page.get_by_label("Date de mise à jour des informations").fill("2019-06-01")
    page.get_by_label("Description du service").fill("Accueil du public, information et orientation sur les démarches.")
    page.get_by_label("Accueil", exact=True).select_option("en-presentiel")
    # the 70 thématiques: a searchable list (js/choix-filtrable.js), used by keyboard, on a phone's width
    page.set_viewport_size({"width": 390, "height": 844})
    filtre = page.get_by_label("Thématiques de toutes les lignes")
    filtre.fill("acces aux droits")  # accents ignored
    visibles = page.locator("#constante-thematiques-options label.choix:visible")
    for _ in range(50):  # the filter runs 100 ms after the last key (no eval: the page's CSP forbids it)
        if visibles.count() <= 3:
            break
        page.wait_for_timeout(100)
    assert page.locator("#constante-thematiques-options label.choix:visible").count() <= 3
    filtre.press("Enter")  # to the first match, never submits
    page.keyboard.press("Space")
    assert page.locator("#constante-thematiques").evaluate("s => Array.from(s.selectedOptions).map(o => o.value)") == [
        "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
    ]
    assert page.get_by_role("button", name=re.compile("Retirer « .*accès aux droits")).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Colonne", exact=True).select_option("type")
    page.get_by_role("button", name="Afficher ses valeurs").click()
    filtre = page.get_by_label("Thématiques pour « caf »")
    filtre.fill("parentalite")
    options = page.locator("#" + filtre.get_attribute("id").replace("-filtre", "-options"))
    visibles = options.locator("label.choix:visible")
    for _ in range(50):  # wait for the filter (100 ms after the last key): a click while it hides lines misses
        if visibles.count() <= 3:
            break
        page.wait_for_timeout(100)
    options.get_by_role("checkbox", name="Soutien à la parentalité et à l’éducation").check()
    verifier_accessibilite(page)
    page.get_by_role("button", name="Vérifier le fichier").click()

    page.get_by_role("heading", name="Vérification avant import").wait_for()
    bilan = page.locator("#bilan").inner_text()
    assert "3 services à créer" in bilan and "2 lignes rejetées" in bilan
    tableau = page.get_by_role("table", name="Problèmes trouvés, ligne par ligne").inner_text()
    assert "« 49999 » n'est le code d'aucune commune" in tableau and "code INSEE existant" in tableau
    assert "ne doit pas se terminer par un point" in tableau
    assert "ancienne commune Melay" in tableau
    assert "Caisse d'allocations familiales de Maine-et-Loire" in page.locator("main").inner_text()
    assert "32 rue Louis Gain 49100 Angers" in page.locator("main").inner_text()
    assert not Service.objects.exists()  # nothing written before the last step
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Excel").click()
    assert telechargement.value.suggested_filename == "validation-annuaire-2019-des-services-publics.xlsx"
    verifier_accessibilite(page)
    page.get_by_role("button", name=re.compile("Importer 3 services")).click()

    page.get_by_role("heading", name="Import terminé").wait_for()
    assert "services : 3 créés" in page.locator("#bilan").inner_text()
    source = SourceImport.objects.get(code="annuaire-2019-des-services-publics")
    assert source.organisation == organisation and source.correspondance["colonnes"]["telephone"] == {
        "colonne": "notes",
        "extraire": "telephone",
    }
    cholet = Structure.objects.get(source=source.code, identifiant="2")
    assert cholet.telephone == "02 72 77 20 00" and cholet.commune == "Cholet"
    caf = Service.objects.get(source=source.code, identifiant="1")
    assert "famille--soutien-a-la-parentalite-et-a-leducation" in caf.thematiques and caf.recherchable

    # the next import of the same source starts from the saved mapping
    page.goto(live_server.url + "/annuaire/import/")
    page.get_by_label("Fichier des structures et services").set_input_files(str(CSV_2019))
    page.get_by_label("Source", exact=True).select_option(label="Annuaire 2019 des services publics")
    page.get_by_role("button", name="Lire le fichier").click()
    page.get_by_role("heading", name="Quelle colonne contient quoi ?").wait_for()
    assert page.locator("#extraire-telephone").input_value() == "telephone"


@pytest.mark.django_db
def test_assistant_reserve_aux_administrateurs_et_sources_cloisonnees(tmp_path):
    pro = membre(OrganisationFactory(), role=Role.PROFESSIONNEL)
    client = Client()
    client.force_login(pro)
    assert client.get("/annuaire/import/").status_code == 404
    autre = SourceImport.objects.create(
        code="source-d-autrui", libelle="Source d'autrui", organisation=OrganisationFactory()
    )
    admin = membre(OrganisationFactory(), role=Role.ADMIN)
    client.force_login(admin)
    with CSV_2019.open("rb") as f:
        reponse = client.post("/annuaire/import/", {"fichier": f, "encodage": "utf-8", "source": str(autre.pk)})
    assert reponse.status_code == 200 and "Sélectionnez un choix valide" in reponse.content.decode()
    Structure.objects.create(source="france-services", identifiant="1", nom="FS", date_maj="2026-01-01")
    with CSV_2019.open("rb") as f:
        reponse = client.post(
            "/annuaire/import/",
            {
                "fichier": f,
                "encodage": "utf-8",
                "libelle": "France Services",
                "organisation": str(admin.memberships.get().organisation_id),
            },
        )
    assert "déjà utilisé par une autre source" in reponse.content.decode()
    vide = tmp_path / "vide.csv"
    vide.write_text("")
    with vide.open("rb") as f:
        reponse = client.post(
            "/annuaire/import/",
            {
                "fichier": f,
                "encodage": "utf-8",
                "libelle": "Ma source",
                "organisation": str(admin.memberships.get().organisation_id),
            },
        )
    assert "le fichier est vide" in reponse.content.decode() or "Le fichier soumis est vide" in reponse.content.decode()
