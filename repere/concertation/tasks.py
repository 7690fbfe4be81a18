from django.core.management import call_command
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="7", minute="0"))
def rappels_taches_quotidiens():
    """Every morning: one e-mail per follow-up task due within three days (or overdue), sent once."""
    call_command("rappels_taches")
