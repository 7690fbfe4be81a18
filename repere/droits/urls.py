from django.urls import path

from repere.droits import views

app_name = "droits"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("etape/<str:code>/", views.etape, name="etape"),
    path("resultats/", views.resultats, name="resultats"),
    path("resultats/imprimer/", views.imprimer, name="imprimer"),
    path("resultats/courbe/", views.courbe_page, name="courbe"),
    path("resultats/courbe.json", views.courbe_json, name="courbe_json"),
    path("recommencer/", views.recommencer, name="recommencer"),
    path("aides-locales/", views.aides_locales, name="aides_locales"),
    path("aides-locales/nouvelle/", views.aide_creer, name="aide_creer"),
    path("aides-locales/<int:pk>/modifier/", views.aide_modifier, name="aide_modifier"),
    path("aides-locales/<int:pk>/supprimer/", views.aide_supprimer, name="aide_supprimer"),
    path("aides-locales/importer/", views.aides_importer, name="aides_importer"),
    path(
        "aides-locales/exporter/<int:organisation_id>.<str:format>",
        views.aides_exporter,
        name="aides_exporter",
    ),
]
