"""Speed-ups of openfisca-core that do not change any result, installed by the engine.

- ``Instant.offset`` (date arithmetic through pendulum) is called ~10,000 times per simulated
  household with the same few hundred arguments: its results are memoised (instants are immutable
  tuples); so is the parsing of instant strings.
- ``CacheParametres``: parsed parameter YAML kept between processes (see below).
- ``Simulation.calculate`` answers a value already computed (or set) straight from the holder's
  memory storage: ~3,300 of the ~4,600 calculations of one household are such cache hits, and the
  generic path (tracer, variable lookup, period checks) cost more than the formulas of a small
  household. The check ``entity(variable, period)`` makes (variable defined for that entity) is
  done once per (entity, variable): it cannot change for a given tax-benefit system.
  Both keep the tracer's semantics: a tracer exposing ``lecture(variable, period)`` (the engine's
  dependency tracer) is told of every cache hit; any other tracer than openfisca-core's simple one
  (e.g. a full tracer for ``explain``) takes the original path.
- ``Population.has_role`` compares the group's role objects element by element at each call (~200
  calls per pass of the coherent combination, the same answer each time): memoised per simulation
  and role, each caller getting its own copy.
``desinstaller()`` restores the originals, so the benchmark can time an unoptimised run.
"""

from openfisca_core.periods.instant_ import Instant

_original = Instant.offset
_cache: dict = {}
_TAILLE_MAX = 200_000


def _offset_memorise(self, offset, unit):
    cle = (self, offset, unit)
    resultat = _cache.get(cle)
    if resultat is None:
        resultat = _original(self, offset, unit)
        if len(_cache) > _TAILLE_MAX:
            _cache.clear()
        _cache[cle] = resultat
    return resultat


from openfisca_core.periods import helpers as _helpers_periodes  # noqa: E402

_parse_instant_original = _helpers_periodes.parse_instant
_cache_instants: dict = {}


def _parse_instant_memorise(value):
    """Parameter values are dated by strings ("2026-04-01") parsed with pendulum each time a
    parameter is read at a new instant (~40,000 parses for the first simulation)."""
    if not isinstance(value, str):
        return _parse_instant_original(value)
    resultat = _cache_instants.get(value)
    if resultat is None:
        resultat = _cache_instants[value] = _parse_instant_original(value)
    return resultat


import numpy as _np  # noqa: E402
from openfisca_core import periods as _periods  # noqa: E402
from openfisca_core.errors import SpiralError as _SpiralError  # noqa: E402
from openfisca_core.periods import Period as _Period  # noqa: E402
from openfisca_core.populations import ADD as _ADD  # noqa: E402
from openfisca_core.populations import DIVIDE as _DIVIDE  # noqa: E402
from openfisca_core.populations._core_population import CorePopulation as _CorePopulation  # noqa: E402
from openfisca_core.simulations.simulation import Simulation as _Simulation  # noqa: E402
from openfisca_core.tracers import SimpleTracer as _SimpleTracer  # noqa: E402

_calculate_original = _Simulation.calculate
_appel_original = _CorePopulation.__call__
_ETERNITE = _periods.period(_periods.DateUnit.ETERNITY)


class _Entree:
    """What ``calculate`` needs of one variable in one simulation, looked up once."""

    __slots__ = ("variable", "population", "holder", "stockage", "direct", "sans_formule")

    def __init__(self, simulation, variable_name):
        variable = simulation.tax_benefit_system.get_variable(variable_name, check_existence=True)
        self.variable = variable
        self.population = simulation.get_variable_population(variable_name)
        self.holder = holder = self.population.get_holder(variable_name)
        self.stockage = holder._memory_storage
        # The result goes straight into the memory storage (what put_in_cache does in this case).
        self.direct = (
            not variable.is_neutralized
            and holder._disk_storage is None
            and simulation.memory_config is None
            and not holder._do_not_store
            and not simulation.opt_out_cache
            and simulation.start_computation_period is None
        )
        self.sans_formule = not variable.formulas


def _memoire(simulation, nom: str) -> dict:
    """A dict kept on the simulation itself (gone with it)."""
    memoire = simulation.__dict__.get(nom)
    if memoire is None:
        memoire = simulation.__dict__[nom] = {}
    return memoire


