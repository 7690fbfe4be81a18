from django.urls import path

from repere.annuaire import views, views_import

app_name = "annuaire"

urlpatterns = [
    path("", views.recherche, name="recherche"),
    path("services/<int:pk>/", views.service, name="service"),
    path("services/<int:pk>/orienter/", views.orienter, name="orienter"),
    path("orientations/<int:pk>/", views.orientation, name="orientation"),
    path("orientations/<int:pk>/repondre/", views.repondre, name="repondre"),
    path("orientations/<int:pk>/nouveau-lien/", views.renouveler_lien, name="renouveler_lien"),
    path("orientations/<int:pk>/piece-jointe/", views.piece_jointe, name="piece_jointe"),
    path("orientations/<int:pk>/reponse/", views.reponse_lien, name="reponse_lien"),
    path("orientations/<int:pk>/reponse/piece-jointe/", views.piece_jointe_lien, name="piece_jointe_lien"),
    path("orientations/<int:pk>/reponse/<str:jeton>/", views.reponse_lien_ancien, name="reponse_lien_ancien"),
    path("orientations/<str:sens>/", views.tableau, name="tableau"),
    path("orientations/<str:sens>/export.csv", views.tableau_csv, name="tableau_csv"),
    path("structures/", views.mes_structures, name="mes_structures"),
    path("structures/nouvelle/", views.structure_creer, name="structure_creer"),
    path("structures/<int:pk>/", views.structure_modifier, name="structure_modifier"),
    path("structures/<int:structure_pk>/services/nouveau/", views.service_modifier, name="service_creer"),
    path("services/<int:pk>/modifier/", views.service_modifier, name="service_modifier"),
    path("services/<int:pk>/verifie/", views.service_verifie, name="service_verifie"),
    path("services/<int:pk>/fermetures/", views.fermeture_ajouter, name="fermeture_ajouter"),
    path("fermetures/<int:pk>/supprimer/", views.fermeture_supprimer, name="fermeture_supprimer"),
    path("structures/<int:pk>/revendiquer/", views.revendiquer, name="revendiquer"),
    path("moderation/", views.moderation, name="moderation"),
    path("import/", views_import.depot, name="import_depot"),
    path("import/<str:jeton>/colonnes/", views_import.correspondance_colonnes, name="import_correspondance"),
    path(
        "import/<str:jeton>/correspondance.json",
        views_import.telecharger_correspondance,
        name="import_correspondance_json",
    ),
    path("import/<str:jeton>/verification/", views_import.apercu, name="import_apercu"),
    path("import/<str:jeton>/importer/", views_import.executer, name="import_executer"),
    path("import/suivi/<int:pk>/", views_import.suivi, name="import_suivi"),
]
