"""Export of the directory back to data·inclusion v1 (JSON, CSV, Parquet).

Repère's extensions travel in an `extension_repere` object (a JSON text in CSV/Parquet) so that a round
trip keeps every field. Only what is published is exported: validated structures not withdrawn, and their
services not withdrawn — the same rule as the search, the pages and the API.
"""

import csv
import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from repere.annuaire import taxonomies
from repere.annuaire.importation.fichiers import ErreurFichier
from repere.annuaire.importation.validation import CHAMPS_LISTES, CHAMPS_SERVICE, CHAMPS_STRUCTURE
from repere.annuaire.models import Service, StatutModeration, Structure


def lieu_en_dict(d: dict) -> dict:
    return {
        k: d.get(k) if k in ("latitude", "longitude") else (d.get(k) or "")
        for k in (
            "libelle",
            "adresse",
            "complement_adresse",
            "code_postal",
            "commune",
            "code_insee",
            "latitude",
            "longitude",
            "horaires_accueil",
        )
    }


def _valeur_export(v):
    if isinstance(v, date):
        return v.isoformat()
    if v == "":
        return None
    if v == []:
        return None
    return v


def structure_vers_di(s: Structure) -> dict:
    d = {c: _valeur_export(getattr(s, c if c != "id" else "identifiant")) for c in CHAMPS_STRUCTURE}
    return d


def service_vers_di(s: Service) -> dict:
    d = {}
    for c in CHAMPS_SERVICE:
        if c == "id":
            d[c] = s.identifiant
        elif c == "structure_id":
            d[c] = s.structure.identifiant
        elif c == "thematiques":
            d[c] = _valeur_export(taxonomies.thematiques_pour_export(s.thematiques, s.thematiques_locales))
        else:
            d[c] = _valeur_export(getattr(s, c))
    ext = {
        "thematiques_locales": s.thematiques_locales,
        "thematiques_officielles": s.thematiques,
        "langues": s.langues,
        "age_min": s.age_min,
        "age_max": s.age_max,
        "documents_a_fournir": s.documents_a_fournir,
        "accessibilite_description": s.accessibilite_description,
        "verifie_le": s.verifie_le.isoformat() if s.verifie_le else None,
        "verifie_par_nom": s.verifie_par_nom,
        "localisation_approximative": s.localisation_approximative,
        "lieux": [lieu_en_dict(lieu.__dict__) for lieu in s.lieux.all()],
        "fermetures": [
            {"debut": f.debut.isoformat(), "fin": f.fin.isoformat(), "motif": f.motif} for f in s.fermetures.all()
        ],
    }
    d["extension_repere"] = ext
    return d


def exporter(*, dossier: str | Path, format: str = "json", sources: list[str] | None = None) -> tuple[Path, Path]:
    """Write structures.<fmt> and services.<fmt> (data·inclusion v1) into `dossier`."""
    dossier = Path(dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    structures = Structure.objects.filter(
        retiree_de_la_source_le__isnull=True, statut_moderation=StatutModeration.VALIDEE
    )
    services = (
        Service.objects.filter(retire_de_la_source_le__isnull=True, structure__in=structures)
        .select_related("structure")
        .prefetch_related("lieux", "fermetures")
    )
    if sources:
        structures = structures.filter(source__in=sources)
        services = services.filter(source__in=sources)
    lignes_st = [structure_vers_di(s) for s in structures.order_by("pk")]
    lignes_se = [service_vers_di(s) for s in services.order_by("pk")]
    chemins = []
    for nom, lignes, champs in (
        ("structures", lignes_st, CHAMPS_STRUCTURE),
        ("services", lignes_se, CHAMPS_SERVICE + ["extension_repere"]),
    ):
        chemin = dossier / f"{nom}.{format}"
        _ecrire(chemin, lignes, champs, format)
        chemins.append(chemin)
    return chemins[0], chemins[1]


def _ecrire(chemin: Path, lignes: list[dict], champs: list[str], format: str) -> None:
    if format == "json":
        chemin.write_text(json.dumps(lignes, ensure_ascii=False, indent=1), encoding="utf-8")
        return
    plates = []
    for ligne in lignes:
        plate = {}
        for c in champs:
            v = ligne.get(c)
            if c == "extension_repere" and v is not None or format == "csv" and isinstance(v, list):
                v = json.dumps(v, ensure_ascii=False)
            plate[c] = v
        plates.append(plate)
    if format == "csv":
        with chemin.open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=champs)
            w.writeheader()
            w.writerows(plates)
        return
    if format == "parquet":
        schema_types = {}
        for c in champs:
            if c in CHAMPS_LISTES:
                schema_types[c] = pa.list_(pa.string())
            elif c in ("latitude", "longitude", "volume_horaire_hebdomadaire"):
                schema_types[c] = pa.float64()
            elif c == "nombre_semaines":
                schema_types[c] = pa.int64()
            else:
                schema_types[c] = pa.string()
        table = pa.Table.from_pylist(plates, schema=pa.schema([(c, schema_types[c]) for c in champs]))
        pq.write_table(table, chemin)
        return
    raise ErreurFichier(f"Format d'export inconnu : {format} (json, csv ou parquet).")
