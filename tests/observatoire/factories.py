import factory

from repere.observatoire.models import Indicateur, Valeur


class IndicateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicateur
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test_{n}")
    libelle = factory.Sequence(lambda n: f"Indicateur de test {n}")
    unite = "nombre"
    agregation = "somme"
    source = "Test"
    producteur = "Test"
    niveaux = ["commune", "epci", "departement", "region", "france"]


class ValeurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Valeur

    indicateur = factory.SubFactory(IndicateurFactory)
    niveau = "commune"
    code = "49092"
    periode = "2021"
    valeur = 100.0


# Small files written in exactly the published layouts.
FILOSOFI_COM = (
    "CODGEO;LIBGEO;NBMENFISC21;NBPERSMENFISC21;MED21;PIMP21;TP6021;TP60AGE121;TP60TOL221;PPSOC21;PIMPOT21;D121;D921;RD21\n"
    "49092;Chemillé-en-Anjou;9012;21950;22480;44;9,8;s;18,5;6,1;-14,2;12550;37140;3\n"
    "49007;Angers;77615;145010;20260;49;21,3;29,4;31,2;8,4;-16,9;9970;40010;4\n"
    "49028;Béhuard;s;s;s;s;s;s;s;s;s;s;s;s\n"
    "49038;Bourg-l'Évêque;nd;nd;nd;nd;nd;nd;nd;nd;nd;nd;nd;nd\n"
)
CAF_COM = (
    "NUMCOM;NOMCOM;DTREF;NB_allocataires;NB_Foyers_RSA;NB_Pers_couv_RSA\n"
    "49092;CHEMILLE-EN-ANJOU;31/12/2022;2210;215;402\n"
    "49007;ANGERS;31/12/2022;41020;7215;13960\n"
    "49028;BEHUARD;31/12/2022;47;;\n"
)


def contours_iris_geojson(crs="urn:ogc:def:crs:OGC:1.3:CRS84", **proprietes) -> str:
    """Two IRIS of Angers in the layout of IGN's CONTOURS-IRIS exported by ogr2ogr to GeoJSON (attributes
    INSEE_COM, NOM_COM, IRIS, CODE_IRIS, NOM_IRIS, TYP_IRIS). The outlines are test rectangles inside Angers,
    not IGN's: the names say so."""
    import json

    def rectangle(ouest, sud, est, nord):
        return {
            "type": "MultiPolygon",
            "coordinates": [[[[ouest, sud], [est, sud], [est, nord], [ouest, nord], [ouest, sud]]]],
        }

    objets = []
    for iris, nom, boite in (
        ("0101", "IRIS d'essai Nord", (-0.58, 47.47, -0.53, 47.50)),
        ("0102", "IRIS d'essai Sud", (-0.58, 47.44, -0.53, 47.47)),
    ):
        p = {
            "INSEE_COM": "49007",
            "NOM_COM": "Angers",
            "IRIS": iris,
            "CODE_IRIS": "49007" + iris,
            "NOM_IRIS": nom,
            "TYP_IRIS": "H",
        }
        p.update(proprietes)
        objets.append({"type": "Feature", "properties": p, "geometry": rectangle(*boite)})
    return json.dumps(
        {
            "type": "FeatureCollection",
            "name": "CONTOURS-IRIS",
            "crs": {"type": "name", "properties": {"name": crs}},
            "features": objets,
        }
    )


FILOSOFI_IRIS = (
    "IRIS;LIBIRIS;COM;LIBCOM;DISP_TP6021;DISP_MED21\n"
    "490070101;IRIS d'essai Nord;49007;Angers;24,1;18900\n"
    "490070102;IRIS d'essai Sud;49007;Angers;s;s\n"
)
