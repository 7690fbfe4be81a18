"""Printing an import report, shared by the import commands; the exit code says whether anything was
rejected: 0 every row imported, 2 some rows rejected (the others imported), 1 every row rejected or the
file unreadable (nothing imported)."""

from pathlib import Path

from django.core.management.base import CommandError

from repere.utils.tableurs import csv_texte


def afficher(commande, rapport, *, fichier_rejets: str | None = None, details: int = 50) -> None:
    style = commande.style.SUCCESS if not rapport.rejets else commande.style.WARNING
    commande.stdout.write(style(rapport.resume()))
    for ligne in rapport.lignes_rejets()[:details]:
        commande.stdout.write(f"  rejet — {ligne}")
    if len(rapport.rejets) > details:
        commande.stdout.write(f"  … et {len(rapport.rejets) - details} autre(s) rejet(s).")
    for a in rapport.avertissements[:details]:
        commande.stdout.write(
            f"  avertissement — {a.fichier}, ligne {a.ligne} ({a.identifiant or 'sans id'}) : {a.raison}"
        )
    if len(rapport.avertissements) > details:
        commande.stdout.write(f"  … et {len(rapport.avertissements) - details} autre(s) avertissement(s).")
    if fichier_rejets:
        Path(fichier_rejets).write_text(csv_texte([rapport.tableau_rejets()]), encoding="utf-8")
        commande.stdout.write(f"Tableau des rejets et avertissements écrit dans {fichier_rejets}")
    code = rapport.code_sortie()
    if code == 1:
        raise CommandError(
            f"Aucune ligne importée : les {rapport.lignes_rejetees} ligne(s) sont rejetées.", returncode=1
        )
    if code == 2:
        raise CommandError(f"{rapport.lignes_rejetees} ligne(s) rejetée(s) ; les autres sont importées.", returncode=2)
