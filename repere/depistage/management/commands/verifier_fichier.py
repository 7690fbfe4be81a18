"""manage.py verifier_fichier FICHIER: check a batch screening file without computing anything."""

import sys

from django.core.management.base import CommandError

from repere.depistage import lecture
from repere.depistage.assemblage import lire_mois
from repere.depistage.verification import verifier
from repere.utils.commandes import Commande
from repere.utils.nombres import compte, nombre


class Command(Commande):
    help = (
        "Vérifie un fichier de dépistage (CSV, XLSX, Parquet) sans rien calculer : liste chaque problème "
        "avec sa ligne et sa colonne. Code de sortie : 0 si aucun problème, 3 si des lignes sont à corriger, "
        "1 si le fichier est illisible, 2 commande mal écrite."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="Fichier de ménages à vérifier (CSV, XLSX ou Parquet)")
        parser.add_argument("--mois", help="Mois simulé AAAA-MM (par défaut le mois courant)")
        parser.add_argument("--limite", type=int, default=0, help="N'afficher que les N premiers problèmes (0 : tous)")

    def handle(self, *args, fichier, mois=None, limite=0, **options):
        if limite < 0:
            raise CommandError(f"option --limite : « {limite} » : 0 (tous les problèmes) ou plus.", returncode=2)
        affiches = 0

        def signaler(a):
            nonlocal affiches
            affiches += 1
            if limite and affiches > limite:
                return
            colonne = f", colonne « {a.colonne} »" if a.colonne else ""
            menage = f" (ménage {a.id_menage})" if a.id_menage else ""
            self.stdout.write(f"Ligne {a.ligne}{colonne}{menage} : {a.message}")

        try:
            v = verifier(fichier, mois=lire_mois(mois), signaler=signaler)
        except (lecture.ErreurFichier, ValueError) as exc:
            raise CommandError(str(exc), returncode=1) from None
        details = f"format {v.format}" + (
            f", encodage {v.encodage}, séparateur « {v.separateur} »" if v.encodage else ""
        )
        if v.colonnes_ignorees:
            self.stdout.write("Colonnes ignorées (non reconnues) : " + ", ".join(v.colonnes_ignorees))
        if limite and affiches > limite:
            self.stdout.write(f"… et {compte(affiches - limite, 'autre problème')}.")
        bilan = (
            f"{compte(v.lignes, 'ligne')}, {compte(v.menages, 'ménage')} ({details}) : "
            f"{compte(v.menages_valides, 'ménage valide')}, {nombre(v.menages_rejetes)} à corriger, "
            f"{compte(v.anomalies, 'problème')}."
        )
        if v.anomalies:
            self.stderr.write(self.style.WARNING(bilan))
            sys.exit(3)
        if v.menages == 0:
            raise CommandError("Le fichier ne contient aucun ménage (seulement l'en-tête).", returncode=1)
        self.stdout.write(self.style.SUCCESS(bilan + " Le fichier est prêt pour le dépistage."))
