"""The engine's batch path: amounts and eligibility as arrays, no per-household result objects.

``simuler_lot_tableaux(menages, *, prestations=None, mode="rapide") -> ResultatsLot``
    Same OpenFisca simulation as ``repere.droits.moteur.simuler_lot`` (same mapping, same inputs,
    same injected past benefits: it calls ``moteur.calculer``), same rules for the amount and the
    eligibility of each benefit (``tableaux`` below), returned as numpy arrays of shape
    (households, benefits). The batch screener writes these arrays; ``simuler_lot`` builds its
    pydantic results (with explanations) on top of the very same ``tableaux``, so both paths give
    the same amounts and eligibility by construction.

Eligibility codes: ``NON = 0``, ``OUI = 1``, ``INCERTAIN = 2`` (``ELIGIBILITES[code]`` gives the text).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from repere.droits.a_demander import masque_a_demander
from repere.droits.menage import Menage, NatureRevenu, Role, StatutLogement
from repere.droits.prestations import PAR_CODE

NON, OUI, INCERTAIN = 0, 1, 2
ELIGIBILITES = ("non", "oui", "incertain")


@dataclass
class ResultatsLot:
    """Per household (rows, in the order of the households given) and per benefit (columns, ``codes``)."""

    codes: tuple[str, ...]
    montant: np.ndarray  # float64 (n, k): amount on the benefit's period (0 when "non"), to the cent
    montant_mensuel: np.ndarray  # float64 (n, k): monthly equivalent, to the cent
    eligible: np.ndarray  # int8 (n, k): NON / OUI / INCERTAIN
    recu: np.ndarray  # float64 (n, k): monthly amount declared as already received (0 if none)
    rfr: np.ndarray  # float64 (n,): RFR N-2 used (declared or estimated)
    rfr_estime: np.ndarray  # bool (n,)
    declare: np.ndarray | None = None  # bool (n, k): declared as received (even with a 0 amount)
    # Before the other benefits to claim are obtained (one pass): monthly amount and eligibility.
    mensuel_aujourdhui: np.ndarray | None = None
    eligible_aujourdhui: np.ndarray | None = None

    def __post_init__(self):
        n, k = self.montant.shape
        if self.declare is None:
            self.declare = self.recu > 0
        if self.mensuel_aujourdhui is None:
            self.mensuel_aujourdhui = self.montant_mensuel.copy()
        if self.eligible_aujourdhui is None:
            self.eligible_aujourdhui = self.eligible.copy()

    def __len__(self) -> int:
        return len(self.rfr)

    def colonne(self, code: str) -> int:
        return self.codes.index(code)

    @property
    def a_demander(self) -> np.ndarray:
        """bool (n, k): probable and not received (``repere.droits.a_demander``, the one definition)."""
        return masque_a_demander(self.eligible, self.declare, oui=OUI)

    def sous_ensemble(self, codes: tuple[str, ...]) -> ResultatsLot:
        """The same results restricted to ``codes`` (columns in that order)."""
        if codes == self.codes:
            return self
        cols = [self.colonne(c) for c in codes]
        return ResultatsLot(
            codes=codes,
            rfr=self.rfr,
            rfr_estime=self.rfr_estime,
            **{nom: getattr(self, nom)[:, cols] for nom in _COLONNES},
        )


_COLONNES = ("montant", "montant_mensuel", "eligible", "recu", "declare", "mensuel_aujourdhui", "eligible_aujourdhui")


@dataclass
class _Faits:
    """Household facts the eligibility rules read besides OpenFisca's values (one pass, no objects)."""

    independant: np.ndarray  # an income from self-employment in the main famille
    sans_loyer: np.ndarray  # housed for free or homeless: no housing benefit
    proprietaire: np.ndarray
    taux_max: np.ndarray  # highest disability rate of demandeur / conjoint
    rsdae: np.ndarray  # "restriction substantielle et durable" for an adult with a rate >= 50 %
    recus: dict[str, np.ndarray]  # declared received code -> monthly amount per household
    declares: dict[str, np.ndarray]  # declared received code -> bool per household


