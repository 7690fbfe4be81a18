"""The rights engine of Repère, on OpenFisca-France: ONE engine for the simulator, the batch
screener (depistage) and outreach (allervers).

Contract
--------
``simuler_lot(menages, *, prestations=None, mode="complet") -> list[ResultatSimulation]``
    Simulates N households (``repere.droits.menage.Menage``, already validated) in one OpenFisca
    simulation per reference month: persons and entities are numpy arrays (integer ids), inputs are
    set per variable with ``set_input``. Results come back in the order of ``menages``.
    Call it with chunks of a few thousand households (memory grows ~75 KB per household); the
    engine runs ``gc.collect()`` after each chunk it builds.
``simuler(menage, **kw) -> ResultatSimulation``  is ``simuler_lot([menage], **kw)[0]``.
``prestations``  an iterable of codes of ``repere.droits.prestations.CODES`` to compute (default:
    all of the mode). ``mode="rapide"`` computes the benefits flagged ``rapide`` with fewer
    explanation intermediates (outreach pre-screen); ``"complet"`` everything.
``prechauffer()``  builds the tax-benefit system (once per process, ~2-3 s) and runs one household,
    so that the first real request is warm. ``version_moteur()`` gives the versions to store.

A ``ResultatSimulation`` (pydantic, JSON-serialisable) holds, per benefit, a ``ResultatPrestation``:
``code, libelle, eligible ("oui"|"non"|"incertain"), montant, periode ("mensuel"|"annuel"),
montant_mensuel, raisons, manquant, comment_demander, recu, a_demander`` and, for the household,
``total_mensuel``, ``hypotheses`` (estimates made, e.g. RFR estimated from current income) and
``moteur`` (openfisca-france / openfisca-core versions, household model version).

How the household is mapped (see docs/droits-modele-menage.md), in one place for one household and for a
batch: ``Calcul`` turns the households into columns (``lot.colonnes_de_menages``) and builds the entities
and inputs from them (``lot.StructureColonnes``, ``lot.entrees_colonnes``):
- one ``famille`` + one ``foyer_fiscal`` + one ``menage`` per household; an "autre" person of the
  home gets its own famille/foyer inside the same ménage; roles are the detailed ones
  (demandeur/conjoint/enfant, declarant_principal/conjoint/personne_a_charge,
  personne_de_reference/conjoint/enfant/autre);
- declared net incomes are turned into the three concepts OpenFisca reads (net, taxable, gross),
  for every month from January N-2 to M; the 3 last months are used as given, older months get
  their mean;
- ``departement_experimentation_rsa`` is True: RSA / prime d'activité read months M-4..M-2
  ("solidarité à la source", general since 2025-03);
- the RFR of N-2 and N-1 is given (declared, or estimated from current taxable income);
- benefits received are injected for every past month (declared amount, or 0 if not received):
  never recomputed. The current month is computed.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterable, Sequence
from importlib.metadata import version as _version

import numpy as np

from repere.droits import acceleration, combinaison, explications
from repere.droits.menage import (
    VERSION_MODELE,
    Activite,
    Menage,
    NatureRevenu,
    NiveauScolaire,
    StatutLogement,
)
from repere.droits.prestations import CODES, CODES_RAPIDES, PAR_CODE
from repere.droits.schemas import (  # noqa: F401 - re-exported: the engine's contract
    CommentDemanderSchema,
    Mode,
    ResultatPrestation,
    ResultatSimulation,
)

VERSION_MOTEUR = "2.0"

# --- income concepts ---------------------------------------------------------------------------------
# Declared amounts are net. Taxable and gross are derived with the ratios aides-jeunes uses
# (backend/lib/openfisca/mapping/individu/ressources.ts), consistently for every benefit.
SALAIRE_BRUT_SUR_NET = 1 / 0.78
SALAIRE_IMPOSABLE_SUR_NET = 1.0365
CHOMAGE_BRUT_SUR_NET = 1 / (1 - ((0.062 + 0.005) * 0.9825 + 0.028))
CHOMAGE_IMPOSABLE_SUR_NET = 1 + (0.024 + 0.005) * 0.9825 * CHOMAGE_BRUT_SUR_NET
RETRAITE_BRUTE_SUR_NET = 1 / 0.926
RETRAITE_IMPOSABLE_SUR_NET = 1 + (0.024 + 0.005) * RETRAITE_BRUTE_SUR_NET
ABATTEMENT_FRAIS_PRO = 0.9  # 10 % deduction, to estimate the RFR from taxable income

# Which OpenFisca inputs each declared nature feeds: (variable, ratio to the net amount).
VARIABLES_REVENU: dict[NatureRevenu, tuple[tuple[str, float], ...]] = {
    NatureRevenu.SALAIRE: (
        ("salaire_net", 1.0),
        ("salaire_imposable", SALAIRE_IMPOSABLE_SUR_NET),
        ("salaire_de_base", SALAIRE_BRUT_SUR_NET),
    ),
    NatureRevenu.CHOMAGE: (
        ("chomage_net", 1.0),
        ("chomage_imposable", CHOMAGE_IMPOSABLE_SUR_NET),
        ("chomage_brut", CHOMAGE_BRUT_SUR_NET),
    ),
    NatureRevenu.RETRAITE: (
        ("retraite_nette", 1.0),
        ("retraite_imposable", RETRAITE_IMPOSABLE_SUR_NET),
        ("retraite_brute", RETRAITE_BRUTE_SUR_NET),
    ),
    NatureRevenu.PENSION_INVALIDITE: (("pensions_invalidite", 1.0),),
    NatureRevenu.PENSION_ALIMENTAIRE_RECUE: (("pensions_alimentaires_percues", 1.0),),
    NatureRevenu.PENSION_ALIMENTAIRE_VERSEE: (("pensions_alimentaires_versees_individu", 1.0),),
    NatureRevenu.AUTRE: (("gains_exceptionnels", 1.0),),
    # Self-employed income: yearly rpns_imposables (see _entrees_foyer); monthly nothing.
    NatureRevenu.INDEPENDANT: (),
}
NATURES = tuple(NatureRevenu)
# Natures that enter the taxable income (to estimate the RFR when it is not declared).
NATURES_IMPOSABLES = {
    NatureRevenu.SALAIRE: SALAIRE_IMPOSABLE_SUR_NET,
    NatureRevenu.CHOMAGE: CHOMAGE_IMPOSABLE_SUR_NET,
    NatureRevenu.RETRAITE: RETRAITE_IMPOSABLE_SUR_NET,
    NatureRevenu.PENSION_INVALIDITE: 1.0,
    NatureRevenu.INDEPENDANT: 1.0,
    NatureRevenu.PENSION_ALIMENTAIRE_RECUE: 1.0,
}

ACTIVITE_OPENFISCA = {
    Activite.SALARIE: "actif",
    Activite.INDEPENDANT: "actif",
    Activite.CHOMEUR: "chomeur",
    Activite.ETUDIANT: "etudiant",
    Activite.RETRAITE: "retraite",
    Activite.INAPTE: "inactif",
    Activite.AUTRE: "inactif",
}
SCOLARITE_OPENFISCA = {
    None: "inconnue",
    NiveauScolaire.AUCUN: "inconnue",
    NiveauScolaire.MATERNELLE: "maternelle",
    NiveauScolaire.PRIMAIRE: "primaire",
    NiveauScolaire.COLLEGE: "college",
    NiveauScolaire.LYCEE: "lycee",
    NiveauScolaire.SUPERIEUR: "enseignement_superieur",
}


def statut_occupation(logement) -> str:
    s = logement.statut
    if s == StatutLogement.LOCATAIRE:
        if logement.logement_social:
            return "locataire_hlm"
        return "locataire_meuble" if logement.meuble else "locataire_vide"
    return {
        StatutLogement.PROPRIETAIRE: "proprietaire",
        StatutLogement.ACCEDANT: "primo_accedant",
        StatutLogement.HEBERGE_GRATUITEMENT: "loge_gratuitement",
        StatutLogement.FOYER: "locataire_foyer",
        StatutLogement.SANS_DOMICILE: "sans_domicile",
    }[s]


# Benefits received, injected for past months: declared code -> (OpenFisca variable, entity).
INJECTIONS_FAMILLE = {
    "rsa": ("rsa",),
    "ppa": ("ppa",),
    "aide_logement": ("aide_logement", "aide_logement_montant"),
    "af": ("af",),
    "cf": ("cf",),
    "asf": ("asf",),
    "aspa": ("aspa",),
    "paje": ("paje_base",),
}
INJECTIONS_INDIVIDU = {"aah": ("aah",), "ass": ("ass",)}
# Past months of these variables are also set to 0 (never declared as received in the model).
INJECTIONS_ZERO_FAMILLE = ("apl", "als", "alf")
INJECTIONS_ZERO_INDIVIDU = ("asi",)


# Monthly incomes the household model does not describe (capital, rents, daily allowances, work
# accident annuities): 0 for every month. OpenFisca's formulas would find the same 0, at a cost.
ZERO_FOYER_MOIS = (
    "revenus_capitaux_prelevement_liberatoire",
    "revenus_capitaux_prelevement_forfaitaire_unique_ir",
    "revenus_capitaux_prelevement_bareme",
    "rente_viagere_titre_onereux",
)
ZERO_INDIVIDU_MOIS = (
    "revenus_capital",
    "revenus_locatifs",
    "indemnites_journalieres",
    "rente_accident_travail",
    "rsa_base_ressources_patrimoine_individu",
    "rsa_indemnites_journalieres_hors_activite",
    "rsa_indemnites_journalieres_activite",
    # self-employed income enters as yearly rpns_imposables, never as auto-entrepreneur turnover
    "rpns_auto_entrepreneur_benefice",
    "rpns_auto_entrepreneur_CA_achat_revente",
    "rpns_auto_entrepreneur_CA_bic",
    "rpns_auto_entrepreneur_CA_bnc",
    "remuneration_apprenti",  # no apprenticeship contract in the model
)
# Past months of benefits the model does not describe as received (AAH complements, CLCA): 0.
ZERO_INDIVIDU_PASSE = ("caah", "mva")
ZERO_FAMILLE_PASSE = ("paje_clca",)

# --- tax-benefit system, once per process ------------------------------------------------------------

_etat: dict = {"tbs": None, "duree_construction": None}
_verrou = threading.Lock()


def systeme():
    """The OpenFisca-France tax-benefit system, built once per process (thread-safe)."""
    if _etat["tbs"] is None:
        with _verrou:
            if _etat["tbs"] is None:
                debut = time.perf_counter()
                from openfisca_france import FranceTaxBenefitSystem

                chemin = _chemin_cache_parametres()
                positions = chemin.with_name(chemin.name.replace("parametres-", "positions-")) if chemin else None
                with acceleration.CacheParametres(chemin) as cache, acceleration.CachePositions(positions):
                    tbs = FranceTaxBenefitSystem()
                # Official values the pinned OpenFisca-France lacks (versioned file with sources).
                from repere.droits import baremes

                _etat["mises_a_jour"] = baremes.appliquer(tbs)
                _etat["tbs"] = tbs
                acceleration.installer()
                # The system (~1 M objects) lives as long as the process: move it out of the
                # collector's sight, or each gc.collect() after a chunk traverses it (0.3 s).
                gc.collect()
                gc.freeze()
                _etat["duree_construction"] = time.perf_counter() - debut
                _etat["parametres_en_cache"] = cache.lues
    return _etat["tbs"]


_versions: dict[str, str] = {}


def _chemin_cache_parametres():
    """``var/cache/`` of the project, or ``$REPERE_CACHE_OPENFISCA`` (a directory); "0" disables it."""
    import os
    import sys
    from pathlib import Path

    reglage = os.environ.get("REPERE_CACHE_OPENFISCA", "")
    if reglage == "0":
        return None
    dossier = Path(reglage) if reglage else Path(__file__).resolve().parents[2] / "var" / "cache"
    v = version_moteur()
    return dossier / (
        f"parametres-openfisca-france-{v['openfisca_france']}-core-{v['openfisca_core']}"
        f"-py{sys.version_info[0]}{sys.version_info[1]}.pickle"
    )


def version_moteur() -> dict[str, str]:
    # Read once per process: importlib.metadata parses the package metadata at each call (~1 ms),
    # which dominated simuler_lot on large batches (called once per household).
    if not _versions:
        _versions.update(
            openfisca_france=_version("openfisca-france"),
            openfisca_core=_version("openfisca-core"),
            moteur_repere=VERSION_MOTEUR,
            version_modele=VERSION_MODELE,
        )
    return dict(_versions)


_ENFANTS_EXEMPLE = (
    {"role": "enfant", "age": 8, "niveau_scolaire": "primaire"},
    {"role": "enfant", "age": 4, "niveau_scolaire": "maternelle"},
)


def donnees_menage_exemple(*, mois: str | None = None, enfants: int = 2) -> dict:
    """The example household as API input: a parent working part time, tenant in Angers, with 0 to 2 children.

    One definition for the warm-up, the API tests and the load bench's quick simulations.
    """
    data = {
        "commune": "49007",
        "logement": {"statut": "locataire", "loyer": 600},
        "personnes": [
            {
                "role": "demandeur",
                "age": 36,
                "activite": "salarie",
                "revenus": [{"nature": "salaire", "montant_mensuel": 1000}],
            },
            *(dict(enfant) for enfant in _ENFANTS_EXEMPLE[:enfants]),
        ],
    }
    if mois:
        data["mois"] = mois
    return data


def menage_exemple(mois: str | None = None) -> Menage:
    """A lone parent with two children, working part time, tenant in Angers (also used to warm up)."""
    return Menage.model_validate(donnees_menage_exemple(mois=mois))


def prechauffer() -> float:
    """Build the TBS and run one household; return the seconds spent."""
    debut = time.perf_counter()
    systeme()
    simuler(menage_exemple())
    return time.perf_counter() - debut


def prechauffer_en_arriere_plan() -> threading.Thread:
    """Warm the engine in a daemon thread (web process start-up): the first request then finds the
    tax-benefit system built instead of waiting 3-5 s for it."""
    from repere.utils.demarrage import lancer_en_arriere_plan

    return lancer_en_arriere_plan(
        _prechauffer_sans_erreur, nom="prechauffage-openfisca", modules=("openfisca_core", "openfisca_france")
    )


def _prechauffer_sans_erreur() -> None:
    try:
        systeme()
        simuler(menage_exemple(), prestations=("af",))
    except Exception:  # noqa: BLE001 - warming is best effort; the first request will build it
        import logging

        logging.getLogger(__name__).exception("Préchauffage du moteur OpenFisca impossible")
    finally:
        try:
            from django.db import connection

            connection.close()
        except Exception:  # noqa: BLE001, S110 - no Django: nothing to close
            pass


# --- public API ------------------------------------------------------------------------------------------


def simuler(
    menage: Menage, *, prestations: Iterable[str] | None = None, mode: Mode = "complet", coherent: bool = True
) -> ResultatSimulation:
    return simuler_lot([menage], prestations=prestations, mode=mode, coherent=coherent)[0]


def simuler_lot(
    menages: Sequence[Menage],
    *,
    prestations: Iterable[str] | None = None,
    mode: Mode = "complet",
    coherent: bool = True,
) -> list[ResultatSimulation]:
    """Explained results. ``coherent=False`` gives the previous one-pass computation (each benefit as
    if the others to claim were never obtained): for the benchmark and the "today" figures only."""
    from repere.droits import lot

    codes = verifier_codes(prestations, mode)
    resultats: list[ResultatSimulation | None] = [None] * len(menages)
    for indices in lot.par_mois(menages).values():
        menages_du_mois = [menages[i] for i in indices]
        # Amounts and eligibility: the batch path's arrays (the screener writes the same ones),
        # for the coherent combination of all benefits (repere.droits.combinaison).
        valeurs, contexte, tableaux = combinaison.combiner(
            menages_du_mois, codes=codes, mode=mode, coherent=coherent, expliquer=True
        )
        for j, i in enumerate(indices):
            resultats[i] = explications.resultat(
                menages_du_mois[j],
                j,
                valeurs=valeurs,
                contexte=contexte,
                tableaux=tableaux,
                mode=mode,
                moteur=version_moteur(),
            )
        if len(menages_du_mois) > 1000:
            gc.collect()
    return resultats


def verifier_codes(prestations, mode: Mode) -> tuple[str, ...]:
    """The benefit codes to compute, in catalogue order (``ValueError`` in French if unknown)."""
    if mode not in ("complet", "rapide"):
        raise ValueError(f"mode inconnu : {mode} (complet ou rapide)")
    base = CODES if mode == "complet" else CODES_RAPIDES
    if prestations is None:
        return base
    demandes = tuple(prestations)
    inconnus = [c for c in demandes if c not in PAR_CODE]
    if inconnus:
        raise ValueError(f"prestation inconnue : {', '.join(inconnus)} (connues : {', '.join(CODES)})")
    return tuple(c for c in CODES if c in demandes)


# --- building the simulation ------------------------------------------------------------------------------


def simulation_des_entites(structure, tbs):
    """The OpenFisca simulation of the entities of ``structure`` (``lot.StructureColonnes`` or
    ``SousStructure``): persons, famille and foyer fiscal (one per household, plus one per « autre »
    person), ménage, with their detailed roles."""
    from openfisca_core.simulations import SimulationBuilder

    sb = SimulationBuilder()
    sb.create_entities(tbs)
    nb_p = len(structure.personnes)
    sb.declare_person_entity("individu", np.arange(nb_p))
    for entite, roles in (
        ("famille", structure.role_famille),
        ("foyer_fiscal", structure.role_foyer),
    ):
        pop = sb.declare_entity(entite, np.arange(structure.nb_familles))
        sb.join_with_persons(pop, structure.p_famille, roles)
    pop = sb.declare_entity("menage", np.arange(structure.n))
    sb.join_with_persons(pop, structure.p_menage, structure.role_menage)
    return sb.build(tbs)


class SousStructure:
    """The entities of some households of a ``lot.StructureColonnes``, in the same order: what
    ``simulation_des_entites``, ``Calcul.valeurs`` and ``Calcul.reinjecter`` read."""

    def __init__(self, parent, lignes: np.ndarray, *, menages=None):
        n_parent = parent.n
        self.n = len(lignes)
        self.menages = menages
        nouveau_menage = np.full(n_parent, -1, dtype=np.int64)
        nouveau_menage[lignes] = np.arange(self.n)
        self.personnes_gardees = np.flatnonzero(nouveau_menage[parent.p_menage] >= 0)
        self.familles_gardees = np.flatnonzero(nouveau_menage[parent.famille_menage] >= 0)
        nb_p = len(self.personnes_gardees)
        self.personne_de = np.full(len(parent.p_menage), -1, dtype=np.int64)  # parent person -> here
        self.personne_de[self.personnes_gardees] = np.arange(nb_p)
        famille_de = np.full(parent.nb_familles, -1, dtype=np.int64)
        famille_de[self.familles_gardees] = np.arange(len(self.familles_gardees))
        self.nb_familles = len(self.familles_gardees)
        self.personnes = range(nb_p)  # only its length is read
        self.p_menage = nouveau_menage[parent.p_menage[self.personnes_gardees]]
        self.p_famille = famille_de[parent.p_famille[self.personnes_gardees]]
        self.famille_principale = famille_de[parent.famille_principale[lignes]]
        self.famille_menage = nouveau_menage[parent.famille_menage[self.familles_gardees]]
        self.debut_menage = self.personne_de[parent.debut_menage[lignes]]
        self.p_principal = parent.p_principal[self.personnes_gardees]
        for nom in ("roles", "role_famille", "role_foyer", "role_menage"):
            setattr(self, nom, np.asarray(getattr(parent, nom))[self.personnes_gardees])

    def simulation(self, tbs):
        return simulation_des_entites(self, tbs)


class _HoldersParesseux(dict):
    """The holders of a sub-simulation's population (``Calcul.sous_calcul``): a holder of the parent
    population that holds values is copied the first time it is asked for (``get``, what
    ``Population.get_holder`` calls), with its values sliced to the sub-simulation's elements; a
    variable the parent never stored gets openfisca-core's new empty holder, as in any simulation."""

    __slots__ = ("_source", "_population", "_index", "_tranches")

    def __init__(self, source: dict, population, index: np.ndarray, tranches: dict):
        super().__init__()
        self._source, self._population, self._index, self._tranches = source, population, index, tranches

    def get(self, nom, defaut=None):
        holder = dict.get(self, nom)
        if holder is not None:
            return holder
        source = self._source.get(nom)  # a sub-simulation's parent may itself be lazy
        if source is None:
            return defaut
        tableaux = source._memory_storage._arrays
        if not tableaux or source._disk_storage is not None:
            return defaut
        from openfisca_core.data_storage import InMemoryStorage

        # openfisca-core's own ``Holder.clone``, with a storage of its own for the slices.
        copie = object.__new__(type(source))
        copie.__dict__.update(source.__dict__)
        population = self._population
        copie.population, copie.simulation = population, population.simulation
        copie._memory_storage = stockage = InMemoryStorage(is_eternal=source._eternal)
        cible = stockage._arrays
        tranches, index = self._tranches, self._index
        for periode, tableau in tableaux.items():
            # Inputs share one array over many periods: sliced once. The array is kept with its
            # slice, so that its id cannot be reused by another array while the slice is cached.
            deja = tranches.get(id(tableau))
            if deja is None or deja[0] is not tableau:
                deja = tranches[id(tableau)] = (tableau, tableau[index])
            cible[periode] = deja[1]
        dict.__setitem__(self, nom, copie)
        return copie


