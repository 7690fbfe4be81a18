"""Tables of the portrait, the map and the barometer for CSV/XLSX/ODS (repere.utils.tableurs):
the same cells as on screen, hidden cells written « secret statistique »."""

from __future__ import annotations

from repere.observatoire.affichage import LIBELLE_ND, LIBELLE_SECRET
from repere.observatoire.models import Niveau


def _nombre_ou_mention(cellule):
    if cellule.etat == "secret":
        return LIBELLE_SECRET
    if cellule.etat == "nd":
        return LIBELLE_ND
    return cellule.valeur


def tableaux_portrait(lieu, lignes) -> list:
    chaine = [c.nom for c in lignes[0].cellules] if lignes else [lieu.nom]
    entetes = ["Indicateur", "Unité", "Période", *chaine, "Rang", "Source"]
    corps = []
    for ligne in lignes:
        rang = f"{ligne.rang[0]} sur {ligne.rang[1]} {ligne.rang[2]}" if ligne.rang else ""
        corps.append(
            [
                ligne.indicateur.libelle,
                ligne.indicateur.get_unite_display(),
                ligne.periode,
                *[_nombre_ou_mention(c) for c in ligne.cellules],
                rang,
                ligne.indicateur.source + (" (démo)" if ligne.indicateur.est_demo else ""),
            ]
        )
    series = []
    for ligne in lignes:
        for c in ligne.serie:
            series.append([ligne.indicateur.libelle, c.periode, _nombre_ou_mention(c)])
    return [
        (f"Portrait {lieu.nom}", entetes, corps),
        ("Séries", ["Indicateur", "Période", lieu.nom], series),
    ]


def tableaux_carte(carte) -> list:
    entetes = [Niveau(carte.niveau).label, "Code", "Valeur", "Numérateur", "Dénominateur", "Statut"]
    corps = [
        [c.nom, c.code, _nombre_ou_mention(c), c.numerateur, c.denominateur, c.texte if c.etat != "ok" else c.statut]
        for c in carte.cellules
    ]
    titre = f"{carte.indicateur.libelle} {carte.periode}"
    return [(titre, entetes, corps)]


def tableaux_barometre(b) -> list:
    entetes = ["Obstacle", *[label for _c, label in b.colonnes], "Total"]
    corps = []
    for code, label in b.lignes:
        corps.append([label, *[_secret_ou(b, code, c) for c, _l in b.colonnes], _secret_ou(b, code, None)])
    corps.append(["Total", *[_secret_ou(b, None, c) for c, _l in b.colonnes], _secret_ou(b, None, None)])
    titre = "Baromètre des obstacles" + (" (démo)" if b.demo else "")
    return [(titre, entetes, corps)]


def _secret_ou(b, ligne, colonne):
    if (ligne, colonne) in b.masques:
        return LIBELLE_SECRET
    return b.valeurs.get((ligne, colonne), 0)


def tableaux_comparaison(lieux, lignes) -> list:
    entetes = ["Indicateur", "Unité", "Période", *[lieu.nom for lieu in lieux], "Source"]
    corps = [
        [
            ligne.indicateur.libelle,
            ligne.indicateur.get_unite_display(),
            ligne.periode,
            *[_nombre_ou_mention(c) for c in ligne.cellules],
            ligne.indicateur.source + (" (démo)" if ligne.indicateur.est_demo else ""),
        ]
        for ligne in lignes
    ]
    return [("Comparaison de territoires", entetes, corps)]
