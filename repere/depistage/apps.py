from django.apps import AppConfig


class DepistageConfig(AppConfig):
    name = "repere.depistage"
    label = "depistage"
    verbose_name = "Dépistage du non-recours"