def mois_precedents(mois: str) -> tuple[list[str], list[str]]:
    """(past months from January N-2 to M-1, years N-2 and N-1) for a reference month ``AAAA-MM``."""
    annee, m = (int(x) for x in mois.split("-"))
    passes = []
    a, mm = annee - 2, 1
    while (a, mm) < (annee, m):
        passes.append(f"{a:04d}-{mm:02d}")
        mm += 1
        if mm == 13:
            a, mm = a + 1, 1
    return passes, [str(annee - 2), str(annee - 1)]


def _decalage(mois_ref: str, mois: str) -> int:
    a1, m1 = (int(x) for x in mois_ref.split("-"))
    a2, m2 = (int(x) for x in mois.split("-"))
    return (a1 - a2) * 12 + (m1 - m2)


# What each benefit code needs from OpenFisca: (variable, entity, "M" month or "A" year of M).
SORTIES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "rsa": (("rsa", "famille", "M"), ("rsa_non_calculable", "famille", "M")),
    "ppa": (("ppa", "famille", "M"),),
    "aide_logement": (
        ("aide_logement", "famille", "M"),
        ("apl", "famille", "M"),
        ("als", "famille", "M"),
        ("alf", "famille", "M"),
        ("aide_logement_non_calculable", "famille", "M"),
    ),
    "css_gratuite": (("cmu_c", "famille", "M"),),
    "css_participation": (("css_participation_forfaitaire", "famille", "M"), ("cmu_c", "famille", "M")),
    "cheque_energie": (("cheque_energie", "menage", "A"),),
    "aah": (("aah", "individu", "M"),),
    "af": (("af", "famille", "M"),),
    "cf": (("cf", "famille", "M"),),
    "asf": (("asf", "famille", "M"),),
    "ars": (("ars_nette_crds", "famille", "A"),),
    "aspa": (("aspa", "famille", "M"),),
    "bourse_college": (("bourse_college", "famille", "M"),),
    "bourse_lycee": (("bourse_lycee", "famille", "M"),),
}
# Intermediates read by the explanations (complete mode only; already computed as dependencies).
INTERMEDIAIRES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "rsa": (
        ("rsa_socle", "famille", "M"),
        ("rsa_base_ressources", "famille", "M"),
        ("rsa_forfait_logement", "famille", "M"),
        ("rsa_majore_eligibilite", "famille", "M"),
        ("rsa_socle_majore", "famille", "M"),
        ("rsa_base_ressources_prestations_familiales", "famille", "M"),
        ("rsa_base_ressources_minima_sociaux", "famille", "M"),
    ),
    "ppa": (("ppa_base_ressources", "famille", "M"),),
    "css_gratuite": (("css_cmu_base_ressources", "famille", "M"), ("cmu_c_plafond", "famille", "M")),
    "css_participation": (("acs_plafond", "famille", "M"),),
    "aide_logement": (("aide_logement_base_ressources", "famille", "M"),),
    "cheque_energie": (
        ("cheque_energie_montant", "menage", "A"),
        ("cheque_energie_eligibilite_logement", "menage", "A"),
    ),
}


