from django.urls import path

from repere.pilotage import views

app_name = "pilotage"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("cadre-national/", views.cadre, name="cadre"),
    path("plans/nouveau/", views.plan_creer, name="plan_creer"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/axes/nouveau/", views.axe_creer, name="axe_creer"),
    path("plans/<int:pk>/actions/nouvelle/", views.action_creer, name="action_creer"),
    path("plans/<int:pk>/export.<str:format>", views.exporter, name="exporter"),
    path("plans/<int:pk>/import/", views.importer, name="importer"),
    path("actions/", views.tableau_actions, name="actions"),
    path("actions/<int:pk>/", views.action, name="action"),
    path("actions/<int:pk>/modifier/", views.action_modifier, name="action_modifier"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("etapes/<int:pk>/basculer/", views.etape_basculer, name="etape_basculer"),
    path("chronologie/", views.chronologie, name="chronologie"),
    path("tableau-de-bord/", views.tableau_de_bord, name="tableau_de_bord"),
    path("comparaison/", views.comparaison, name="comparaison"),
    path("rapport/", views.rapport, name="rapport"),
    path("feuilles-de-route/", views.feuilles_de_route, name="public_liste"),
    path("feuilles-de-route/<int:pk>/", views.feuille_de_route, name="public_plan"),
]
