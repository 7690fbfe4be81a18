from django.core.management import call_command
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="3", minute="20"))
def retention_quotidienne():
    """Every night: notices to referents, anonymisation of records past retention."""
    call_command("allervers_retention")
