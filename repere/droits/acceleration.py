"""Speed-ups of openfisca-core that do not change any result, installed by the engine.

``Instant.offset`` (date arithmetic through pendulum) is called ~10,000 times per simulated
household with the same few hundred arguments: its results are memoised (instants are immutable
tuples). ``desinstaller()`` restores the original, so the benchmark can time an unoptimised run.
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


def installer() -> None:
    Instant.offset = _offset_memorise


def desinstaller() -> None:
    Instant.offset = _original
    _cache.clear()


def installe() -> bool:
    return Instant.offset is _offset_memorise
