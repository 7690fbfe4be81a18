from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
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
    return _erreur(
        request, 500, "Erreur du serveur", "Une erreur inattendue s'est produite. L'équipe technique a été prévenue."
    )


def erreur_csrf(request, reason=""):
    return _erreur(
        request,
        403,
        "Formulaire expiré",
        "Le formulaire a expiré ou a été envoyé depuis une autre page. Rechargez la page puis renvoyez-le.",
    )