def _faits(menages: Sequence[Menage]) -> _Faits:
    n = len(menages)
    independant = np.zeros(n, dtype=bool)
    statut = [m.logement.statut for m in menages]
    taux_max = np.zeros(n)
    rsdae = np.zeros(n, dtype=bool)
    recus: dict[str, np.ndarray] = {}
    declares: dict[str, np.ndarray] = {}
    for h, m in enumerate(menages):
        for p in m.personnes:
            if p.role == Role.AUTRE:
                continue
            if any(r.nature == NatureRevenu.INDEPENDANT for r in p.revenus):
                independant[h] = True
            if p.role in (Role.DEMANDEUR, Role.CONJOINT):
                if p.taux_incapacite > taux_max[h]:
                    taux_max[h] = p.taux_incapacite
                if p.restriction_emploi and p.taux_incapacite >= 50:
                    rsdae[h] = True
        for r in m.prestations_recues:
            tab = recus.get(r.code)
            if tab is None:
                tab = recus[r.code] = np.zeros(n)
                declares[r.code] = np.zeros(n, dtype=bool)
            tab[h] += r.montant_mensuel
            declares[r.code][h] = True
    statut = np.array([s.value for s in statut])
    return _Faits(
        independant=independant,
        sans_loyer=np.isin(statut, [StatutLogement.HEBERGE_GRATUITEMENT.value, StatutLogement.SANS_DOMICILE.value]),
        proprietaire=statut == StatutLogement.PROPRIETAIRE.value,
        taux_max=taux_max,
        rsdae=rsdae,
        recus=recus,
        declares=declares,
    )


def _valeur(valeurs: dict, variable: str, n: int, defaut=0.0) -> np.ndarray:
    tab = valeurs.get(variable)
    if tab is None:
        return np.full(n, defaut)
    return np.asarray(tab)


def _montant(valeurs: dict, variable: str, n: int) -> np.ndarray:
    return _valeur(valeurs, variable, n).astype(np.float64)


def _oui_si_positif(montant: np.ndarray) -> np.ndarray:
    return np.where(montant > 0, OUI, NON)


