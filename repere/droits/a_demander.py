"""« À demander » (to claim), defined ONCE and called everywhere: the simulator's totals, the income
curve, local aids, the batch screener's non-take-up flag and the outreach rights pipeline.

A benefit is **à demander** when the engine finds it probable (``eligible == "oui"``, once the other
benefits to claim are counted: the coherent combination) and the household has not declared it as
received. A benefit already received is never a right to open. An uncertain benefit not received is
**à vérifier**, never « à demander ». The household's total counts the probable benefits only.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

PROBABLE = "oui"
INCERTAIN = "incertain"


def est_a_demander(*, eligible: str, deja_percue: bool) -> bool:
    return eligible == PROBABLE and not deja_percue


def est_a_verifier(*, eligible: str, deja_percue: bool) -> bool:
    return eligible == INCERTAIN and not deja_percue


def compte_dans_le_total(*, eligible: str) -> bool:
    return eligible == PROBABLE


def masque_a_demander(eligible: np.ndarray, deja_percue: np.ndarray, *, oui: int = 1) -> np.ndarray:
    """The same rule on the batch arrays (eligibility codes of ``repere.droits.lot``)."""
    return (np.asarray(eligible) == oui) & ~np.asarray(deja_percue, dtype=bool)


def totaux(prestations: Iterable) -> tuple[float, float]:
    """(total of the probable benefits, of which à demander) in euros per month, to the cent."""
    total = a_demander = 0.0
    for p in prestations:
        if compte_dans_le_total(eligible=p.eligible):
            total += p.montant_mensuel
            if est_a_demander(eligible=p.eligible, deja_percue=p.deja_percue):
                a_demander += p.montant_mensuel
    return round(total, 2), round(a_demander, 2)


def totaux_par_periode(prestations: Iterable) -> dict[str, dict]:
    """The probable benefits added up each in its own period, for a total a person can check.

    ``{"mensuel": {...}, "annuel": {...}}``, each with ``total`` and ``a_demander`` (euros per month,
    resp. per year) and ``libelles`` (the benefits counted). A yearly aid (school allowance, energy
    voucher, grants) is never divided by 12 and mixed into the monthly total.
    """
    out = {periode: {"total": 0.0, "a_demander": 0.0, "libelles": []} for periode in ("mensuel", "annuel")}
    for p in prestations:
        if not compte_dans_le_total(eligible=p.eligible) or not p.montant:
            continue
        t = out["annuel" if p.periode == "annuel" else "mensuel"]
        t["total"] += p.montant
        t["libelles"].append(p.libelle)
        if est_a_demander(eligible=p.eligible, deja_percue=p.deja_percue):
            t["a_demander"] += p.montant
    for t in out.values():
        t["total"], t["a_demander"] = round(t["total"], 2), round(t["a_demander"], 2)
    return out
