"""Web process start-up: whether to warm caches in the background (one rule for every app's ``ready``)."""

import os
import sys


def processus_web() -> bool:
    """A web server process (gunicorn, uwsgi, runserver's child), not a management command or a test."""
    if os.environ.get("RUN_MAIN") == "true" and "runserver" in sys.argv:
        return True
    return os.path.basename(sys.argv[0]).startswith(("gunicorn", "uwsgi", "daphne", "uvicorn"))


def prechauffage_demande() -> bool:
    """Warm up at start-up: in web processes by default; ``REPERE_PRECHAUFFAGE=0``/``1`` forces it."""
    return os.environ.get("REPERE_PRECHAUFFAGE", "1" if processus_web() else "0") == "1"
