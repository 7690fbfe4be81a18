"""The engine's batch path: amounts and eligibility as arrays, no per-household result objects.

``simuler_lot_tableaux(menages, *, prestations=None, mode="rapide") -> ResultatsLot``
    Same OpenFisca simulation as ``repere.droits.moteur.simuler_lot`` (same mapping, same inputs,
    same injected past benefits: both build a ``moteur.Calcul`` from columns), same rules for the amount and the
    eligibility of each benefit (``tableaux`` below), returned as numpy arrays of shape
    (households, benefits). The batch screener writes these arrays; ``simuler_lot`` builds its
    pydantic results (with explanations) on top of the very same ``tableaux``, so both paths give
    the same amounts and eligibility by construction.

Eligibility codes: ``NON = 0``, ``OUI = 1``, ``INCERTAIN = 2`` (``ELIGIBILITES[code]`` gives the text).
"""

from __future__ import annotations

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

    def lignes(self, lignes: np.ndarray) -> _Faits:
        """The same facts for the households ``lignes`` only."""
        return _Faits(
            independant=self.independant[lignes],
            sans_loyer=self.sans_loyer[lignes],
            proprietaire=self.proprietaire[lignes],
            taux_max=self.taux_max[lignes],
            rsdae=self.rsdae[lignes],
            recus={code: v[lignes] for code, v in self.recus.items()},
            declares={code: v[lignes] for code, v in self.declares.items()},
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


def tableaux(
    menages: Sequence[Menage],
    *,
    valeurs: dict,
    contexte: dict,
    codes: Sequence[str],
    lignes: np.ndarray | None = None,
) -> ResultatsLot:
    """Amounts and eligibility of ``codes`` for the households of one ``moteur.calculer`` run;
    ``lignes``: for these households only (rows in that order), e.g. those a pass of the coherent
    combination recomputed."""
    f = contexte["faits_lot"]  # read once per batch by ``moteur.Calcul.contexte`` (``faits_colonnes``)
    structure = contexte["structure"]
    principale = structure.famille_principale
    if lignes is None:
        n = len(menages)
    else:
        n = len(lignes)
        valeurs = {variable: np.asarray(v)[lignes] for variable, v in valeurs.items()}
        f = f.lignes(lignes)
        principale = principale[lignes]
    k = len(codes)
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
    faits = contexte["faits"]
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
    menages: Sequence[Menage] | MenagesColonnes,
    *,
    prestations: Iterable[str] | None = None,
    mode: str = "rapide",
    coherent: bool = True,
) -> ResultatsLot:
    """Simulate ``menages`` (validated households, or their columns ``MenagesColonnes``; chunks of
    25,000-50,000 households) and return amounts and eligibility as arrays, for the coherent
    combination of benefits (``repere.droits.combinaison``; ``coherent=False``: the previous one-pass
    computation, for the benchmark). The OpenFisca inputs are built from columns (``CalculColonnes``)."""
    from repere.droits import combinaison, moteur

    codes = moteur.verifier_codes(prestations, mode)
    if isinstance(menages, MenagesColonnes):
        groupes = [(None, menages)]
    else:
        groupes = [
            (indices, colonnes_de_menages([menages[i] for i in indices])) for indices in par_mois(menages).values()
        ]
    morceaux = []
    for indices, colonnes in groupes:
        calcul = CalculColonnes(colonnes, mode=mode, suivre=coherent)
        _valeurs, _contexte, resultats = combinaison.combiner(
            colonnes, codes=codes, mode=mode, coherent=coherent, calcul=calcul
        )
        morceaux.append((list(range(len(colonnes))) if indices is None else indices, resultats))
        # No gc.collect() here: the simulation's arrays are freed by reference counting, and a full
        # collection per chunk cost ~10 % of the batch (the tax-benefit system is frozen out of it).
    return _concatener(morceaux, len(menages), codes)


# --- the columnar batch: households as arrays, no Python object per person -------------------------
#
# The batch screener validates a file by column and hands the engine a ``MenagesColonnes``: the same
# facts as a list of ``Menage`` (the model stays the contract: ``colonnes_de_menages`` converts a list
# of validated households, and ``tests/depistage/test_lot_egal_simulation.py`` checks that a household
# computed from columns gets exactly what ``simuler`` gives it alone). ``CalculColonnes`` builds the
# OpenFisca entities and inputs from these arrays with the engine's own tables (``repere.droits.moteur``:
# income ratios, injected benefits, zero inputs), with numpy only.

