from django.apps import AppConfig

from repere.utils.demarrage import prechauffage_demande


class DroitsConfig(AppConfig):
    name = "repere.droits"
    label = "droits"
    verbose_name = "Droits (simulateur)"

    def ready(self):
        # Web process start-up: build the OpenFisca tax-benefit system in the background (3-5 s) so
        # that the first simulation does not wait for it. Not for management commands or tests.
        if prechauffage_demande():
            from repere.droits.moteur import prechauffer_en_arriere_plan

            prechauffer_en_arriere_plan()
