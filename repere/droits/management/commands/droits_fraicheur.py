import datetime as dt

from django.core.management.base import CommandError

from repere.droits.fraicheur import SEUIL_MOIS, fraicheur
from repere.droits.prestations import PAR_CODE
from repere.utils.commandes import Commande


class Command(Commande):
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
        self._mises_a_jour(lignes, jour)
        if anciens and opts["echec_si_ancien"]:
            raise CommandError("Des paramètres sont anciens : vérifiez les revalorisations.")

    def _mises_a_jour(self, lignes, jour):
        """What the parameter-update file covers, what is still stale, and the provisional scales."""
        from repere.droits import baremes
        from repere.droits.fraicheur import baremes_provisoires

        fichier = baremes.fichier()
        faites = baremes.mises_a_jour()
        self.stdout.write(
            f"\nMise à jour des barèmes : {baremes.FICHIER.name} version {fichier['version']} du {fichier['date']} "
            f"(pour OpenFisca-France {fichier['openfisca_france']}) — {len(faites)} valeur(s) appliquée(s)"
        )
        couverts = {m.parametre for m in faites}
        for m in faites:
            self.stdout.write(f"  [MIS À JOUR] {m.parametre} = {m.valeur:g} depuis le {m.depuis:%d/%m/%Y}")
            self.stdout.write(f"      source : {m.source}")
        restants = [ligne for ligne in lignes if ligne.trop_ancien and ligne.parametre not in couverts]
        self.stdout.write(f"\nEncore en retard (non couverts par la mise à jour) : {len(restants)}")
        for ligne in restants:
            depuis = f" depuis le {ligne.depuis:%d/%m/%Y}" if ligne.depuis else ""
            self.stdout.write(f"  [À VÉRIFIER] {ligne.parametre}{depuis}")
        mois = f"{jour:%Y-%m}"
        provisoires = baremes_provisoires(mois)
        self.stdout.write(
            f"\nBarèmes provisoires pour {mois} : " + (", ".join(provisoires) if provisoires else "aucun")
        )
