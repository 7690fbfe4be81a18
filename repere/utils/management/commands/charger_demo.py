import importlib

from django.apps import apps
from django.db import transaction

from repere.organisations.demo import MOT_DE_PASSE_DEMO
from repere.utils.commandes import Commande


class Command(Commande):
    help = (
        "Charge les données de démonstration (organisations, comptes et données de chaque pilier, toutes "
        "étiquetées « démo »). Sans effet si elles existent déjà. Chaque application fournit un module demo.py."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        lignes = []
        # organisations first: the other pillars' demo data belongs to the demo organisations.
        ordre = [
            "organisations",
            "droits",
            "annuaire",
            "allervers",
            "depistage",
            "observatoire",
            "pilotage",
            "concertation",
        ]
        for label in ordre:
            if not apps.is_installed(f"repere.{label}"):
                continue
            try:
                module = importlib.import_module(f"repere.{label}.demo")
            except ModuleNotFoundError as e:
                if e.name != f"repere.{label}.demo":
                    raise
                continue
            lignes += module.charger() or []
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes (fictives, étiquetées « démo »)."))
        self.stdout.write(f"Comptes de démonstration (mot de passe commun : {MOT_DE_PASSE_DEMO}) :")
        for ligne in lignes:
            self.stdout.write(f"  - {ligne}")