ROLES = tuple(Role)
_I_DEMANDEUR, _I_CONJOINT, _I_ENFANT, _I_AUTRE = (
    ROLES.index(r) for r in (Role.DEMANDEUR, Role.CONJOINT, Role.ENFANT, Role.AUTRE)
)
STATUTS = tuple(StatutLogement)
NATURES = tuple(NatureRevenu)


def _activites():
    from repere.droits.menage import Activite

    return tuple(Activite)


def _niveaux():
    from repere.droits.menage import NiveauScolaire

    return (None, *NiveauScolaire)


@dataclass
class MenagesColonnes:
    """N households of one month as columns. Households: arrays of length n; persons: arrays of length
    p, grouped by household in order (``p_menage`` is non-decreasing). Categorical columns are indices
    into the model's enumerations (``ROLES``, ``STATUTS``, ``Activite``, ``(None, *NiveauScolaire)``)."""

    mois: str
    commune: np.ndarray  # str (n,)
    statut: np.ndarray  # int8 (n,) index in STATUTS
    loyer: np.ndarray
    charges: np.ndarray
    colocation: np.ndarray
    logement_social: np.ndarray
    meuble: np.ndarray
    rfr: np.ndarray  # float (n,), NaN when not declared
    isolement: np.ndarray
    recus: dict  # code -> float (n,) monthly amount declared as received
    declares: dict  # code -> bool (n,)
    p_menage: np.ndarray  # int64 (p,)
    role: np.ndarray  # int8 (p,) index in ROLES
    naissance: np.ndarray  # datetime64[D] (p,): given, or estimated from the age (Personne.naissance_estimee)
    activite: np.ndarray  # int8 (p,)
    taux: np.ndarray  # int (p,)
    restriction: np.ndarray
    enceinte: np.ndarray
    niveau: np.ndarray  # int8 (p,), 0 = not given
    revenus: np.ndarray  # float (p, len(NATURES), 4): [mean, M-1, M-2, M-3]
    independant_declare: np.ndarray  # bool (p,): a self-employment income is declared

    def __len__(self) -> int:
        return len(self.commune)

    @property
    def premier_jour(self):
        import datetime as dt

        annee, mois = self.mois.split("-")
        return dt.date(int(annee), int(mois), 1)

    @property
    def nb_personnes(self) -> np.ndarray:
        return np.bincount(self.p_menage, minlength=len(self))


def naissance_depuis_age(age: np.ndarray, jour) -> np.ndarray:
    """``Personne.naissance_estimee`` for arrays of ages: born the 1st of the month after ``jour``'s,
    ``age + 1`` years earlier (so the age holds during the whole simulated month)."""
    mois = jour.month % 12 + 1
    annee = jour.year - np.asarray(age, dtype=np.int64) - 1 + (1 if mois == 1 else 0)
    return (annee - 1970).astype("datetime64[Y]") + np.timedelta64(mois - 1, "M") + np.timedelta64(0, "D")


def ages_au(naissance: np.ndarray, jour) -> np.ndarray:
    """``Personne.age_au(jour)`` for an array of birth dates."""
    annees = naissance.astype("datetime64[Y]").astype(np.int64) + 1970
    mois = naissance.astype("datetime64[M]").astype(np.int64) % 12 + 1
    jours = (naissance - naissance.astype("datetime64[M]")).astype(np.int64) + 1
    return ages_des_dates(annees, mois, jours, jour)


def ages_des_dates(annees: np.ndarray, mois: np.ndarray, jours: np.ndarray, jour) -> np.ndarray:
    """``Personne.age_au(jour)`` for birth dates given as year, month and day arrays (the file's reader has
    them already: no calendar conversion)."""
    avant = (jour.month < mois) | ((jour.month == mois) & (jour.day < jours))
    return jour.year - annees - avant


