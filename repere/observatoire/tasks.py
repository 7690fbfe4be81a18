"""Scheduled jobs (huey): they call the management commands, which hold the logic."""

from django.core.management import call_command
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="4", minute="30"))
def activite_observatoire():
    call_command("observatoire_activite")
