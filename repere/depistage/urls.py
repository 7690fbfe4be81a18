from django.urls import path

from repere.depistage import views

app_name = "depistage"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("modele.<str:format>", views.modele_fichier, name="modele"),
    path("<int:organisation_id>/", views.organisation, name="organisation"),
    path("<int:organisation_id>/<int:pk>/", views.detail, name="detail"),
    path("<int:organisation_id>/<int:pk>/progression/", views.progression, name="progression"),
    path("<int:organisation_id>/<int:pk>/supprimer/", views.supprimer, name="supprimer"),
    path("<int:organisation_id>/<int:pk>/<str:quoi>/", views.telecharger, name="telecharger"),
]
