"""Files of any layout, through a column mapping (« correspondance »): the import assistant and
`manage.py importer_annuaire FICHIER --correspondance correspondance.json` use the same JSON document.

One row of the file gives one structure and its service (a place and what it offers, as in most local
directories); rows sharing a `structure_id` column share their structure. A mapping says, for each
data·inclusion field, which column holds it (optionally extracted from a free-text column, e.g. « notes »
holding an address and a phone number), the constants (date, description, modes d'accueil…) and the
thématiques given by the value of a column (e.g. a « type » column). Example::

    {"format": "repere-correspondance-annuaire", "version": 1,
     "source": "annuaire-2019", "libelle": "Annuaire des services publics (2019)", "encodage": "utf-8",
     "colonnes": {"id": "id", "nom": "nom", "code_insee": "code_insee", "courriel": "courriel",
                  "site_web": "site", "adresse": {"colonne": "notes", "extraire": "adresse"},
                  "code_postal": {"colonne": "notes", "extraire": "code_postal"},
                  "telephone": {"colonne": "notes", "extraire": "telephone"}},
     "constantes": {"date_maj": "2019-06-01", "description": "…", "modes_accueil": ["en-presentiel"]},
     "thematiques_par_valeur": {"colonne": "type", "valeurs": {"caf": ["famille--…"]}}}
"""

import re
from dataclasses import dataclass

from repere.annuaire import taxonomies
from repere.annuaire.importation import fichiers
from repere.annuaire.importation.fichiers import ErreurFichier, Tableau
from repere.annuaire.importation.pipeline import Entree, Rapport, importer
from repere.annuaire.importation.validation import CHAMPS_LISTES
from repere.utils.ramasse_miettes import collecteur_suspendu
from repere.utils.text import normalise

FORMAT = "repere-correspondance-annuaire"


@dataclass(frozen=True)
class Cible:
    code: str
    libelle: str
    pour: str  # "structure", "service" or "les deux"
    synonymes: tuple = ()
    obligatoire: bool = False