def _entree(simulation, variable_name) -> _Entree:
    entrees = _memoire(simulation, "_repere_entrees")
    entree = entrees.get(variable_name)
    if entree is None:
        entree = entrees[variable_name] = _Entree(simulation, variable_name)
    return entree


def _calculate_rapide(self, variable_name, period):
    """``Simulation.calculate`` (openfisca-core 44: calculate + _calculate) with its lookups memoised:
    same checks, same cycle and spiral handling, same tracer calls, same cache."""
    if period is not None and not isinstance(period, _Period):
        period = _periods.period(period)
    tracer = self.tracer
    lecture = getattr(tracer, "lecture", None)
    if lecture is None and type(tracer) is not _SimpleTracer:
        return _calculate_original(self, variable_name, period)
    entree = _entree(self, variable_name)
    if not entree.direct:
        return _calculate_original(self, variable_name, period)
    stockage = entree.stockage
    cle = _ETERNITE if stockage.is_eternal else period
    valeur = stockage._arrays.get(cle)
    if valeur is not None:  # cache hit: the tracer is told, nothing else happens in the original
        if lecture is not None:
            lecteurs = getattr(tracer, "lecteurs", None)
            pile = tracer.stack
            if lecteurs is not None and pile:  # the engine's dependency tracer, inlined (hot path)
                parent = pile[-1]
                cle_lecture = (variable_name, period)
                ensemble = lecteurs.get(cle_lecture)
                if ensemble is None:
                    ensemble = lecteurs[cle_lecture] = set()
                ensemble.add((parent["name"], parent["period"]))
            elif lecteurs is None:
                lecture(variable_name, period)
        if self.invalidated_caches and not tracer.stack:
            self.purge_cache_of_invalid_values()
        return valeur
    variable = entree.variable
    if entree.sans_formule:  # an input not given: its default value, cached (no formula, no cycle)
        self._check_period_consistency(period, variable)
        if lecture is not None:
            lecture(variable_name, period)
        tableau = entree.holder.default_array()
        stockage._arrays[cle] = tableau
        if self.invalidated_caches and not tracer.stack:
            self.purge_cache_of_invalid_values()
        return tableau
    tracer.record_calculation_start(variable_name, period)
    try:
        controle = (variable, period.unit, period.size)
        if controle not in _periodes_valides:  # depends on the variable and the period's unit and size only
            self._check_period_consistency(period, variable)
            _periodes_valides.add(controle)
        try:
            self._check_for_cycle(variable.name, period)
            tableau = self._run_formula(variable, entree.population, period)
            if tableau is None:
                tableau = entree.holder.default_array()
            tableau = self._cast_formula_result(tableau, variable)
            if isinstance(tableau, _np.ndarray) and len(tableau) == entree.population.count:
                stockage._arrays[cle] = tableau
            else:  # let openfisca-core convert it or raise its own error
                entree.holder.put_in_cache(tableau, period)
        except _SpiralError:
            tableau = entree.holder.default_array()
        tracer.record_calculation_result(tableau)
        return tableau
    finally:
        tracer.record_calculation_end()
        self.purge_cache_of_invalid_values()


_periodes_valides: set = set()
_calculate_add_original = _Simulation.calculate_add
_sous_periodes: dict = {}


def _calculate_add_rapide(self, variable_name, period):
    """``calculate_add`` with the sub-periods of (period, unit) memoised (periods are immutable); the
    first call of each pair goes through the original, which checks that adding is allowed."""
    if not isinstance(period, _Period):
        return _calculate_add_original(self, variable_name, period)
    variable = self.tax_benefit_system.variables.get(variable_name)
    if variable is None:
        return _calculate_add_original(self, variable_name, period)
    cle = (period, variable.definition_period)
    sous = _sous_periodes.get(cle)
    if sous is None:
        resultat = _calculate_add_original(self, variable_name, period)
        if len(_sous_periodes) > _TAILLE_MAX:
            _sous_periodes.clear()
        _sous_periodes[cle] = tuple(period.get_subperiods(variable.definition_period))
        return resultat
    return sum(self.calculate(variable_name, p) for p in sous)


