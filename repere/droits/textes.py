"""Small French wording helpers for the public results (plain language): plurals, months spelled
out, lists. Numbers go through ``repere.utils.nombres`` (the one formatting helper)."""

from __future__ import annotations

from repere.utils.nombres import accord, euros
from repere.utils.text import MOIS, mois_en_lettres

__all__ = ["euros", "liste", "mois_en_lettres", "mois_reference", "pluriel"]


def pluriel(n: int, singulier: str, pluriel_: str | None = None) -> str:
    """« 1 enfant », « 2 enfants », « 0 enfant » (the agreement rule is ``repere.utils.nombres.accord``)."""
    return f"{n} {accord(n, singulier, pluriel_)}"


def _decaler(mois: str, decalage: int) -> str:
    annee, m = (int(x) for x in mois.split("-"))
    total = annee * 12 + m - 1 - decalage
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def mois_reference(mois: str, *, du: int, au: int) -> str:
    """The months M-``du`` to M-``au`` spelled out: « juillet, août et septembre 2026 »."""
    liste_mois = [_decaler(mois, d) for d in range(du, au - 1, -1)]
    annees = {x[:4] for x in liste_mois}
    if len(annees) == 1:
        noms = [MOIS[int(x[5:]) - 1] for x in liste_mois]
        return f"{liste(noms)} {liste_mois[0][:4]}"
    return liste([mois_en_lettres(x) for x in liste_mois])


def liste(mots: list[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    mots = [m for m in mots if m]
    if len(mots) <= 1:
        return "".join(mots)
    return ", ".join(mots[:-1]) + " et " + mots[-1]
