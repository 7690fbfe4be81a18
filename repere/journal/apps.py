from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "repere.journal"
    label = "journal"
    verbose_name = "Journal des lectures de données personnelles"
