import io
import zipfile

import pytest
from openpyxl import load_workbook

from repere.utils.tableurs import cellule_sure, csv_texte, ods_octets, xlsx_octets

ATTAQUES = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("attaque", ATTAQUES)
def test_cellule_sure_neutralise_les_formules(attaque):
    assert cellule_sure(attaque) == "'" + attaque


def test_cellule_sure_laisse_le_texte_ordinaire():
    assert cellule_sure("Mairie d'Angers") == "Mairie d'Angers"
    assert cellule_sure(None) == ""


def test_csv_francais_bom_point_virgule_virgule_decimale():
    texte = csv_texte([("Droits", ["Prestation", "Montant"], [["RSA", 573.5], ["=1+1", 12]])])
    assert texte.startswith("\ufeffPrestation;Montant\r\n")
    assert "RSA;573,5\r\n" in texte
    assert "'=1+1;12\r\n" in texte


def test_xlsx_texte_jamais_formule_et_nombres_gardes():
    contenu = xlsx_octets([("Orientations", ["Nom", "N"], [['=HYPERLINK("x")', 3]])])
    feuille = load_workbook(io.BytesIO(contenu)).active
    assert feuille["A2"].value == '\'=HYPERLINK("x")'
    assert feuille["A2"].data_type == "s"
    assert feuille["B2"].value == 3
    with zipfile.ZipFile(io.BytesIO(contenu)) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def test_ods_plusieurs_feuilles():
    contenu = ods_octets([("A", ["x"], [[1.5]]), ("A", ["y"], [["+1"]])])
    with zipfile.ZipFile(io.BytesIO(contenu)) as z:
        xml = z.read("content.xml").decode()
    assert 'table:name="A"' in xml and 'table:name="A (2)"' in xml
    assert "'+1" in xml and 'office:value="1.5"' in xml
