from django.core.management.base import BaseCommand

from repere.allervers.compteurs import recalculer


class Command(BaseCommand):
    help = "Aller-vers : reconstruit les compteurs quotidiens des contacts à partir des contacts enregistrés."

    def handle(self, *args, **options):
        n = recalculer()
        self.stdout.write(f"{n} compteurs quotidiens reconstruits.")
