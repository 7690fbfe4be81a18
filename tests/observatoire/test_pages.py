import pytest
from django.urls import reverse

from repere.observatoire.importation import caf, filosofi
from repere.observatoire.importation.commun import Fichier
from repere.observatoire.services import enregistrer_import
from tests.observatoire.factories import CAF_COM, FILOSOFI_COM

pytestmark = pytest.mark.django_db


@pytest.fixture
def donnees():
    for nom, texte, lecteur in (
        ("FILO2021_DISP_COM.csv", FILOSOFI_COM, filosofi),
        ("FILO2021_DISP_DEP.csv", "CODGEO;LIBGEO;TP6021;MED21\n49;Maine-et-Loire;12,1;21870\n", filosofi),
        ("rsa_par_commune.csv", CAF_COM, caf),
    ):
        f = Fichier(nom=nom, contenu=texte.encode())
        enregistrer_import(lecture=lecteur.lire(f), fichier=f)


def test_menu_observatoire_est_un_lien(client):
    r = client.get("/")
    assert 'href="/observatoire/"' in r.content.decode()


def test_portrait_comparaison_phrase_et_secret(client, donnees):
    r = client.get(reverse("observatoire:portrait", args=["commune", "49092"]))
    texte = r.content.decode()
    assert r.status_code == 200
    assert "Chemillé-en-Anjou" in texte and "Maine-et-Loire" in texte
    assert (
        "Le taux de pauvreté (seuil à 60 % du niveau de vie médian) de Chemillé-en-Anjou, 9,8\u00a0%, est inférieur à celui du Maine-et-Loire (12,1\u00a0%)."
        in texte
    )
    assert "rang" in texte.lower()
    r = client.get(reverse("observatoire:portrait", args=["commune", "49028"]))
    assert "secret statistique" in r.content.decode()


def test_recherche_mene_au_portrait(client, donnees):
    r = client.get(reverse("observatoire:accueil"), {"q": "Chemillé-en-Anjou"})
    assert r.status_code == 302 and r["Location"].endswith("/territoire/commune/49092/")
    r = client.get(reverse("observatoire:accueil"), {"territoire": "departement:49"})
    assert r["Location"].endswith("/territoire/departement/49/")


def test_carte_tableau_geojson_et_exports(client, donnees):
    params = {"indicateur": "filosofi_tp60", "niveau": "commune", "perimetre": "departement:49"}
    r = client.get(reverse("observatoire:carte"), params)
    texte = r.content.decode()
    assert r.status_code == 200 and "Tableau de la carte" in texte and "9,8" in texte
    g = client.get(reverse("observatoire:carte_geojson"), params).json()
    props = {f["properties"]["code"]: f["properties"] for f in g["features"]}
    assert props["49092"]["valeur"] == pytest.approx(9.8) and props["49092"]["couleur"]
    assert props["49028"]["etat"] == "secret" and props["49028"]["valeur"] is None
    assert g["legende"]
    for fmt in ("csv", "xlsx", "ods"):
        r = client.get(reverse("observatoire:carte_export", args=[fmt]), params)
        assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    csv = client.get(reverse("observatoire:carte_export", args=["csv"]), params).content.decode("utf-8-sig")
    assert "Béhuard;49028;secret statistique" in csv
    r = client.get(reverse("observatoire:portrait_export", args=["commune", "49092", "csv"]))
    assert "Taux de pauvreté" in r.content.decode("utf-8-sig")


def test_carte_parametres_invalides(client, donnees):
    r = client.get(reverse("observatoire:carte_geojson"), {"indicateur": "inconnu"})
    assert r.status_code == 422
    r = client.get(reverse("observatoire:carte"), {"indicateur": "filosofi_tp60", "periode": "1990"})
    assert "sans valeur" in r.content.decode()


