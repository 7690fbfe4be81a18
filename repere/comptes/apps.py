from django.apps import AppConfig


class ComptesConfig(AppConfig):
    name = "repere.comptes"
    label = "comptes"
