"""Speed-ups of openfisca-core that do not change any result, installed by the engine.

- ``Instant.offset`` (date arithmetic through pendulum) is called ~10,000 times per simulated
  household with the same few hundred arguments: its results are memoised (instants are immutable
  tuples); so is the parsing of instant strings.
- ``CacheParametres``: parsed parameter YAML kept between processes (see below).
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


def installer() -> None:
    Instant.offset = _offset_memorise
    _helpers_periodes.parse_instant = _parse_instant_memorise


def desinstaller() -> None:
    Instant.offset = _original
    _helpers_periodes.parse_instant = _parse_instant_original
    _cache.clear()
    _cache_instants.clear()


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
