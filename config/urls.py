from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.api import api

handler400 = "repere.pages.views.erreur_400"
handler403 = "repere.pages.views.erreur_403"
handler404 = "repere.pages.views.erreur_404"
handler500 = "repere.pages.views.erreur_500"

urlpatterns = [
    path("", include("repere.pages.urls")),
    path("", include("repere.exploitation.urls")),
    path("compte/proconnect/", include("repere.comptes.urls_proconnect")),
    path("compte/", include("repere.comptes.urls")),
    path("organisations/", include("repere.organisations.urls")),
    path("territoires/", include("repere.territoires.urls")),
    path("droits/", include("repere.droits.urls")),
    path("depistage/", include("repere.depistage.urls")),
    path("annuaire/", include("repere.annuaire.urls")),
    path("aller-vers/", include("repere.allervers.urls")),
    path("observatoire/", include("repere.observatoire.urls")),
    path("pilotage/", include("repere.pilotage.urls")),
    path("concertation/", include("repere.concertation.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
