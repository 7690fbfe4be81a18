"""The base of every ``manage.py`` command of Repère: its errors and its help in French.

argparse and Django write a command's errors in English (« error: argument --processus: invalid int value:
'x' », « CommandError: … »). ``Commande`` writes them in French, naming the option and the value, with the
same exit codes (2 for a badly written command, the error's own code otherwise); called from code
(``call_command``), a badly written command raises ``CommandError`` with the French message.
"""

from __future__ import annotations

import re
import sys

from django.core.management.base import BaseCommand, CommandError

_TYPES = {"int": "un nombre entier", "float": "un nombre", "Path": "un chemin de fichier"}

# argparse's messages (Python 3.11) and their French form.
_MESSAGES = (
    (
        re.compile(r"argument (?P<option>\S+): invalid (?P<type>\w+) value: (?P<valeur>.*)$"),
        lambda m: (
            f"{_nom(m['option'])} : « {_sans_guillemets(m['valeur'])} » n'est pas "
            f"{_TYPES.get(m['type'], 'une valeur possible')}"
        ),
    ),
    (
        re.compile(r"argument (?P<option>\S+): invalid choice: (?P<valeur>.*) \(choose from (?P<choix>.*)\)$"),
        lambda m: (
            f"{_nom(m['option'])} : « {_sans_guillemets(m['valeur'])} » n'est pas possible "
            f"(possibles : {_sans_guillemets(m['choix'])})"
        ),
    ),
    (
        re.compile(r"argument (?P<option>\S+): expected one argument$"),
        lambda m: f"{_nom(m['option'])} : il manque sa valeur",
    ),
    (
        re.compile(r"argument (?P<option>\S+): expected at least one argument$"),
        lambda m: f"{_nom(m['option'])} : il manque au moins une valeur",
    ),
    (
        re.compile(r"argument (?P<option>\S+): not allowed with argument (?P<autre>\S+)$"),
        lambda m: f"les options {m['option']} et {m['autre']} ne vont pas ensemble",
    ),
    (
        re.compile(r"the following arguments are required: (?P<noms>.*)$"),
        lambda m: f"il manque : {m['noms']}",
    ),
    (
        re.compile(r"unrecognized arguments: (?P<valeurs>.*)$"),
        lambda m: f"option ou argument inconnu : {m['valeurs']}",
    ),
    (
        re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<options>.*)$"),
        lambda m: f"option {m['option']} ambiguë : {m['options']} ?",
    ),
)


def _sans_guillemets(texte: str) -> str:
    """argparse's repr quotes taken off (« 'x' » → « x », « 'rapide', 'complet' » → « rapide, complet »),
    an apostrophe inside a value kept (« "l'an" » → « l'an »)."""
    return re.sub(r"""(['"])(.*?)\1(?=,|$)""", r"\2", texte)


def _nom(nom: str) -> str:
    """« option --mois » for an option, « argument fichier » for a positional argument."""
    return f"option {nom}" if nom.startswith("-") else f"argument {nom}"


# The help of the options every Django command has, in French.
_AIDES = {
    "help": "affiche cette aide",
    "version": "affiche la version de Django",
    "verbosity": "niveau de détail des messages : 0 le minimum, 1 normal, 2 détaillé, 3 très détaillé",
    "settings": "module de réglages Python (sinon la variable d'environnement DJANGO_SETTINGS_MODULE)",
    "pythonpath": "dossier à ajouter au chemin de recherche de Python",
    "traceback": "en cas d'erreur, affiche la pile d'appels (pour les développeurs)",
    "no_color": "sans couleurs",
    "force_color": "avec couleurs, même hors d'un terminal",
    "skip_checks": "sans les vérifications du système",
}


def en_francais(message: str) -> str:
    """argparse's error message in French (the message itself when it is not one of argparse's)."""
    for motif, traduction in _MESSAGES:
        m = motif.match(message)
        if m:
            return traduction(m)
    return message


class Commande(BaseCommand):
    """``BaseCommand`` with its errors in French; every command of the project derives from it."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        depuis_la_ligne = parser.called_from_command_line
        prog = parser.prog

        def erreur(message):
            texte = en_francais(message)
            if not depuis_la_ligne:
                raise CommandError(texte)
            sys.stderr.write(f"{prog} : {texte}\nAide : {prog} --help\n")
            sys.exit(2)

        parser.error = erreur
        # the help in French: section titles, Django's own options, « utilisation » instead of « usage »
        parser._positionals.title = "arguments"
        parser._optionals.title = "options"
        for action in parser._actions:
            if action.dest in _AIDES:
                action.help = _AIDES[action.dest]
        for nom in ("format_help", "format_usage"):
            original = getattr(parser, nom)
            setattr(parser, nom, lambda original=original: original().replace("usage: ", "utilisation : ", 1))
        return parser

    def run_from_argv(self, argv):
        self._depuis_la_ligne = True
        return super().run_from_argv(argv)

    def execute(self, *args, **options):
        if not getattr(self, "_depuis_la_ligne", False) or options.get("traceback"):
            return super().execute(*args, **options)
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            self.stderr.write(f"Erreur : {exc}")
            sys.exit(exc.returncode)
