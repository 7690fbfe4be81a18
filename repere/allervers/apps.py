from django.apps import AppConfig


class AllerversConfig(AppConfig):
    name = "repere.allervers"
    label = "allervers"
    verbose_name = "Aller-vers et suivi"
