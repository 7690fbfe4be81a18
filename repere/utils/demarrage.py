"""Web process start-up: whether to warm caches in the background, and how (one rule for every app's ``ready``)."""

import functools
import importlib
import os
import sys
import threading
import time
from collections.abc import Callable


def processus_web() -> bool:
    """A web server process (gunicorn, uwsgi, runserver's child), not a management command or a test."""
    if os.environ.get("RUN_MAIN") == "true" and "runserver" in sys.argv:
        return True
    return os.path.basename(sys.argv[0]).startswith(("gunicorn", "uwsgi", "daphne", "uvicorn"))


def prechauffage_demande() -> bool:
    """Warm up at start-up: in web processes by default; ``REPERE_PRECHAUFFAGE=0``/``1`` forces it."""
    return os.environ.get("REPERE_PRECHAUFFAGE", "1" if processus_web() else "0") == "1"


def lancer_en_arriere_plan(
    fonction: Callable[[], None], *, nom: str, modules: tuple[str, ...] = ()
) -> threading.Thread:
    """Run a warm-up in a daemon thread, after importing here, in the calling thread, the modules it needs.

    A C extension must never be imported for the first time by two threads at once: numpy's first import from
    the territories' warm-up thread while ``ready`` went on importing numpy for the engine deadlocked a gunicorn
    worker at boot (« deadlock detected by _ModuleLock('numpy._core._multiarray_umath') »), and gunicorn then
    stopped altogether. Only the computation runs in the background, once every app is loaded (a query made
    while ``ready`` methods still run makes Django print a warning at each start)."""
    for module in modules:
        importlib.import_module(module)
    fil = threading.Thread(target=functools.partial(_apres_le_chargement_des_apps, fonction), name=nom, daemon=True)
    fil.start()
    return fil


def _apres_le_chargement_des_apps(fonction: Callable[[], None], *, attente_max: float = 60.0) -> None:
    from django.apps import apps

    limite = time.monotonic() + attente_max
    while not apps.ready and time.monotonic() < limite:
        time.sleep(0.05)
    fonction()