CIBLES = [
    Cible(
        "id",
        "Identifiant de la ligne (stable d'un import à l'autre)",
        "les deux",
        ("id", "identifiant", "ref", "reference", "code"),
        True,
    ),
    Cible(
        "structure_id",
        "Identifiant de la structure (si plusieurs lignes la partagent)",
        "service",
        ("structure_id", "id_structure"),
    ),
    Cible(
        "nom",
        "Nom",
        "les deux",
        ("nom", "libelle", "lib", "name", "intitule", "raison_sociale", "lib_fs", "denomination"),
        True,
    ),
    Cible("nom_service", "Nom du service (sinon le nom)", "service", ("nom_service", "service")),
    Cible("description", "Description", "les deux", ("description", "presentation", "desc", "descriptif")),
    Cible(
        "date_maj", "Date de mise à jour", "les deux", ("date_maj", "date", "mise_a_jour", "maj", "date_mise_a_jour")
    ),
    Cible(
        "adresse",
        "Adresse (numéro et voie)",
        "les deux",
        ("adresse", "adr", "voie", "rue", "address", "adresse_postale"),
    ),
    Cible("complement_adresse", "Complément d'adresse", "les deux", ("complement_adresse", "complement")),
    Cible("code_postal", "Code postal", "les deux", ("code_postal", "cp", "codepostal", "postcode")),
    Cible("commune", "Commune", "les deux", ("commune", "ville", "city", "lib_com", "localite", "nom_commune")),
    Cible(
        "code_insee",
        "Code INSEE de la commune",
        "les deux",
        ("code_insee", "insee", "codeinsee", "insee_com", "codgeo", "code_commune"),
    ),
    Cible("latitude", "Latitude", "les deux", ("latitude", "lat", "y")),
    Cible("longitude", "Longitude", "les deux", ("longitude", "lon", "lng", "long", "x")),
    Cible("telephone", "Téléphone", "les deux", ("telephone", "tel", "phone", "numero_de_telephone", "tel_fixe")),
    Cible(
        "courriel",
        "Adresse e-mail",
        "les deux",
        ("courriel", "mail", "email", "e_mail", "adresse_mail", "adresse_electronique"),
    ),
    Cible("site_web", "Site web", "structure", ("site_web", "site", "url", "web", "internet", "site_internet")),
    Cible("horaires_accueil", "Horaires (syntaxe OSM)", "les deux", ("horaires_accueil", "horaires", "opening_hours")),
    Cible("siret", "SIRET", "structure", ("siret",)),
    Cible("thematiques", "Thématiques (codes data·inclusion)", "service", ("thematiques", "themes")),
    Cible("type", "Type de service (code data·inclusion)", "service", ("type_service", "type_de_service")),
    Cible("frais", "Frais (gratuit / payant)", "service", ("frais", "tarif", "gratuit")),
    Cible("publics", "Publics (codes data·inclusion)", "service", ("publics", "public")),
    Cible("modes_accueil", "Modes d'accueil (en-presentiel / a-distance)", "service", ("modes_accueil",)),
    Cible("zone_eligibilite", "Zone d'éligibilité (codes INSEE, départements)", "service", ("zone_eligibilite",)),
    Cible("conditions_acces", "Conditions d'accès", "service", ("conditions_acces", "conditions")),
    Cible("reseaux_porteurs", "Réseaux porteurs (codes data·inclusion)", "structure", ("reseaux_porteurs", "reseau")),
]
PAR_CODE = {c.code: c for c in CIBLES}
EXTRACTIONS = {
    "adresse": "l'adresse (avant le code postal)",
    "code_postal": "le code postal",
    "commune": "la commune (après le code postal)",
    "telephone": "le numéro de téléphone",
    "courriel": "l'adresse e-mail",
}
CHAMPS_STRUCTURE_SEULE = {c.code for c in CIBLES if c.pour == "structure"}
CHAMPS_SERVICE_SEUL = {c.code for c in CIBLES if c.pour == "service"}

RE_TELEPHONE = re.compile(r"(?:\+33\s?(?:\(0\)\s?)?|\b0)[1-9](?:[\s.\-]?\d{2}){4}\b")
RE_COURRIEL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
RE_CP_COMMUNE = re.compile(r"\b(\d{5})\s+([^\d,;\n()]+)")
RE_ETIQUETTES = re.compile(r"\b(?:t[ée]l(?:[ée]phone)?|fax|adresse|courriel|e-?mail|mail)\s*[.:]?\s*", re.IGNORECASE)


