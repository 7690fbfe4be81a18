"""Reading back what a person types, written once: numbers and amounts.

``repere.utils.nombres`` writes numbers the French way; this module reads them, whatever the habit
of the person typing: « 850,50 », « 850.50 », « 1 200,50 € », « 1.200,50 ».
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_BLANCS_ET_UNITE = re.compile(r"[\s\u00a0\u202f€]")
_NOMBRE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")


def lire_nombre(texte) -> Decimal | None:
    """The one reader of typed numbers and amounts: « 850,50 » and « 850.50 » → 850.50.

    Spaces (ordinary, no-break, narrow) and « € » are ignored; with both a comma and a dot, the last
    one is the decimal mark (« 1.200,50 », « 1,200.50 »). Empty → ``None``; unreadable → ``ValueError``.
    """
    if texte is None:
        return None
    brut = _BLANCS_ET_UNITE.sub("", str(texte))
    if not brut:
        return None
    if "," in brut and "." in brut:
        milliers = "." if brut.rfind(",") > brut.rfind(".") else ","
        brut = brut.replace(milliers, "")
    brut = brut.replace(",", ".")
    if not _NOMBRE.fullmatch(brut):
        raise ValueError(texte)
    try:
        return Decimal(brut)
    except InvalidOperation:
        raise ValueError(texte) from None
