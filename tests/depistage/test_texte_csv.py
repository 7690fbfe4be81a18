"""The CSV text of the result columns, formatted by column (``sortie._texte_csv_colonne``), is cell for cell what
the row writer gives (``sortie._decimal``), whether a column is formatted value by value or once per distinct
value (few distinct values: the dictionary path)."""

import random

import pyarrow as pa

from repere.depistage import sortie


def _attendu(valeurs):
    return [sortie._decimal(None if isinstance(v, float) and v != v else v) for v in valeurs]


def _csv_cellule(texte: str) -> str:
    """What Python's csv module writes for one cell (``;`` separator)."""
    import csv
    import io

    tampon = io.StringIO()
    csv.writer(tampon, delimiter=";").writerow([texte])
    return tampon.getvalue().rstrip("\r\n")


def test_montants_peu_distincts_et_tous_distincts():
    hasard = random.Random(3)
    peu = [hasard.choice([0.0, 12.5, -3.0, -0.5, 99.99, None, float("nan"), 582.0]) for _ in range(400)]
    tous = [round(hasard.uniform(-500, 2000), 2) for _ in range(400)]  # amounts are rounded to the cent upstream
    for valeurs in (peu, tous):
        texte = sortie._texte_csv_colonne(pa.array(valeurs, pa.float64())).to_pylist()
        assert texte == _attendu(valeurs)


def test_textes_peu_distincts_neutralises_et_cites():
    valeurs = ["49007", "=SOMME(A1)", 'dit "oui"', "a;b", None, "49007"] * 50
    texte = sortie._texte_csv_colonne(pa.array(valeurs, pa.string())).to_pylist()
    assert texte == [_csv_cellule(sortie._decimal(v)) if v is not None else "" for v in valeurs]
    assert texte == sortie._texte_csv_valeurs(pa.array(valeurs, pa.string())).to_pylist()
