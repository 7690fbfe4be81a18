"""IRIS outlines (IGN CONTOURS-IRIS, GeoJSON export) and the map's zoom from a région to the IRIS of a commune."""

import html as html_mod
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from repere.observatoire.geographie import geographie, vider_cache
from repere.observatoire.importation import filosofi, iris
from repere.observatoire.importation.commun import ErreurImport, Fichier
from repere.observatoire.models import ContourIris, ImportFichier, StatutImport
from repere.observatoire.services import enregistrer_contours_iris, enregistrer_import
from tests.observatoire.factories import FILOSOFI_COM, FILOSOFI_IRIS, contours_iris_geojson

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _geographie_fraiche():
    vider_cache()
    yield
    vider_cache()


def charger_contours(texte=None):
    f = Fichier(nom="CONTOURS-IRIS_49.geojson", contenu=(texte or contours_iris_geojson()).encode())
    return enregistrer_contours_iris(lecture=iris.lire(f), fichier=f)


def charger_valeurs():
    for nom, texte in (("FILO2021_DISP_COM.csv", FILOSOFI_COM), ("BASE_TD_FILO_IRIS_2021_DISP.csv", FILOSOFI_IRIS)):
        f = Fichier(nom=nom, contenu=texte.encode())
        enregistrer_import(lecture=filosofi.lire(f), fichier=f)


def test_contours_iris_charges_sous_leur_commune(tmp_path):
    chemin = tmp_path / "iris.geojson"
    chemin.write_text(contours_iris_geojson(), encoding="utf-8")
    call_command("observatoire_importer_iris", str(chemin))
    assert ContourIris.objects.count() == 2
    nord = ContourIris.objects.get(code="490070101")
    assert nord.commune == "49007" and nord.type_iris == "H" and nord.geometrie["type"] in ("Polygon", "MultiPolygon")
    run = ImportFichier.objects.get(source="contours_iris")
    assert run.statut == StatutImport.VALIDE and run.valeurs == 2 and len(run.sha256) == 64
    lieu = geographie().lieu("iris", "490070101")
    assert lieu.nom == "IRIS d'essai Nord (Angers)" and lieu.parents["commune"] == "49007"
    assert lieu.parents["departement"] == "49"
    assert geographie().iris_de("49007") == ["490070101", "490070102"]


def test_contours_en_minuscules_de_l_edition_2024():
    texte = contours_iris_geojson()
    for a, b in (
        ("INSEE_COM", "code_insee"),
        ("CODE_IRIS", "code_iris"),
        ("NOM_IRIS", "nom_iris"),
        ("TYP_IRIS", "type_iris"),
    ):
        texte = texte.replace(f'"{a}"', f'"{b}"')
    charger_contours(texte)
    assert ContourIris.objects.filter(commune="49007").count() == 2


def test_contours_refuses_avec_ligne_et_colonne_et_rien_d_ecrit():
    charger_contours()
    document = json.loads(contours_iris_geojson())
    document["features"][0]["properties"]["CODE_IRIS"] = "4900701"
    document["features"][1]["properties"]["INSEE_COM"] = "99999"
    document["features"][1]["properties"]["CODE_IRIS"] = "999990102"
    document["features"].append(
        {
            "type": "Feature",
            "properties": {"CODE_IRIS": "490070103", "NOM_IRIS": "X", "INSEE_COM": "49007"},
            "geometry": {"type": "Point", "coordinates": [0, 47]},
        }
    )
    with pytest.raises(ErreurImport) as e:
        charger_contours(json.dumps(document))
    texte = str(e.value)
    assert "Ligne 1, colonne CODE_IRIS" in texte and "4900701" in texte
    assert "Ligne 2, colonne INSEE_COM" in texte and "99999" in texte
    assert "Ligne 3, colonne geometry" in texte and "Polygone attendu" in texte
    # The previous outlines are intact.
    assert ContourIris.objects.filter(commune="49007").count() == 2
    assert ImportFichier.objects.filter(source="contours_iris", statut=StatutImport.ECHEC).count() == 1


def test_contours_en_lambert_93_refuses_avec_la_commande_ogr2ogr(tmp_path):
    chemin = tmp_path / "iris.geojson"
    chemin.write_text(contours_iris_geojson(crs="urn:ogc:def:crs:EPSG::2154"), encoding="utf-8")
    with pytest.raises(CommandError, match="ogr2ogr -f GeoJSON -t_srs EPSG:4326"):
        call_command("observatoire_importer_iris", str(chemin))
    document = json.loads(contours_iris_geojson())
    del document["crs"]
    document["features"][0]["geometry"]["coordinates"] = [
        [[[430000, 6710000], [431000, 6710000], [431000, 6711000], [430000, 6710000]]]
    ]
    with pytest.raises(ErreurImport, match="Lambert 93"):
        charger_contours(json.dumps(document))
    assert not ContourIris.objects.exists()


def test_carte_regionale_zoome_sur_les_iris_d_une_commune(client):
    charger_contours()
    charger_valeurs()
    r = client.get("/observatoire/carte/?indicateur=filosofi_tp60&perimetre=region:52")
    html = r.content.decode()
    assert r.status_code == 200 and "carte par IRIS" in html
    import re

    liens = re.findall(r'href="(/observatoire/carte/\?[^"]*)">carte par IRIS', html)
    assert len(liens) == 1
    assert all(
        x in liens[0] for x in ("indicateur=filosofi_tp60", "periode=2021", "niveau=iris", "perimetre=commune:49007")
    )
    donnees = json.loads(
        client.get("/observatoire/carte/donnees.geojson?indicateur=filosofi_tp60&perimetre=region:52").content
    )
    par_code = {f["properties"]["code"]: f["properties"] for f in donnees["features"]}
    assert par_code["49007"]["zoom_iris"] is True and par_code["49092"]["zoom_iris"] is False

    r = client.get("/observatoire/carte/?indicateur=filosofi_tp60&periode=2021&niveau=iris&perimetre=commune:49007")
    html = html_mod.unescape(r.content.decode())
    assert r.status_code == 200 and "IRIS d'essai Nord (Angers)" in html and "24,1" in html
    donnees = json.loads(
        client.get(
            "/observatoire/carte/donnees.geojson?indicateur=filosofi_tp60&niveau=iris&perimetre=commune:49007"
        ).content
    )
    etats = {f["properties"]["code"]: f["properties"]["etat"] for f in donnees["features"]}
    assert etats == {"490070101": "ok", "490070102": "secret"}
    assert donnees["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    # The portrait of an IRIS compares it with its commune.
    r = client.get("/observatoire/territoire/iris/490070101/")
    assert r.status_code == 200 and "Angers" in r.content.decode()
    # The portrait of the commune links to its IRIS map.
    assert (
        "niveau=iris&amp;perimetre=commune:49007"
        in client.get("/observatoire/territoire/commune/49007/").content.decode()
    )


def test_carte_par_iris_sans_contours_dit_quoi_faire(client):
    charger_valeurs()
    r = client.get("/observatoire/carte/?indicateur=filosofi_tp60&niveau=iris&perimetre=region:52")
    texte = html_mod.unescape(r.content.decode())
    assert "Aucun contour d'IRIS n'est chargé" in texte and "observatoire_importer_iris" in texte
