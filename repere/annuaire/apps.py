from django.apps import AppConfig


class AnnuaireConfig(AppConfig):
    name = "repere.annuaire"
    label = "annuaire"
    verbose_name = "Annuaire et orientation"
