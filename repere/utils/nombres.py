"""Numbers in French, written once: amounts, counts, decimals and percentages.

Every template, message and export formats numbers through these functions (the ``nombres``
template library wraps them). Thousands are separated by a narrow no-break space, decimals by a
comma, and the unit is tied to the number by a no-break space: « 1 044 € », « 12,5 % ».

- ``euros`` rounds to the euro: what the public sees (an estimate to the cent is a false precision);
- ``euros_centimes`` keeps the cents: accounting, budgets, confirmed amounts;
- ``nombre`` for counts and measures, ``pourcentage`` for a share given as a fraction (0.125 → 12,5 %);
- ``decimal_tableur`` for spreadsheet cells in CSV files (comma decimals, no thousands separator).
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal

LOCALE = "fr_FR"
ESPACE_INSECABLE = "\u00a0"


def _nombre_ou_none(valeur) -> float | Decimal | None:
    if valeur is None or isinstance(valeur, bool):
        return None
    if isinstance(valeur, int | float | Decimal):
        return valeur
    try:
        return float(str(valeur).replace(",", "."))
    except ValueError:
        return None


def nombre(valeur, *, decimales: int = 0, vide: str = "") -> str:
    """« 34 945 », « 2 912,1 » (at most ``decimales`` digits after the comma, trailing zeros dropped)."""
    x = _nombre_ou_none(valeur)
    if x is None:
        return vide
    motif = "#,##0" + ("." + "#" * decimales if decimales > 0 else "")
    return format_decimal(x, format=motif, locale=LOCALE, decimal_quantization=True)


def euros(valeur, *, vide: str = "") -> str:
    """Rounded to the euro, for the public: « 1 044 € »."""
    x = _nombre_ou_none(valeur)
    if x is None:
        return vide
    return f"{nombre(x)}{ESPACE_INSECABLE}€"


def euros_centimes(valeur, *, vide: str = "") -> str:
    """With cents when there are any: « 1 043,59 € », « 12 € »."""
    x = _nombre_ou_none(valeur)
    if x is None:
        return vide
    x = round(float(x), 2)
    if abs(x - round(x)) < 0.005:
        return euros(x)
    texte = format_decimal(x, format="#,##0.00", locale=LOCALE)
    return f"{texte}{ESPACE_INSECABLE}€"


def pourcentage(part, *, decimales: int = 0, vide: str = "") -> str:
    """A share given as a fraction: 0.874 → « 87 % » (``decimales=1`` → « 87,4 % »)."""
    x = _nombre_ou_none(part)
    if x is None:
        return vide
    return f"{nombre(float(x) * 100, decimales=decimales)}{ESPACE_INSECABLE}%"


def decimal_tableur(valeur, *, decimales: int = 2) -> str:
    """A CSV cell a French spreadsheet reads as a number: « 1043,59 » (no thousands separator)."""
    x = _nombre_ou_none(valeur)
    if x is None:
        return ""
    texte = f"{round(float(x), decimales):.{decimales}f}".rstrip("0").rstrip(".") if decimales else f"{round(x)}"
    return texte.replace(".", ",")
