"""« Où faire ces démarches » : for each benefit to claim, the nearest places of the directory for the
person's commune — the reception points of the paying body where the directory knows them (CAF, MSA,
CPAM, MDPH), then the places that help with any claim (France Services, the CCAS, the town hall) — with
their opening hours in words, for the simulator's results and its printable summary.

Read only; called by the simulator through the template tag ``{% ou_faire_ces_demarches %}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from repere.annuaire import horaires
from repere.annuaire.importation import SOURCE_MAIRIES
from repere.annuaire.models import Service
from repere.annuaire.selectors import Criteres, rechercher
from repere.territoires.models import Territoire

RAYON_KM = 30
PAR_CATEGORIE = 2  # nearest places shown per kind of place

# Kinds of places, in the order they are shown: (code, label, réseaux porteurs data·inclusion).
CATEGORIES = {
    "caf": ("Accueil de la CAF", {"caf"}),
    "msa": ("Accueil de la MSA", {"mutualite-sociale-agricole"}),
    "cpam": ("Accueil de l'Assurance maladie (CPAM)", {"cpam", "cnam"}),
    "mdph": ("Maison départementale des personnes handicapées (MDPH)", {"mdph", "maison-departementale-de-lautonomie"}),
    "france_services": ("France Services", {"france-service", "msap"}),
    "ccas": ("Centre communal d'action sociale (CCAS)", {"ccas-cias"}),
    "mairie": ("Mairie", {"communes"}),
}
# Who pays each national benefit → the reception points to look for (places that help with any claim
# are added to every benefit).
ORGANISMES = {
    "rsa": ["caf", "msa"],
    "ppa": ["caf", "msa"],
    "aide_logement": ["caf", "msa"],
    "af": ["caf", "msa"],
    "cf": ["caf", "msa"],
    "asf": ["caf", "msa"],
    "ars": ["caf", "msa"],
    "css_gratuite": ["cpam", "msa"],
    "css_participation": ["cpam", "msa"],
    "aah": ["mdph"],
    "aspa": ["msa"],
}
AIDE_A_TOUTES = ["france_services", "ccas", "mairie"]
# A place that helps with any claim is proposed through one of its services that does that: help with access
# to rights, open to everyone (not, say, the CCAS's postal address service for people without a home).
THEMATIQUE_ACCES_AUX_DROITS = "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
PUBLIC_TOUS = "tous-publics"


def _sert_a_demander(service: Service, categorie: str) -> bool:
    """Whether this service is where one claims a benefit: open to everyone, and for a place that is not the
    paying body's own, help with access to rights."""
    if service.publics and PUBLIC_TOUS not in service.publics:
        return False
    return categorie not in AIDE_A_TOUTES or THEMATIQUE_ACCES_AUX_DROITS in (service.thematiques or [])


@dataclass
class Lieu:
    categorie: str
    libelle_categorie: str
    service: Service
    distance_km: float | None
    latitude: float | None
    longitude: float | None
    horaires: str
    prestations: list[str] = field(default_factory=list)

    @property
    def structure(self):
        return self.service.structure


def horaires_en_mots(expression: str, *, lundi: date | None = None) -> str:
    """'Mo-Fr 09:00-12:00,13:30-17:00; PH off' → « du lundi au vendredi de 9 h à 12 h et de 13 h 30 à 17 h »
    (a typical week; « » when the hours are unknown or unreadable)."""
    if not expression:
        return ""
    lundi = lundi or date(2025, 3, 10)  # a week without public holiday
    try:
        jours = horaires.semaine(expression, lundi)
    except (horaires.HorairesInvalides, horaires.ParserError, ValueError):
        return ""
    groupes: dict[tuple, list[int]] = {}
    for i, j in enumerate(jours):
        if j["plages"]:
            groupes.setdefault(tuple(j["plages"]), []).append(i)
    phrases = []
    for plages, indices in sorted(groupes.items(), key=lambda g: g[1][0]):
        phrases.append(f"{horaires.jours_en_mots(indices)} {horaires.plages_en_mots(list(plages))}")
    return " ; ".join(phrases)


def _categorie(service: Service, commune: Territoire) -> str | None:
    reseaux = set(service.structure.reseaux_porteurs or [])
    for code, (_libelle, porteurs) in CATEGORIES.items():
        if reseaux & porteurs:
            return code
    if service.source == SOURCE_MAIRIES or service.structure.source == SOURCE_MAIRIES:
        return "mairie"
    return None


def lieux_pour_demarches(*, commune: Territoire | None, prestations: list, rayon_km: float = RAYON_KM) -> dict:
    """For the benefits to claim (objects with ``code`` and ``libelle``), the nearest places.

    Returns {"commune", "lieux": [Lieu], "demarches": [{"libelle", "organismes": [labels],
    "lieux": [Lieu], "manquants": [labels of the reception points the directory does not know nearby]}]}.
    """
    if commune is None or commune.latitude is None:
        return {"commune": commune, "lieux": [], "demarches": []}
    resultats = rechercher(Criteres(commune=commune, rayon_km=rayon_km, modes_accueil=["en-presentiel"]), limite=600)
    ids = [r.service_id for r in resultats]
    services = Service.objects.select_related("structure").in_bulk(ids)
    mairie_ici = commune.commune_parente.code if commune.commune_parente_id else commune.code
    par_categorie: dict[str, list[Lieu]] = {}
    vus_structures: set[int] = set()
    for r in resultats:  # nearest first
        service = services.get(r.service_id)
        if service is None or service.structure_id in vus_structures:
            continue
        code = _categorie(service, commune)
        if code is None or not _sert_a_demander(service, code):
            continue
        if code == "mairie" and service.structure.code_insee != mairie_ici:
            continue  # the town hall of one's own commune only
        lieux = par_categorie.setdefault(code, [])
        if len(lieux) >= PAR_CATEGORIE:
            continue
        vus_structures.add(service.structure_id)
        lieux.append(
            Lieu(
                categorie=code,
                libelle_categorie=CATEGORIES[code][0],
                service=service,
                distance_km=round(r.distance_km, 1) if r.distance_km is not None else None,
                latitude=r.latitude,
                longitude=r.longitude,
                horaires=horaires_en_mots(service.horaires_effectifs),
            )
        )
    demarches = []
    for p in prestations:
        organismes = ORGANISMES.get(p.code, [])
        lieux = [lieu for code in organismes + AIDE_A_TOUTES for lieu in par_categorie.get(code, [])]
        for lieu in lieux:
            if p.libelle not in lieu.prestations:
                lieu.prestations.append(p.libelle)
        demarches.append(
            {
                "code": p.code,
                "libelle": p.libelle,
                "organisme": _organisme(p),
                "lieux": lieux,
                "manquants": [CATEGORIES[c][0] for c in organismes if not par_categorie.get(c)],
            }
        )
    ordre = list(CATEGORIES)
    tous = sorted(
        (lieu for lieux in par_categorie.values() for lieu in lieux if lieu.prestations),
        key=lambda lieu: (ordre.index(lieu.categorie), lieu.distance_km or 0),
    )
    return {"commune": commune, "lieux": tous, "demarches": demarches, "rayon_km": rayon_km}


def _organisme(prestation) -> str:
    demarche = getattr(prestation, "comment_demander", None) or {}
    return demarche.get("organisme", "") if isinstance(demarche, dict) else getattr(demarche, "organisme", "")
