"""Creating a structure in headless Chromium with the guided form: commune typed with a typo and chosen
in the territory autocomplete, address chosen in the address suggestions (the real route
`/api/v1/annuaire/adresses`, its geocoder answering from a stub: no network), hours set with the
day-by-day editor; then read back.
Also: on a phone, the results come into view after a search, and the search page's accessibility."""

import json
import re

import pytest

from repere.annuaire.models import Structure
from repere.organisations.models import Role, TypeOrganisation
from tests.accessibilite import verifier_accessibilite
from tests.organisations.factories import OrganisationFactory, membre

from .factories import ServiceFactory
from .test_navigateur import connecter

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

ADRESSE = {
    "libelle": "12 Rue Nationale 49120 Chemillé-en-Anjou",
    "adresse": "12 Rue Nationale",
    "code_postal": "49120",
    "commune": "Chemillé-en-Anjou",
    "code_insee": "49092",
    "latitude": 47.21234,
    "longitude": -0.72741,
}


def servir_adresses(settings, monkeypatch, requetes: list):
    """The geocoder behind the address suggestion route, answered from a stub (BAN's GeoJSON format)."""
    from repere.annuaire import geocodage

    def ban(url, **kwargs):
        requetes.append(url)
        return json.dumps(
            {
                "features": [
                    {
                        "properties": {
                            "label": ADRESSE["libelle"],
                            "name": ADRESSE["adresse"],
                            "postcode": ADRESSE["code_postal"],
                            "city": ADRESSE["commune"],
                            "citycode": ADRESSE["code_insee"],
                        },
                        "geometry": {"coordinates": [ADRESSE["longitude"], ADRESSE["latitude"]]},
                    }
                ]
            }
        ).encode()

    settings.REPERE_GEOCODEUR_URL = "https://ban.exemple.test"
    monkeypatch.setattr(geocodage, "_requete", ban)


def test_creer_une_structure_avec_l_editeur_d_horaires_et_l_adresse(live_server, page, settings, monkeypatch):
    ccas = OrganisationFactory(type=TypeOrganisation.CCAS, nom="CCAS de Chemillé")
    connecter(page, live_server, membre(ccas, role=Role.PROFESSIONNEL))
    requetes: list[str] = []
    servir_adresses(settings, monkeypatch, requetes)

    page.goto(live_server.url + "/annuaire/structures/nouvelle/")
    page.get_by_label("Nom").first.fill("Épicerie solidaire des Mauges")
    # commune: typed with a typo, chosen in the territory autocomplete
    commune = page.get_by_role("combobox", name="Commune")
    commune.press_sequentially("chemile", delay=30)
    page.get_by_role("option", name="Chemillé-en-Anjou (49120)").wait_for(timeout=30_000)
    commune.press("ArrowDown")
    commune.press("Enter")
    assert page.locator("#id_code_insee").input_value() == "49092"
    # address: the suggestion fills the address, postal code and point
    adresse = page.get_by_role("combobox", name="Adresse")
    adresse.press_sequentially("12 rue nat", delay=30)
    page.get_by_role("option", name=ADRESSE["libelle"]).wait_for()
    adresse.press("ArrowDown")
    adresse.press("Enter")
    assert "citycode=49092" in requetes[-1]  # the suggestions are asked within the chosen commune
    assert page.locator("#id_latitude").input_value() == "47.21234"
    assert page.locator("#id_code_postal").input_value() == "49120"
    page.locator("#carte-lieu .leaflet-marker-icon").wait_for()  # the point is shown on the map

    # hours: Monday 9-12 and 14-17, copied to Tuesday-Friday, Wednesday afternoon removed
    page.get_by_role("button", name="Ajouter une plage le lundi").click()
    page.get_by_label("Lundi, plage 1, ouverture").fill("09:00")
    page.get_by_label("Lundi, plage 1, fermeture").fill("12:00")
    page.get_by_role("button", name="Ajouter une plage le lundi").click()
    page.get_by_label("Lundi, plage 2, ouverture").fill("14:00")
    page.get_by_label("Lundi, plage 2, fermeture").fill("17:00")
    page.get_by_role("button", name="Mêmes horaires du mardi au vendredi que le lundi").click()
    page.get_by_role("button", name="Retirer la plage 2 du mercredi").click()
    assert page.get_by_label("Fermé les jours fériés").is_checked()
    verifier_accessibilite(page)
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("La structure est créée.").wait_for()

    structure = Structure.objects.get(nom="Épicerie solidaire des Mauges")
    assert structure.horaires_accueil == "Mo-Tu,Th-Fr 09:00-12:00,14:00-17:00; We 09:00-12:00; PH off"
    assert (structure.code_insee, structure.code_postal, structure.commune) == ("49092", "49120", "Chemillé-en-Anjou")
    assert structure.adresse == "12 Rue Nationale" and (structure.latitude, structure.longitude) == (47.21234, -0.72741)
    assert structure.statut_moderation == "en_attente"

    # the edit page reads the OSM hours back into the editor
    assert page.get_by_label("Jeudi, plage 2, fermeture").input_value() == "17:00"
    assert page.get_by_label("Mercredi, plage 1, fermeture").input_value() == "12:00"
    assert page.get_by_label("Mercredi, plage 2, ouverture").count() == 0


def test_sans_javascript_les_champs_restent_des_champs_de_texte(live_server, navigateur):
    ccas = OrganisationFactory(type=TypeOrganisation.CCAS)
    contexte = navigateur.new_context(locale="fr-FR", java_script_enabled=False)
    page = contexte.new_page()
    connecter(page, live_server, membre(ccas, role=Role.PROFESSIONNEL))
    page.goto(live_server.url + "/annuaire/structures/nouvelle/")
    page.get_by_label("Nom").first.fill("Permanence sans script")
    page.get_by_label("Adresse", exact=True).fill("3 place de l'Église")
    page.get_by_label("Commune").fill("St Nazaire")
    page.get_by_label("Lundi").fill("9h-12h")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("La structure est créée.").wait_for()
    structure = Structure.objects.get(nom="Permanence sans script")
    assert (structure.code_insee, structure.commune) == ("44184", "Saint-Nazaire")
    assert structure.horaires_accueil == "Mo 09:00-12:00; PH off"
    assert structure.latitude is not None  # the commune's centre, and the page says so
    assert "placé au centre de la commune" in page.locator("main").inner_text()
    contexte.close()


def test_sur_telephone_les_resultats_viennent_a_l_ecran(live_server, page_mobile):
    ServiceFactory(nom="Épicerie solidaire")
    page_mobile.goto(live_server.url + "/annuaire/?commune=49092&commune_nom=Chemill%C3%A9-en-Anjou")
    titre = page_mobile.get_by_role("heading", name=re.compile("1 service trouvé"))
    titre.wait_for()
    page_mobile.wait_for_function("document.activeElement && document.activeElement.id === 'resultats'")
    assert page_mobile.evaluate("document.getElementById('resultats').getBoundingClientRect().top") < 200
    verifier_accessibilite(page_mobile)
