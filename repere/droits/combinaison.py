"""The coherent combination of benefits, on the engine's array path (the simulator, the API, the
batch screener and outreach all go through it).

The RSA, the prime d'activité, the complémentaire santé solidaire, the housing aid and the ASPA count
other benefits in their resources, mostly over past months (RSA/prime d'activité: the 3 reference
months; CSS: the last 12 months; housing aid: the RSA of last month, the AAH). A household that has
not claimed those other benefits yet has them at 0 in its past months, so a one-pass computation
shows each subsidiary benefit as if the others would never be paid, and adds up amounts that cannot
coexist (RSA 573 € + AAH 1 042 €, when the RSA is 0 once the AAH is paid).

``combiner`` computes every benefit once (``aujourd'hui``: the situation declared), then sets the
benefits the household is estimated to obtain (probable, not declared as received) as received in
the past months and recomputes the subsidiary benefits, until nothing moves by more than a cent
(iteration to a fixed point; in practice 1 to 3 more passes, only for the households that change).
The result is the fixed point: declaring every probable benefit as received with its amount and
simulating again gives the same amounts (tests/droits/test_combinaison.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from repere.droits.prestations import CODES

# Benefits the engine computes that other benefits count as resources, and that a household can
# declare as received (same code): their estimate is injected as received in the past months.
INJECTABLES = ("rsa", "ppa", "aide_logement", "af", "cf", "asf", "aah", "aspa")

# Benefits whose amount depends on other benefits (recomputed), and which ones they count
# (OpenFisca-France 176: rsa_base_ressources*, ppa_base_ressources*, css_cmu_base_ressources*,
# aide_logement_base_ressources / rsa last month, aspa_base_ressources / aah of the last 3 months).
RESSOURCES: dict[str, tuple[str, ...]] = {
    "rsa": ("aah", "aspa", "af", "cf", "asf", "aide_logement"),
    "ppa": ("aah", "aspa", "af", "cf", "asf", "aide_logement"),
    "css_gratuite": ("rsa", "aah", "aspa", "af", "cf", "asf", "aide_logement"),
    "css_participation": ("rsa", "aah", "aspa", "af", "cf", "asf", "aide_logement"),
    "aide_logement": ("rsa", "aah"),
    "aspa": ("aah",),
}
SUBSIDIAIRES = tuple(RESSOURCES)
PASSES_MAX = 8
TOLERANCE = 0.005  # euros: below, an amount has not moved
# A pass moves to a sub-simulation of the households that move when they are at most this share
# of the current simulation's (copying the computed values costs less than recomputing the others).
PART_SOUS_CALCUL = 0.6


def codes_internes(codes: Sequence[str]) -> tuple[str, ...]:
    """``codes`` plus every benefit they count in their resources (recursively), in catalogue order."""
    voulus = set(codes)
    a_voir = list(codes)
    while a_voir:
        for c in RESSOURCES.get(a_voir.pop(), ()):
            if c not in voulus:
                voulus.add(c)
                a_voir.append(c)
    return tuple(c for c in CODES if c in voulus)


def _estimations(tab, declares: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Monthly amount of each injectable benefit the household is estimated to obtain (0 if declared:
    the declared amount is injected instead)."""
    from repere.droits.lot import OUI

    out = {}
    for code in INJECTABLES:
        if code not in tab.codes:
            continue
        k = tab.colonne(code)
        probable = (tab.eligible[:, k] == OUI) & ~declares[code]
        out[code] = np.where(probable, tab.montant_mensuel[:, k], 0.0)
    return out


