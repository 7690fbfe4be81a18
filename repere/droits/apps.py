from django.apps import AppConfig


class DroitsConfig(AppConfig):
    name = "repere.droits"
    label = "droits"
    verbose_name = "Droits (simulateur)"
