from django.core.management.base import BaseCommand

from repere.observatoire import activite


class Command(BaseCommand):
    help = (
        "Calcule les indicateurs de l'activité de Repère (couverture de l'annuaire, aller-vers) ; lancée chaque nuit."
    )

    def handle(self, *args, **o):
        for run in activite.calculer():
            self.stdout.write(f"{run.fichier} : {run.valeurs} valeurs.")
