"""ProConnect (OpenID Connect) routes; their names are those mozilla-django-oidc reverses (no namespace)."""

from django.urls import path

from repere.comptes.proconnect import ConnexionProConnect, RetourProConnect

urlpatterns = [
    path("connexion/", ConnexionProConnect.as_view(), name="oidc_authentication_init"),
    path("retour/", RetourProConnect.as_view(), name="oidc_authentication_callback"),
]
