from decimal import Decimal

import pytest
from django.template import Context, Template

from repere.utils.nombres import decimal_tableur, euros, euros_centimes, nombre, pourcentage

NNBSP = "\u202f"
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [(1043.59, f"1{NNBSP}044{NBSP}€"), (0, f"0{NBSP}€"), (573.4, f"573{NBSP}€"), ("12,6", f"13{NBSP}€")],
)
def test_euros_arrondis_a_l_euro(valeur, attendu):
    assert euros(valeur) == attendu


def test_euros_centimes():
    assert euros_centimes(1043.59) == f"1{NNBSP}043,59{NBSP}€"
    assert euros_centimes(12.0) == f"12{NBSP}€"
    assert euros_centimes(Decimal("1633.78")) == f"1{NNBSP}633,78{NBSP}€"


def test_nombre_sans_zeros_parasites():
    assert nombre(2912.1000000000000, decimales=1) == f"2{NNBSP}912,1"
    assert nombre(34945.2000000000000) == f"34{NNBSP}945"
    assert nombre(None) == ""
    assert nombre(True) == ""


def test_pourcentage_depuis_une_fraction():
    assert pourcentage(0.874) == f"87{NBSP}%"
    assert pourcentage(0.125, decimales=1) == f"12,5{NBSP}%"


def test_decimal_tableur():
    assert decimal_tableur(1043.589) == "1043,59"
    assert decimal_tableur(12.0) == "12"
    assert decimal_tableur(None) == ""


def test_filtres_de_gabarit():
    rendu = Template("{% load nombres %}{{ x|euros }}|{{ x|euros_centimes }}|{{ p|pourcentage:1 }}").render(
        Context({"x": 1633.78, "p": 0.4321})
    )
    assert rendu == f"1{NNBSP}634{NBSP}€|1{NNBSP}633,78{NBSP}€|43,2{NBSP}%"
