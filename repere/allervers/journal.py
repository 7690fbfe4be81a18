"""RGPD journals: every read of a person's record (JournalAcces) and every write (Historique)."""

import datetime
from decimal import Decimal

from django.db import models

from repere.allervers.models import Historique, JournalAcces


def journaliser_lecture(*, personne, utilisateur, quoi: str, organisation=None) -> None:
    JournalAcces.objects.create(personne=personne, utilisateur=utilisateur, quoi=quoi, organisation=organisation)


def _valeur(v):
    if isinstance(v, models.Model):
        return v.pk
    if isinstance(v, datetime.date | datetime.datetime):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    return v


def instantane(objet, champs) -> dict:
    return {c: _valeur(getattr(objet, c)) for c in champs}


def journaliser_ecriture(*, personne, utilisateur, objet: str, action: str, avant=None, apres=None) -> None:
    avant, apres = avant or {}, apres or {}
    changements = {
        c: {"avant": avant.get(c), "apres": apres.get(c)}
        for c in sorted(set(avant) | set(apres))
        if avant.get(c) != apres.get(c)
    }
    Historique.objects.create(
        personne=personne, utilisateur=utilisateur, objet=objet, action=action, changements=changements
    )
