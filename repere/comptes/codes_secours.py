"""Backup codes of the two-factor login (services): generated and shown once, stored hashed, single use,
regenerable, every event audited (``EvenementSecurite``).

A code is 12 characters from an alphabet without look-alikes (about 59 bits), shown as ``ABCD-EFGH-JKMN``;
typed in any case, with or without spaces or dashes. Each is hashed with Django's PBKDF2 hasher, its own salt
and fewer iterations than a password (a random 59-bit code needs no stretching against guessing; checking up to
ten of them must stay well under a second)."""

import logging
import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import transaction
from django.utils import timezone

from repere.comptes.models import AppareilCodesSecours, CodeSecours, EvenementSecurite

logger = logging.getLogger(__name__)

NOMBRE = 10
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LONGUEUR = 12
ITERATIONS = 20_000
_hacheur = PBKDF2PasswordHasher()


def _normaliser(saisie: str) -> str:
    return "".join(c for c in (saisie or "").upper() if c.isalnum())[:40]


def _hacher(code: str) -> str:
    return _hacheur.encode(_normaliser(code), _hacheur.salt(), iterations=ITERATIONS)


def auditer(*, user, quoi: str) -> None:
    EvenementSecurite.objects.create(user=user, quoi=quoi)
    logger.info("compte %s : %s", user.pk, quoi)  # the account's id only, never a code


def appareil_de(user) -> AppareilCodesSecours | None:
    return AppareilCodesSecours.objects.filter(user=user, confirmed=True).first()


def restants(user) -> int:
    return CodeSecours.objects.filter(appareil__user=user, utilise_le__isnull=True).count()


@transaction.atomic
def generer(*, user) -> list[str]:
    """New codes for ``user`` (the previous ones stop working). Returns them in clear: the caller shows them
    once and keeps them nowhere."""
    # the device is kept (a session verified with one of its codes stays verified), its codes are replaced
    appareil, cree = AppareilCodesSecours.objects.get_or_create(
        user=user, defaults={"name": "Codes de secours", "confirmed": True}
    )
    deja = not cree
    CodeSecours.objects.filter(appareil=appareil).delete()
    AppareilCodesSecours.objects.filter(pk=appareil.pk).update(cree_le=timezone.now(), confirmed=True)
    codes = ["".join(secrets.choice(ALPHABET) for _ in range(LONGUEUR)) for _ in range(NOMBRE)]
    CodeSecours.objects.bulk_create(CodeSecours(appareil=appareil, empreinte=_hacher(c)) for c in codes)
    auditer(user=user, quoi=EvenementSecurite.Quoi.CODES_REGENERES if deja else EvenementSecurite.Quoi.CODES_GENERES)
    return [f"{c[:4]}-{c[4:8]}-{c[8:]}" for c in codes]


def utiliser(*, appareil: AppareilCodesSecours, saisie: str) -> bool:
    """True, and the code is spent, when ``saisie`` is one of the device's unused codes."""
    code = _normaliser(saisie)
    trouve = None
    if len(code) == LONGUEUR:
        for candidat in CodeSecours.objects.filter(appareil=appareil, utilise_le__isnull=True):
            if _hacheur.verify(code, candidat.empreinte):
                trouve = candidat
                break
    # spent at most once, even for two simultaneous requests with the same code
    if trouve and CodeSecours.objects.filter(pk=trouve.pk, utilise_le__isnull=True).update(utilise_le=timezone.now()):
        auditer(user=appareil.user, quoi=EvenementSecurite.Quoi.CODE_UTILISE)
        return True
    auditer(user=appareil.user, quoi=EvenementSecurite.Quoi.CODE_REFUSE)
    return False
