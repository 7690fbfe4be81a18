import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from repere.droits.fraicheur import SEUIL_MOIS, fraicheur
from repere.droits.prestations import PAR_CODE


class Command(BaseCommand):
    help = (
        "Liste, pour chaque prestation couverte, ses paramètres clés OpenFisca-France et la date de leur "
        f"dernière valeur ; signale ceux de plus de {SEUIL_MOIS} mois (revalorisation peut-être manquée)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Date de référence AAAA-MM-JJ (défaut : aujourd'hui)")
        parser.add_argument("--seuil-mois", type=int, default=SEUIL_MOIS)
        parser.add_argument(
            "--echec-si-ancien", action="store_true", help="Code de sortie 1 si un paramètre est trop ancien"
        )

    def handle(self, *args, **opts):
        try:
            jour = dt.date.fromisoformat(opts["date"]) if opts["date"] else dt.date.today()
        except ValueError as exc:
            raise CommandError("--date : format attendu AAAA-MM-JJ") from exc
        lignes = fraicheur(aujourd_hui=jour, seuil_mois=opts["seuil_mois"])
        from importlib.metadata import version

        self.stdout.write(
            f"OpenFisca-France {version('openfisca-france')} — référence {jour:%d/%m/%Y}, seuil {opts['seuil_mois']} mois"
        )
        anciens = 0
        courant = None
        for ligne in lignes:
            if ligne.prestation != courant:
                courant = ligne.prestation
                self.stdout.write(f"\n{PAR_CODE[courant].libelle}")
            nom = ligne.parametre.rsplit(".", 2)[-2:]
            if ligne.introuvable:
                anciens += 1
                self.stdout.write(f"  [INTROUVABLE] {ligne.parametre}")
                continue
            marque = "[ANCIEN]" if ligne.trop_ancien else ("[stable]" if ligne.valeur_ancienne else "[ok]    ")
            anciens += ligne.trop_ancien
            valable = f", toujours valable le {ligne.toujours_valable_le}" if ligne.toujours_valable_le else ""
            self.stdout.write(f"  {marque} {'.'.join(nom)} = {ligne.valeur} depuis le {ligne.depuis:%d/%m/%Y}{valable}")
        self.stdout.write(
            f"\n{anciens} paramètre(s) de plus de {opts['seuil_mois']} mois non confirmé(s) ou introuvable(s) sur "
            f"{len(lignes)}. [stable] : valeur ancienne mais confirmée depuis moins de {opts['seuil_mois']} mois "
            "(last_value_still_valid_on)."
        )
        if anciens and opts["echec_si_ancien"]:
            raise CommandError("Des paramètres sont anciens : vérifiez les revalorisations.")
