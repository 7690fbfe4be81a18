from repere.annuaire.services import relancer_et_expirer, relancer_verifications
from repere.utils.commandes import Commande


class Command(Commande):
    help = (
        "Relances quotidiennes : orientations sans réponse depuis 10 jours (nouveau lien signé), expiration "
        "après 30 jours, services non vérifiés depuis 6 mois (e-mail aux membres de la structure)."
    )

    def handle(self, *args, **options):
        relancees, expirees = relancer_et_expirer()
        services = relancer_verifications()
        self.stdout.write(
            f"{relancees} orientation(s) relancée(s), {expirees} expirée(s), {services} service(s) à vérifier signalé(s)."
        )
