from django.apps import AppConfig


class ObservatoireConfig(AppConfig):
    name = "repere.observatoire"
    label = "observatoire"
    verbose_name = "Observatoire"
