from repere.observatoire import activite
from repere.utils.commandes import Commande


class Command(Commande):
    help = (
        "Calcule les indicateurs de l'activité de Repère (couverture de l'annuaire, aller-vers) ; lancée chaque nuit."
    )

    def handle(self, *args, **o):
        for run in activite.calculer():
            self.stdout.write(f"{run.fichier} : {run.valeurs} valeurs.")
