from django.urls import path

from repere.allervers import views

app_name = "allervers"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("contacts/envoi/", views.envoi_contact, name="envoi_contact"),
    path("registre/", views.page_registre, name="registre"),
    path("notices/nouvelle/", views.notice_creer, name="notice_creer"),
    path("campagnes/nouvelle/", views.campagne_creer, name="campagne_creer"),
    path("campagnes/<int:pk>/", views.campagne, name="campagne"),
    path("campagnes/<int:pk>/modifier/", views.campagne_modifier, name="campagne_modifier"),
    path("campagnes/<int:pk>/saisie/", views.saisie, name="saisie"),
    path("campagnes/<int:pk>/contacts/", views.contacts, name="contacts"),
    path("indicateurs/", views.indicateurs, name="indicateurs"),
    path("indicateurs/export.<str:format>", views.indicateurs_export, name="indicateurs_export"),
    path("personnes/", views.personnes, name="personnes"),
    path("personnes/nouvelle/", views.personne_creer, name="personne_creer"),
    path("personnes/<int:pk>/", views.personne, name="personne"),
    path("personnes/<int:pk>/modifier/", views.personne_modifier, name="personne_modifier"),
    path("personnes/<int:pk>/foyer/", views.menage, name="menage"),
    path("personnes/<int:pk>/simuler/", views.simuler, name="simuler"),
    path("personnes/<int:pk>/simulations/<int:simulation_id>/", views.simulation, name="simulation"),
    path("personnes/<int:pk>/droits/<int:droit_id>/etape/", views.droit_etape, name="droit_etape"),
    path("personnes/<int:pk>/entretiens/", views.entretien_ajouter, name="entretien_ajouter"),
    path("personnes/<int:pk>/rappels/", views.rappel_ajouter, name="rappel_ajouter"),
    path("personnes/<int:pk>/rappels/<int:rappel_id>/fait/", views.rappel_fait, name="rappel_fait"),
    path("personnes/<int:pk>/partage/", views.partage_ajouter, name="partage_ajouter"),
    path("personnes/<int:pk>/partage/<int:membre_id>/fin/", views.partage_retirer, name="partage_retirer"),
    path("personnes/<int:pk>/orienter/", views.orienter, name="orienter"),
    path("personnes/<int:pk>/acces.json", views.export_json, name="export_json"),
    path("personnes/<int:pk>/acces/", views.export_imprimable, name="export_imprimable"),
    path("personnes/<int:pk>/effacer/", views.effacer, name="effacer"),
    path("personnes/<int:pk>/journal/", views.journal, name="journal"),
]