def colonnes_de_menages(menages: Sequence[Menage]) -> MenagesColonnes:
    """The columns of validated households (same month)."""
    activites, niveaux = _activites(), _niveaux()
    jour = menages[0].premier_jour
    personnes = [(h, p) for h, m in enumerate(menages) for p in m.personnes]
    nb_p = len(personnes)
    revenus = np.zeros((nb_p, len(NATURES), 4))
    independant = np.zeros(nb_p, dtype=bool)
    for i, (_, p) in enumerate(personnes):
        for r in p.revenus:
            k = NATURES.index(r.nature)
            revenus[i, k] += [r.montant_du_mois(0), r.montant_du_mois(1), r.montant_du_mois(2), r.montant_du_mois(3)]
            if r.nature == NatureRevenu.INDEPENDANT:
                independant[i] = True
    n = len(menages)
    recus: dict = {}
    declares: dict = {}
    for h, m in enumerate(menages):
        for r in m.prestations_recues:
            if r.code not in recus:
                recus[r.code], declares[r.code] = np.zeros(n), np.zeros(n, dtype=bool)
            recus[r.code][h] += r.montant_mensuel
            declares[r.code][h] = True
    return MenagesColonnes(
        mois=menages[0].mois,
        commune=np.array([m.commune for m in menages], dtype=object),
        statut=np.array([STATUTS.index(m.logement.statut) for m in menages], dtype=np.int8),
        loyer=np.array([m.logement.loyer for m in menages], dtype=np.float64),
        charges=np.array([m.logement.charges for m in menages], dtype=np.float64),
        colocation=np.array([m.logement.colocation for m in menages], dtype=bool),
        logement_social=np.array([m.logement.logement_social for m in menages], dtype=bool),
        meuble=np.array([m.logement.meuble for m in menages], dtype=bool),
        rfr=np.array(
            [np.nan if m.revenu_fiscal_reference_n2 is None else m.revenu_fiscal_reference_n2 for m in menages]
        ),
        isolement=np.array([m.isolement_recent for m in menages], dtype=bool),
        recus=recus,
        declares=declares,
        p_menage=np.array([h for h, _ in personnes], dtype=np.int64),
        role=np.array([ROLES.index(p.role) for _, p in personnes], dtype=np.int8),
        naissance=np.array(
            [np.datetime64(p.naissance_estimee(jour), "D") for _, p in personnes], dtype="datetime64[D]"
        ),
        activite=np.array([activites.index(p.activite) for _, p in personnes], dtype=np.int8),
        taux=np.array([p.taux_incapacite for _, p in personnes], dtype=np.int64),
        restriction=np.array([p.restriction_emploi for _, p in personnes], dtype=bool),
        enceinte=np.array([p.enceinte for _, p in personnes], dtype=bool),
        niveau=np.array([niveaux.index(p.niveau_scolaire) for _, p in personnes], dtype=np.int8),
        revenus=revenus,
        independant_declare=independant,
    )


class StructureColonnes:
    """The OpenFisca entities as integer arrays, built from ``MenagesColonnes`` (the only builder, for one
    household as for a chunk):
    one famille + foyer per household, plus one per « autre » person."""

    def __init__(self, c: MenagesColonnes):
        self.colonnes = c
        n = self.n = len(c)
        nb_p = len(c.p_menage)
        autre = c.role == _I_AUTRE
        familles_par_menage = 1 + np.bincount(c.p_menage, weights=autre, minlength=n).astype(np.int64)
        self.famille_principale = np.concatenate([[0], np.cumsum(familles_par_menage)[:-1]]).astype(np.int64)
        self.nb_familles = int(familles_par_menage.sum())
        self.famille_menage = np.repeat(np.arange(n, dtype=np.int64), familles_par_menage)
        self.debut_menage = np.concatenate([[0], np.cumsum(np.bincount(c.p_menage, minlength=n))[:-1]]).astype(np.int64)
        cumul = np.cumsum(autre)
        avant = np.concatenate([[0], cumul])[self.debut_menage][c.p_menage]  # autres before the household
        rang_autre = np.where(autre, cumul - avant, 0)
        self.p_menage = c.p_menage
        self.p_famille = self.famille_principale[c.p_menage] + rang_autre
        self.personnes = range(nb_p)  # only its length is read (``moteur.simulation_des_entites``)
        self.menages = None  # no Python household here: the columns are in ``colonnes``
        self.roles = np.array([r.value for r in ROLES])[c.role]
        self.role_famille = np.array(["demandeur", "conjoint", "enfant", "demandeur"])[c.role]
        self.role_foyer = np.array(["declarant_principal", "conjoint", "personne_a_charge", "declarant_principal"])[
            c.role
        ]
        self.role_menage = np.array(["personne_de_reference", "conjoint", "enfant", "autre"])[c.role]
        self.p_principal = self.p_famille == self.famille_principale[self.p_menage]

    def simulation(self, tbs):
        from repere.droits import moteur

        return moteur.simulation_des_entites(self, tbs)

    def premier_par_menage(self, masque: np.ndarray) -> np.ndarray:
        """Index of the first person of each household where ``masque`` holds (-1 if none)."""
        nb_p = len(masque)
        premier = np.full(self.n, nb_p, dtype=np.int64)
        idx = np.flatnonzero(masque)
        np.minimum.at(premier, self.p_menage[idx], idx)
        return np.where(premier == nb_p, -1, premier)

    def beneficiaire(self, code: str) -> np.ndarray:
        """For every household, the person a received AAH / ASS goes to: the first adult of the main famille
        meeting its condition (rate ≥ 50 %, unemployed), else the first adult."""
        from repere.droits.menage import Activite

        c = self.colonnes
        candidats = self.p_principal & ((c.role == _I_DEMANDEUR) | (c.role == _I_CONJOINT))
        if code == "aah":
            condition = c.taux >= 50
        else:
            condition = c.activite == _activites().index(Activite.CHOMEUR)
        premier = self.premier_par_menage(candidats & condition)
        return np.where(premier >= 0, premier, self.premier_par_menage(candidats))