def _cle(texte: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", normalise(str(texte))).strip("_")


def suggerer(colonnes: list[str]) -> dict[str, str]:
    """{field: column} guessed from the headers (exact data·inclusion names first, then synonyms)."""
    par_cle = {_cle(c): c for c in colonnes}
    suggestion, prises = {}, set()
    for cible in CIBLES:
        exact = () if cible.code == "type" else (cible.code,)  # a « type » column is rarely data·inclusion's
        for synonyme in (*exact, *cible.synonymes):
            colonne = par_cle.get(_cle(synonyme))
            if colonne and colonne not in prises:
                suggestion[cible.code] = colonne
                prises.add(colonne)
                break
    return suggestion


def extraire(texte, quoi: str) -> str | None:
    """A piece of a free-text cell: the phone number, e-mail, postal code, commune or street address."""
    if texte is None:
        return None
    texte = str(texte).replace("\r", "\n")
    if quoi == "telephone":
        m = RE_TELEPHONE.search(texte)
        return re.sub(r"[\s.\-]", " ", m.group(0)).strip() if m else None
    if quoi == "courriel":
        m = RE_COURRIEL.search(texte)
        return m.group(0) if m else None
    sans = RE_COURRIEL.sub(" ", RE_TELEPHONE.sub(" ", texte))
    m = RE_CP_COMMUNE.search(sans)
    if quoi == "code_postal":
        return m.group(1) if m else None
    if quoi == "commune":
        if not m:
            return None
        commune = re.split(r"\s[-–]\s|\s\(", RE_ETIQUETTES.split(m.group(2))[0])[0]
        return commune.strip(" -–,.:") or None
    if quoi == "adresse":
        avant = sans[: m.start()] if m else sans
        avant = RE_ETIQUETTES.sub(" ", avant)
        morceaux = [p.strip(" -–,;:.") for p in re.split(r"[\n;]|\s[-–]\s", avant)]
        morceaux = [p for p in morceaux if p]
        return ", ".join(morceaux)[:300] or None if morceaux else None
    raise ValueError(f"extraction inconnue : {quoi}")


def verifier(correspondance: dict, colonnes: list[str]) -> list[str]:
    """French problems of a mapping for a file with these columns (empty list: usable)."""
    problemes = []
    if not isinstance(correspondance, dict):
        return ["La correspondance doit être un objet JSON."]
    if correspondance.get("format", FORMAT) != FORMAT:
        problemes.append(f"Ce fichier n'est pas une correspondance Repère (format « {correspondance.get('format')} »).")
    source = correspondance.get("source") or ""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,99}", source):
        problemes.append(
            f"source « {source} » : un code en minuscules, chiffres et tirets est attendu (par ex. annuaire-2019)."
        )
    attributions = correspondance.get("colonnes") or {}
    for champ, regle in attributions.items():
        if champ not in PAR_CODE:
            problemes.append(f"Champ inconnu dans la correspondance : « {champ} ».")
            continue
        colonne = regle.get("colonne") if isinstance(regle, dict) else regle
        if colonne not in colonnes:
            problemes.append(f"{PAR_CODE[champ].libelle} : la colonne « {colonne} » n'est pas dans ce fichier.")
        if isinstance(regle, dict) and regle.get("extraire") and regle["extraire"] not in EXTRACTIONS:
            problemes.append(f"{PAR_CODE[champ].libelle} : extraction inconnue « {regle['extraire']} ».")
    constantes = correspondance.get("constantes") or {}
    for champ in constantes:
        if champ not in PAR_CODE:
            problemes.append(f"Valeur constante pour un champ inconnu : « {champ} ».")
    for cible in CIBLES:
        if cible.obligatoire and cible.code not in attributions and not constantes.get(cible.code):
            problemes.append(f"{cible.libelle} : choisissez la colonne qui le contient.")
    par_valeur = correspondance.get("thematiques_par_valeur") or {}
    if par_valeur:
        if par_valeur.get("colonne") not in colonnes:
            problemes.append(
                f"Thématiques par valeur : la colonne « {par_valeur.get('colonne')} » n'est pas dans ce fichier."
            )
        for valeur, codes in (par_valeur.get("valeurs") or {}).items():
            inconnus = [c for c in codes if c not in taxonomies.CODES_THEMATIQUES]
            if inconnus:
                problemes.append(f"Thématiques pour « {valeur} » : code inconnu « {inconnus[0]} ».")
    return problemes


def _valeur(ligne: dict, regle) -> object:
    if isinstance(regle, dict):
        brute = ligne.get(regle.get("colonne"))
        return extraire(brute, regle["extraire"]) if regle.get("extraire") else brute
    return ligne.get(regle)


