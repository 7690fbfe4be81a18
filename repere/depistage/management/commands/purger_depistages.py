from repere.depistage import fichiers
from repere.depistage.services import purger_depistages
from repere.utils.commandes import Commande


class Command(Commande):
    help = (
        "Supprime les fichiers (déposés, résultats, rapports) des dépistages plus anciens que la durée de "
        "conservation (DEPISTAGE_CONSERVATION_JOURS, 30 jours par défaut). Lancée chaque nuit par le worker."
    )

    def handle(self, *args, **options):
        n = purger_depistages()
        jours = fichiers.duree_conservation().days
        self.stdout.write(self.style.SUCCESS(f"{n} dépistage(s) de plus de {jours} jours supprimé(s)."))
