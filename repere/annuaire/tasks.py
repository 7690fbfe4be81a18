"""Scheduled jobs (huey): they call the management commands, which hold the logic."""

from django.core.management import call_command
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_periodic_task(crontab(hour="7", minute="10"))
def relances_annuaire():
    call_command("annuaire_relances")


@db_periodic_task(crontab(hour="3", minute="40"))
def retention_orientations():
    call_command("orientations_retention")


@db_task()
def tache_import_annuaire(import_id: int):
    from repere.annuaire.importation.assistant import executer_import

    executer_import(import_id=import_id)
