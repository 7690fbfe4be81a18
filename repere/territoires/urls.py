from django.urls import path

from repere.territoires import views

app_name = "territoires"

urlpatterns = [
    path("", views.recherche, name="recherche"),
    path("<str:type>/<str:code>/", views.detail, name="detail"),
]
