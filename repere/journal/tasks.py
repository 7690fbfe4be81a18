from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from repere.journal import services


@db_periodic_task(crontab(hour="3", minute="40"))
def purger_lectures():
    """Every night: reads older than the journal's retention period are deleted."""
    services.purger()
