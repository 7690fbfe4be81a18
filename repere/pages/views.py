from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token


def accueil(request):
    return render(request, "pages/accueil.html")


def accessibilite(request):
    return render(request, "pages/accessibilite.html")


def mentions_legales(request):
    return render(request, "pages/mentions_legales.html")


def donnees_personnelles(request):
    return render(request, "pages/donnees_personnelles.html")


def _erreur(request, status, titre, message):
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"detail": message}, status=status)
    return render(request, "pages/erreur.html", {"titre": titre, "message": message}, status=status)


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