def test_api_valeurs_portrait_carte(client, donnees):
    r = client.get("/api/v1/observatoire/indicateurs")
    assert any(i["code"] == "filosofi_tp60" for i in r.json())
    r = client.get(
        "/api/v1/observatoire/valeurs", {"indicateur": "filosofi_tp60", "niveau": "commune", "code": ["49092", "49028"]}
    )
    valeurs = {v["code"]: v for v in r.json()["valeurs"]}
    assert valeurs["49092"]["valeur"] == pytest.approx(9.8)
    assert valeurs["49028"]["etat"] == "secret" and valeurs["49028"]["valeur"] is None
    r = client.get("/api/v1/observatoire/portraits/commune/49092")
    assert r.status_code == 200 and r.json()["lignes"]
    r = client.get("/api/v1/observatoire/cartes", {"indicateur": "filosofi_tp60", "perimetre": "departement:49"})
    assert r.json()["type"] == "FeatureCollection"
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/observatoire/cartes" in schema["paths"]
    assert client.get("/api/v1/observatoire/portraits/commune/00000").status_code == 404


def test_secret_du_seuil_sur_les_effectifs_caf(client, donnees):
    # 47 foyers allocataires: shown; the RSA of Béhuard, blurred at source, stays secret.
    r = client.get("/api/v1/observatoire/valeurs", {"indicateur": "caf_nb_foyers_rsa", "code": "49028"})
    assert r.json()["valeurs"][0]["etat"] == "secret"


def test_comparer_plusieurs_territoires(client, donnees):
    r = client.get(reverse("observatoire:comparer"), {"t": "commune:49092\ncommune:49007\ndepartement:49"})
    texte = r.content.decode()
    assert "Angers" in texte and "9,8" in texte and "21,3" in texte and "12,1" in texte
    r = client.get(reverse("observatoire:comparer_export", args=["csv"]), {"t": "commune:49092 commune:49007"})
    assert "Chemillé-en-Anjou;Angers" in r.content.decode("utf-8-sig")


def test_portrait_pdf_a4_balise_et_nombres_francais(client, donnees, monkeypatch):
    import weasyprint

    pages = []
    vrai = weasyprint.HTML

    def html(*args, **kwargs):
        pages.append(kwargs["string"])
        return vrai(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", html)
    portrait = client.get(reverse("observatoire:portrait", args=["commune", "49092"])).content.decode()
    url = reverse("observatoire:portrait_pdf", args=["commune", "49092"])
    assert url in portrait
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'attachment; filename="portrait-commune-49092.pdf"'
    import contextlib
    import re
    import zlib

    assert r.content.startswith(b"%PDF")
    pdf = r.content  # objects are compressed in streams: read them unpacked
    for flux in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", r.content, re.S):
        with contextlib.suppress(zlib.error):
            pdf += zlib.decompress(flux.group(1))
    assert b"/StructTreeRoot" in pdf and b"/MarkInfo" in pdf  # tagged PDF (structure for screen readers)
    assert b"/Lang (fr)" in pdf
    assert "size:A4" in pages[0] and 'lang="fr"' in pages[0]
    assert "9,8\u00a0%" in pages[0] and "Maine-et-Loire" in pages[0]
    assert "Secret statistique" in pages[0]
    assert client.get(reverse("observatoire:portrait_pdf", args=["commune", "99999"])).status_code == 404


def test_rang_parmi_les_communes_du_departement(donnees):
    from django.contrib.auth.models import AnonymousUser

    from repere.observatoire import selectors
    from repere.observatoire.geographie import geographie

    lignes = selectors.portrait(lieu=geographie().lieu("commune", "49092"), user=AnonymousUser())
    par_code = {ligne.indicateur.code: ligne for ligne in lignes}
    # Chemillé 9,8 % and Angers 21,3 %: Béhuard (secret) and Bourg-l'Évêque (nd) are not ranked.
    assert par_code["filosofi_tp60"].rang == (2, 2, "communes du Maine-et-Loire")
    assert par_code["filosofi_med"].rang == (1, 2, "communes du Maine-et-Loire")
    assert par_code["filosofi_tp60age1"].rang is None  # secret for Chemillé: no rank
