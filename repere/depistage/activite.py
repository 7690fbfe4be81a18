"""Batch-screening activity per commune, for the observatory (issue 13): at the end of a job, the
results file is read once more and reduced to anonymous counts per commune and benefit
(``models.ActiviteCommune``): households screened, households with at least one right « à demander »,
and, per benefit, households with that right to claim and its monthly amount. No household
identifier is kept. The statistical secret is applied when the counts are read
(``selectors.activite_par_commune``).

Self-contained on purpose: the screening pipeline calls ``enregistrer`` once, when a job is done
(``services.executer_depistage``), and nothing else in the pipeline depends on this module.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from pathlib import Path

from django.db import transaction

from repere.depistage.models import ActiviteCommune
from repere.depistage.sortie import CODES, COLONNES_RESULTAT, format_sortie

logger = logging.getLogger(__name__)

_OUI = {"oui", "true", "1"}


def _nombre(valeur) -> float:
    if valeur is None or valeur == "":
        return 0.0
    if isinstance(valeur, int | float):
        return float(valeur)
    return float(str(valeur).replace("\u202f", "").replace(" ", "").replace(",", "."))


def _vrai(valeur) -> bool:
    if isinstance(valeur, bool):
        return valeur
    return str(valeur or "").strip().lower() in _OUI


def _lignes(chemin: Path) -> Iterator[dict]:
    """The result rows as dicts (CSV, XLSX or Parquet, as written by ``sortie``)."""
    format = format_sortie(chemin)
    colonnes = ["commune", "priorite_mensuelle", "nb_non_recours"] + [
        f"{c}_{s}" for c in CODES for s in ("estime", "non_recours")
    ]
    if format == "csv":
        with open(chemin, encoding="utf-8-sig", newline="") as f:
            yield from csv.DictReader(f, delimiter=";")
    elif format == "parquet":
        import pyarrow.parquet as pq

        fichier = pq.ParquetFile(chemin)
        for batch in fichier.iter_batches(batch_size=20_000, columns=colonnes):
            yield from batch.to_pylist()
    else:
        from openpyxl import load_workbook

        from repere.utils.classeurs import verifier_classeur

        verifier_classeur(chemin)
        classeur = load_workbook(chemin, read_only=True, data_only=True)
        try:
            for feuille in classeur.worksheets:
                lignes = feuille.iter_rows(values_only=True)
                entetes = next(lignes, None)
                if entetes is None or list(entetes[: len(COLONNES_RESULTAT)]) != list(COLONNES_RESULTAT):
                    continue
                for ligne in lignes:
                    yield dict(zip(entetes, ligne, strict=False))
        finally:
            classeur.close()


def compter(chemin: Path) -> dict[tuple[str, str], list]:
    """(commune, benefit or "") -> [households screened, households with a right to claim, monthly amount]."""
    comptes: dict[tuple[str, str], list] = {}
    par_commune: dict[str, int] = {}
    for ligne in _lignes(Path(chemin)):
        commune = str(ligne.get("commune") or "").strip()
        if not commune:
            continue
        par_commune[commune] = par_commune.get(commune, 0) + 1
        total = comptes.setdefault((commune, ""), [0, 0, 0.0])
        total[0] += 1
        if _nombre(ligne.get("nb_non_recours")) > 0:
            total[1] += 1
            total[2] += _nombre(ligne.get("priorite_mensuelle"))
        for code in CODES:
            if _vrai(ligne.get(f"{code}_non_recours")):
                part = comptes.setdefault((commune, code), [0, 0, 0.0])
                part[1] += 1
                part[2] += _nombre(ligne.get(f"{code}_estime"))
    for (commune, code), part in comptes.items():
        if code:
            part[0] = par_commune[commune]
    return comptes


def enregistrer(*, depistage_id: int, resultats: Path | str) -> int:
    """Replace the job's counts by those of its results file; returns the rows written. A failure here
    never changes the job's outcome (its results are already published): it is logged, without any
    personal data, and the job simply has no activity counts."""
    try:
        comptes = compter(Path(resultats))
        with transaction.atomic():
            ActiviteCommune.objects.filter(depistage_id=depistage_id).delete()
            ActiviteCommune.objects.bulk_create(
                [
                    ActiviteCommune(
                        depistage_id=depistage_id,
                        commune=commune[:5],
                        prestation=code,
                        menages_depistes=n,
                        menages_a_demander=a,
                        montant_mensuel=round(m, 2),
                    )
                    for (commune, code), (n, a, m) in comptes.items()
                ],
                batch_size=2000,
            )
    except Exception as exc:  # noqa: BLE001 — see the docstring: the job's results stand
        logger.warning("dépistage %s : comptes par commune non enregistrés (%s)", depistage_id, type(exc).__name__)
        return 0
    return len(comptes)
