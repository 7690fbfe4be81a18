"""Printing an import report, shared by the import commands."""

from pathlib import Path


def afficher(commande, rapport, *, fichier_rejets: str | None = None, details: int = 50) -> None:
    commande.stdout.write(commande.style.SUCCESS(rapport.resume()))
    for ligne in rapport.lignes_rejets()[:details]:
        commande.stdout.write(f"  rejet — {ligne}")
    if len(rapport.rejets) > details:
        commande.stdout.write(f"  … et {len(rapport.rejets) - details} autre(s) rejet(s).")
    if fichier_rejets:
        Path(fichier_rejets).write_text(rapport.csv_rejets(), encoding="utf-8")
        commande.stdout.write(f"Rapport des rejets écrit dans {fichier_rejets}")
