from django.apps import AppConfig


class TerritoiresConfig(AppConfig):
    name = "repere.territoires"
    label = "territoires"
