"""The short pre-screen of a contact: a handful of answers turned into the simulator's household
model (repere.droits.menage) and run through its engine in quick mode (repere.droits.moteur).

Nothing here computes a benefit: the engine does. Answers are coarse on purpose (a doorstep
takes a minute), so every result carries its uncertainty.
"""

import hashlib
import json
import threading
from collections import OrderedDict
from decimal import Decimal
from typing import Literal

from django.core.cache import cache
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from repere.utils.errors import ErreurMetier

Logement = Literal["locataire", "locataire_social", "proprietaire", "heberge", "sans_domicile"]
Activite = Literal["salarie", "independant", "sans_emploi", "retraite", "etudiant", "inapte", "autre"]

LIBELLES_LOGEMENT = {
    "locataire": "Locataire (parc privé)",
    "locataire_social": "Locataire (logement social)",
    "proprietaire": "Propriétaire",
    "heberge": "Hébergé·e gratuitement",
    "sans_domicile": "Sans domicile stable",
}
LIBELLES_ACTIVITE = {
    "salarie": "En emploi salarié",
    "independant": "Travailleur indépendant",
    "sans_emploi": "Sans emploi",
    "retraite": "Retraité·e",
    "etudiant": "Étudiant·e",
    "inapte": "Invalidité / inaptitude",
    "autre": "Autre",
}


class Reponses(BaseModel):
    """The pre-screen answers (all optional as a whole: no answers, no pre-screen)."""

    model_config = ConfigDict(extra="forbid")

    age: int = Field(ge=16, le=110)
    en_couple: bool = False
    enfants: int = Field(default=0, ge=0, le=10)
    logement: Logement
    loyer: int = Field(default=0, ge=0, le=5000)
    revenus: int = Field(ge=0, le=20000, description="Revenus nets du foyer par mois (€)")
    activite: Activite
    handicap: bool = False


NOMS_CHAMPS = {
    "age": "âge",
    "en_couple": "en couple",
    "enfants": "nombre d'enfants",
    "logement": "logement",
    "loyer": "loyer",
    "revenus": "revenus du foyer",
    "activite": "activité",
    "handicap": "handicap",
}


def valider_reponses(donnees: dict) -> Reponses:
    try:
        return Reponses.model_validate(donnees)
    except ValidationError as e:
        err = e.errors()[0]
        champ = str(err["loc"][0]) if err["loc"] else "reponses"
        nom = NOMS_CHAMPS.get(champ, champ)
        if err["type"] == "missing":
            message = f"Pré-repérage : le champ « {nom} » est obligatoire."
        elif err["type"] in ("greater_than_equal", "less_than_equal"):
            message = f"Pré-repérage : la valeur du champ « {nom} » est hors des bornes admises."
        elif err["type"] == "extra_forbidden":
            message = f"Pré-repérage : champ inconnu « {champ} »."
        else:
            message = f"Pré-repérage : la valeur du champ « {nom} » n'est pas valide."
        raise ErreurMetier(message, champ=f"reponses.{champ}") from e


CERTITUDES = {"oui": "probable", "incertain": "possible"}
LIBELLES_CERTITUDE = {"probable": "Probable", "possible": "Possible, à vérifier"}
INCERTITUDE_COMMUNE = (
    "Estimation à partir de réponses approximatives (revenus du foyer arrondis, âge des enfants "
    "inconnu) : à confirmer par une simulation complète."
)


def version_moteur(moteur: dict) -> str:
    return " ; ".join(f"{k} {v}" for k, v in sorted(moteur.items()))


_MEMO: OrderedDict[str, dict] = OrderedDict()
_MEMO_TAILLE = 4096
_MEMO_VERROU = threading.Lock()
DUREE_CACHE = 24 * 3600


def _resultat(menage_json: str) -> dict:
    """The engine result for one household: per-process memo, then the shared Django cache (Redis or
    Memcached in production, so that every worker benefits), then the engine."""
    from repere.droits.moteur import version_moteur as versions

    cle = (
        "allervers:prereperage:"
        + hashlib.sha256((json.dumps(versions(), sort_keys=True) + menage_json).encode()).hexdigest()
    )
    with _MEMO_VERROU:
        if cle in _MEMO:
            _MEMO.move_to_end(cle)
            return _MEMO[cle]
    resultat = cache.get(cle)
    if resultat is None:
        resultat = _calculer(menage_json)
        cache.set(cle, resultat, DUREE_CACHE)
    with _MEMO_VERROU:
        _MEMO[cle] = resultat
        if len(_MEMO) > _MEMO_TAILLE:
            _MEMO.popitem(last=False)
    return resultat


def _calculer(menage_json: str) -> dict:
    from repere.droits.menage import Menage
    from repere.droits.moteur import simuler

    resultat = simuler(Menage.model_validate(json.loads(menage_json)), mode="rapide")
    droits = []
    for p in resultat.prestations:
        certitude = CERTITUDES.get(p.eligible)
        if certitude is None:
            continue
        droits.append(
            {
                "prestation": p.code,
                "libelle": p.libelle,
                "certitude": certitude,
                "montant_mensuel": round(Decimal(str(p.montant_mensuel)), 2) if p.montant_mensuel else None,
                "raisons": list(p.raisons[:2]),
                "manquant": list(p.manquant[:2]),
            }
        )
    droits.sort(key=lambda d: (d["certitude"] != "probable", -(d["montant_mensuel"] or 0)))
    return {
        "version_moteur": version_moteur(resultat.moteur),
        "droits": droits,
        "hypotheses": list(resultat.hypotheses),
        "total_mensuel": round(Decimal(str(resultat.total_mensuel)), 2),
    }


def prereperer(reponses: Reponses, *, commune_code: str, jour) -> dict:
    """Run the engine in quick mode on the household built from the answers.

    Identical answers give identical households, hence identical results: they are memoised per
    process (the doorstep answers are coarse, so many contacts share them)."""
    from repere.allervers.simulation import menage_depuis_reponses, valider_menage

    if not commune_code:
        raise ErreurMetier("Pré-repérage : choisissez la commune du contact.", champ="commune")
    menage = valider_menage(menage_depuis_reponses(reponses, commune_code=commune_code, jour=jour))
    resultat = _resultat(json.dumps(menage, sort_keys=True))
    return {**resultat, "incertitude": INCERTITUDE_COMMUNE, "droits": [dict(d) for d in resultat["droits"]]}
