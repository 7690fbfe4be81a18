"""Errors common to the whole JSON API (config/api.py)."""

import pytest

pytestmark = pytest.mark.django_db


def test_corps_json_illisible_400_en_francais(client):
    r = client.post("/api/v1/simulations", data="pas du json", content_type="application/json")
    assert r.status_code == 400
    assert r.json()["detail"] == "Le corps de la requête n'est pas du JSON valide."
