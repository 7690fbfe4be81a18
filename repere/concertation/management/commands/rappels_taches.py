from django.utils import timezone

from repere.concertation.services import envoyer_rappels
from repere.utils.commandes import Commande


class Command(Commande):
    help = "Envoie un rappel par e-mail pour chaque tâche de suivi non faite dont l'échéance est proche ou passée (une fois)."

    def add_arguments(self, parser):
        parser.add_argument("--delai", type=int, default=3, help="jours avant l'échéance (3 par défaut)")

    def handle(self, *args, delai, **options):
        n = envoyer_rappels(jour=timezone.localdate(), delai_jours=delai)
        self.stdout.write(self.style.SUCCESS(f"{n} rappel(s) envoyé(s)."))
