"""data·inclusion v1 exports (JSON, CSV, XLSX, ODS, Parquet) → the shared pipeline.

Each row is validated by the `data-inclusion-schema` pydantic models plus data·inclusion's validator
rules and Repère's checks (see `validation`); upsert keyed on (source, id); rows of the imported sources
missing from the file are withdrawn ("deletions detected"), rejected rows never are.
"""

from pathlib import Path

from repere.annuaire.importation import fichiers
from repere.annuaire.importation.fichiers import ErreurFichier
from repere.annuaire.importation.pipeline import Entree, Rapport, importer
from repere.utils.ramasse_miettes import collecteur_suspendu

OBLIGATOIRES = {
    "structures": ["source", "id", "nom", "date_maj"],
    "services": ["source", "structure_id", "id", "nom", "description", "date_maj"],
}


def lire_entree(chemin, *, genre: str, encodage: str = "utf-8", nom: str | None = None) -> Entree:
    """A data·inclusion file of `genre` ("structures" or "services"); a missing required column is a file
    error, said once (not once per row)."""
    tableau = fichiers.lire(chemin, nom=nom, encodage=encodage, cle_json=genre)
    if tableau.nom.lower().endswith((".csv", ".xlsx", ".ods", ".txt", ".parquet")):
        manquantes = [c for c in OBLIGATOIRES[genre] if c not in tableau.colonnes]
        if manquantes:
            indice = ""
            if len(tableau.colonnes) == 1 and tableau.separateur:
                indice = (
                    f" (une seule colonne lue avec le séparateur « {tableau.separateur} » : vérifiez le séparateur)"
                )
            raise ErreurFichier(
                f"{tableau.nom} : colonne(s) obligatoire(s) absente(s) : {', '.join(manquantes)}{indice}. "
                f"Colonnes trouvées : {', '.join(tableau.colonnes[:15])}."
            )
    return Entree(tableau.nom, tableau.lignes)


def importer_data_inclusion(
    *,
    structures: str | Path | None = None,
    services: str | Path | None = None,
    detecter_suppressions: bool = True,
    encodage: str = "utf-8",
    ecrire: bool = True,
) -> Rapport:
    """Import structures then services (either may be absent). All valid rows or nothing.
    The garbage collector is paused while the files are read too (`collecteur_suspendu`)."""
    with collecteur_suspendu():
        entree_st = lire_entree(structures, genre="structures", encodage=encodage) if structures else None
        entree_se = lire_entree(services, genre="services", encodage=encodage) if services else None
        return importer(
            structures=entree_st, services=entree_se, detecter_suppressions=detecter_suppressions, ecrire=ecrire
        )


def importer_dicts(structures: list[dict], services: list[dict], *, fichier: str = "", **kwargs) -> Rapport:
    """Import rows already built as data·inclusion dicts (France Services, town halls, demo data)
    through the same validated pipeline as files; line numbers are the list positions (from 1)."""
    return importer(
        structures=Entree(f"{fichier or 'structures'}", list(enumerate(structures, start=1))),
        services=Entree(f"{fichier or 'services'}", list(enumerate(services, start=1))),
        **kwargs,
    )