def _recu(c: MenagesColonnes, code: str) -> np.ndarray:
    tab = c.recus.get(code)
    return np.zeros(len(c)) if tab is None else tab


def _declare(c: MenagesColonnes, code: str) -> np.ndarray:
    tab = c.declares.get(code)
    return np.zeros(len(c), dtype=bool) if tab is None else tab


def entrees_colonnes(structure: StructureColonnes, injections: dict | None = None) -> tuple[dict, dict]:
    """All OpenFisca inputs, as ``{(variable, period): numpy array}``, and the facts the explanations read
    (RFR used, declared or estimated). ``injections``: ``{code: monthly amount per household}`` of benefits
    not declared as received but estimated as obtained, set for the past months as if received (the
    coherent combination). The one place where a household becomes OpenFisca inputs."""
    from repere.droits import moteur
    from repere.droits.menage import Activite

    c = structure.colonnes
    mois = c.mois
    passes, annees = moteur.mois_precedents(mois)
    tous_mois = [*passes, mois]
    nb_p = len(c.p_menage)
    nb_f = structure.nb_familles
    fp = structure.famille_principale
    out: dict = {}
    out[("date_naissance", "ETERNITY")] = c.naissance
    activites = _activites()
    activite = np.array([moteur.ACTIVITE_OPENFISCA[a] for a in activites])[c.activite]
    scolarite = np.array([moteur.SCOLARITE_OPENFISCA[x] for x in _niveaux()])[c.niveau]
    taux = (c.taux / 100).astype(np.float32)
    handicap = taux >= 0.5
    inapte = c.activite == activites.index(Activite.INAPTE)
    revenus = {nature: c.revenus[:, k, :] for k, nature in enumerate(NATURES)}
    # The months of N-2..M read 4 columns only (mean, M-1, M-2, M-3): each income array is built
    # once per column and shared by its months (and converted once by ``moteur.poser``), not per month.
    par_colonne: dict = {}
    for periode in tous_mois:
        out[("activite", periode)] = activite
        out[("scolarite", periode)] = scolarite
        out[("taux_incapacite", periode)] = taux
        out[("handicap", periode)] = handicap
        out[("aah_restriction_substantielle_durable_acces_emploi", periode)] = c.restriction
        out[("enceinte", periode)] = c.enceinte
        out[("inapte_travail", periode)] = inapte
        d = moteur._decalage(mois, periode)
        colonne = d if 1 <= d <= 3 else 0
        tableaux_colonne = par_colonne.get(colonne)
        if tableaux_colonne is None:
            tableaux_colonne = par_colonne[colonne] = {}
            for nature in NATURES:
                montants = np.ascontiguousarray(revenus[nature][:, colonne])
                for variable, ratio in moteur.VARIABLES_REVENU[nature]:
                    tableaux_colonne[variable] = montants * ratio if ratio != 1.0 else montants
        for variable, tableau in tableaux_colonne.items():
            out[(variable, periode)] = tableau
    zero_ff, zero_pp = np.zeros(nb_f), np.zeros(nb_p)
    eee, non_p = np.ones(nb_p, dtype=bool), np.zeros(nb_p, dtype=bool)
    for periode in tous_mois:
        for variable in moteur.ZERO_FOYER_MOIS:
            out[(variable, periode)] = zero_ff
        for variable in moteur.ZERO_INDIVIDU_MOIS:
            out[(variable, periode)] = zero_pp
        out[("ressortissant_eee", periode)] = eee
        out[("apprenti", periode)] = non_p
    for periode in passes:
        for variable in moteur.ZERO_INDIVIDU_PASSE:
            out[(variable, periode)] = zero_pp
        for variable in moteur.ZERO_FAMILLE_PASSE:
            out[(variable, periode)] = zero_ff
    independant = revenus[NatureRevenu.INDEPENDANT][:, 0] * 12
    if independant.any():
        for annee in (*annees, mois[:4]):
            out[("rpns_imposables", annee)] = independant
    isolement = np.zeros(nb_f, dtype=bool)
    isolement[fp] = c.isolement
    vrai_f = np.ones(nb_f, dtype=bool)
    for periode in tous_mois:
        out[("departement_experimentation_rsa", periode)] = vrai_f
    out[("rsa_isolement_recent", mois)] = isolement
    out.update(entrees_injectees_colonnes(structure, passes, injections))
    ars = np.zeros(nb_f)
    ars[fp] = 12 * _recu(c, "ars")
    for annee in annees:
        out[("ars", annee)] = ars
    imposable_annuel = np.zeros(nb_p)
    for nature, ratio in moteur.NATURES_IMPOSABLES.items():
        imposable_annuel += revenus[nature][:, 0] * ratio * 12
    imposable_annuel -= revenus[NatureRevenu.PENSION_ALIMENTAIRE_VERSEE][:, 0] * 12
    rfr = np.maximum(0, np.bincount(structure.p_famille, weights=imposable_annuel, minlength=nb_f))
    rfr = np.floor(rfr * moteur.ABATTEMENT_FRAIS_PRO)
    rfr_declare = np.zeros(nb_f, dtype=bool)
    declare = ~np.isnan(c.rfr)
    rfr[fp[declare]] = c.rfr[declare]
    rfr_declare[fp[declare]] = True
    for annee in annees:
        out[("rfr", annee)] = rfr
    for periode in tous_mois:
        out[("prestations_familiales_base_ressources", periode)] = rfr
        out[("cf_base_ressources", periode)] = rfr
    occupation = {s: moteur.statut_occupation(_Logement(s, False, False)) for s in STATUTS}
    statut = np.array([occupation[s] for s in STATUTS], dtype=object)[c.statut]
    locataire = c.statut == STATUTS.index(StatutLogement.LOCATAIRE)
    statut = np.where(
        locataire,
        np.where(c.logement_social, "locataire_hlm", np.where(c.meuble, "locataire_meuble", "locataire_vide")),
        statut,
    ).astype(str)
    depcom = c.commune.astype(str)
    for periode in tous_mois:
        out[("depcom", periode)] = depcom
        out[("statut_occupation_logement", periode)] = statut
        out[("loyer", periode)] = c.loyer
        out[("charges_locatives", periode)] = c.charges
        out[("coloc", periode)] = c.colocation
        out[("logement_conventionne", periode)] = c.logement_social
    return out, {"rfr": rfr, "rfr_declare": rfr_declare, "revenus": revenus}


