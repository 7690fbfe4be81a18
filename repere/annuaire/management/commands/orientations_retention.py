from repere.annuaire.services import anonymiser_orientations, supprimer_pieces_jointes
from repere.utils.commandes import Commande


class Command(Commande):
    help = (
        "Durées de conservation des orientations : pièces jointes supprimées 6 mois après la clôture, "
        "données personnelles anonymisées 2 ans après la clôture."
    )

    def handle(self, *args, **options):
        pieces = supprimer_pieces_jointes()
        anonymisees = anonymiser_orientations()
        self.stdout.write(f"{pieces} pièce(s) jointe(s) supprimée(s), {anonymisees} orientation(s) anonymisée(s).")
