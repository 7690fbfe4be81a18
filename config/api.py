"""The JSON API under /api/v1, described in OpenAPI (/api/v1/openapi.json, docs at /api/v1/docs).

Each domain app exposes a ninja ``Router`` in its ``api.py``; they are mounted here.
Errors are always JSON with a French message: 404 for unknown objects, 422 naming the field.
"""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from repere.utils.api_errors import erreurs_validation

api = NinjaAPI(
    title="API Repère",
    version="1",
    description=(
        "API publique et professionnelle de Repère : territoires, simulateur de droits, "
        "annuaire des services d'inclusion. Toutes les réponses sont en JSON ; les erreurs "
        "portent un message en français et, pour les erreurs de saisie (422), le chemin du champ."
    ),
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def _validation_error(request, exc):
    erreurs = erreurs_validation(exc.errors)
    return api.create_response(
        request,
        {"detail": "Données invalides : " + "; ".join(e["message"] for e in erreurs), "erreurs": erreurs},
        status=422,
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    message = str(exc) or "Ressource introuvable."
    return api.create_response(request, {"detail": message}, status=404)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    message = str(exc)
    if message.startswith("Cannot parse request body"):
        message = "Le corps de la requête n'est pas du JSON valide."
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": "Authentification requise."}, status=401)


def _register_routers():
    from repere.territoires.api import router as territoires_router

    api.add_router("/territoires", territoires_router, tags=["Territoires"])
    from repere.droits.api import router as droits_router

    api.add_router("", droits_router, tags=["Simulateur de droits"])
    api.add_router("/aller-vers", "repere.allervers.api.router", tags=["Aller-vers"])
    api.add_router("/annuaire", "repere.annuaire.api.router", tags=["Annuaire"])
    api.add_router("/observatoire", "repere.observatoire.api.router", tags=["Observatoire"])
    api.add_router("/pilotage", "repere.pilotage.api.router", tags=["Pilotage du Pacte"])
    api.add_router("/concertation", "repere.concertation.api.router", tags=["Concertation"])


_register_routers()