class TraceurDependances:
    """openfisca-core's simple tracer (the stack it needs to detect cycles) that also records who
    read what: ``lecteurs[(variable, period)]`` = the (variable, period) computations that read it.
    The coherent combination uses it to recompute only what depends on the benefits it injects."""

    def __init__(self):
        self.stack: list[dict] = []
        self.lecteurs: dict[tuple, set] = {}

    def record_calculation_start(self, variable, period) -> None:
        if self.stack:
            parent = self.stack[-1]
            cle = (variable, period)
            lecteurs = self.lecteurs.get(cle)
            if lecteurs is None:
                lecteurs = self.lecteurs[cle] = set()
            lecteurs.add((parent["name"], parent["period"]))
        self.stack.append({"name": variable, "period": period})

    def lecture(self, variable, period) -> None:
        """A value read from the cache (``acceleration``'s fast path): same record as a start + end."""
        if self.stack:
            parent = self.stack[-1]
            cle = (variable, period)
            lecteurs = self.lecteurs.get(cle)
            if lecteurs is None:
                lecteurs = self.lecteurs[cle] = set()
            lecteurs.add((parent["name"], parent["period"]))

    def record_calculation_result(self, value) -> None:
        pass

    def record_parameter_access(self, parameter, period, value) -> None:
        pass

    def record_calculation_end(self) -> None:
        self.stack.pop()

    def dependants(self, sources: Iterable[tuple]) -> set[tuple]:
        """Every computation that read, directly or not, one of ``sources``."""
        vus: set[tuple] = set()
        a_voir = list(sources)
        while a_voir:
            for lecteur in self.lecteurs.get(a_voir.pop(), ()):
                if lecteur not in vus:
                    vus.add(lecteur)
                    a_voir.append(lecteur)
        return vus


