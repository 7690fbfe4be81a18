import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url, texte",
    [
        ("/", "trouver ses droits"),
        ("/accessibilite/", "partiellement conforme"),
        ("/mentions-legales/", "AGPL"),
        ("/donnees-personnelles/", "Cookies"),
        ("/territoires/", "Chercher un territoire"),
        ("/compte/connexion/", "Adresse e-mail"),
    ],
)
def test_pages_publiques(client, url, texte):
    r = client.get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert texte in html
    assert '<html lang="fr">' in html and 'href="#contenu"' in html


def test_aucune_ressource_externe(client):
    html = client.get("/territoires/commune/49092/").content.decode()
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def test_404_en_francais(client):
    r = client.get("/nexiste/pas/")
    assert r.status_code == 404 and "Page introuvable" in r.content.decode()
    r = client.get("/territoires/commune/99999/")
    assert r.status_code == 404 and "Page introuvable" in r.content.decode()
    r = client.get("/territoires/canton/1/")
    assert r.status_code == 404


def test_recherche_de_territoire_page(client):
    r = client.get("/territoires/", {"q": "chemille"})
    assert r.status_code == 200 and "Chemillé-en-Anjou" in r.content.decode()
    r = client.get("/territoires/", {"q": "c"})
    assert r.status_code == 400 and "au moins 2 caractères" in r.content.decode()


def test_fiche_territoire(client):
    html = client.get("/territoires/commune/49092/").content.decode()
    for attendu in [
        "Chemillé-en-Anjou",
        "Mauges Communauté",
        "Maine-et-Loire",
        "Pays de la Loire",
        "49120",
        'id="contour"',
    ]:
        assert attendu in html


def test_formulaire_sans_jeton_csrf_message_clair():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    r = client.post("/compte/connexion/", {"username": "a@exemple.fr", "password": "x"})
    assert r.status_code == 403 and "Formulaire expiré" in r.content.decode()