_definies: set = set()  # (entity, variable name) pairs checked by check_variable_defined_for_entity


def _appel_rapide(self, variable_name, period, options=None):
    simulation = self.simulation
    if simulation is None or not isinstance(period, _Period):
        return _appel_original(self, variable_name, period, options)
    cle = (self.entity, variable_name)
    if cle not in _definies:
        self.entity.check_variable_defined_for_entity(variable_name)
        _definies.add(cle)
    if options is None:
        return simulation.calculate(variable_name, period)
    if not isinstance(options, list | tuple):
        return _appel_original(self, variable_name, period, options)
    if _ADD in options and _DIVIDE not in options:
        return simulation.calculate_add(variable_name, period)
    if _DIVIDE in options and _ADD not in options:
        return simulation.calculate_divide(variable_name, period)
    return _appel_original(self, variable_name, period, options)


from openfisca_core.populations.population import Population as _Population  # noqa: E402

_has_role_original = _Population.has_role


def _has_role_memorise(self, role):
    """``Population.has_role``: an element-by-element comparison of the group's role objects, the
    same answer for every call of a simulation (the entities never change once it is built), ~200
    calls per pass. Computed once per (simulation, role); each caller gets its own copy."""
    simulation = self.simulation
    if simulation is None:
        return _has_role_original(self, role)
    roles = _memoire(simulation, "_repere_roles")
    resultat = roles.get(role)
    if resultat is None:
        resultat = roles[role] = _has_role_original(self, role)
    return resultat.copy()


_has_role_memorise.projectable = True  # like the original (openfisca_core.projectors.projectable)


# --- vectorial parameters ("fancy indexing") by distinct key ---------------------------------------------
#
# ``parameters.plafonds.par_zone[zone_apl].couples`` (housing aid, RLS, CSS...) is answered by
# openfisca-core element by element: ``build_from_node_name`` looks up the sub-node of each household
# (``[node[k] for k in keys]``), then every further attribute or key is looked up again for each
# household (``[v[a] for v, a in zip(vector, keys)]``). With 25,000 households and 3 zones, that is
# ~75,000 dict look-ups in Python for 3 distinct answers, ~3 M per chunk of the batch screener. The
# node below holds the distinct sub-nodes (``uniques``) and, per element, the index of its own
# (``inverse``): the same look-ups, made once per distinct (node, key), and the same leaves in the end
# (``numpy.array`` of the very values the original gathers, expanded by ``inverse``). Keys that cannot
# be deduplicated by ``numpy.unique`` (object arrays) take the original path.

from openfisca_core import parameters as _parameters  # noqa: E402
from openfisca_core.indexed_enums import Enum as _Enum  # noqa: E402
from openfisca_core.indexed_enums import EnumArray as _EnumArray  # noqa: E402

_Vectoriel = _parameters.VectorialParameterNodeAtInstant
_build_from_node_name_original = _Vectoriel.build_from_node_name
_getitem_vectoriel_original = _Vectoriel.__getitem__
_NOMBRES = (int, float, bool, _np.number, _np.bool_)


