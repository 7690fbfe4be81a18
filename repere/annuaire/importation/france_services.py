"""ANCT list of France Services (CSV, hours per weekday "09:00 - 12:00 / 13:30 - 17:00") → one
structure (réseau `france-service`) with one service each, through the shared pipeline."""

from pathlib import Path

from django.utils import timezone

from repere.annuaire import horaires, taxonomies
from repere.annuaire.importation import fichiers
from repere.annuaire.importation.fichiers import ErreurFichier
from repere.annuaire.importation.pipeline import PROBLEME, Entree, Rapport, importer
from repere.annuaire.importation.validation import Probleme, montrer

COLONNES_FS = ["id_fs", "lib_fs", "adresse", "insee_com", "code_postal", "latitude", "longitude"]
JOURS_FS = {j: f"h_{j}" for j in horaires.JOURS_FR}
SOURCE_FS = "france-services"
THEMATIQUES_FS = [
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
    "numerique--acceder-a-des-services-en-ligne",
]


def _texte(ln: dict, cle: str) -> str | None:
    v = ln.get(cle)
    return str(v).strip() or None if v is not None else None


def lignes_france_services(ln: dict, *, aujourdhui, thematiques) -> tuple[dict, dict]:
    """One row of the ANCT list → (structure, service) in data·inclusion fields; a problem found here
    is attached to both rows (key PROBLEME) so that the pipeline reports it and keeps the published version."""
    ident = _texte(ln, "id_fs") or ""
    probleme = None
    try:
        h = horaires.depuis_france_services({j: ln.get(col) for j, col in JOURS_FS.items()})
    except horaires.HorairesInvalides as exc:
        h, probleme = None, Probleme("horaires_accueil", "", str(exc), "horaires")
    lat = lon = None
    try:
        lat = float(str(ln["latitude"]).replace(",", ".")) if _texte(ln, "latitude") else None
        lon = float(str(ln["longitude"]).replace(",", ".")) if _texte(ln, "longitude") else None
    except ValueError:
        valeur = montrer(f"{ln.get('latitude')}, {ln.get('longitude')}")
        probleme = probleme or Probleme("latitude", valeur, f"latitude/longitude : nombre attendu « {valeur} »", "type")
    courriel = _texte(ln, "mail")
    base = {
        "source": SOURCE_FS,
        "id": f"{SOURCE_FS}--{ident}",
        "nom": _texte(ln, "lib_fs"),
        "date_maj": aujourdhui,
        "adresse": _texte(ln, "adresse"),
        "complement_adresse": _texte(ln, "complement_adresse"),
        "code_insee": _texte(ln, "insee_com"),
        "code_postal": _texte(ln, "code_postal"),
        "commune": _texte(ln, "lib_com"),
        "latitude": lat,
        "longitude": lon,
        "courriel": courriel,
        "telephone": _texte(ln, "telephone"),
        "horaires_accueil": h or None,
    }
    st = {**base, "reseaux_porteurs": ["france-service"]}
    commentaire = _texte(ln, "commentaire")
    rdv = (_texte(ln, "prise_rdv") or "").lower() == "oui"
    se = {
        **base,
        "id": f"{SOURCE_FS}--{ident}--accompagnement",
        "structure_id": base["id"],
        "nom": "Accompagnement aux démarches administratives",
        "description": (
            "Espace France Services : des agents formés accompagnent les démarches administratives du "
            "quotidien (CAF, Assurance maladie, retraite, impôts, France Travail, papiers, justice…) et "
            "l'usage des services en ligne." + (f" {commentaire}" if commentaire else "")
        ),
        "type": "accompagnement",
        "thematiques": thematiques,
        "frais": "gratuit",
        "publics": ["tous-publics"],
        "modes_accueil": ["en-presentiel"],
        "modes_mobilisation": ["se-presenter", "telephoner"] + (["envoyer-un-courriel"] if courriel else []),
        "mobilisable_par": ["usagers", "professionnels"],
        "mobilisation_precisions": "Sur rendez-vous." if rdv else "Avec ou sans rendez-vous.",
    }
    if probleme:
        st[PROBLEME] = se[PROBLEME] = probleme
    return st, se


def importer_france_services(
    chemin: str | Path, *, detecter_suppressions: bool = True, encodage: str = "utf-8", ecrire: bool = True
) -> Rapport:
    tableau = fichiers.lire(chemin, encodage=encodage)
    if manquantes := [c for c in COLONNES_FS if c not in tableau.colonnes]:
        raise ErreurFichier(f"{tableau.nom} : colonne(s) obligatoire(s) absente(s) : {', '.join(manquantes)}.")
    aujourdhui = timezone.localdate().isoformat()
    thematiques = [t for t in THEMATIQUES_FS if t in taxonomies.CODES_THEMATIQUES]
    structures, services = [], []
    for numero, ln in tableau.lignes:
        st, se = lignes_france_services(ln, aujourdhui=aujourdhui, thematiques=thematiques)
        structures.append((numero, st))
        services.append((numero, se))
    rapport = importer(
        structures=Entree(tableau.nom, structures),
        services=Entree(tableau.nom, services),
        detecter_suppressions=detecter_suppressions,
        ecrire=ecrire,
    )
    rapport.lignes_lues = len(tableau.lignes)
    return rapport
