from django.core.management.base import BaseCommand

from repere.observatoire.services import republier_tout


class Command(BaseCommand):
    help = (
        "Applique de nouveau le secret statistique à toutes les valeurs (après un changement de REPERE_SECRET_SEUIL)."
    )

    def handle(self, *args, **o):
        self.stdout.write(f"{republier_tout()} cases masquées.")