@dataclass
class _Logement:
    statut: StatutLogement
    logement_social: bool
    meuble: bool


def _injectes(c: MenagesColonnes, code: str, injections: dict | None) -> np.ndarray:
    """Monthly amount set for the past months: declared as received, else estimated as obtained, else 0."""
    estimes = injections.get(code) if injections else None
    if estimes is None:
        return _recu(c, code)
    return np.where(_declare(c, code), _recu(c, code), np.asarray(estimes, dtype=float))


def entrees_injectees_colonnes(structure: StructureColonnes, passes: list[str], injections: dict | None) -> dict:
    from repere.droits import moteur

    c = structure.colonnes
    nb_p, nb_f = len(c.p_menage), structure.nb_familles
    out: dict = {}
    for code, variables in moteur.INJECTIONS_FAMILLE.items():
        montants = np.zeros(nb_f)
        montants[structure.famille_principale] = _injectes(c, code, injections)
        for variable in variables:
            for periode in passes:
                out[(variable, periode)] = montants
    zero_f, zero_p = np.zeros(nb_f), np.zeros(nb_p)
    for variable in moteur.INJECTIONS_ZERO_FAMILLE:
        for periode in passes:
            out[(variable, periode)] = zero_f
    for variable in moteur.INJECTIONS_ZERO_INDIVIDU:
        for periode in passes:
            out[(variable, periode)] = zero_p
    for code, variables in moteur.INJECTIONS_INDIVIDU.items():
        montants = np.zeros(nb_p)
        recu = _injectes(c, code, injections)
        avec = np.flatnonzero(recu)
        if len(avec):
            montants[structure.beneficiaire(code)[avec]] = recu[avec]
        for variable in variables:
            for periode in passes:
                out[(variable, periode)] = montants
    return out


