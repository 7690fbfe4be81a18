from django.urls import path

from repere.pages import views

app_name = "pages"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("mentions-legales/", views.mentions_legales, name="mentions_legales"),
    path("donnees-personnelles/", views.donnees_personnelles, name="donnees_personnelles"),
    path("securite/", views.securite, name="securite"),
    path("favicon.ico", views.favicon, name="favicon"),
]