class Calcul:
    """One OpenFisca simulation of ``menages`` (same month), kept so that the coherent combination
    can change the benefits injected in past months and recompute only what depends on them."""

    def __init__(
        self,
        menages,
        *,
        mode: Mode = "complet",
        injections: dict | None = None,
        suivre: bool = True,
        intermediaires: bool | None = None,
    ):
        """``menages``: validated households (``Menage``, same month) or their columns
        (``lot.MenagesColonnes``): the OpenFisca entities and inputs are built from columns, for one
        household (the simulator) as for a chunk of the batch screener (``repere.droits.lot``).
        ``intermediaires``: also compute the explanations' intermediates (default: in complete mode)."""
        from repere.droits import lot

        colonnes = menages if isinstance(menages, lot.MenagesColonnes) else lot.colonnes_de_menages(menages)
        tbs = systeme()
        self.menages = colonnes
        self.mode = mode
        # The explanations read these intermediates (complete mode); the batch screener's arrays do not.
        self.intermediaires = (mode == "complet") if intermediaires is None else (intermediaires and mode == "complet")
        self.mois = colonnes.mois
        self.annee = self.mois[:4]
        self.passes, _ = mois_precedents(self.mois)
        self.structure = lot.StructureColonnes(colonnes)
        self.simulation = self.structure.simulation(tbs)
        self.traceur = TraceurDependances() if suivre else None
        if suivre:
            self.simulation.tracer = self.traceur
        donnees, self.faits = lot.entrees_colonnes(self.structure, injections)
        poser(self.simulation, donnees)
        self.pertinence = {code: lot.pertinence_colonnes(code, self.structure) for code in CODES}
        # What ``reinjecter`` reads: declared benefits and amounts, the person an individual one goes to.
        codes = (*INJECTIONS_FAMILLE, *INJECTIONS_INDIVIDU)
        self._declare = {code: lot._declare(colonnes, code) for code in codes}
        self._montant_declare = {code: lot._recu(colonnes, code) for code in codes}
        self._injecte: dict[str, np.ndarray] = {}
        self._beneficiaire = {code: self.structure.beneficiaire(code) for code in INJECTIONS_INDIVIDU}

    def valeurs(self, codes: Sequence[str]) -> dict[str, np.ndarray]:
        """{variable: array per household} of the outputs (and explanation intermediates) of ``codes``."""
        structure = self.structure
        a_calculer: dict[tuple[str, str, str], np.ndarray] = {}
        for code in codes:
            if not self.pertinence[code].any():
                continue
            sorties = SORTIES[code] + (INTERMEDIAIRES.get(code, ()) if self.intermediaires else ())
            for s in sorties:
                a_calculer[s] = a_calculer.get(s, np.zeros(structure.n, dtype=bool)) | self.pertinence[code]
        valeurs: dict[str, np.ndarray] = {}
        for variable, entite, quand in a_calculer:
            periode = self.mois if quand == "M" else self.annee
            brut = self.simulation.calculate(variable, periode)
            valeurs[variable] = _par_menage(brut, entite, structure, variable)
        return valeurs

    def reinjecter(self, injections: dict) -> int:
        """Set ``injections`` (benefits estimated as obtained, per household) as received in the past
        months and drop every cached computation that depends on them. Vectorised: the declared
        amounts and the person an individual benefit goes to are read once. Returns the number of
        computations dropped."""
        structure = self.structure
        sources = []
        for code, estimes in injections.items():
            individuel = code in INJECTIONS_INDIVIDU
            variables = INJECTIONS_INDIVIDU[code] if individuel else INJECTIONS_FAMILLE.get(code)
            if variables is None:
                continue
            par_menage = np.where(self._declare[code], self._montant_declare[code], np.asarray(estimes, dtype=float))
            precedent = self._injecte.get(code)
            if precedent is None:
                precedent = np.where(self._declare[code], par_menage, 0.0)
            if np.array_equal(par_menage, precedent):
                continue
            self._injecte[code] = par_menage
            if individuel:
                tableau = np.zeros(len(structure.personnes))
                tableau[self._beneficiaires(code)] = par_menage
            else:
                tableau = np.zeros(structure.nb_familles)
                tableau[structure.famille_principale] = par_menage
            for variable in variables:
                holder = self.simulation.get_holder(variable)
                converti = holder._to_array(tableau)
                direct = _stockage_direct(holder)
                for p in self._periodes_passees():
                    if direct is not None and p.size == 1 and p.unit == holder.variable.definition_period:
                        direct[p] = converti  # what put_in_cache does here, its checks made once
                    else:
                        holder.put_in_cache(converti, p)
                    sources.append((variable, p))
        perimes = self.traceur.dependants(sources)
        for variable, periode in perimes:
            holder = self.simulation.get_holder(variable)
            direct = _stockage_direct(holder)
            if direct is not None:
                # ``delete_arrays(periode)`` scans every stored period with ``Period.contains``; a
                # holder of a monthly (yearly) variable only stores months (years): the key itself.
                direct.pop(periode, None)
            else:
                holder.delete_arrays(periode)
        return len(perimes)

    def _beneficiaires(self, code: str) -> np.ndarray:
        """Per household, the person an individual benefit (AAH, ASS) injected as received goes to."""
        return self._beneficiaire[code]

    def sous_calcul(self, lignes: np.ndarray) -> Calcul:
        """This simulation restricted to the households ``lignes`` (increasing indices): a new OpenFisca
        simulation of their persons and entities, holding every value already computed or set here,
        sliced to them (no formula runs again), with the same dependency tracer, declared benefits
        and injected amounts. The coherent combination moves its next passes to it, so that they
        recompute the households whose injected benefits moved, not the whole chunk.

        A variable's values are sliced the first time the sub-simulation reads its holder (not all of
        them up front): this simulation must not change while the sub-simulation is in use (the
        combination moves on to the sub-simulation and leaves this one as it is)."""
        lignes = np.asarray(lignes, dtype=np.int64)
        sous = object.__new__(Calcul)
        sous.mode, sous.mois, sous.annee, sous.passes = self.mode, self.mois, self.annee, self.passes
        sous.intermediaires = self.intermediaires
        sous.menages = None  # the sub-simulation's households are read through its structure only
        sous.structure = structure = SousStructure(self.structure, lignes, menages=sous.menages)
        sous.simulation = structure.simulation(systeme())
        sous.traceur = self.traceur
        if self.traceur is not None:
            sous.simulation.tracer = self.traceur
        sous.faits = None
        sous.pertinence = {code: masque[lignes] for code, masque in self.pertinence.items()}
        sous._declare = {code: v[lignes] for code, v in self._declare.items()}
        sous._montant_declare = {code: v[lignes] for code, v in self._montant_declare.items()}
        sous._injecte = {code: v[lignes] for code, v in self._injecte.items()}
        sous._beneficiaire = {
            code: structure.personne_de[self._beneficiaires(code)[lignes]] for code in INJECTIONS_INDIVIDU
        }
        sous._periodes = self._periodes_passees()
        # The stored values are sliced when the sub-simulation first asks for their variable
        # (``_HoldersParesseux``): a pass reads a few hundred of the simulation's thousands of holders.
        index = {
            "individu": structure.personnes_gardees,
            "famille": structure.familles_gardees,
            "foyer_fiscal": structure.familles_gardees,
            "menage": lignes,
        }
        par_index: dict = {}
        for cle, population in self.simulation.populations.items():
            idx = index[cle]
            sous_population = sous.simulation.populations[cle]
            sous_population._holders = _HoldersParesseux(
                population._holders,
                sous_population,
                idx,
                par_index.setdefault(id(idx), {}),  # famille and foyer_fiscal share their slices
            )
        return sous

    def _periodes_passees(self) -> list:
        if not hasattr(self, "_periodes"):
            self._periodes = [_periode(p) for p in self.passes]
        return self._periodes

    def contexte(self) -> dict:
        from repere.droits import lot

        return {
            "structure": self.structure,
            "faits": self.faits,
            "pertinence": self.pertinence,
            "simulation": self.simulation,
            "faits_lot": lot.faits_colonnes(self.menages),  # what the eligibility rules read besides OpenFisca
        }


