import json
from pathlib import Path

import yaml
from django.core.management.base import CommandError

from repere.droits.selectors import exporter_catalogue
from repere.droits.services import ErreurImport, importer_catalogue
from repere.organisations.models import Organisation
from repere.utils.commandes import Commande


class Command(Commande):
    help = "Importe ou exporte le catalogue d'aides locales d'une organisation (YAML ou JSON)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["importer", "exporter"])
        parser.add_argument("--organisation", type=int, required=True, help="Identifiant de l'organisation")
        parser.add_argument(
            "--fichier", help="Fichier à importer, ou fichier de sortie de l'export (défaut : sortie standard)"
        )
        parser.add_argument(
            "--format", choices=["yaml", "json"], help="Défaut : d'après l'extension du fichier, sinon yaml"
        )
        parser.add_argument("--remplacer", action="store_true", help="Import : supprimer les aides absentes du fichier")

    def handle(self, *args, **opts):
        organisation = Organisation.objects.filter(pk=opts["organisation"]).first()
        if organisation is None:
            raise CommandError(f"--organisation : organisation {opts['organisation']} introuvable")
        fichier = opts["fichier"]
        format_ = opts["format"] or ("json" if fichier and fichier.lower().endswith(".json") else "yaml")
        if opts["action"] == "exporter":
            donnees = exporter_catalogue(organisation=organisation)
            texte = (
                json.dumps(donnees, ensure_ascii=False, indent=2)
                if format_ == "json"
                else yaml.safe_dump(donnees, allow_unicode=True, sort_keys=False)
            )
            if fichier:
                Path(fichier).write_text(texte, encoding="utf-8")
                self.stdout.write(f"{len(donnees['aides'])} aide(s) exportée(s) dans {fichier}")
            else:
                self.stdout.write(texte)
            return
        if not fichier:
            raise CommandError("--fichier : indiquez le fichier à importer")
        try:
            contenu = Path(fichier).read_bytes()
        except OSError as exc:
            raise CommandError(f"--fichier : lecture impossible ({exc.strerror})") from exc
        try:
            bilan = importer_catalogue(
                organisation=organisation, contenu=contenu, format=format_, remplacer=opts["remplacer"]
            )
        except ErreurImport as exc:
            for e in exc.erreurs:
                self.stderr.write(f"  - {e}")
            raise CommandError("Import refusé : aucune aide n'a été modifiée.") from exc
        self.stdout.write(
            f"Import réussi : {bilan['creees']} créée(s), {bilan['modifiees']} modifiée(s), {bilan['supprimees']} supprimée(s)."
        )
