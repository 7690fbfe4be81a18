"""The reminders of follow-up tasks run every morning in the background worker (huey), not by hand."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from huey.api import PeriodicTask
from huey.contrib.djhuey import HUEY

from repere.concertation import services
from repere.concertation.models import GroupeTravail
from repere.concertation.tasks import rappels_taches_quotidiens
from repere.organisations.models import Role
from tests.organisations.factories import OrganisationFactory, membre

pytestmark = pytest.mark.django_db


def test_les_rappels_sont_une_tache_periodique_du_travailleur_chaque_matin():
    assert isinstance(rappels_taches_quotidiens.task_class(), PeriodicTask)
    assert rappels_taches_quotidiens.task_class().validate_datetime(datetime(2026, 3, 2, 7, 0))
    assert not rappels_taches_quotidiens.task_class().validate_datetime(datetime(2026, 3, 2, 7, 1))
    # What the worker (run_huey, which autodiscovers every app's ``tasks`` module) runs at 7:00.
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")
    a_7h = {t.name for t in HUEY.read_periodic(datetime(2026, 3, 2, 7, 0))}
    assert "rappels_taches_quotidiens" in a_7h


def test_la_tache_periodique_envoie_les_rappels_une_fois():
    org = OrganisationFactory()
    g = GroupeTravail.objects.create(nom="GT accès aux droits", organisation_pilote=org)
    u = membre(org, Role.PROFESSIONNEL)
    g.membres.add(u)
    r = services.creer_reunion(groupe=g, titre="Lancement", date=timezone.now())
    t = services.creer_tache(
        reunion=r, titre="Recenser les cas", responsable=u, echeance=timezone.localdate() + timedelta(days=1)
    )
    rappels_taches_quotidiens.call_local()
    assert len(mail.outbox) == 1 and t.titre in mail.outbox[0].subject
    rappels_taches_quotidiens.call_local()
    assert len(mail.outbox) == 1
