from pathlib import Path

from django.core.management.base import CommandError

from repere.pilotage.cadre import FICHIER_PACTE, CadreInvalide, charger_cadre
from repere.utils.commandes import Commande


class Command(Commande):
    help = (
        "Charge (ou met à jour) le cadre national du Pacte des solidarités : ses 4 axes et leurs mesures, "
        "depuis le fichier versionné repere/pilotage/donnees/pacte-des-solidarites.yaml. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fichier", type=Path, default=FICHIER_PACTE)

    def handle(self, *args, fichier, **options):
        try:
            cadre, compte = charger_cadre(fichier)
        except CadreInvalide as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            self.style.SUCCESS(
                f"{cadre} (version {cadre.version}) : {compte['axes']} axes, {compte['mesures']} mesures "
                f"({compte['creees']} nouvelles, {compte['retirees']} retirées)."
            )
        )
