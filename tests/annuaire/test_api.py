import pytest

from .factories import ServiceFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/annuaire/search/services"


def test_recherche_par_commune():
    from django.test import Client

    client = Client()
    proche = ServiceFactory(nom="Épicerie", description="Aide alimentaire")
    distant = ServiceFactory(modes_accueil=["a-distance"], zone_eligibilite=["49"])
    ServiceFactory(zone_eligibilite=["44"])
    reponse = client.get(URL, {"code_commune": "49092", "thematiques": "equipement-et-alimentation"})
    assert reponse.status_code == 200
    donnees = reponse.json()
    assert donnees["total"] == 2
    par_id = {r["service"]["id"]: r for r in donnees["items"]}
    assert par_id[proche.identifiant]["distance"] < 5
    assert par_id[distant.identifiant]["distance"] is None
    service = par_id[proche.identifiant]["service"]
    assert service["structure_id"] == proche.structure.identifiant and service["thematiques"] == [
        "equipement-et-alimentation--alimentation"
    ]


def test_recherche_par_coordonnees_et_filtres(client):
    s = ServiceFactory(frais="payant")
    r = client.get(URL, {"lat": 47.21, "lon": -0.73, "distance": 5, "frais": "payant", "texte": "aide"}).json()
    assert [i["service"]["id"] for i in r["items"]] == [s.identifiant]
    assert client.get(URL, {"lat": 47.21, "lon": -0.73, "frais": "gratuit"}).json()["total"] == 0


@pytest.mark.parametrize(
    "params, message",
    [
        ({}, "indiquez code_commune, ou lat et lon"),
        ({"code_commune": "49092", "thematiques": "cuisine"}, "thematiques : code inconnu « cuisine »"),
        ({"code_commune": "49092", "publics": "martiens"}, "publics : code inconnu « martiens »"),
        ({"code_commune": "49092", "distance": 1000}, "distance"),
    ],
)
def test_erreurs_422_en_francais(client, params, message):
    reponse = client.get(URL, params)
    assert reponse.status_code == 422
    assert message in reponse.json()["detail"]


def test_commune_inconnue_404(client):
    reponse = client.get(URL, {"code_commune": "00000"})
    assert reponse.status_code == 404 and "inconnue" in reponse.json()["detail"]


def test_listes_et_details(client):
    s = ServiceFactory()
    assert (
        client.get("/api/v1/annuaire/services", {"thematiques": "equipement-et-alimentation--alimentation"}).json()[
            "total"
        ]
        == 1
    )
    assert client.get(f"/api/v1/annuaire/services/{s.source}/{s.identifiant}").json()["nom"] == s.nom
    assert client.get("/api/v1/annuaire/services/test/inconnu").status_code == 404
    assert (
        client.get(f"/api/v1/annuaire/structures/{s.structure.source}/{s.structure.identifiant}").json()["nom"]
        == s.structure.nom
    )
    assert client.get("/api/v1/annuaire/structures").json()["total"] == 1


def test_openapi(client):
    schema = client.get("/api/v1/openapi.json").json()
    parametres = {p["name"] for p in schema["paths"]["/api/v1/annuaire/search/services"]["get"]["parameters"]}
    assert {"code_commune", "lat", "lon", "distance", "thematiques", "publics", "frais", "modes_accueil"} <= parametres
