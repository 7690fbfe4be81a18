"""« Où faire ces démarches » : the nearest places for the benefits to claim, with hours in words."""

from types import SimpleNamespace

import pytest

from repere.annuaire.demarches import horaires_en_mots, lieux_pour_demarches
from repere.annuaire.importation import SOURCE_MAIRIES
from repere.territoires.selectors import get_commune
from tests.annuaire.factories import ServiceFactory, StructureFactory


def test_horaires_en_mots():
    assert (
        horaires_en_mots("Mo-Fr 09:00-12:00,13:30-17:00; PH off")
        == "du lundi au vendredi de 9 h à 12 h et de 13 h 30 à 17 h"
    )
    assert (
        horaires_en_mots("Tu,Th 14:00-18:00; Sa 09:00-12:00; PH off")
        == "le mardi et le jeudi de 14 h à 18 h ; le samedi de 9 h à 12 h"
    )
    assert horaires_en_mots("Mo,Tu 08:00-12:00") == "le lundi et le mardi de 8 h à 12 h"
    assert horaires_en_mots("") == "" and horaires_en_mots("n'importe quoi") == ""


def _prestation(code, libelle):
    return SimpleNamespace(code=code, libelle=libelle, a_demander=True, comment_demander={"organisme": "CAF"})


@pytest.mark.django_db
def test_lieux_les_plus_proches_par_prestation():
    chemille = get_commune("49092")
    caf = ServiceFactory(
        nom="Accueil CAF",
        structure=StructureFactory(nom="CAF de Cholet", reseaux_porteurs=["caf"]),
        latitude=47.06,
        longitude=-0.88,
    )
    ccas = ServiceFactory(structure=StructureFactory(nom="CCAS de Chemillé", reseaux_porteurs=["ccas-cias"]))
    mairie = ServiceFactory(
        source=SOURCE_MAIRIES, structure=StructureFactory(nom="Mairie de Chemillé-en-Anjou", source=SOURCE_MAIRIES)
    )
    # the town hall of another commune is not « the mairie » of the person
    ServiceFactory(
        source=SOURCE_MAIRIES,
        structure=StructureFactory(nom="Mairie de Cholet", source=SOURCE_MAIRIES, code_insee="49099"),
        latitude=47.06,
        longitude=-0.88,
    )
    # an association without a reception network is not listed for a claim
    ServiceFactory(structure=StructureFactory(nom="Épicerie solidaire"))
    # a CAF point 100 km away is too far
    ServiceFactory(
        structure=StructureFactory(nom="CAF lointaine", reseaux_porteurs=["caf"]), latitude=48.1, longitude=-1.7
    )

    bloc = lieux_pour_demarches(commune=chemille, prestations=[_prestation("rsa", "RSA"), _prestation("aah", "AAH")])
    noms = [lieu.structure.nom for lieu in bloc["lieux"]]
    assert noms == ["CAF de Cholet", "CCAS de Chemillé", "Mairie de Chemillé-en-Anjou"]
    rsa, aah = bloc["demarches"]
    assert [lieu.service for lieu in rsa["lieux"]] == [caf, ccas, mairie]
    assert rsa["manquants"] == ["Accueil de la MSA"]
    assert [lieu.service for lieu in aah["lieux"]] == [ccas, mairie]
    assert aah["manquants"] == ["Maison départementale des personnes handicapées (MDPH)"]
    assert bloc["lieux"][0].horaires == "du lundi au vendredi de 9 h à 12 h et de 14 h à 17 h"
    assert bloc["lieux"][0].prestations == ["RSA"] and bloc["lieux"][1].prestations == ["RSA", "AAH"]
    assert 15 < bloc["lieux"][0].distance_km < 25


@pytest.mark.django_db
def test_sans_commune_rien():
    assert lieux_pour_demarches(commune=None, prestations=[_prestation("rsa", "RSA")])["lieux"] == []
