"""Indicators report as CSV and ODS (odfpy), in a report layout: one section per table."""

import csv
import io
from decimal import Decimal

from django.utils import timezone


def titre_rapport(filtres: dict) -> list[str]:
    lignes = ["Rapport d'indicateurs aller-vers (calculés par Repère)", f"Édité le {timezone.localdate():%d/%m/%Y}"]
    if filtres.get("campagne"):
        lignes.append(f"Campagne : {filtres['campagne']}")
    else:
        lignes.append("Campagnes : toutes les campagnes visibles")
    if filtres.get("territoire"):
        lignes.append(f"Territoire : {filtres['territoire']}")
    if filtres.get("du") or filtres.get("au"):
        du = f"{filtres['du']:%d/%m/%Y}" if filtres.get("du") else "…"
        au = f"{filtres['au']:%d/%m/%Y}" if filtres.get("au") else "…"
        lignes.append(f"Période : du {du} au {au}")
    return lignes


def _delai(d):
    return "" if d["mediane"] is None else d["mediane"]


def sections(ind: dict) -> list[tuple[str, list[str], list[list]]]:
    t = ind["totaux"]
    return [
        (
            "Chiffres clés",
            ["Indicateur", "Valeur"],
            [
                ["Contacts", ind["contacts"]],
                ["Contacts souhaitant un suivi", ind["suivis_souhaites"]],
                ["Contacts avec une orientation proposée", ind["contacts_orientes"]],
                ["Personnes identifiées (avec accord)", ind["personnes"]],
                ["Droits détectés", t["detectes"]],
                ["Dossiers déposés", t["deposes"]],
                ["Droits ouverts", t["ouverts"]],
                ["Droits refusés", t["refuses"]],
                ["Montant estimé (€/mois)", t["estime_mensuel"]],
                ["Montant estimé (€/an)", t["estime_annuel"]],
                ["Montant confirmé (€/mois)", t["confirme_mensuel"]],
                ["Montant confirmé (€/an)", t["confirme_annuel"]],
            ],
        ),
        (
            "Besoins par thème",
            ["Thème", "Contacts"],
            [[b["libelle"], b["contacts"]] for b in ind["besoins"]],
        ),
        (
            "Droits repérés au pré-repérage",
            ["Prestation", "Probables", "Possibles", "Montant estimé (€/mois)"],
            [[r["libelle"], r["probables"], r["possibles"], r["montant_mensuel"]] for r in ind["reperes"]],
        ),
        (
            "Parcours des droits des personnes suivies",
            [
                "Prestation",
                "Détectés",
                "Démarches",
                "Déposés",
                "Ouverts",
                "Refusés",
                "Abandonnés",
                "Estimé (€/mois)",
                "Estimé (€/an)",
                "Confirmé (€/mois)",
                "Confirmé (€/an)",
            ],
            [
                [
                    d["libelle"],
                    d["detectes"],
                    d["demarches"],
                    d["deposes"],
                    d["ouverts"],
                    d["refuses"],
                    d["abandonnes"],
                    d["estime_mensuel"],
                    d["estime_annuel"],
                    d["confirme_mensuel"],
                    d["confirme_annuel"],
                ]
                for d in ind["droits"]
            ],
        ),
        (
            "Délais entre étapes (jours)",
            ["Étapes", "Médiane", "Moyenne", "Nombre"],
            [
                [libelle, _delai(ind["delais"][cle]), ind["delais"][cle]["moyenne"] or "", ind["delais"][cle]["n"]]
                for cle, libelle in (
                    ("detection_depot", "Détection → dépôt"),
                    ("depot_ouverture", "Dépôt → ouverture"),
                    ("detection_ouverture", "Détection → ouverture"),
                )
            ],
        ),
        (
            "Orientations",
            ["Orientation", "Nombre"],
            [[o["libelle"] + " (proposée au contact)", o["contacts"]] for o in ind["orientations"]["proposees"]]
            + [
                [
                    "Orientations par l'annuaire",
                    ind["orientations"]["annuaire"]["total"] + ind["orientations"]["annuaire_anonymisees"],
                ]
            ]
            + [
                [f"… {s['statut']}" + (f" — {s['resultat']}" if s["resultat"] else ""), s["n"]]
                for s in ind["orientations"]["annuaire"]["par_statut"]
            ],
        ),
    ]


def _cellule(v):
    if isinstance(v, Decimal):
        return f"{v:.2f}"
    return v


def csv_rapport(ind: dict, titre: list[str]) -> str:
    sortie = io.StringIO()
    sortie.write("\ufeff")
    w = csv.writer(sortie, delimiter=";")
    for ligne in titre:
        w.writerow([ligne])
    for nom, entetes, lignes in sections(ind):
        w.writerow([])
        w.writerow([nom])
        w.writerow(entetes)
        for ligne in lignes:
            w.writerow([_cellule(v) for v in ligne])
    return sortie.getvalue()


def ods_rapport(ind: dict, titre: list[str]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableColumnProperties, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    gras = Style(name="gras", family="table-cell")
    gras.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(gras)
    large = Style(name="large", family="table-column")
    large.addElement(TableColumnProperties(columnwidth="7cm"))
    doc.automaticstyles.addElement(large)

    def ligne(table, valeurs, style=None):
        tr = TableRow()
        for v in valeurs:
            v = _cellule(v)
            if (
                isinstance(v, int | float)
                and not isinstance(v, bool)
                or isinstance(v, str)
                and v.replace(".", "", 1).isdigit()
                and "." in v
            ):
                cell = TableCell(valuetype="float", value=v)
            else:
                cell = TableCell(valuetype="string")
            if style:
                cell.setAttribute("stylename", style)
            cell.addElement(P(text=str(v)))
            tr.addElement(cell)
        table.addElement(tr)

    rapport = Table(name="Rapport")
    rapport.addElement(TableColumn(stylename=large))
    for t in titre:
        ligne(rapport, [t], gras if t == titre[0] else None)
    for nom, entetes, lignes in sections(ind):
        ligne(rapport, [""])
        ligne(rapport, [nom], gras)
        ligne(rapport, entetes, gras)
        for valeurs in lignes:
            ligne(rapport, valeurs)
    doc.spreadsheet.addElement(rapport)
    for nom, entetes, lignes in sections(ind):
        feuille = Table(name=nom[:31].replace("'", " "))
        feuille.addElement(TableColumn(stylename=large))
        ligne(feuille, entetes, gras)
        for valeurs in lignes:
            ligne(feuille, valeurs)
        doc.spreadsheet.addElement(feuille)
    sortie = io.BytesIO()
    doc.write(sortie)
    return sortie.getvalue()


def donnees_graphiques(ind: dict | None) -> dict:
    if not ind:
        return {}
    return {
        "besoins": {
            "libelles": [b["libelle"] for b in ind["besoins"]],
            "valeurs": [b["contacts"] for b in ind["besoins"]],
        },
        "droits": {
            "libelles": [d["libelle"] for d in ind["droits"]],
            "series": [
                {"nom": "Détectés", "valeurs": [d["detectes"] for d in ind["droits"]]},
                {"nom": "Déposés", "valeurs": [d["deposes"] for d in ind["droits"]]},
                {"nom": "Ouverts", "valeurs": [d["ouverts"] for d in ind["droits"]]},
                {"nom": "Refusés", "valeurs": [d["refuses"] for d in ind["droits"]]},
            ],
        },
    }