class _VectorielParCle(_Vectoriel):
    """A ``VectorialParameterNodeAtInstant`` stored as its distinct nodes and, per element, the index
    of its node; ``vector`` (the original's per-element list) is rebuilt on demand."""

    def __init__(self, uniques, inverse, name, instant_str) -> None:
        self.uniques = uniques
        self.inverse = inverse
        self._name = name
        self._instant_str = instant_str

    @property
    def vector(self):
        return [self.uniques[i] for i in self.inverse]

    def __getitem__(self, key):
        if isinstance(key, str):
            return _depuis_uniques(self, [u[key] for u in self.uniques], self.inverse)
        cles = _cles_distinctes(key, self.inverse)
        if cles is None:
            return _getitem_vectoriel_original(self, key)
        valeurs_cles, inverse_cles = cles
        k = len(valeurs_cles)
        paires, inverse = _np.unique(self.inverse * k + inverse_cles, return_inverse=True)
        uniques = [self.uniques[c // k][valeurs_cles[c % k]] for c in paires.tolist()]
        return _depuis_uniques(self, uniques, inverse.reshape(-1))


def _cles_distinctes(key, inverse):
    """(distinct keys, index of each element's key) for a per-element key, as the original reads
    it (enum members and ``EnumArray`` by name); None when the original path must be taken."""
    if len(key) != len(inverse) or len(key) == 0:
        return None
    if isinstance(key, _EnumArray):
        noms = key.possible_values.names
        codes, inverse_cles = _np.unique(_np.asarray(key), return_inverse=True)
        return [noms[c] for c in codes.tolist()], inverse_cles.reshape(-1)
    tableau = _np.asarray(key)
    if tableau.dtype == object or isinstance(key[0], _Enum):
        return None
    valeurs, inverse_cles = _np.unique(tableau, return_inverse=True)
    return list(valeurs), inverse_cles.reshape(-1)


def _depuis_uniques(noeud, uniques, inverse):
    """``build_from_nodes`` on the distinct values: a node again, or the leaves' array."""
    if isinstance(uniques[0], _parameters.ParameterNodeAtInstant):
        return _VectorielParCle(uniques, inverse, noeud._name, noeud._instant_str)
    if all(isinstance(u, _NOMBRES) for u in uniques):
        return _np.array(uniques)[inverse]  # same values, same types, hence the original's dtype
    return _np.array([uniques[i] for i in inverse])


def _build_from_node_name_par_cle(node, key):
    """``VectorialParameterNodeAtInstant.build_from_node_name``: same checks, same keys, each distinct
    key looked up once."""
    tableau = _np.asarray(key)
    if tableau.ndim != 1 or len(tableau) == 0 or (tableau.dtype == object and not isinstance(key, _EnumArray)):
        return _build_from_node_name_original(node, key)
    _Vectoriel.check_node_vectorisable(node)
    cles = _Vectoriel._get_appropriate_keys(key)
    cles = _np.asarray(cles)
    if cles.dtype == object:
        return _build_from_node_name_original(node, key)
    cle_du_noeud = _Vectoriel._get_appropriate_subnode_function(cles[0])
    distinctes, inverse = _np.unique(cles, return_inverse=True)
    uniques = [node[cle_du_noeud(node, k)] for k in distinctes]
    return _depuis_uniques(node, uniques, inverse.reshape(-1))


def installer() -> None:
    Instant.offset = _offset_memorise
    _helpers_periodes.parse_instant = _parse_instant_memorise
    _Simulation.calculate = _calculate_rapide
    _Simulation.calculate_add = _calculate_add_rapide
    _CorePopulation.__call__ = _appel_rapide
    _Population.has_role = _has_role_memorise
    _Vectoriel.build_from_node_name = staticmethod(_build_from_node_name_par_cle)


def desinstaller() -> None:
    Instant.offset = _original
    _helpers_periodes.parse_instant = _parse_instant_original
    _Simulation.calculate = _calculate_original
    _Simulation.calculate_add = _calculate_add_original
    _CorePopulation.__call__ = _appel_original
    _Population.has_role = _has_role_original
    _Vectoriel.build_from_node_name = staticmethod(_build_from_node_name_original)
    _cache.clear()
    _cache_instants.clear()
    _definies.clear()
    _sous_periodes.clear()
    _periodes_valides.clear()


def installe() -> bool:
    return Instant.offset is _offset_memorise


# --- parameter files: parsed YAML kept between processes -----------------------------------------------
#
# Building OpenFisca-France's tax-benefit system parses ~4,000 parameter YAML files (60 % of its
# 3-6 s). The parsed data (plain dicts, lists, numbers, dates) is pickled once in ``var/cache`` and
# read back by the next processes, keyed by the files' paths, sizes and modification times: a
# changed file is parsed again. The file is written by this application only.


class CacheParametres:
    def __init__(self, chemin):
        self.chemin = chemin
        self.entrees: dict = {}
        self.lues = 0
        self.manquees = 0
        self.enregistrement = False
        self.nouvelles: dict = {}

    def __enter__(self):
        import copy
        import os
        import pickle

        from openfisca_core.parameters import helpers

        self._helpers = helpers
        self._original = helpers._load_yaml_file
        if self.chemin is not None and self.chemin.exists():
            try:
                with self.chemin.open("rb") as f:
                    self.entrees = pickle.load(f)  # noqa: S301 - written by _ecrire below
            except Exception:  # noqa: BLE001 - unreadable cache: parse the YAML files
                self.entrees = {}
        self.enregistrement = not self.entrees

        def charger(file_path):
            etat = os.stat(file_path)
            cle = os.path.abspath(file_path)
            signature = (etat.st_mtime_ns, etat.st_size)
            entree = self.entrees.pop(cle, None)
            if entree is not None and entree[0] == signature:
                self.lues += 1
                return entree[1]
            self.manquees += 1
            donnees = self._original(file_path)
            if self.enregistrement:
                self.nouvelles[cle] = (signature, copy.deepcopy(donnees))
            return donnees

        helpers._load_yaml_file = charger
        return self

    def __exit__(self, exc_type, exc, tb):
        self._helpers._load_yaml_file = self._original
        if exc_type is None and self.chemin is not None:
            if self.enregistrement and self.nouvelles:
                self._ecrire()
            elif self.manquees and self.chemin.exists():
                self.chemin.unlink(missing_ok=True)  # partly stale: rebuilt in full next time
        return False

    def _ecrire(self):
        import os
        import pickle

        try:
            self.chemin.parent.mkdir(parents=True, exist_ok=True)
            temporaire = self.chemin.with_name(f"{self.chemin.name}.{os.getpid()}.tmp")
            with temporaire.open("wb") as f:
                pickle.dump(self.nouvelles, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporaire, self.chemin)
        except OSError:
            pass


# --- variable files: class positions kept between processes ----------------------------------------------
#
# openfisca-core parses every variable file with ``ast.parse`` (~130 files, ~1 s) only to find where
# each class starts and ends (introspection data). The positions are kept in the same cache
# directory, keyed by a hash of the file's source; the module itself is still executed normally.


class _AstLeger:
    """Stands for the ``ast`` module inside openfisca_core.taxbenefitsystems.tax_benefit_system."""

    def __init__(self, positions: dict):
        import ast as _ast

        self._ast = _ast
        self.positions = positions
        self.nouvelles = 0

    def __getattr__(self, nom):
        return getattr(self._ast, nom)

    def parse(self, source, *args, **kwargs):
        import hashlib

        if args or kwargs or not isinstance(source, str):
            return self._ast.parse(source, *args, **kwargs)
        cle = hashlib.sha1(source.encode("utf-8"), usedforsecurity=False).hexdigest()
        classes = self.positions.get(cle)
        if classes is None:
            arbre = self._ast.parse(source)
            classes = [(n.name, n.lineno, n.end_lineno) for n in arbre.body if isinstance(n, self._ast.ClassDef)]
            self.positions[cle] = classes
            self.nouvelles += 1
        corps = []
        for nom, debut, fin in classes:
            noeud = self._ast.ClassDef(name=nom, bases=[], keywords=[], body=[], decorator_list=[])
            noeud.lineno, noeud.end_lineno = debut, fin
            corps.append(noeud)
        return self._ast.Module(body=corps, type_ignores=[])


class CachePositions:
    def __init__(self, chemin):
        self.chemin = chemin

    def __enter__(self):
        import pickle

        from openfisca_core.taxbenefitsystems import tax_benefit_system as module

        self._module = module
        self._ast_original = module.ast
        positions = {}
        if self.chemin is not None and self.chemin.exists():
            try:
                with self.chemin.open("rb") as f:
                    positions = pickle.load(f)  # noqa: S301 - written by __exit__ below
            except Exception:  # noqa: BLE001 - unreadable cache: parse again
                positions = {}
        self.leger = _AstLeger(positions)
        module.ast = self.leger
        return self

    def __exit__(self, exc_type, exc, tb):
        import os
        import pickle

        self._module.ast = self._ast_original
        if exc_type is None and self.chemin is not None and self.leger.nouvelles:
            try:
                self.chemin.parent.mkdir(parents=True, exist_ok=True)
                temporaire = self.chemin.with_name(f"{self.chemin.name}.{os.getpid()}.tmp")
                with temporaire.open("wb") as f:
                    pickle.dump(self.leger.positions, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporaire, self.chemin)
            except OSError:
                pass
        return False
