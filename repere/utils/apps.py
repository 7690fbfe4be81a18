from django.apps import AppConfig


class UtilsConfig(AppConfig):
    name = "repere.utils"
    label = "utils"
