"""manage.py depister FICHIER --sortie resultats.csv: batch screening of probable non-take-up."""

import sys
from pathlib import Path

from django.core.management.base import CommandError
from tqdm import tqdm

from repere.depistage import lecture
from repere.depistage.execution import TAILLE_LOT_DEFAUT, ErreurDepistage, Options, depister
from repere.depistage.selectors import noms_communes
from repere.utils.commandes import Commande
from repere.utils.nombres import compte, euros, nombre


class BarreFrancaise(tqdm):
    """tqdm in French: counts with the French number format and agreement (« 0 ménage sur 20 000 »),
    elapsed and remaining time, no English rate (« 1.34it/s »)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("bar_format", "{desc} : {percentage:3.0f} % |{bar}| {compte} [{elapsed} écoulé, {reste}]")
        super().__init__(*args, **kwargs)

    @property
    def format_dict(self):
        d = super().format_dict
        n, total, taux = d["n"], d["total"], d.get("rate")
        if taux is None and d["elapsed"] and n - d.get("initial", 0) > 0:
            taux = (n - d.get("initial", 0)) / d["elapsed"]
        d["compte"] = f"{compte(n, 'ménage')} sur {nombre(total)}"
        d["reste"] = (
            f"{tqdm.format_interval((total - n) / taux)} restant" if taux and total else "temps restant estimé bientôt"
        )
        return d


class Command(Commande):
    help = (
        "Dépiste le non-recours probable sur un fichier de ménages (CSV, XLSX ou Parquet, une ligne par personne) : "
        "résultats par ménage triés par montant mensuel en jeu, lignes rejetées et rapport de synthèse. "
        "Code de sortie : 0 tout est calculé, 3 calculé mais des lignes sont rejetées, 1 échec (aucun résultat), "
        "2 commande mal écrite."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="Fichier de ménages (CSV, XLSX ou Parquet, une ligne par personne)")
        parser.add_argument("--sortie", required=True, help="Fichier de résultats : .csv, .xlsx ou .parquet")
        parser.add_argument("--rapport", help="Rapport de synthèse HTML (imprimable)")
        parser.add_argument("--erreurs", help="Fichier des lignes rejetées (par défaut : <sortie>-lignes-rejetees)")
        parser.add_argument("--reprendre", action="store_true", help="Reprendre un traitement interrompu")
        parser.add_argument("--dask", metavar="ADRESSE", help="Adresse d'un ordonnanceur Dask (tcp://hote:8786)")
        parser.add_argument("--processus", type=int, default=0, help="Processus de calcul locaux (0 : un par cœur)")
        parser.add_argument("--taille-lot", type=int, default=TAILLE_LOT_DEFAUT, help="Ménages par lot")
        parser.add_argument("--mois", help="Mois simulé AAAA-MM (par défaut le mois courant)")
        parser.add_argument("--prestations", help="Codes séparés par des virgules (par défaut : toutes)")
        parser.add_argument(
            "--mode",
            choices=["rapide", "complet"],
            default="complet",
            help="complet (défaut) : toutes les prestations ; rapide : les principales seulement, plus vite",
        )
        parser.add_argument("--sans-barre", action="store_true", help="Pas de barre de progression")

    def handle(self, *args, **o):
        options = Options(
            taille_lot=o["taille_lot"],
            mois=o["mois"],
            prestations=tuple(c.strip() for c in o["prestations"].split(",") if c.strip())
            if o["prestations"]
            else None,
            mode=o["mode"],
            processus=o["processus"],
            dask=o["dask"],
            reprendre=o["reprendre"],
        )
        barre = None

        def progression(etape, faits, total):
            nonlocal barre
            if o["sans_barre"]:
                return
            if etape == "calcul":
                if barre is None:
                    barre = BarreFrancaise(total=total, initial=faits, desc="Dépistage", smoothing=0.1)
                barre.update(faits - barre.n)
            elif etape == "fusion" and barre is not None:
                barre.set_description_str("Tri et écriture")
            elif etape == "termine" and barre is not None:
                barre.close()

        try:
            bilan = depister(
                entree=Path(o["fichier"]),
                sortie_chemin=Path(o["sortie"]),
                rapport=o["rapport"],
                erreurs=o["erreurs"],
                options=options,
                progression=progression,
                noms_communes=noms_communes,
            )
        except (lecture.ErreurFichier, ErreurDepistage, ValueError) as exc:
            raise CommandError(f"{str(exc).rstrip('. ')}. Aucun résultat n'a été écrit.", returncode=1) from None
        except KeyboardInterrupt:
            raise CommandError(
                "Interrompu. Les lots terminés sont conservés : relancez la même commande avec --reprendre.",
                returncode=1,
            ) from None
        finally:
            if barre is not None:
                barre.close()
        debit = bilan.menages_total / bilan.duree if bilan.duree else 0
        debit_texte = nombre(debit, decimales=1 if debit < 10 else 0)
        if bilan.colonnes_ignorees:
            self.stdout.write("Colonnes ignorées (non reconnues) : " + ", ".join(bilan.colonnes_ignorees))

        message = (
            f"{compte(bilan.menages_calcules, 'ménage calculé')} sur {nombre(bilan.menages_total)} "
            f"en {nombre(bilan.duree, decimales=1)} s ({debit_texte} par seconde) ; "
            f"{nombre(bilan.non_recours)} en non-recours probable, {euros(bilan.montant_mensuel_en_jeu)} par mois en jeu."
            + (f" Reprise : {compte(bilan.lots_repris, 'lot déjà fait')}." if bilan.lots_repris else "")
            + f"\nRésultats : {bilan.sortie}"
            + (f"\nRapport : {bilan.rapport}" if bilan.rapport else "")
        )
        if bilan.anomalies:
            self.stdout.write(message)
            self.stderr.write(
                self.style.WARNING(
                    f"{compte(bilan.menages_rejetes, 'ménage non calculé')}, "
                    f"{compte(bilan.lignes_rejetees, 'ligne signalée')} : "
                    f"voir {bilan.erreurs}"
                )
            )
            sys.exit(3)
        self.stdout.write(self.style.SUCCESS(message))
