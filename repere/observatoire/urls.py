from django.urls import path

from repere.observatoire import views

app_name = "observatoire"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("territoire/<str:niveau>/<str:code>/", views.portrait, name="portrait"),
    path("territoire/<str:niveau>/<str:code>/portrait.pdf", views.portrait_pdf, name="portrait_pdf"),
    path("territoire/<str:niveau>/<str:code>/export.<str:format>", views.portrait_export, name="portrait_export"),
    path("carte/", views.carte, name="carte"),
    path("carte/donnees.geojson", views.carte_geojson, name="carte_geojson"),
    path("carte/export.<str:format>", views.carte_export, name="carte_export"),
    path("comparer/", views.comparer, name="comparer"),
    path("comparer/export.<str:format>", views.comparer_export, name="comparer_export"),
    path("indicateurs/", views.indicateurs, name="indicateurs"),
    path("imports/", views.imports, name="imports"),
    path("imports/nouveau/", views.importer, name="importer"),
    path("imports/correspondance/", views.import_correspondance, name="import_correspondance"),
    path("barometre/", views.barometre, name="barometre"),
    path("barometre/export.<str:format>", views.barometre_export, name="barometre_export"),
]
