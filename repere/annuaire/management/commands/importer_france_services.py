from django.core.management.base import CommandError

from repere.annuaire.importation import ErreurFichier, importer_france_services
from repere.utils.commandes import Commande

from ._rapport import afficher


class Command(Commande):
    help = (
        "Importe la liste ANCT des France Services (CSV : id_fs, lib_fs, adresse, insee_com, code_postal, "
        "latitude, longitude, mail, telephone, h_lundi … h_samedi). Idempotent ; les espaces absents du "
        "fichier sont retirés de l'annuaire."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier")
        parser.add_argument("--rejets", help="écrit les lignes rejetées dans ce fichier CSV")
        parser.add_argument("--encodage", choices=["utf-8", "cp1252"], default="utf-8")

    def handle(self, *args, **options):
        try:
            rapport = importer_france_services(options["fichier"], encodage=options["encodage"])
        except ErreurFichier as exc:
            raise CommandError(str(exc)) from exc
        afficher(self, rapport, fichier_rejets=options["rejets"])
