"""The manage.py commands write their errors in French, naming the option and the value (argparse and Django
write them in English), with the same exit codes."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError

from repere.utils.commandes import Commande, en_francais

RACINE = Path(__file__).resolve().parents[2]


def test_toutes_les_commandes_du_projet_ecrivent_leurs_erreurs_en_francais():
    du_projet = {nom: app for nom, app in get_commands().items() if app.startswith("repere.")}
    assert "depister" in du_projet and len(du_projet) > 20
    autres = [nom for nom, app in du_projet.items() if not isinstance(load_command_class(app, nom), Commande)]
    assert autres == []


@pytest.mark.parametrize(
    ("anglais", "francais"),
    [
        ("argument --processus: invalid int value: 'x'", "option --processus : « x » n'est pas un nombre entier"),
        (
            "argument --mode: invalid choice: 'vite' (choose from 'rapide', 'complet')",
            "option --mode : « vite » n'est pas possible (possibles : rapide, complet)",
        ),
        ("argument --mois: expected one argument", "option --mois : il manque sa valeur"),
        ("the following arguments are required: fichier, --sortie", "il manque : fichier, --sortie"),
        ("unrecognized arguments: --vite", "option ou argument inconnu : --vite"),
        ("argument menages: invalid int value: 'abc'", "argument menages : « abc » n'est pas un nombre entier"),
        ("un message qui n'est pas d'argparse", "un message qui n'est pas d'argparse"),
    ],
)
def test_messages_d_argparse_en_francais(anglais, francais):
    assert en_francais(anglais) == francais


def test_appelee_depuis_le_code_une_commande_mal_ecrite_leve_le_message_francais():
    with pytest.raises(CommandError, match="option --processus : « deux » n'est pas un nombre entier"):
        call_command("depister", "menages.csv", "--sortie", "r.csv", "--processus", "deux")


def _manage(*args, tmp_path):
    return subprocess.run(
        [sys.executable, str(RACINE / "manage.py"), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test", "HOME": str(tmp_path)},
    )


def test_en_ligne_de_commande_l_option_mal_ecrite_et_l_erreur_sont_en_francais(tmp_path):
    mal_ecrite = _manage("depister", "menages.csv", "--sortie", "r.csv", "--processus", "deux", tmp_path=tmp_path)
    assert mal_ecrite.returncode == 2
    assert "option --processus : « deux » n'est pas un nombre entier" in mal_ecrite.stderr
    assert "invalid" not in mal_ecrite.stderr and "error:" not in mal_ecrite.stderr
    assert "Aide : " in mal_ecrite.stderr and "--help" in mal_ecrite.stderr
    introuvable = _manage("depister", "absent.csv", "--sortie", "r.csv", "--sans-barre", tmp_path=tmp_path)
    assert introuvable.returncode == 1
    assert "Erreur : Fichier introuvable : absent.csv" in introuvable.stderr
    assert "CommandError" not in introuvable.stderr


def test_l_aide_est_en_francais(tmp_path):
    aide = _manage("depister", "--help", tmp_path=tmp_path)
    assert aide.returncode == 0
    for anglais in ("usage:", "positional arguments", "show this help", "Verbosity level", "Raise on CommandError"):
        assert anglais not in aide.stdout
    assert aide.stdout.startswith("utilisation : ") and "affiche cette aide" in aide.stdout
    assert "2 commande mal écrite" in aide.stdout and "Fichier de ménages" in aide.stdout


def test_verifier_fichier_et_depister_refusent_ce_qui_ne_va_pas(tmp_path):
    (tmp_path / "un_dossier").mkdir()
    dossier = _manage("verifier_fichier", "un_dossier", tmp_path=tmp_path)
    assert dossier.returncode == 1 and "« un_dossier » est un dossier, pas un fichier de ménages" in dossier.stderr
    negative = _manage("verifier_fichier", "absent.csv", "--limite", "-3", tmp_path=tmp_path)
    assert negative.returncode == 2 and "option --limite : « -3 »" in negative.stderr
    (tmp_path / "m.csv").write_text("id_menage;role\n", encoding="utf-8")
    pdf = _manage("depister", "m.csv", "--sortie", "r.csv", "--rapport", "r.pdf", "--sans-barre", tmp_path=tmp_path)
    assert pdf.returncode == 1 and "le rapport est une page HTML (.html)" in pdf.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_une_apostrophe_dans_la_valeur_reste():
    assert (
        en_francais('argument --mois: invalid int value: "l\'an"')
        == "option --mois : « l'an » n'est pas un nombre entier"
    )
