from django.apps import AppConfig


class PilotageConfig(AppConfig):
    name = "repere.pilotage"
    label = "pilotage"
    verbose_name = "Pilotage du Pacte des solidarités"
