from django.core.management.base import CommandError

from repere.observatoire.models import Indicateur, Valeur
from repere.observatoire.services import agreger, publier
from repere.utils.commandes import Commande
from repere.utils.errors import ErreurMetier


class Command(Commande):
    help = "Recalcule les niveaux supérieurs d'un indicateur depuis ses communes (si l'indicateur le permet) et republie le secret."

    def add_arguments(self, parser):
        parser.add_argument("indicateur")

    def handle(self, *args, **o):
        indicateur = Indicateur.objects.filter(code=o["indicateur"]).first()
        if indicateur is None:
            raise CommandError(f"Indicateur inconnu : {o['indicateur']}.")
        for periode in Valeur.objects.filter(indicateur=indicateur).values_list("periode", flat=True).distinct():
            try:
                n = agreger(indicateur=indicateur, periode=periode)
            except ErreurMetier as e:
                raise CommandError(e.message) from e
            publier(indicateur=indicateur, periode=periode)
            self.stdout.write(f"{periode} : {n} valeurs agrégées.")
