from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "repere.pages"
    label = "pages"
