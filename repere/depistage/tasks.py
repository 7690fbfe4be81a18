"""Background jobs (huey; worker started with ``manage.py run_huey``)."""

from datetime import timedelta

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from repere.depistage import services


@db_task()
def tache_depistage(depistage_id: int):
    services.executer_depistage(depistage_id=depistage_id)


@db_periodic_task(crontab(minute="*/5"))
def relancer_interrompus():
    """A job whose worker was killed has no sign of life any more: resume it from its last chunk."""
    services.relancer_depistages_interrompus()


@db_periodic_task(crontab(minute="20", hour="3"))
def purger_depistages_expires():
    """Retention: delete the files of jobs older than DEPISTAGE_CONSERVATION_JOURS (default 30)."""
    services.purger_depistages()


@on_startup()
def relancer_au_demarrage():
    # The worker was just (re)started: jobs left "en cours" with no recent sign of life are resumed.
    try:
        services.relancer_depistages_interrompus(delai=timedelta(minutes=2))
    except Exception:  # noqa: BLE001 - the database may not be migrated yet when the worker starts
        return
