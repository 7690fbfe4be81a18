"""Integrity of the directory across sources: identities namespaced by source, rejected rows that keep
the published version, withdrawn structures that take their services with them everywhere."""

import json
from datetime import date

import pytest

from repere.annuaire import importation, selectors
from repere.annuaire import services as services_annuaire
from repere.annuaire.models import IndexRecherche, Service, Structure
from repere.territoires.selectors import get_commune

pytestmark = pytest.mark.django_db

CHEMILLE = {"code_insee": "49092", "latitude": 47.2148, "longitude": -0.7286}


def _structure(source, ident, nom, **extra):
    return {"source": source, "id": ident, "nom": nom, "date_maj": "2026-01-01", **CHEMILLE, **extra}


def _service(source, ident, structure_id, nom, **extra):
    return {
        "source": source,
        "id": ident,
        "structure_id": structure_id,
        "nom": nom,
        "description": "Un service d'aide alimentaire pour les habitants.",
        "date_maj": "2026-01-01",
        "thematiques": ["equipement-et-alimentation--alimentation"],
        "modes_accueil": ["en-presentiel"],
        **CHEMILLE,
        **extra,
    }


def _importer(tmp_path, structures, services, nom="x"):
    (tmp_path / f"{nom}-st.json").write_text(json.dumps(structures))
    (tmp_path / f"{nom}-se.json").write_text(json.dumps(services))
    return importation.importer_data_inclusion(
        structures=tmp_path / f"{nom}-st.json", services=tmp_path / f"{nom}-se.json"
    )


def _trouves() -> set[tuple[str, str]]:
    criteres = selectors.Criteres(commune=get_commune("49092"), rayon_km=20)
    ids = [r.service_id for r in selectors.rechercher(criteres, limite=1000)]
    return set(Service.objects.filter(pk__in=ids).values_list("source", "identifiant"))


def test_deux_sources_memes_ids_reimport_avec_rejet_puis_retrait(tmp_path, client):
    # two producers both number their structures and services from 1
    st_a = [_structure("annuaire-a", "1", "CCAS de Chemillé"), _structure("annuaire-a", "2", "Épicerie solidaire")]
    se_a = [
        _service("annuaire-a", "1", "1", "Colis alimentaires du CCAS"),
        _service("annuaire-a", "2", "2", "Épicerie solidaire des Mauges"),
    ]
    st_b = [_structure("annuaire-b", "1", "Secours de Melay"), _structure("annuaire-b", "2", "Banque alimentaire")]
    se_b = [
        _service("annuaire-b", "1", "1", "Distribution du Secours"),
        _service("annuaire-b", "2", "2", "Dépôt de la banque alimentaire"),
    ]
    assert not _importer(tmp_path, st_a, se_a, "a").rejets
    assert not _importer(tmp_path, st_b, se_b, "b").rejets
    for source in ("annuaire-a", "annuaire-b"):
        service = Service.objects.get(source=source, identifiant="1")
        assert service.structure.source == source  # attached to its own producer's structure "1"
    assert Structure.objects.filter(identifiant="1").count() == 2
    tous = {("annuaire-a", "1"), ("annuaire-a", "2"), ("annuaire-b", "1"), ("annuaire-b", "2")}
    assert _trouves() == tous

    # A re-exports with a bad row for its service 2: reported, and the published version is kept as it was
    se_a_mauvais = [
        _service("annuaire-a", "1", "1", "Colis alimentaires du CCAS (nouveau nom)"),
        _service("annuaire-a", "2", "2", "Épicerie renommée", code_postal="491200"),
    ]
    rapport = _importer(tmp_path, st_a, se_a_mauvais, "a2")
    assert rapport.services_mis_a_jour == 1 and rapport.services_retires == 0
    (rejet,) = rapport.rejets
    assert rejet.ligne == 2 and rejet.champ == "code_postal" and rejet.valeur == "491200"
    assert "trop long (6 caractères, 5 au plus) « 491200 »" in rejet.raison
    assert rejet.conserve and "conservée telle quelle" in rapport.resume()
    epicerie = Service.objects.get(source="annuaire-a", identifiant="2")
    assert epicerie.nom == "Épicerie solidaire des Mauges" and epicerie.recherchable
    assert epicerie.retire_de_la_source_le is None and IndexRecherche.objects.filter(service=epicerie).exists()
    assert _trouves() == tous

    # B no longer lists its structure 1: the structure and its service go, everywhere, in one transaction
    rapport = _importer(tmp_path, st_b[1:], se_b, "b2")
    assert rapport.structures_retirees == 1
    retire = Service.objects.get(source="annuaire-b", identifiant="1")
    assert not retire.recherchable and not IndexRecherche.objects.filter(service=retire).exists()
    assert _trouves() == tous - {("annuaire-b", "1")}
    assert client.get(f"/annuaire/services/{retire.pk}/").status_code == 404
    assert client.get("/api/v1/annuaire/services/annuaire-b/1").status_code == 404
    listes = client.get("/api/v1/annuaire/services", {"size": 100}).json()
    assert {(s["source"], s["id"]) for s in listes["items"]} == tous - {("annuaire-b", "1")}
    _st, se_export = importation.exporter(dossier=tmp_path / "export")
    exportes = {(s["source"], s["id"]) for s in json.loads(se_export.read_text())}
    assert exportes == tous - {("annuaire-b", "1")}
    for source, ident in tous - {("annuaire-b", "1")}:
        pk = Service.objects.get(source=source, identifiant=ident).pk
        assert client.get(f"/annuaire/services/{pk}/").status_code == 200

    # a service added in Repère by hand to B's structure 1 went with it
    from .factories import ServiceFactory

    saisi = ServiceFactory(structure=Structure.objects.get(source="annuaire-b", identifiant="1"), source="repere")
    assert not Service.objects.get(pk=saisi.pk).recherchable
    # back in the source: found again, with the service added in Repère
    _importer(tmp_path, st_b, se_b, "b3")
    assert _trouves() == tous | {("repere", saisi.identifiant)}


