from django.urls import path

from repere.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("nouvelle/", views.creer, name="creer"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.modifier, name="modifier"),
    path("<int:pk>/inviter/", views.inviter, name="inviter"),
    path("<int:pk>/invitations/<int:invitation_id>/annuler/", views.annuler_invitation, name="annuler_invitation"),
    path("<int:pk>/membres/<int:membership_id>/role/", views.changer_role, name="changer_role"),
    path("<int:pk>/membres/<int:membership_id>/retirer/", views.retirer, name="retirer"),
    path("invitation/", views.invitation, name="invitation"),
    path("invitation/<str:jeton>/", views.invitation_ancienne, name="invitation_ancienne"),
]
