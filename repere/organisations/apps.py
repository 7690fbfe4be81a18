from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "repere.organisations"
    label = "organisations"
