"""Web layer: the national part of a simulation (OpenFisca, the costly part) kept a few minutes in the shared
cache, keyed by the household itself. Reloading the results page, switching to « facile à lire », printing, or
an API client repeating a call then reuse it instead of recomputing (0.4 s of CPU each under gunicorn).

The key is a SHA-256 of the household's canonical JSON, the mode, the engine's versions and today's date: a
household that differs in anything, a new engine or a new day computes again. Local aids are evaluated on
every call (cheap, and their rules can change at any time). The cached value holds amounts and the
household's own answers, never an identity; it expires after ``REPERE_CACHE_SIMULATION_S`` (600 s)."""

import contextlib
import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from repere.droits.menage import Menage
from repere.droits.moteur import simuler, version_moteur
from repere.droits.schemas import Mode, ResultatSimulation


def cle(menage: Menage, mode: Mode) -> str:
    empreinte = hashlib.sha256(
        json.dumps(
            [menage.model_dump(mode="json"), mode, version_moteur(), timezone.localdate().isoformat()],
            sort_keys=True,
            ensure_ascii=False,
        ).encode()
    ).hexdigest()
    return f"droits:simulation:{empreinte}"


def simuler_en_cache(menage: Menage, *, mode: Mode = "complet") -> ResultatSimulation:
    duree = int(getattr(settings, "REPERE_CACHE_SIMULATION_S", 600))
    if duree <= 0:
        return simuler(menage, mode=mode)
    k = cle(menage, mode)
    try:
        brut = cache.get(k)
    except Exception:  # noqa: BLE001 - the cache is an optimisation: Redis down must not stop the simulator
        brut = None
    if brut is not None:
        return ResultatSimulation.model_validate_json(brut)
    resultat = simuler(menage, mode=mode)
    with contextlib.suppress(Exception):  # Redis down: the result is simply not kept
        cache.set(k, resultat.model_dump_json(), duree)
    return resultat
