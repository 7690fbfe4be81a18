from django.urls import path

from repere.concertation import views

app_name = "concertation"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("groupes/<int:pk>/", views.groupe, name="groupe"),
    path("reunions/<int:pk>/", views.reunion, name="reunion"),
    path("evenements/<int:pk>/", views.evenement, name="evenement"),
    path("ateliers/<int:pk>/saisie/", views.saisie, name="saisie"),
    path("ateliers/<int:pk>/fiche/", views.fiche_partielle, name="fiche"),
    path("evenements/<int:pk>/synthese/", views.synthese_page, name="synthese"),
    path("evenements/<int:pk>/synthese/calculer/", views.synthese_calculer, name="synthese_calculer"),
    path("evenements/<int:pk>/synthese/publier/", views.synthese_publier, name="synthese_publier"),
    path("evenements/<int:pk>/synthese.<str:format>", views.synthese_document, name="synthese_document"),
    path("propositions/<int:pk>/", views.enseignement_modifier, name="enseignement_modifier"),
]
