import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from repere.observatoire.models import Valeur
from repere.organisations.models import Role
from tests.observatoire.factories import FILOSOFI_COM
from tests.organisations.factories import membre

pytestmark = pytest.mark.django_db


def test_import_reserve_aux_administrateurs(client):
    client.force_login(membre(role=Role.PROFESSIONNEL))
    assert client.get(reverse("observatoire:importer")).status_code == 403


def test_assistant_filosofi_puis_fichier_generique_avec_correspondance(client):
    client.force_login(membre(role=Role.ADMIN))
    r = client.post(
        reverse("observatoire:importer"),
        {"source": "filosofi", "fichier": SimpleUploadedFile("FILO2021_DISP_COM.csv", FILOSOFI_COM.encode())},
    )
    assert r.status_code == 200 and "Fichier importé" in r.content.decode()
    assert Valeur.objects.filter(indicateur__code="filosofi_tp60", code="49092").exists()

    contenu = "Territoire;Année;Bénéficiaires\n49092;2024;310\n49007;2024;abc\n".encode("cp1252")
    r = client.post(
        reverse("observatoire:importer"), {"source": "autre", "fichier": SimpleUploadedFile("msa.csv", contenu)}
    )
    assert r.status_code == 302
    r = client.get(reverse("observatoire:import_correspondance"))
    assert "Bénéficiaires" in r.content.decode()
    donnees = {
        "code_indicateur": "msa_rsa",
        "libelle": "Bénéficiaires MSA",
        "unite": "nombre",
        "agregation": "somme",
        "facteur": "1",
        "niveau": "commune",
        "colonne_code": "Territoire",
        "colonne_valeur": "Bénéficiaires",
        "colonne_periode": "Année",
        "diffusion": "public",
    }
    r = client.post(reverse("observatoire:import_correspondance"), donnees)
    assert r.status_code == 422
    assert "Ligne 3, colonne Bénéficiaires : Nombre attendu. (valeur « abc »)" in r.content.decode()
    assert not Valeur.objects.filter(indicateur__code="msa_rsa").exists()