def combiner(
    menages: Sequence,
    *,
    codes: Sequence[str],
    mode: str,
    coherent: bool = True,
    calcul=None,
    sous_ensembles: bool = True,
    expliquer: bool = False,
    arreter_cycles: bool = True,
):
    """(values per variable, context, ``lot.ResultatsLot`` of ``codes``) for households of one month.

    One OpenFisca simulation: after the first pass, the estimated benefits are set as received in the
    past months and only the computations that depend on them are dropped and redone
    (``moteur.Calcul.reinjecter``). ``coherent=False``: the first pass only (each benefit as if the
    others to claim were never obtained). ``calcul``: an already built simulation of ``menages``
    (the batch path's ``lot.CalculColonnes``, built from columns). ``sous_ensembles=False``: every pass
    recomputes the whole chunk (the reference the tests compare the sub-simulations with).
    ``expliquer``: also find, for each subsidiary benefit that changes, the benefits to claim first
    (``contexte["demander_d_abord"]``, see ``_demander_d_abord``).

    A household that never settles goes through every pass (``PASSES_MAX``) and shows what the last
    one gives (``contexte["non_stables"]``). When the benefits it would inject next are exactly ones it
    has already been computed with, the passes that follow repeat a cycle: it is not recomputed any
    more and gets what the last pass would give (``_Cycles``). ``arreter_cycles=False``: every pass
    runs (the reference the tests compare with)."""
    from repere.droits import lot

    n = len(menages)
    internes = codes_internes(codes) if coherent else tuple(codes)
    if calcul is None:  # the simulator: the same OpenFisca inputs as the batch, built from columns
        calcul = lot.CalculColonnes(lot.colonnes_de_menages(menages), mode=mode, suivre=coherent, intermediaires=True)
    valeurs = calcul.valeurs(internes)
    contexte = calcul.contexte()
    tab = lot.tableaux(menages, valeurs=valeurs, contexte=contexte, codes=internes)
    aujourdhui_mensuel = tab.montant_mensuel.copy()
    aujourdhui_eligible = tab.eligible.copy()
    declares = {c: tab.declare[:, tab.colonne(c)] for c in INJECTABLES if c in tab.codes}
    injections = {c: np.zeros(n) for c in declares}
    estimations = _estimations(tab, declares) if coherent else injections
    recalcules = [c for c in internes if c in SUBSIDIAIRES]
    passes = np.ones(n, dtype=np.int8)
    a_recalculer = _differences(estimations, injections, n)
    # The passes run on ``courant``, a simulation of the households ``lignes`` (at first the whole
    # chunk); once the households whose injected benefits move are few enough, on a sub-simulation
    # of them only (``moteur.Calcul.sous_calcul``: values already computed are carried over, so a
    # household that stays out gets exactly the amounts it would get by being recomputed).
    courant, lignes = calcul, np.arange(n)
    cycles = _Cycles(n, injections, valeurs, tab, recalcules) if arreter_cycles and recalcules else None
    derniere = 1  # the last pass run
    for numero in range(2, PASSES_MAX + 2):
        if not a_recalculer.any() or not recalcules:
            break
        injections = estimations
        bougent = np.flatnonzero(a_recalculer)
        if sous_ensembles and len(bougent) <= PART_SOUS_CALCUL * len(lignes):
            courant = courant.sous_calcul(np.searchsorted(lignes, bougent))
            lignes = bougent
        courant.reinjecter({c: e[lignes] for c, e in injections.items()})
        v = courant.valeurs(recalcules)
        _reporter(valeurs, v, lignes, n)
        # Amounts and eligibility of the households recomputed only (the others have not changed).
        t = lot.tableaux(
            menages, valeurs=valeurs, contexte=contexte, codes=recalcules, lignes=None if len(lignes) == n else lignes
        )
        for k, code in enumerate(recalcules):
            j = tab.colonne(code)
            tab.montant[lignes, j] = t.montant[:, k]
            tab.montant_mensuel[lignes, j] = t.montant_mensuel[:, k]
            tab.eligible[lignes, j] = t.eligible[:, k]
        passes[a_recalculer] += 1
        estimations = _estimations(tab, declares)
        a_recalculer = _differences(estimations, injections, n)
        derniere = numero
        if cycles is not None:
            cycles.passe(numero, lignes, injections, v, t)
            a_recalculer &= ~cycles.detecter(numero, estimations, a_recalculer)
    if cycles is not None and cycles.menages.any():
        injections = cycles.terminer(valeurs, tab, injections, estimations, passes, derniere=derniere)
        a_recalculer = a_recalculer | cycles.menages
    if coherent and expliquer:
        contexte["demander_d_abord"] = _demander_d_abord(
            calcul,
            menages,
            contexte=contexte,
            tab=tab,
            injections=injections,
            aujourdhui=(aujourdhui_mensuel, aujourdhui_eligible),
        )
    contexte["injections"] = injections
    contexte["declares"] = declares
    contexte["passes"] = passes
    contexte["non_stables"] = a_recalculer
    tab.mensuel_aujourdhui = aujourdhui_mensuel
    tab.eligible_aujourdhui = aujourdhui_eligible
    return valeurs, contexte, tab.sous_ensemble(tuple(codes))