def test_retirer_une_structure_retire_ses_services_y_compris_ceux_saisis_dans_repere():
    from .factories import ServiceFactory, StructureFactory

    structure = StructureFactory()
    importe = ServiceFactory(structure=structure)
    saisi = ServiceFactory(structure=structure, source="repere", identifiant="repere--abc")
    autre = ServiceFactory()
    services_annuaire.retirer_structure(structure=structure)
    assert structure.retiree_de_la_source_le is not None
    for s in (importe, saisi):
        s.refresh_from_db()
        assert not s.recherchable
    assert not IndexRecherche.objects.filter(service__in=[importe, saisi]).exists()
    assert IndexRecherche.objects.filter(service=autre).exists()


def test_contrainte_en_base_un_service_retire_nest_jamais_recherchable():
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from .factories import ServiceFactory

    service = ServiceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Service.objects.filter(pk=service.pk).update(retire_de_la_source_le=timezone.now(), recherchable=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Structure.objects.filter(pk=service.structure_id).update(identifiant="")


def test_telephone_de_56_caracteres_rejete_avec_sa_ligne_sur_les_deux_bases(tmp_path):
    """PostgreSQL refused it in the middle of a COPY; now checked before any write, on both databases."""
    structures = [_structure("longs", f"st-{i}", f"Structure {i}") for i in range(1200)]
    structures[700]["telephone"] = "02 41 00 00 00 ou 06 00 00 00 00 (standard, appeler Léa)"
    assert len(structures[700]["telephone"]) == 56
    services = [_service("longs", f"se-{i}", f"st-{i}", f"Service {i}") for i in range(1200)]
    rapport = _importer(tmp_path, structures, services)
    raisons = {(r.fichier, r.ligne): r for r in rapport.rejets}
    rejet = raisons[("x-st.json", 701)]
    assert rejet.champ == "telephone" and rejet.regle == "limite_base"
    assert "telephone : trop long (56 caractères, 50 au plus)" in rejet.raison
    assert "structure_id « st-700 » inconnue : la structure a été rejetée (x-st.json, ligne 701)" in (
        raisons[("x-se.json", 701)].raison
    )
    assert rapport.structures_creees == 1199 and rapport.services_crees == 1199
    assert rapport.code_sortie() == 2


def test_limites_de_la_base_des_services_verifiees_par_colonne_avec_la_ligne(tmp_path):
    """The services' limits are checked column by column over the whole file; only the rows over a limit
    get their message, the same as row by row (the first field over its limit, the value shown)."""
    structures = [_structure("colonnes", "1", "Structure")]
    services = [_service("colonnes", f"se-{i}", "1", f"Service {i}") for i in range(1500)]
    services[900]["telephone"] = "02 41 00 00 00 ou 06 00 00 00 00 (standard, appeler Léa)"
    services[1200]["contact_nom_prenom"] = "x" * 201
    services[1200]["telephone"] = "0" * 51  # telephone comes first in the table: the one reported
    rapport = _importer(tmp_path, structures, services)
    raisons = {r.ligne: r for r in rapport.rejets}
    assert set(raisons) == {901, 1201}
    assert raisons[901].champ == "telephone" and raisons[901].regle == "limite_base"
    assert "telephone : trop long (56 caractères, 50 au plus) « 02 41 00 00 00 ou 06" in raisons[901].raison
    assert raisons[1201].champ == "telephone" and "(51 caractères, 50 au plus)" in raisons[1201].raison
    assert rapport.services_crees == 1498 and rapport.code_sortie() == 2
    assert not Service.objects.filter(identifiant__in=["se-900", "se-1200"]).exists()


def test_entiers_hors_des_bornes_de_la_base_rejetes(tmp_path):
    structures = [_structure("bornes", "1", "Structure")]
    services = [
        _service("bornes", "a", "1", "Formation longue", nombre_semaines=-3),
        _service("bornes", "b", "1", "Atelier jeunes", extension_repere={"age_min": 70000}),
        _service("bornes", "c", "1", "Atelier adultes", nombre_semaines=12),
    ]
    rapport = _importer(tmp_path, structures, services)
    raisons = {r.identifiant: r for r in rapport.rejets}
    assert set(raisons) == {"a", "b"}
    assert raisons["b"].regle == "limite_base" and "age_min : nombre entier entre 0 et 32767" in raisons["b"].raison
    assert Service.objects.get(identifiant="c").nombre_semaines == 12


def test_reimport_sans_changement_ne_reecrit_rien_et_garde_les_regles(tmp_path):
    """A re-import skips the services whose digest is unchanged (row, index rows, places, closures), yet a
    changed service is rewritten, a withdrawn one comes back, and a structure withdrawn then re-imported
    brings its services back into search."""
    st = [_structure("prod", "1", "CCAS de Chemillé"), _structure("prod", "2", "Épicerie solidaire")]
    se = [
        _service("prod", "1", "1", "Colis alimentaires"),
        _service("prod", "2", "2", "Épicerie des Mauges"),
        _service(
            "prod",
            "3",
            "2",
            "Permanence budget",
            thematiques=["difficultes-financieres--ameliorer-sa-gestion-budgetaire"],
        ),
    ]
    assert not _importer(tmp_path, st, se, "1").rejets
    tous = {("prod", "1"), ("prod", "2"), ("prod", "3")}
    assert _trouves() == tous
    assert all(Service.objects.values_list("empreinte", flat=True))
    index_avant = set(IndexRecherche.objects.values_list("pk", flat=True))
    modifies_avant = dict(Service.objects.values_list("identifiant", "modifie_le"))

    rapport = _importer(tmp_path, st, se, "2")
    assert rapport.services_inchanges == 3 and rapport.services_mis_a_jour == 3 and not rapport.rejets
    assert "3 relus sans changement" in rapport.resume()
    assert set(IndexRecherche.objects.values_list("pk", flat=True)) == index_avant  # nothing rewritten
    assert dict(Service.objects.values_list("identifiant", "modifie_le")) == modifies_avant
    assert _trouves() == tous

    # one service changed: only it is rewritten, and search sees the change
    se[0] = _service("prod", "1", "1", "Colis et épicerie")
    rapport = _importer(tmp_path, st, se, "3")
    assert rapport.services_inchanges == 2
    assert Service.objects.get(identifiant="1").nom == "Colis et épicerie"
    criteres = selectors.Criteres(commune=get_commune("49092"), rayon_km=20, texte="epicerie")
    trouves = {r.service_id for r in selectors.rechercher(criteres, limite=100)}
    assert Service.objects.get(identifiant="1").pk in trouves

    # withdrawn by the source, then back in the next file: searchable again (its digest was emptied)
    rapport = _importer(tmp_path, st, se[:2], "4")
    assert rapport.services_retires == 1 and _trouves() == {("prod", "1"), ("prod", "2")}
    rapport = _importer(tmp_path, st, se, "5")
    assert rapport.services_inchanges == 2 and _trouves() == tous
    assert IndexRecherche.objects.filter(service__identifiant="3").exists()

    # a structure withdrawn in the app takes its services out; re-imported as it was, they come back
    services_annuaire.retirer_structures(ids=[Structure.objects.get(source="prod", identifiant="2").pk])
    assert _trouves() == {("prod", "1")}
    rapport = _importer(tmp_path, st, se, "6")
    assert _trouves() == tous and rapport.services_inchanges == 1

    # a closure added in the structure space: the next import rewrites that service from the file
    service = Service.objects.get(identifiant="1")
    services_annuaire.ajouter_fermeture(service=service, debut=date(2026, 8, 1), fin=date(2026, 8, 15))
    assert Service.objects.get(identifiant="1").empreinte == ""
    assert _importer(tmp_path, st, se, "7").services_inchanges == 2