def _vide(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def appliquer(tableau: Tableau, correspondance: dict) -> tuple[Entree, Entree]:
    """The file's rows → data·inclusion structures and services (same line numbers)."""
    source = correspondance["source"]
    attributions = correspondance.get("colonnes") or {}
    constantes = correspondance.get("constantes") or {}
    par_valeur = correspondance.get("thematiques_par_valeur") or {}
    valeurs_themes = {_cle(k): v for k, v in (par_valeur.get("valeurs") or {}).items()}
    structures, services, structures_vues = [], [], set()
    lus = [(c.code, attributions[c.code], constantes.get(c.code)) for c in CIBLES if c.code in attributions]
    seulement_constantes = {
        c.code: constantes[c.code] for c in CIBLES if c.code not in attributions and c.code in constantes
    }
    # plain column reads first (most of them), extractions from a free-text column then
    simples = [(code, regle, constante) for code, regle, constante in lus if not isinstance(regle, dict)]
    extraites = [(code, regle, constante) for code, regle, constante in lus if isinstance(regle, dict)]
    exclus = CHAMPS_STRUCTURE_SEULE | CHAMPS_SERVICE_SEUL | {"id"}
    for numero, ligne in tableau.lignes:
        d = dict(seulement_constantes)
        for code, colonne, constante in simples:
            v = ligne.get(colonne)
            if v is None or (type(v) is str and not v.strip()):
                v = constante
                if _vide(v):
                    continue
            d[code] = v
        for code, regle, constante in extraites:
            v = _valeur(ligne, regle)
            if _vide(v):
                v = constante
            if not _vide(v):
                d[code] = v
        if par_valeur.get("colonne"):
            themes = valeurs_themes.get(_cle(ligne.get(par_valeur["colonne"]) or ""))
            if themes:
                d["thematiques"] = sorted(set(themes) | set(d.get("thematiques") or []))
        if isinstance(d.get("id"), float) and d["id"].is_integer():
            d["id"] = int(d["id"])
        ident = str(d.get("id", "")).strip()
        id_structure = str(d.get("structure_id") or ident).strip()
        commun = {k: v for k, v in d.items() if k not in exclus}
        structure = {
            **commun,
            **{k: d[k] for k in CHAMPS_STRUCTURE_SEULE if k in d},
            "source": source,
            "id": id_structure,
        }
        service = {
            **commun,
            **{k: d[k] for k in CHAMPS_SERVICE_SEUL if k in d and k not in ("structure_id", "nom_service")},
            "source": source,
            "id": ident,
            "structure_id": id_structure,
            "nom": d.get("nom_service") or d.get("nom"),
        }
        for champ in CHAMPS_LISTES & service.keys():
            if isinstance(service[champ], str):
                service[champ] = [v.strip() for v in re.split(r"[,;|]", service[champ]) if v.strip()]
        if "reseaux_porteurs" in structure and isinstance(structure["reseaux_porteurs"], str):
            structure["reseaux_porteurs"] = [
                v.strip() for v in re.split(r"[,;|]", structure["reseaux_porteurs"]) if v.strip()
            ]
        if id_structure not in structures_vues:  # a structure shared by several rows comes from its first row
            structures_vues.add(id_structure)
            structures.append((numero, structure))
        services.append((numero, service))
    return Entree(tableau.nom, structures), Entree(tableau.nom, services)


def importer_fichier(
    fichier,
    *,
    correspondance: dict,
    nom: str | None = None,
    ecrire: bool = True,
    detecter_suppressions: bool = True,
    progression=None,
) -> tuple[Rapport, Entree, Entree]:
    """Read the file with the mapping's encoding, check the mapping against its columns (ErreurFichier
    listing every problem), then run the shared pipeline; the garbage collector paused throughout."""
    with collecteur_suspendu():
        tableau = fichiers.lire(fichier, nom=nom, encodage=correspondance.get("encodage") or "utf-8")
        problemes = verifier(correspondance, tableau.colonnes)
        if problemes:
            raise ErreurFichier(" ".join(problemes))
        structures, services = appliquer(tableau, correspondance)
        rapport = importer(
            structures=structures,
            services=services,
            ecrire=ecrire,
            detecter_suppressions=detecter_suppressions,
            progression=progression,
        )
    rapport.lignes_lues = len(tableau.lignes)
    return rapport, structures, services