class _Cycles:
    """The households of ``combiner`` caught in a cycle: what each pass injected and gave them, and,
    once the injection a household would get next is exactly one it was already computed with
    (pass ``q``), the pass among the cycle's whose results the last pass (``PASSES_MAX + 1``) would
    give: every pass depends only on the household's own injected benefits, so the passes from
    then on repeat those from ``q``."""

    def __init__(self, n: int, injections: dict, valeurs: dict, tab, recalcules: list[str]):
        self.n = n
        self.colonnes = [tab.colonne(c) for c in recalcules]
        # Pass 1: the first computation (nothing estimated injected), for every household.
        premiere = (
            tab.montant[:, self.colonnes].copy(),
            tab.montant_mensuel[:, self.colonnes].copy(),
            tab.eligible[:, self.colonnes].copy(),
        )
        self.historique = {1: (np.arange(n), dict(injections), dict(valeurs), premiere)}
        self.menages = np.zeros(n, dtype=bool)  # caught in a cycle
        self.source = np.zeros(n, dtype=np.int64)  # the pass whose results the last pass would give

    def passe(self, numero: int, lignes: np.ndarray, injections: dict, v: dict, t) -> None:
        self.historique[numero] = (lignes, injections, v, (t.montant, t.montant_mensuel, t.eligible))

    def detecter(self, numero: int, estimations: dict, bougent: np.ndarray) -> np.ndarray:
        """Households that move and whose next injection (``estimations``) is one already computed."""
        dernier = PASSES_MAX + 1
        trouves = np.zeros(self.n, dtype=bool)
        if numero >= dernier:
            return trouves
        for q, (lignes, injections, _v, _t) in self.historique.items():
            pareil = np.zeros(self.n, dtype=bool)
            pareil[lignes] = True
            for code, e in estimations.items():
                pareil &= e == injections[code]
            nouveaux = pareil & bougent & ~trouves
            if nouveaux.any():
                # injections from pass numero + 1 on repeat those from pass q, with period P.
                periode = numero + 1 - q
                self.source[nouveaux] = q + (dernier - (numero + 1)) % periode
                trouves |= nouveaux
        self.menages |= trouves
        return trouves

    def terminer(self, valeurs, tab, injections, estimations, passes, *, derniere: int) -> dict:
        """Write the last pass's results of the households caught in a cycle; return the injections
        the last pass would leave. The loop would have run to ``PASSES_MAX``: when it stopped before
        (``derniere``: the last pass run), the others had settled, and the next passes would have
        set their ``estimations`` as injections."""
        depart = injections if derniere >= PASSES_MAX + 1 else estimations
        finales = {c: np.array(depart[c], dtype=float) for c in injections}
        for q in np.unique(self.source[self.menages]):
            lignes, inj, v, (montant, mensuel, eligible) = self.historique[int(q)]
            menages = np.flatnonzero(self.menages & (self.source == q))
            pos = np.searchsorted(lignes, menages)
            for c in finales:
                finales[c][menages] = inj[c][menages]
            _reporter(valeurs, {var: np.asarray(x)[pos] for var, x in v.items()}, menages, self.n)
            for k, j in enumerate(self.colonnes):
                tab.montant[menages, j] = montant[pos, k]
                tab.montant_mensuel[menages, j] = mensuel[pos, k]
                tab.eligible[menages, j] = eligible[pos, k]
        passes[self.menages] = PASSES_MAX + 1
        return finales