def _eligibilite(code: str, valeurs: dict, f: _Faits, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(amount on the benefit's period, eligibility code) for every household: the rules the
    explanations (``repere.droits.explications``) comment on."""
    if code == "rsa":
        montant = _montant(valeurs, "rsa", n)
        non_calculable = _valeur(valeurs, "rsa_non_calculable", n, "calculable") != "calculable"
        return montant, np.where(non_calculable | f.independant, INCERTAIN, _oui_si_positif(montant))
    if code == "ppa":
        montant = _montant(valeurs, "ppa", n)
        return montant, np.where(f.independant, INCERTAIN, _oui_si_positif(montant))
    if code == "aide_logement":
        montant = _montant(valeurs, "aide_logement", n)
        exclu = f.sans_loyer | f.proprietaire
        non_calculable = _valeur(valeurs, "aide_logement_non_calculable", n, "calculable") != "calculable"
        eligible = np.where(f.independant & (montant > 0), INCERTAIN, _oui_si_positif(montant))
        eligible = np.where(non_calculable, INCERTAIN, eligible)
        return np.where(exclu, 0.0, montant), np.where(exclu, NON, eligible)
    if code == "css_gratuite":
        gratuite = _valeur(valeurs, "cmu_c", n, False).astype(bool)
        return np.zeros(n), np.where(gratuite, OUI, NON)
    if code == "css_participation":
        gratuite = _valeur(valeurs, "cmu_c", n, False).astype(bool)
        participation = _montant(valeurs, "css_participation_forfaitaire", n)
        return np.zeros(n), np.where(~gratuite & (participation > 0), OUI, NON)
    if code == "aah":
        montant = _montant(valeurs, "aah", n)
        sous_50 = f.taux_max < 50
        sans_rsdae = (f.taux_max < 80) & ~f.rsdae
        eligible = np.where(sans_rsdae, np.where(montant <= 0, INCERTAIN, OUI), _oui_si_positif(montant))
        return np.where(sous_50, 0.0, montant), np.where(sous_50, NON, eligible)
    variable = {"ars": "ars_nette_crds"}.get(code, code)
    montant = _montant(valeurs, variable, n)
    return montant, _oui_si_positif(montant)


def tableaux(menages: Sequence[Menage], *, valeurs: dict, contexte: dict, codes: Sequence[str]) -> ResultatsLot:
    """Amounts and eligibility of ``codes`` for the households of one ``moteur.calculer`` run."""
    n = len(menages)
    k = len(codes)
    f = contexte.get("faits_lot")
    if f is None:  # read once per batch (the coherent combination calls this at each pass)
        f = contexte["faits_lot"] = _faits(menages)
    montant = np.zeros((n, k))
    mensuel = np.zeros((n, k))
    eligible = np.zeros((n, k), dtype=np.int8)
    recu = np.zeros((n, k))
    declare = np.zeros((n, k), dtype=bool)
    for j, code in enumerate(codes):
        fiche = PAR_CODE[code]
        m, e = _eligibilite(code, valeurs, f, n)
        m = np.where(e == NON, 0.0, np.round(m, 2))
        montant[:, j] = m
        mensuel[:, j] = m if fiche.periode == "mensuel" else np.round(m / 12, 2)
        eligible[:, j] = e
        for x in fiche.codes_recus:
            if x in f.recus:
                recu[:, j] += f.recus[x]
                declare[:, j] |= f.declares[x]
    structure = contexte["structure"]
    faits = contexte["faits"]
    principale = structure.famille_principale
    return ResultatsLot(
        codes=tuple(codes),
        montant=montant,
        montant_mensuel=mensuel,
        eligible=eligible,
        recu=recu,
        declare=declare,
        rfr=np.asarray(faits["rfr"], dtype=np.float64)[principale],
        rfr_estime=~np.asarray(faits["rfr_declare"], dtype=bool)[principale],
    )


def _concatener(morceaux: list[tuple[list[int], ResultatsLot]], n: int, codes: tuple[str, ...]) -> ResultatsLot:
    if len(morceaux) == 1 and morceaux[0][0] == list(range(n)):
        return morceaux[0][1]
    k = len(codes)
    out = ResultatsLot(
        codes=codes,
        montant=np.zeros((n, k)),
        montant_mensuel=np.zeros((n, k)),
        eligible=np.zeros((n, k), dtype=np.int8),
        recu=np.zeros((n, k)),
        rfr=np.zeros(n),
        rfr_estime=np.zeros(n, dtype=bool),
        declare=np.zeros((n, k), dtype=bool),
        mensuel_aujourdhui=np.zeros((n, k)),
        eligible_aujourdhui=np.zeros((n, k), dtype=np.int8),
    )
    for indices, r in morceaux:
        idx = np.asarray(indices)
        for nom in (*_COLONNES, "rfr", "rfr_estime"):
            getattr(out, nom)[idx] = getattr(r, nom)
    return out


def par_mois(menages: Sequence[Menage]) -> dict[str, list[int]]:
    """Indices of the households per reference month (one OpenFisca simulation per month)."""
    groupes: dict[str, list[int]] = {}
    for i, m in enumerate(menages):
        groupes.setdefault(m.mois, []).append(i)
    return groupes


def simuler_lot_tableaux(
    menages: Sequence[Menage],
    *,
    prestations: Iterable[str] | None = None,
    mode: str = "rapide",
    coherent: bool = True,
) -> ResultatsLot:
    """Simulate ``menages`` (chunks of a few thousand) and return amounts and eligibility as arrays,
    for the coherent combination of benefits (``repere.droits.combinaison``; ``coherent=False``: the
    previous one-pass computation, for the benchmark)."""
    from repere.droits import combinaison, moteur

    codes = moteur.verifier_codes(prestations, mode)
    morceaux = []
    for indices in par_mois(menages).values():
        lot = [menages[i] for i in indices]
        valeurs, contexte, resultats = combinaison.combiner(lot, codes=codes, mode=mode, coherent=coherent)
        morceaux.append((indices, resultats))
        del valeurs, contexte
        if len(lot) > 1000:
            gc.collect()
    return _concatener(morceaux, len(menages), codes)