def calculer(
    menages: Sequence[Menage], *, codes: Sequence[str], mode: Mode = "complet", injections: dict | None = None
) -> tuple[dict, dict]:
    """Run OpenFisca for ``menages`` (same month) once. Returns ({variable: array per household}, context).

    ``injections``: benefits estimated as obtained, set as received in past months (see ``entrees``)."""
    calcul = Calcul(menages, mode=mode, injections=injections)
    valeurs = calcul.valeurs(codes)
    return valeurs, calcul.contexte()


def _stockage_direct(holder) -> dict | None:
    """The dict of a holder's memory storage, when values can be written and dropped in it directly
    (in memory, not eternal, not neutralised, stored); else None (openfisca-core's own methods)."""
    stockage = holder._memory_storage
    if (
        holder._disk_storage is not None
        or holder._do_not_store
        or stockage.is_eternal
        or holder.variable.is_neutralized
        or holder.simulation.opt_out_cache
    ):
        return None
    return stockage._arrays


def poser(simulation, donnees: dict) -> None:
    """Set inputs straight into the holders' memory storage (``set_input`` re-checks and re-divides
    every period, ``put_in_cache`` re-converts and re-checks each array: 20-30 ms per household).
    Periods are parsed once, each array is converted once per variable, and the checks
    ``Holder._set`` makes are made once per (variable, period unit); any case they do not cover
    (disk storage, variable not stored) goes through ``put_in_cache``."""
    periodes: dict = {}
    convertis: dict = {}
    holders: dict = {}
    eternite = _periode("ETERNITY")
    for (variable, periode), valeurs in donnees.items():
        p = periodes.get(periode)
        if p is None:
            p = periodes[periode] = _periode(periode)
        entree = holders.get(variable)
        if entree is None:
            holder = simulation.get_holder(variable)
            direct = holder._disk_storage is None and not holder._do_not_store and not simulation.opt_out_cache
            entree = holders[variable] = (holder, holder._memory_storage if direct else None)
        holder, stockage = entree
        cle = (variable, id(valeurs))
        tableau = convertis.get(cle)
        if tableau is None:
            tableau = convertis[cle] = holder._to_array(valeurs)
        if stockage is None:
            holder.put_in_cache(tableau, p)
        elif stockage.is_eternal:
            stockage._arrays[eternite] = tableau
        elif p.size == 1 and p.unit == holder.variable.definition_period:
            stockage._arrays[p] = tableau
        else:  # wrong period for this variable: openfisca-core's own error
            holder.put_in_cache(tableau, p)


def _periode(texte: str):
    from openfisca_core import periods

    return periods.period("eternity" if texte == "ETERNITY" else texte)


def _par_menage(valeurs: np.ndarray, entite: str, structure, variable: str) -> np.ndarray:
    """Project an entity array on households: main famille for famille/foyer, sum over the main
    famille's persons for individu values, the ménage itself for ménage values."""
    if hasattr(valeurs, "decode_to_str"):  # EnumArray
        valeurs = valeurs.decode_to_str()
    if entite == "menage":
        return valeurs
    if entite in ("famille", "foyer_fiscal"):
        return valeurs[structure.famille_principale]
    # individu: sum over the main famille (demandeur, conjoint, children)
    if valeurs.dtype.kind in "fi":
        return np.bincount(
            structure.p_menage, weights=np.where(structure.p_principal, valeurs, 0), minlength=structure.n
        )
    return valeurs
