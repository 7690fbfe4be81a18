"""Défaut 4 de l'essai : « Rien n'est enregistré dans l'annuaire avant la dernière étape » — un dépôt
abandonné ne crée pas de source ; la source et sa correspondance sont enregistrées à l'import."""

import re

import pytest
from django.urls import reverse

from repere.annuaire.models import Service, SourceImport
from repere.organisations.models import Role
from tests.organisations.factories import OrganisationFactory, membre

pytestmark = pytest.mark.django_db

CSV = "id;nom;code_insee\n1;Épicerie solidaire;49092\n2;Point conseil budget;49092\n".encode()


@pytest.fixture
def admin(client, tmp_path, settings):
    settings.REPERE_STOCKAGE_PRIVE = str(tmp_path)
    organisation = OrganisationFactory()
    client.force_login(membre(organisation, Role.ADMIN))
    return organisation


def _deposer(client, organisation, contenu=CSV, nom="services.csv", **donnees):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("annuaire:import_depot"),
        {
            "fichier": SimpleUploadedFile(nom, contenu, content_type="text/csv"),
            "encodage": "utf-8",
            "source": "",
            "libelle": "Essai services",
            "organisation": str(organisation.pk),
            **donnees,
        },
    )


COLONNES = {
    "colonne-id": "id",
    "colonne-nom": "nom",
    "colonne-code_insee": "code_insee",
    "constante-date_maj": "2026-06-01",
    "constante-description": "Accueil de tous.",
    "action": "verifier",
}


def test_depot_et_colonnes_abandonnes_ne_creent_pas_de_source(client, admin):
    reponse = _deposer(client, admin)
    assert reponse.status_code == 302
    colonnes = reponse["Location"]
    assert "Essai services" in client.get(colonnes).content.decode()
    assert client.post(colonnes, COLONNES).status_code == 302
    assert "Essai services" in client.get(colonnes.replace("colonnes", "verification")).content.decode()
    assert not SourceImport.objects.exists()
    assert not Service.objects.exists()


def test_la_source_et_sa_correspondance_enregistrees_a_l_import(client, admin):
    colonnes = _deposer(client, admin)["Location"]
    client.post(colonnes, COLONNES)
    jeton = re.search(r"/import/([^/]+)/colonnes/", colonnes).group(1)
    suivi = client.post(reverse("annuaire:import_executer", args=[jeton]))
    assert suivi.status_code == 302
    source = SourceImport.objects.get()
    assert source.libelle == "Essai services" and source.organisation == admin
    assert source.correspondance["colonnes"]["nom"] == "nom"
    assert Service.objects.filter(source=source.code).count() == 2
    # the next import of the same source starts from the saved mapping
    html = client.get(_deposer(client, admin, source=str(source.pk), libelle="")["Location"]).content.decode()
    assert "le dernier import de cette source" in html


def test_depot_utf16_message_clair_et_rien_de_cree(client, admin):
    html = _deposer(client, admin, contenu=CSV.decode().encode("utf-16"), encodage="cp1252").content.decode()
    assert "UTF-16" in html and "ÿþ" not in html
    assert not SourceImport.objects.exists()
