"""The IndexRecherche rows carry the service's search text and zone (the search filters the candidates of
its box on them): every writer keeps them equal to the service's, and the search follows each change."""

import importlib
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection

from repere.annuaire import importation, selectors, services
from repere.annuaire.models import IndexRecherche, Service, StatutModeration
from repere.annuaire.selectors import Criteres, rechercher
from repere.territoires.selectors import get_commune

from .factories import ServiceFactory, StructureFactory

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vocabulaire_neuf")]


def ids(**criteres):
    return {r.service_id for r in rechercher(Criteres(commune=get_commune("49092"), **criteres))}


def lignes_conformes():
    """Every index row carries exactly its service's text and zone; returns the number of rows."""
    lignes = list(IndexRecherche.objects.values_list("service_id", "texte_recherche", "zone_cle"))
    attendu = {pk: (t, z) for pk, t, z in Service.objects.values_list("pk", "texte_recherche", "zone_cle")}
    assert [(pk, t, z) for pk, t, z in lignes if (t, z) != attendu[pk]] == []
    return len(lignes)


def test_import_et_reimport_ecrivent_le_texte_et_la_zone_sur_les_lignes(tmp_path):
    importation.importer_data_inclusion(structures=FIXTURES / "structures.json", services=FIXTURES / "services.json")
    assert lignes_conformes() > 0
    energie = Service.objects.get(identifiant="exemple--ccas-aide-energie")
    assert set(IndexRecherche.objects.filter(service=energie).values_list("zone_cle", flat=True)) == {"|49092|"}
    assert "factures" in IndexRecherche.objects.filter(service=energie).first().texte_recherche
    assert energie.pk in ids(texte="factures")
    # re-import: the description and the zone change
    lignes = json.loads((FIXTURES / "services.json").read_text())
    for ligne in lignes:
        if ligne["id"] == "exemple--ccas-aide-energie":
            ligne["description"] = "Un accompagnement pour les impayés de chauffage."
            ligne["zone_eligibilite"] = ["49007"]  # Angers only
    (tmp_path / "services.json").write_text(json.dumps(lignes))
    importation.importer_data_inclusion(structures=FIXTURES / "structures.json", services=tmp_path / "services.json")
    lignes_conformes()
    assert energie.pk not in ids(texte="factures") | ids(texte="chauffage")  # no longer for Chemillé
    angers = get_commune("49007")
    assert energie.pk in {r.service_id for r in rechercher(Criteres(commune=angers, texte="chauffage", rayon_km=50))}


def test_formulaires_moderation_et_retrait_tiennent_les_lignes_a_jour():
    structure = StructureFactory(nom="Maison des solidarités")
    service = ServiceFactory(structure=structure, description="Permanence logement.")
    assert ids(texte="permanence") == {service.pk} and ids(texte="solidarites") == {service.pk}
    # form of the service: new description, new zone
    service.description = "Atelier budget."
    service.zone_eligibilite = ["49007"]
    services.enregistrer_service(service=service)
    lignes_conformes()
    assert ids(texte="atelier") == set()  # reserved to Angers now
    service.zone_eligibilite = []
    services.enregistrer_service(service=service)
    assert ids(texte="atelier") == {service.pk} and ids(texte="permanence") == set()
    # form of the structure: its name is in its services' text
    structure.nom = "Espace Colibri"
    services.enregistrer_structure(structure=structure)
    lignes_conformes()
    assert ids(texte="colibri") == {service.pk} and ids(texte="solidarites") == set()
    # moderation: refused, then validated
    services.moderer_structure(structure=structure, decision=StatutModeration.REFUSEE, motif="doublon")
    assert not IndexRecherche.objects.filter(service=service).exists() and ids(texte="colibri") == set()
    services.moderer_structure(structure=structure, decision=StatutModeration.VALIDEE)
    lignes_conformes()
    assert ids(texte="colibri") == {service.pk}
    # withdrawal of the structure
    services.retirer_structure(structure=structure)
    assert not IndexRecherche.objects.filter(service=service).exists() and ids(texte="colibri") == set()


def test_les_deux_plans_donnent_les_memes_resultats(monkeypatch):
    """The former plan (filters on the service row), kept as the bench's reference, finds the same."""
    pour_chemille = ServiceFactory(description="Aide alimentaire.", zone_eligibilite=["49092"])
    pour_angers = ServiceFactory(description="Aide alimentaire.", zone_eligibilite=["49007"])
    colis = ServiceFactory(description="Distribution de colis.")
    epicerie = ServiceFactory(nom="Épicerie", description="Produits à petit prix.")  # thématique alimentation
    criteres = [{"texte": t} for t in ("alimentaire", "colis", "aide", "")]
    nouveau = [ids(**c) for c in criteres]
    monkeypatch.setattr(selectors, "COLONNES_FILTRES", "s")
    assert [ids(**c) for c in criteres] == nouveau
    assert pour_angers.pk not in nouveau[2] and pour_chemille.pk in nouveau[2]
    assert {colis.pk, epicerie.pk, pour_chemille.pk} <= nouveau[1]  # synonyms, and the thématique


def test_migration_recopie_le_texte_et_la_zone_dans_l_ordre_de_l_index():
    a = ServiceFactory(description="Accueil de jour.", zone_eligibilite=["49092"])
    b = ServiceFactory(description="Vestiaire.", latitude=47.3, longitude=-0.7)
    # rows as they were before the migration: no text, no zone, written in any order
    IndexRecherche.objects.update(texte_recherche="", zone_cle="")
    avant = sorted(IndexRecherche.objects.values_list("service_id", "thematique", "latitude", "longitude"))
    migration = importlib.import_module("repere.annuaire.migrations.0011_index_texte_zone")
    migration.recopier(None, SimpleNamespace(connection=connection))
    assert sorted(IndexRecherche.objects.values_list("service_id", "thematique", "latitude", "longitude")) == avant
    lignes_conformes()
    ordre = list(IndexRecherche.objects.order_by("pk").values_list("thematique", "latitude"))
    assert ordre == sorted(ordre)  # stored in the order of the (thématique, latitude, …) index
    assert ids(texte="accueil") == {a.pk} and ids(texte="vestiaire") == {b.pk}
