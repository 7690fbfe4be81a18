"""The statistical secret, written once for the whole of Repère.

``masquer`` decides which cells of a table are hidden; pages, maps, exports and the API of the
observatory (through ``services.publier``) and the obstacle barometer all call it.

- **Primary secret**: a count between 1 and ``seuil - 1`` is hidden, and so is any value whose
  denominator is below ``seuil`` (a rate over 7 households says too much about each of them).
  ``seuil`` comes from ``settings.REPERE_SECRET_SEUIL`` (11 by default). A zero is shown: it
  identifies no one.
- **Source secret**: a cell already secret at its source (INSEE ``s``, a CAF value blurred at
  source) stays hidden and is protected like the others.
- **Secondary secret**: a table comes with its additive relations (a total and its parts: a row
  and its margin, an EPCI and its communes). A hidden cell must never be recomputable from the
  visible ones: whenever a relation would leave exactly one hidden member, the smallest visible part
  (or else the total) is hidden too, and the hidden cells of each group of linked relations are then
  checked by linear algebra (a hidden cell is recomputable when its unit vector lies in the row
  space of the relations' system); while one is, the smallest visible cell that the combination of
  relations giving its value uses is hidden too, until none is.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
from django.conf import settings

SEUIL_DEFAUT = 11


def seuil_secret() -> int:
    return int(getattr(settings, "REPERE_SECRET_SEUIL", SEUIL_DEFAUT))


class Cellule(NamedTuple):
    """What the rule needs to know of a cell.

    ``effectif``: the count the cell rests on (a count's value, a rate's numerator), None if unknown;
    ``denominateur``: for a rate or an average; ``secret_source``: already secret at the source.
    A named tuple: a national table builds hundreds of thousands of them (observatory import).
    """

    effectif: float | None = None
    denominateur: float | None = None
    secret_source: bool = False


Relation = tuple[Hashable, Sequence[Hashable]]  # (total, parts)


def primaires(
    cles: Sequence[Hashable],
    effectifs: Sequence[float | None],
    denominateurs: Sequence[float | None],
    secrets_source: Sequence[bool],
    *,
    seuil: int | None = None,
) -> set[Hashable]:
    """The keys of the cells under the primary or the source secret, given column by column (a national
    import checks 940,000 cells: no object per cell). ``None`` is an unknown count or denominator."""
    seuil = seuil_secret() if seuil is None else seuil
    effectif = np.array(effectifs, dtype=float)  # None -> NaN, which no comparison holds for
    denominateur = np.array(denominateurs, dtype=float)
    caches = np.array(secrets_source, dtype=bool).reshape(-1)
    caches |= (effectif > 0) & (effectif < seuil)
    caches |= denominateur < seuil
    return {cles[i] for i in np.flatnonzero(caches)}


def masquer(
    cellules: Mapping[Hashable, Cellule], *, relations: Iterable[Relation] = (), seuil: int | None = None
) -> set[Hashable]:
    """The keys of the cells to hide (primary, source and secondary secret)."""
    seuil = seuil_secret() if seuil is None else seuil
    cles = list(cellules)
    valeurs = list(cellules.values())
    masques = primaires(
        cles,
        [c.effectif for c in valeurs],
        [c.denominateur for c in valeurs],
        [c.secret_source for c in valeurs],
        seuil=seuil,
    )
    rels = [(t, tuple(p)) for t, p in relations if t in cellules or any(x in cellules for x in p)]
    if not rels or not masques:
        return masques

    def inconnu(k) -> bool:
        # Unknown to everyone (absent, or no count): a relation with an unknown member recomputes nothing.
        return k not in masques and (k not in cellules or cellules[k].effectif is None)

    def taille(k) -> tuple:
        c = cellules[k]
        return (c.effectif if c.effectif is not None else float("inf"), str(k))

    # Relations with a member unknown to everyone recompute nothing; that never changes during the run
    # (a cell chosen for secondary secret is always a known one).
    actives = [r for r in rels if not any(inconnu(m) for m in (r[0], *r[1]))]
    relations_de: dict = {}
    for n, (t, p) in enumerate(actives):
        for m in (t, *p):
            relations_de.setdefault(m, []).append(n)
    caches = [sum(1 for m in (t, *p) if m in masques) for t, p in actives]

    def cacher(m) -> None:
        masques.add(m)
        for n in relations_de.get(m, ()):
            caches[n] += 1
            a_revoir.append(n)

    def masquer_un_de_plus(total, parties) -> bool:
        candidats = [p for p in parties if p not in masques and not inconnu(p)]
        if candidats:
            cacher(min(candidats, key=taille))
            return True
        if total not in masques and not inconnu(total):
            cacher(total)
            return True
        return False

    a_revoir: list[int] = list(range(len(actives)))

    def passe_simple() -> None:
        # Worklist: only the relations touched by a newly hidden cell are looked at again.
        while a_revoir:
            n = a_revoir.pop()
            if caches[n] == 1:
                masquer_un_de_plus(*actives[n])

    passe_simple()
    groupes = _Groupes(actives, relations_de, masques)
    while True:
        # Only the groups of hidden cells that changed since the last pass are checked again (``groupes``
        # follows the cells hidden by ``cacher``): a national table needs hundreds of passes.
        cellules_a_couvrir = groupes.recalculables()
        if not cellules_a_couvrir:
            return masques
        progres = False
        for cellule in cellules_a_couvrir:
            # The combination of the group's relations that gives the cell's value uses visible cells: the
            # smallest of them is hidden too, so that this combination no longer gives it (hiding a cell of
            # the cell's own relations instead can take hundreds of passes: a département determined through
            # its région gets its communes hidden one by one, and may stay determined).
            autres = groupes.dans_la_combinaison(cellule, candidat=lambda m: m not in masques and not inconnu(m))
            if autres:
                cacher(min(autres, key=taille))
                progres = True
        if not progres:
            return masques
        passe_simple()


class _Groupes:
    """The hidden cells linked by the relations that have a hidden member, grouped (union-find), kept up
    to date from one pass to the next: a group whose cells and relations did not change keeps the
    answer of its last check, so only the groups touched by newly hidden cells are solved again."""

    def __init__(self, actives, relations_de, masques):
        self.actives = actives
        self.relations_de = relations_de
        self.masques = masques
        self.vus: set = set()  # hidden cells already placed in a group
        self.parent: dict = {}
        self.relations: dict = {}  # root -> indexes (in ``actives``) of the group's relations
        self.touchees: dict[int, Hashable] = {}  # relation with a hidden member -> one of its hidden members
        self.reponse: dict = {}  # root -> the group's determined cell (or None), while the group is unchanged

    def _racine(self, x):
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def _unir(self, a, b):
        a, b = self._racine(a), self._racine(b)
        if a == b:
            return a
        if len(self.relations[a]) < len(self.relations[b]):
            a, b = b, a
        self.parent[b] = a
        self.relations[a] += self.relations.pop(b)
        self.reponse.pop(b, None)
        return a

    def _ajouter(self, m) -> None:
        self.vus.add(m)
        self.parent[m] = m
        self.relations[m] = []
        for n in self.relations_de.get(m, ()):
            autre = self.touchees.get(n)
            if autre is None:
                self.touchees[n] = m
                racine = self._racine(m)
                self.relations[racine].append(n)
            else:
                racine = self._unir(m, autre)
            self.reponse.pop(racine, None)
        if not self.relations[self._racine(m)]:
            # In no relation with a hidden member: no system, no group (as a cell of no relation).
            del self.relations[m]

    def dans_la_combinaison(self, cellule, *, candidat) -> list:
        """The visible cells (``candidat``) that the combination of the group's relations giving the value
        of ``cellule`` involves, i.e. whose coefficient in that combination is not zero."""
        indexes, membres, a = self._systeme(sorted(self.relations[self._racine(cellule)]))
        e = np.zeros(len(membres))
        e[membres.index(cellule)] = 1.0
        y = np.linalg.lstsq(a.T, e, rcond=None)[0]
        coefficients: dict = {}
        for n, yn in zip(indexes, y, strict=True):
            if abs(yn) < 1e-9:
                continue
            t, p = self.actives[n]
            for m, coef in ((t, -1.0), *((x, 1.0) for x in p)):
                if candidat(m):
                    coefficients[m] = coefficients.get(m, 0.0) + yn * coef
        return [m for m, c in coefficients.items() if abs(c) > 1e-9]

    def recalculables(self) -> list:
        """The hidden cells that the visible cells and the relations determine (one per group of linked
        cells), groups in the order of their first relation."""
        for m in self.masques - self.vus:
            self._ajouter(m)
        trouvees = []
        for racine in sorted(self.relations, key=lambda r: min(self.relations[r])):
            if racine not in self.reponse:
                self.reponse[racine] = self._resoudre(sorted(self.relations[racine]))
            if self.reponse[racine] is not None:
                trouvees.append(self.reponse[racine])
        return trouvees

    def _resoudre(self, indexes: list[int]):
        _indexes, membres, a = self._systeme(indexes)
        # A hidden cell is determined iff its unit vector lies in the row space of the system, i.e. iff
        # its column of the row space's orthonormal basis (reduced SVD) has norm 1.
        _u, sv, vt = np.linalg.svd(a, full_matrices=False)
        rang = int((sv > 1e-9 * max(1.0, sv.max(initial=0.0))).sum())
        normes = (vt[:rang] ** 2).sum(axis=0)
        for i, m in enumerate(membres):
            if normes[i] > 1 - 1e-9:
                return m
        return None

    def _systeme(self, indexes: list[int]):
        """The relations ``indexes`` restricted to their hidden cells: (indexes, hidden cells, matrix)."""
        masques = self.masques
        equations = []
        for n in indexes:
            t, p = self.actives[n]
            eq = [(t, -1.0)] if t in masques else []
            eq += [(x, 1.0) for x in p if x in masques]
            equations.append(eq)
        membres = sorted({m for eq in equations for m, _c in eq}, key=str)
        index = {m: i for i, m in enumerate(membres)}
        a = np.zeros((len(equations), len(membres)))
        for ligne, eq in enumerate(equations):
            for m, coef in eq:
                a[ligne, index[m]] += coef
        return indexes, membres, a


def table_croisee(
    effectifs: Mapping[tuple[Hashable, Hashable], float],
    *,
    lignes: Sequence,
    colonnes: Sequence,
    seuil: int | None = None,
) -> tuple[dict, set]:
    """A two-way table of counts with its margins, and the keys to hide.

    Returns ``(valeurs, masques)``: ``valeurs[(l, c)]`` for every cell, ``valeurs[(l, None)]`` the row
    totals, ``valeurs[(None, c)]`` the column totals and ``valeurs[(None, None)]`` the grand total.
    """
    valeurs: dict = {}
    for ligne in lignes:
        for colonne in colonnes:
            valeurs[(ligne, colonne)] = effectifs.get((ligne, colonne), 0)
        valeurs[(ligne, None)] = sum(valeurs[(ligne, c)] for c in colonnes)
    for colonne in colonnes:
        valeurs[(None, colonne)] = sum(valeurs[(ligne, colonne)] for ligne in lignes)
    valeurs[(None, None)] = sum(valeurs[(ligne, None)] for ligne in lignes)
    relations = [((ligne, None), [(ligne, c) for c in colonnes]) for ligne in lignes]
    relations += [((None, c), [(ligne, c) for ligne in lignes]) for c in colonnes]
    relations.append(((None, None), [(ligne, None) for ligne in lignes]))
    relations.append(((None, None), [(None, c) for c in colonnes]))
    cellules = {k: Cellule(effectif=v) for k, v in valeurs.items()}
    return valeurs, masquer(cellules, relations=relations, seuil=seuil)
