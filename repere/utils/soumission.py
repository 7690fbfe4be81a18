"""Idempotent create actions: a double click, a resent form or a browser retry creates nothing twice.

Every form carries a one-time token (``{% jeton_soumission %}``, included by ``_formulaire.html``). A
create view decorated with ``@soumission_unique`` runs once per token: a second POST with the same token
(while the first runs, or after it) does not call the view again; it is sent where the first one went,
with a message. The tokens live in the shared cache (``CACHE_URL`` in production, like the login limits).
A POST that failed validation frees its token, so the corrected form can be sent.
"""

import secrets
import time
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect

CHAMP = "_soumission"
DUREE_SECONDES = 6 * 3600
ATTENTE_SECONDES = 10
EN_COURS = "en-cours"
DEJA_ENVOYE = "Ce formulaire avait déjà été envoyé : rien n'a été enregistré en double."


def nouveau_jeton() -> str:
    return secrets.token_urlsafe(16)


def _cle(request, jeton: str) -> str:
    user = getattr(request, "user", None)
    qui = f"u{user.pk}" if getattr(user, "is_authenticated", False) else f"s{request.session.session_key or ''}"
    return f"repere:soumission:{qui}:{jeton[:64]}"


def _suite(request, cle: str):
    """Where the first submission went (waiting a little if it is still running)."""
    fin = time.monotonic() + ATTENTE_SECONDES
    valeur = cache.get(cle)
    while valeur == EN_COURS and time.monotonic() < fin:
        time.sleep(0.1)
        valeur = cache.get(cle)
    if valeur and valeur != EN_COURS:
        messages.info(request, DEJA_ENVOYE)
        return redirect(valeur)
    return HttpResponse(
        "Ce formulaire est déjà en cours d'envoi : patientez, puis rechargez la page.",
        status=409,
        content_type="text/plain; charset=utf-8",
    )


def soumission_unique(vue=None, *, taille_max=None):
    """Decorator of a create view: one execution per form token (see the module docstring).

    ``taille_max`` (a callable giving bytes): a larger body is handed to the view unread, so that the view
    refuses it before anything is parsed or stored (uploads)."""

    def decorer(fonction):
        @wraps(fonction)
        def enveloppe(request, *args, **kwargs):
            if request.method != "POST":
                return fonction(request, *args, **kwargs)
            if taille_max is not None and int(request.META.get("CONTENT_LENGTH") or 0) > taille_max() + 1024 * 1024:
                return fonction(request, *args, **kwargs)
            jeton = request.POST.get(CHAMP, "")
            if not jeton:
                return fonction(request, *args, **kwargs)
            cle = _cle(request, jeton)
            if not cache.add(cle, EN_COURS, DUREE_SECONDES):
                return _suite(request, cle)
            try:
                reponse = fonction(request, *args, **kwargs)
            except BaseException:
                cache.delete(cle)
                raise
            if 300 <= reponse.status_code < 400 and reponse.get("Location"):
                cache.set(cle, reponse["Location"], DUREE_SECONDES)
            else:
                cache.delete(cle)  # not created (invalid form...): the corrected form may be sent again
            return reponse

        enveloppe.soumission_unique = True
        return enveloppe

    return decorer(vue) if vue is not None else decorer
