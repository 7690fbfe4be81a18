"""Défaut 13 de l'essai : la liste « Distance maximale » montre le rayon réellement cherché."""

import re

import pytest
from django.urls import reverse

from tests.annuaire.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def _rayon_choisi(page: str) -> list[str]:
    liste = re.search(r'<select name="rayon".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="(\d+)"[^>]*selected', liste)


def test_sans_rayon_dans_le_lien_la_liste_montre_le_rayon_par_defaut(client):
    ServiceFactory()
    page = client.get(reverse("annuaire:recherche"), {"commune_nom": "Chemillé-en-Anjou", "commune": "49092"})
    html = page.content.decode()
    assert "(30 km)" in html
    assert _rayon_choisi(html) == ["30"]


def test_rayon_du_lien_garde(client):
    ServiceFactory()
    html = client.get(reverse("annuaire:recherche"), {"commune": "49092", "rayon": "10"}).content.decode()
    assert "(10 km)" in html
    assert _rayon_choisi(html) == ["10"]
