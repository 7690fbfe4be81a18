import secrets
import sys
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token


def accueil(request):
    return render(request, "pages/accueil.html")


def accessibilite(request):
    return render(request, "pages/accessibilite.html")


def _exploitant() -> dict:
    """The operator of this instance, from the settings (REPERE_EXPLOITANT_* environment variables)."""
    return {k: (v or "").strip() for k, v in getattr(settings, "REPERE_EXPLOITANT", {}).items()}


def mentions_legales(request):
    return render(request, "pages/mentions_legales.html", {"exploitant": _exploitant()})


def donnees_personnelles(request):
    return render(
        request,
        "pages/donnees_personnelles.html",
        {
            "exploitant": _exploitant(),
            "conservation_jours": settings.REPERE_ALLERVERS_CONSERVATION_JOURS,
            "journal_jours": settings.REPERE_ALLERVERS_JOURNAL_JOURS,
            "depistage_jours": settings.DEPISTAGE_CONSERVATION_JOURS,
        },
    )


@cache
def _favicon() -> bytes:
    return Path(finders.find("favicon.ico")).read_bytes()


@cache_control(max_age=86400, public=True)
def favicon(request):
    return HttpResponse(_favicon(), content_type="image/x-icon")


def securite(request):
    return render(
        request,
        "pages/securite.html",
        {
            "CONTACT_SECURITE": settings.REPERE_CONTACT_SECURITE,
            "conservation_allervers": settings.REPERE_ALLERVERS_CONSERVATION_JOURS,
            "preavis_allervers": settings.REPERE_ALLERVERS_PREAVIS_JOURS,
            "conservation_depistage": settings.DEPISTAGE_CONSERVATION_JOURS,
            "conservation_journal": settings.REPERE_ALLERVERS_JOURNAL_JOURS,
        },
    )


def _base_injoignable() -> bool:
    from django.db import connection

    try:
        with connection.cursor() as curseur:
            curseur.execute("SELECT 1")
    except DatabaseError:
        return True
    return False


def _erreur(request, status, titre, message):
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        reponse = JsonResponse({"detail": message}, status=status)
    else:
        reponse = render(request, "pages/erreur.html", {"titre": titre, "message": message}, status=status)
    reponse.page_erreur_repere = True  # see repere.pages.middleware
    return reponse


@requires_csrf_token
def erreur_400(request, exception=None):
    return _erreur(request, 400, "Requête invalide", "La requête envoyée n'est pas valide.")


@requires_csrf_token
def erreur_403(request, exception=None):
    return _erreur(request, 403, "Accès refusé", "Vous n'avez pas accès à cette page.")


@requires_csrf_token
def erreur_404(request, exception=None):
    return _erreur(request, 404, "Page introuvable", "Cette page n'existe pas ou vous n'y avez pas accès.")


@requires_csrf_token
def erreur_500(request):
    if isinstance(sys.exc_info()[1], DatabaseError) and _base_injoignable():
        titre = "Service momentanément indisponible"
        message = (
            "La base de données ne répond pas pour le moment. Rien de ce que vous venez d'envoyer n'a été "
            "enregistré : réessayez dans quelques minutes."
        )
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            reponse = JsonResponse({"detail": message}, status=503)
        else:
            reponse = render(request, "pages/indisponible.html", {"titre": titre, "message": message}, status=503)
        reponse["Retry-After"] = "60"
        return reponse
    # The reference is logged and e-mailed with the error (repere.exploitation.journaux), so that a user can quote it.
    request.reference_erreur = secrets.token_hex(4).upper()
    if settings.ADMINS:
        suite = "L'équipe technique a été prévenue par e-mail"
    else:
        suite = "L'erreur est enregistrée dans le journal du serveur ; signalez-la à l'organisme qui exploite ce site"
    return _erreur(
        request,
        500,
        "Erreur du serveur",
        f"Une erreur inattendue s'est produite. {suite} (référence {request.reference_erreur}).",
    )


def erreur_csrf(request, reason=""):
    return _erreur(
        request,
        403,
        "Formulaire expiré",
        "Le formulaire a expiré ou a été envoyé depuis une autre page. Rechargez la page puis renvoyez-le.",
    )