def a_change(mensuel_0, eligible_0, mensuel, eligible) -> np.ndarray:
    """Whether a benefit is not the same once the others are obtained (eligibility, or 50 cents)."""
    return (np.asarray(eligible_0) != np.asarray(eligible)) | (np.abs(np.asarray(mensuel_0) - mensuel) >= 0.5)


def _demander_d_abord(calcul, menages, *, contexte, tab, injections, aujourdhui) -> dict[str, list[list[str]]]:
    """{subsidiary code: per household, the benefits to claim first}: among the benefits estimated as
    obtained that the subsidiary counts in its resources, those without which it would not be what
    it is once all are obtained (all the others still counted). A benefit counted that changes
    nothing is not named. When each of several would do it alone (none is needed once the others
    are there), all are named. One more computation per benefit to decide, on the same simulation,
    only for the households where two or more are counted (with one, it is that one)."""
    from repere.droits import lot

    mensuel_0, eligible_0 = aujourdhui
    n = len(tab)
    codes = [c for c in tab.codes if c in RESSOURCES]
    estimees = {c: v > 0 for c, v in injections.items()}
    candidats: dict[str, list[list[str]]] = {}
    a_decider: dict[str, np.ndarray] = {}  # benefit to decide -> households
    for code in codes:
        k = tab.colonne(code)
        change = a_change(mensuel_0[:, k], eligible_0[:, k], tab.montant_mensuel[:, k], tab.eligible[:, k])
        comptees = [x for x in RESSOURCES[code] if x in estimees]
        par_menage = [[x for x in comptees if estimees[x][j]] if change[j] else [] for j in range(n)]
        candidats[code] = par_menage
        plusieurs = np.array([len(c) >= 2 for c in par_menage], dtype=bool)
        for x in comptees:
            a_decider[x] = a_decider.get(x, np.zeros(n, dtype=bool)) | (plusieurs & estimees[x])
    compte: dict[tuple[str, str], np.ndarray] = {}  # (code, benefit) -> households where it changes it
    for x, menages_x in a_decider.items():
        if not menages_x.any():
            continue
        sans_x = dict(injections)
        sans_x[x] = np.where(menages_x, 0.0, injections[x])
        calcul.reinjecter(sans_x)
        v = calcul.valeurs([c for c in codes if c in SUBSIDIAIRES])
        t = lot.tableaux(menages, valeurs=v, contexte=contexte, codes=[c for c in codes if c in SUBSIDIAIRES])
        for code in t.codes:
            k, kt = tab.colonne(code), t.colonne(code)
            autre = a_change(t.montant_mensuel[:, kt], t.eligible[:, kt], tab.montant_mensuel[:, k], tab.eligible[:, k])
            compte[(code, x)] = menages_x & autre
    out: dict[str, list[list[str]]] = {}
    for code, par_menage in candidats.items():
        out[code] = []
        for j, comptees in enumerate(par_menage):
            if len(comptees) >= 2:
                nommees = [x for x in comptees if compte.get((code, x), np.zeros(n, dtype=bool))[j]]
                comptees = nommees or comptees
            out[code].append(comptees)
    return out


def _reporter(valeurs: dict, nouvelles: dict, lignes: np.ndarray, n: int) -> None:
    """Write the values recomputed for the households ``lignes`` into the chunk's ``valeurs``."""
    for variable, v in nouvelles.items():
        v = np.asarray(v)
        if len(lignes) == n:
            valeurs[variable] = v
            continue
        ancien = valeurs.get(variable)
        if ancien is None:  # not computed for the chunk: nobody needed it (OpenFisca's default)
            continue
        ancien = np.asarray(ancien)
        tout = ancien.astype(np.result_type(ancien.dtype, v.dtype), copy=True)
        tout[lignes] = v
        valeurs[variable] = tout


def _differences(estimations: dict, injections: dict, n: int) -> np.ndarray:
    """Households whose estimated benefits moved since they were injected."""
    change = np.zeros(n, dtype=bool)
    for c, e in estimations.items():
        change |= np.abs(e - injections[c]) > TOLERANCE
    return change