def pertinence_colonnes(code: str, structure: StructureColonnes) -> np.ndarray:
    """Households for which OpenFisca could give a non-zero amount (others get 0 without computing): only
    conditions OpenFisca itself applies (presence of children, age, disability rate)."""
    from repere.droits.menage import NiveauScolaire

    c = structure.colonnes
    n = len(c)
    enfant = c.role == _I_ENFANT
    adulte = (c.role == _I_DEMANDEUR) | (c.role == _I_CONJOINT)

    def un_au_moins(masque):
        return np.bincount(c.p_menage[masque], minlength=n) > 0

    if code in ("af", "cf", "asf", "ars"):
        return un_au_moins(enfant)
    if code in ("bourse_college", "bourse_lycee"):
        niveau = NiveauScolaire.COLLEGE if code == "bourse_college" else NiveauScolaire.LYCEE
        return un_au_moins(enfant & (c.niveau == _niveaux().index(niveau)))
    if code == "aspa":
        return un_au_moins(adulte & (ages_au(c.naissance, c.premier_jour) >= 60))
    if code == "aah":
        return un_au_moins(adulte & (c.taux >= 50))
    return np.ones(n, dtype=bool)


def faits_colonnes(c: MenagesColonnes) -> _Faits:
    """``_faits`` from columns."""
    from repere.droits.menage import Activite  # noqa: F401 - same enumerations as the model

    n = len(c)
    hors_autre = c.role != _I_AUTRE
    adulte = (c.role == _I_DEMANDEUR) | (c.role == _I_CONJOINT)
    independant = np.bincount(c.p_menage[hors_autre & c.independant_declare], minlength=n) > 0
    taux_max = np.zeros(n)
    np.maximum.at(taux_max, c.p_menage[adulte], c.taux[adulte].astype(np.float64))
    rsdae = np.bincount(c.p_menage[adulte & c.restriction & (c.taux >= 50)], minlength=n) > 0
    sans_loyer = np.isin(
        c.statut, [STATUTS.index(StatutLogement.HEBERGE_GRATUITEMENT), STATUTS.index(StatutLogement.SANS_DOMICILE)]
    )
    return _Faits(
        independant=independant,
        sans_loyer=sans_loyer,
        proprietaire=c.statut == STATUTS.index(StatutLogement.PROPRIETAIRE),
        taux_max=taux_max,
        rsdae=rsdae,
        recus=dict(c.recus),
        declares=dict(c.declares),
    )


class CalculColonnes:
    """``moteur.Calcul`` of ``MenagesColonnes`` (one OpenFisca simulation, kept for the coherent
    combination's re-injections); ``intermediaires=False``: amounts and eligibility only (``tableaux``),
    the explanations' intermediates are not computed."""

    def __new__(
        cls, colonnes: MenagesColonnes, *, mode: str = "complet", suivre: bool = True, intermediaires: bool = False
    ):
        from repere.droits import moteur

        return moteur.Calcul(colonnes, mode=mode, suivre=suivre, intermediaires=intermediaires)
