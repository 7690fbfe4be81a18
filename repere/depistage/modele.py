"""The template file users download: the columns, with three fictitious households as examples."""

from __future__ import annotations

import csv
import io

from repere.depistage.colonnes import COLONNES

ENTETES = [c.nom for c in COLONNES]

# Fictitious households (not real people), one line per person; household data on the demandeur's line.
EXEMPLES: list[dict[str, str]] = [
    {
        "id_menage": "EX-001",
        "id_personne": "1",
        "role": "demandeur",
        "date_naissance": "14/03/1989",
        "activite": "salarie",
        "salaire_net": "1000,00",
        "commune": "49007",
        "statut_logement": "locataire",
        "loyer": "600,00",
        "charges": "50,00",
        "revenu_fiscal_reference_n2": "11124",
        "percu_af": "153,01",
    },
    {
        "id_menage": "EX-001",
        "id_personne": "2",
        "role": "enfant",
        "date_naissance": "02/09/2017",
        "niveau_scolaire": "primaire",
    },
    {
        "id_menage": "EX-001",
        "id_personne": "3",
        "role": "enfant",
        "date_naissance": "20/01/2022",
        "niveau_scolaire": "maternelle",
    },
    {
        "id_menage": "EX-002",
        "id_personne": "1",
        "role": "demandeur",
        "age": "71",
        "activite": "retraite",
        "retraite": "820,00",
        "commune": "49092",
        "statut_logement": "proprietaire",
    },
    {
        "id_menage": "EX-002",
        "id_personne": "2",
        "role": "conjoint",
        "age": "69",
        "activite": "retraite",
        "retraite": "310,00",
    },
    {
        "id_menage": "EX-003",
        "id_personne": "1",
        "role": "demandeur",
        "date_naissance": "05/11/1979",
        "activite": "inapte",
        "taux_incapacite": "80",
        "commune": "49099",
        "statut_logement": "locataire",
        "loyer": "420,00",
        "logement_social": "oui",
        "percu_aide_logement": "250,00",
    },
]


def lignes_modele() -> list[list[str]]:
    return [ENTETES, *([e.get(c, "") for c in ENTETES] for e in EXEMPLES)]


def modele_csv() -> bytes:
    """UTF-8 with BOM and ';' separator: opens as is in a French spreadsheet."""
    tampon = io.StringIO()
    csv.writer(tampon, delimiter=";", lineterminator="\r\n").writerows(lignes_modele())
    return tampon.getvalue().encode("utf-8-sig")


def modele_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Ménages"
    for ligne in lignes_modele():
        feuille.append(ligne)
    for cellule, colonne in zip(feuille[1], COLONNES, strict=True):
        cellule.font = Font(bold=True)
        cellule.comment = Comment(colonne.description, "Repère")
    feuille.freeze_panes = "A2"
    aide = classeur.create_sheet("Colonnes")
    aide.append(["colonne", "obligatoire", "niveau", "description", "valeurs possibles"])
    for c in COLONNES:
        niveau = {"personne": "personne", "menage": "ménage (ligne du demandeur)", "percu": "perçu (additionné)"}[
            c.niveau
        ]
        aide.append([c.nom, "oui" if c.obligatoire else "", niveau, c.description, ", ".join(c.valeurs)])
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()
