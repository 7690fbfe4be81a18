from pathlib import Path

from django.core.management.base import CommandError

from repere.concertation import services, synthese
from repere.concertation.demo import evenement_2023
from repere.utils.commandes import Commande


class Command(Commande):
    help = (
        "Reconstitue les fiches d'atelier de la conférence régionale 2023 depuis la synthèse écrite "
        "(../shared/seed/ par défaut) puis calcule la synthèse. Idempotent (les ateliers sont remplacés)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fichier", type=Path, default=None)
        parser.add_argument("--sans-calcul", action="store_true")

    def handle(self, *args, fichier, sans_calcul, **options):
        chemin = fichier or services.chemin_seed()
        if not chemin.exists():
            raise CommandError(f"Synthèse introuvable : {chemin}")
        evenement = evenement_2023()
        if evenement is None:
            raise CommandError("Organisations de démonstration absentes : lancez d'abord charger_demo.")
        try:
            ateliers = services.importer_synthese(texte=chemin.read_text(encoding="utf-8"), evenement=evenement)
        except services.ImportImpossible as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"{len(ateliers)} fiches reconstituées pour « {evenement} ».")
        if not sans_calcul:
            s = synthese.calculer_synthese(evenement=evenement)
            self.stdout.write(self.style.SUCCESS(f"Synthèse calculée en {s.duree_calcul} s."))
            for e in s.enseignements.filter(type="transversal").order_by("ordre"):
                n = synthese.recurrence(e)
                self.stdout.write(f"  - enjeu transversal : {e.titre} ({n} ateliers)")
