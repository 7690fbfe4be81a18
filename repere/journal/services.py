"""Writes of the read journal, and its retention."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from repere.journal.models import Lecture

SECRETS = frozenset({"jeton", "token", "uidb64"})


def journaliser_lecture(*, request, vue: str, kwargs: dict, par_lien_signe: bool = False) -> Lecture:
    """Record that ``request`` read personal data through the page ``vue`` (URL name) for the object named
    by the URL's ``kwargs`` (technical ids; tokens are left out)."""
    user = getattr(request, "user", None)
    organisation = getattr(request, "organisation", None)
    objet = ", ".join(f"{k}={v}" for k, v in sorted(kwargs.items()) if k not in SECRETS)
    return Lecture.objects.create(
        utilisateur=user if getattr(user, "is_authenticated", False) else None,
        organisation=organisation if getattr(organisation, "pk", None) else None,
        vue=vue[:100],
        objet=objet[:200],
        par_lien_signe=par_lien_signe,
    )


def purger(*, maintenant=None) -> int:
    """Reads are kept REPERE_JOURNAL_LECTURES_JOURS days (365 by default), then deleted."""
    maintenant = maintenant or timezone.now()
    jours = getattr(settings, "REPERE_JOURNAL_LECTURES_JOURS", 365)
    return Lecture.objects.filter(quand__lt=maintenant - timedelta(days=jours)).delete()[0]
