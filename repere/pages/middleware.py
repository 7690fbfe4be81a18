"""French error pages, in the site's layout, even with DEBUG on.

With DEBUG, Django answers an unknown URL or an ``Http404`` with its English technical page. The
project's own pages must look the same in development as in production (demo instances run with
DEBUG on): this middleware replaces those technical HTML pages by the site's 404 page. Responses
that are already the site's own pages, JSON (API) or not HTML are left alone.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from repere.pages import views


class PagesErreurEnFrancais:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not getattr(response, "page_erreur_repere", False)
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(settings.STATIC_URL)
        ):
            return views.erreur_404(request)
        return response

    def process_exception(self, request, exception):
        if not settings.DEBUG:
            return None
        if isinstance(exception, Http404):
            return views.erreur_404(request, exception)
        if isinstance(exception, PermissionDenied):
            return views.erreur_403(request, exception)
        return None
