"""Every table the application writes for a spreadsheet (CSV, XLSX, ODS), written once.

- **Formula injection**: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
  is neutralised (prefixed with an apostrophe) and XLSX/ODS cells holding text are written as text, never as
  formulas (OWASP « CSV injection »). ``cellule_sure`` is the one rule; every export calls it.
- **French spreadsheets**: CSV in UTF-8 with a BOM, ``;`` separator, comma decimals
  (``repere.utils.nombres.decimal_tableur``); numbers stay numbers in XLSX and ODS.

A table is ``(titre, entetes, lignes)``; a document is a list of tables (one sheet each in XLSX/ODS,
one after the other in CSV, a blank line between them, the title alone on its line when there are several).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from repere.utils.nombres import decimal_tableur

DEBUTS_DANGEREUX = ("=", "+", "-", "@", "\t", "\r")
Tableau = tuple[str, Sequence[str], Iterable[Sequence]]


def cellule_sure(valeur) -> str:
    """Text safe to put in a spreadsheet cell: never read as a formula."""
    texte = "" if valeur is None else str(valeur)
    if texte.startswith(DEBUTS_DANGEREUX):
        return "'" + texte
    return texte


def _est_nombre(v) -> bool:
    return isinstance(v, int | float | Decimal) and not isinstance(v, bool)


def _texte_csv(v) -> str:
    if _est_nombre(v):
        return decimal_tableur(v, decimales=2)
    if isinstance(v, bool):
        return "oui" if v else "non"
    if isinstance(v, datetime):
        return f"{v:%d/%m/%Y %H:%M}"
    if isinstance(v, date):
        return f"{v:%d/%m/%Y}"
    return cellule_sure(v)


def ecrire_csv(sortie, tableaux: Sequence[Tableau], *, bom: bool = True) -> None:
    """Write the tables to a text stream (an ``HttpResponse`` or a file opened with ``newline=""``)."""
    if bom:
        sortie.write("\ufeff")
    w = csv.writer(sortie, delimiter=";", lineterminator="\r\n")
    plusieurs = len(tableaux) > 1
    for i, (titre, entetes, lignes) in enumerate(tableaux):
        if i:
            w.writerow([])
        if plusieurs:
            w.writerow([cellule_sure(titre)])
        w.writerow([cellule_sure(e) for e in entetes])
        for ligne in lignes:
            w.writerow([_texte_csv(v) for v in ligne])


def csv_texte(tableaux: Sequence[Tableau], *, bom: bool = True) -> str:
    sortie = io.StringIO(newline="")
    ecrire_csv(sortie, tableaux, bom=bom)
    return sortie.getvalue()


def _nom_feuille(titre: str, deja: set[str]) -> str:
    nom = "".join(c for c in titre if c not in "[]:*?/\\'")[:31].strip() or "Feuille"
    base, n = nom, 2
    while nom in deja:
        suffixe = f" ({n})"
        nom = base[: 31 - len(suffixe)] + suffixe
        n += 1
    deja.add(nom)
    return nom


def xlsx_octets(tableaux: Sequence[Tableau]) -> bytes:
    """One sheet per table; text cells typed as text (``data_type = "s"``), so no formula is ever evaluated."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    classeur = Workbook(write_only=False)
    classeur.remove(classeur.active)
    noms: set[str] = set()
    for titre, entetes, lignes in tableaux:
        feuille = classeur.create_sheet(_nom_feuille(titre, noms))
        feuille.append([cellule_sure(e) for e in entetes])
        for cellule in feuille[1]:
            cellule.font = Font(bold=True)
        for ligne in lignes:
            feuille.append([None if v is None else (v if _est_nombre(v) else _texte_csv(v)) for v in ligne])
            for cellule in feuille[feuille.max_row]:
                if isinstance(cellule.value, str):
                    cellule.data_type = "s"
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def ods_octets(tableaux: Sequence[Tableau]) -> bytes:
    """One sheet per table (odfpy); numbers as float cells, everything else as string cells."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TextProperties
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    gras = Style(name="gras", family="table-cell")
    gras.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(gras)

    def ligne(table, valeurs, style=None):
        tr = TableRow()
        for v in valeurs:
            if _est_nombre(v):
                cell = TableCell(valuetype="float", value=float(v))
                cell.addElement(P(text=decimal_tableur(v, decimales=2)))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=_texte_csv(v)))
            if style:
                cell.setAttribute("stylename", style)
            tr.addElement(cell)
        table.addElement(tr)

    noms: set[str] = set()
    for titre, entetes, lignes in tableaux:
        feuille = Table(name=_nom_feuille(titre, noms))
        ligne(feuille, entetes, gras)
        for valeurs in lignes:
            ligne(feuille, valeurs)
        doc.spreadsheet.addElement(feuille)
    sortie = io.BytesIO()
    doc.write(sortie)
    return sortie.getvalue()


TYPES_MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def reponse_tableur(tableaux: Sequence[Tableau], *, format: str, nom_fichier: str):
    """An ``HttpResponse`` download in ``format`` (csv, xlsx or ods); ``nom_fichier`` without extension."""
    from django.http import HttpResponse

    if format == "csv":
        contenu: str | bytes = csv_texte(tableaux)
    elif format == "xlsx":
        contenu = xlsx_octets(tableaux)
    elif format == "ods":
        contenu = ods_octets(tableaux)
    else:
        raise ValueError(f"Format d'export inconnu : {format}")
    reponse = HttpResponse(contenu, content_type=TYPES_MIME[format])
    reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier}.{format}"'
    return reponse


def cellules_sures(colonne):
    """``cellule_sure`` on a whole Arrow string array (vectorised; nulls stay null)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    dangereux = None
    for debut in DEBUTS_DANGEREUX:
        m = pc.starts_with(colonne, debut)
        dangereux = m if dangereux is None else pc.or_(dangereux, m)
    return pc.if_else(dangereux, pc.binary_join_element_wise(pa.scalar("'"), colonne, ""), colonne)
