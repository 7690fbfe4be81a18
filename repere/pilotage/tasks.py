from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from repere.pilotage import services


@db_periodic_task(crontab(hour="5", minute="10"))
def relire_indicateurs_observatoire():
    """Every night, after the observatory's imports (4:30): the public values of the linked indicators are
    read again, so that a new period reaches the actions' indicators."""
    services.relire_tous_observatoire()
