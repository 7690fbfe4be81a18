from django.contrib.auth import views as auth_views
from django.urls import path

from repere.comptes import views, views_double_facteur

app_name = "comptes"

urlpatterns = [
    path("connexion/", views.ConnexionView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.compte, name="compte"),
    path("double-facteur/", views_double_facteur.double_facteur, name="double_facteur"),
    path("codes-secours/", views_double_facteur.codes_de_secours, name="codes_secours"),
    path("journee/", views.journee, name="journee"),
    path("journee/recontacts/<int:pk>/fait/", views.recontact_fait, name="recontact_fait"),
    path("mot-de-passe/", views.mot_de_passe_modifier, name="mot_de_passe_modifier"),
    path("mot-de-passe/modifie/", views.mot_de_passe_modifie, name="mot_de_passe_modifie"),
    path("mot-de-passe-oublie/", views.mot_de_passe_oublie, name="mot_de_passe_oublie"),
    path("mot-de-passe-oublie/envoye/", views.mot_de_passe_oublie_envoye, name="mot_de_passe_oublie_envoye"),
    path("reinitialiser/<uidb64>/<token>/", views.mot_de_passe_reinitialiser, name="mot_de_passe_reinitialiser"),
    path("reinitialiser/termine/", views.mot_de_passe_reinitialise, name="mot_de_passe_reinitialise"),
]
