import os
import sys

from django.apps import AppConfig


class DroitsConfig(AppConfig):
    name = "repere.droits"
    label = "droits"
    verbose_name = "Droits (simulateur)"

    def ready(self):
        # Web process start-up: build the OpenFisca tax-benefit system in the background (3-5 s) so
        # that the first simulation does not wait for it. Not for management commands or tests.
        serveur = os.environ.get("RUN_MAIN") == "true" and "runserver" in sys.argv
        serveur = serveur or os.path.basename(sys.argv[0]).startswith(("gunicorn", "uwsgi", "daphne", "uvicorn"))
        if os.environ.get("REPERE_PRECHAUFFAGE", "1" if serveur else "0") == "1":
            from repere.droits.moteur import prechauffer_en_arriere_plan

            prechauffer_en_arriere_plan()
