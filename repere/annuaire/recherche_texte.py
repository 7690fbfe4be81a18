"""Free text of the directory search: the words people type, with the field's synonyms and their typos.

- **Synonyms** of the field (CAF, CCAS, France Services, « aide alimentaire » / « colis » / « épicerie
  solidaire »…): a typed term matches any term of its group, and the groups tied to a thématique also match
  the services filed under it (« colis » finds an épicerie solidaire filed under « Alimentation »);
- **typos**: a word that starts no word of the directory's vocabulary is also looked for as the nearest
  words of that vocabulary within one typing error (two from 9 letters), with rapidfuzz's optimal-string-alignment
  distance (« epicreie » → « epicerie »);
- small words (« de », « pour », « les »…) are ignored unless nothing else is typed.

Everything is computed in Python and the database only sees `LIKE` patterns on the normalised search text
(`Service.texte_recherche`, built by `services.calculer_index`): the same behaviour on SQLite and
PostgreSQL. The vocabulary is read from the published services at most once an hour per deployment (shared
cache), held in memory by each process and refreshed in the background every ten minutes (searches never
wait for it, except the very first one of a process).
"""

import bisect
import threading
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist

from repere.utils.text import normalise

ALIMENTATION = "equipement-et-alimentation--alimentation"

# The groups the search started with (normalised: no accent, no capital); "thematiques": the services
# filed under these codes match the group too. Since migration 0008 they are rows of GroupeSynonymes,
# edited by platform administrators (admin « Synonymes de la recherche »); this list seeds the table and
# is used only while the table is empty (a database flushed by a test).
SYNONYMES_DE_DEPART: list[dict] = [
    {"termes": ["caf", "caisse d allocations familiales", "allocations familiales"]},
    {"termes": ["ccas", "cias", "centre communal d action sociale", "centre intercommunal d action sociale"]},
    {"termes": ["france services", "france service", "msap", "maison de services au public", "maison france"]},
    {
        "termes": [
            "aide alimentaire",
            "colis",
            "epicerie solidaire",
            "epicerie sociale",
            "banque alimentaire",
            "distribution alimentaire",
            "restos du coeur",
            "restaurants du coeur",
            "panier solidaire",
        ],
        "thematiques": [ALIMENTATION],
    },
    {"termes": ["msa", "mutualite sociale agricole"]},
    {"termes": ["cpam", "assurance maladie", "securite sociale", "secu"]},
    {"termes": ["pole emploi", "france travail"]},
    {"termes": ["mission locale", "missions locales"]},
    {"termes": ["rsa", "revenu de solidarite active"]},
    {"termes": ["apl", "aide au logement", "aides au logement"]},
    {"termes": ["mdph", "maison departementale des personnes handicapees"]},
    {"termes": ["pcb", "point conseil budget", "points conseil budget"]},
    {"termes": ["cheque energie", "precarite energetique", "facture d energie", "factures d energie"]},
    {"termes": ["vestiaire", "vetements", "friperie"]},
    {"termes": ["mairie", "hotel de ville"]},
    {"termes": ["numerique", "informatique", "ordinateur", "internet"]},
]
_MOTS_VIDES = "a au aux avec d de des du en et l la le les mon ma mes ou par pour sa se ses son sur un une"
MOTS_VIDES = frozenset(_MOTS_VIDES.split(" "))
DUREE_MEMOIRE_S = 600
DUREE_CACHE_S = 3600
CLE_CACHE = "annuaire:vocabulaire:v1"
MAX_CORRECTIONS = 3


@dataclass(frozen=True)
class Unite:
    """One thing the person typed: the alternatives any of which the search text must contain (as the
    start of a word), or the thématiques that match it too."""

    saisie: str
    alternatives: tuple[str, ...]
    thematiques: tuple[str, ...] = ()


CLE_VERSION_SYNONYMES = "annuaire:synonymes:version"
VERIFIER_SYNONYMES_S = 30  # each process checks at most this often whether an administrator changed them


def _lire_groupes() -> list[dict]:
    from repere.annuaire.models import GroupeSynonymes

    lignes = list(GroupeSynonymes.objects.values_list("termes", "thematiques", "actif"))
    if not lignes:
        return SYNONYMES_DE_DEPART
    groupes = []
    for termes, thematiques, actif in lignes:
        termes = list(dict.fromkeys(normalise(t) for t in termes.splitlines() if normalise(t)))
        if actif and termes:
            groupes.append({"termes": termes, "thematiques": list(thematiques or [])})
    return groupes


def _installer_synonymes(groupes: list[dict], version) -> None:
    index = {terme: groupe for groupe in groupes for terme in groupe["termes"]}
    _synonymes.update(
        index=index,
        longueur=max((len(t.split()) for t in index), default=1),
        version=version,
        verifie=time.monotonic(),
    )


def synonymes() -> dict[str, dict]:
    """term → its group, from the database; re-read when an administrator changed them (a version in
    the shared cache, looked at every VERIFIER_SYNONYMES_S seconds)."""
    if _synonymes.get("index") is None or time.monotonic() - _synonymes["verifie"] > VERIFIER_SYNONYMES_S:
        version = cache.get(CLE_VERSION_SYNONYMES, 0)
        if _synonymes.get("index") is None or version != _synonymes.get("version"):
            _installer_synonymes(_lire_groupes(), version)
        else:
            _synonymes["verifie"] = time.monotonic()
    return _synonymes["index"]


def synonymes_modifies() -> None:
    """After an administrator's change: every process re-reads the groups, and the typo vocabulary (which
    holds their words) is rebuilt."""
    try:
        cache.incr(CLE_VERSION_SYNONYMES)
    except ValueError:
        cache.set(CLE_VERSION_SYNONYMES, 1, None)
    _synonymes["index"] = None
    vider_vocabulaire()


_synonymes: dict = {"index": None}
_memoire: dict = {"vocabulaire": None, "construit": 0.0, "corrections": {}}


def vider_vocabulaire() -> None:
    """Forget the vocabulary (after an import, and in tests)."""
    _memoire["vocabulaire"] = None
    _synonymes["index"] = None
    cache.delete(CLE_CACHE)


def vider_corrections() -> None:
    """Forget the corrections already computed (the benchmark measures them afresh)."""
    _memoire["corrections"] = {}


def _lire_vocabulaire() -> list[str]:
    mots: set[str] = set()
    with connection.cursor() as curseur:
        curseur.execute("SELECT texte_recherche FROM annuaire_service WHERE recherchable = %s", [True])
        for (texte,) in curseur:
            mots.update(texte.split())
    for terme in synonymes():
        mots.update(terme.split())
    # words with a digit (numbers, postcodes, "Service 12") are matched exactly, never corrected
    return sorted(m for m in mots if len(m) > 1 and m.isalpha())


def _installer(mots: list[str]) -> None:
    par_longueur: dict[int, list[str]] = {}
    for mot in mots:
        par_longueur.setdefault(len(mot), []).append(mot)
    _memoire["vocabulaire"] = (mots, par_longueur)
    _memoire["construit"] = time.monotonic()
    _memoire["corrections"] = {}


def _relire_en_arriere_plan() -> None:
    """Rebuild an expired vocabulary in a thread; searches keep the previous one meanwhile (reading
    250,000 services takes a second or more: no search waits for it)."""

    def relire():
        from django.db import connection as connexion_du_fil

        try:
            mots = cache.get(CLE_CACHE)
            if mots is None:
                mots = _lire_vocabulaire()
                cache.set(CLE_CACHE, mots, DUREE_CACHE_S)
            _installer(mots)
        finally:
            _memoire["relecture"] = False
            connexion_du_fil.close()

    if not _memoire.get("relecture"):
        _memoire["relecture"] = True
        threading.Thread(target=relire, name="vocabulaire-annuaire", daemon=True).start()


def vocabulaire() -> tuple[list[str], dict[int, list[str]]]:
    """The sorted words of the published services, and the same words by length. Built on the first
    search of a process; afterwards refreshed in the background every ten minutes."""
    if _memoire["vocabulaire"] is None:
        mots = cache.get(CLE_CACHE)
        if mots is None:
            mots = _lire_vocabulaire()
            cache.set(CLE_CACHE, mots, DUREE_CACHE_S)
        _installer(mots)
    elif time.monotonic() - _memoire["construit"] > DUREE_MEMOIRE_S:
        _relire_en_arriere_plan()
    return _memoire["vocabulaire"]


def _commence_un_mot(debut: str, mots: list[str]) -> bool:
    i = bisect.bisect_left(mots, debut)
    return i < len(mots) and mots[i].startswith(debut)


def corrections(mot: str) -> list[str]:
    """The nearest words of the vocabulary when `mot` starts none of them (at most 3, nearest first)."""
    ecart = 0 if len(mot) < 5 or not mot.isalpha() else 1 if len(mot) <= 8 else 2
    if not ecart:
        return []
    mots, par_longueur = vocabulaire()
    deja = _memoire["corrections"]
    if mot not in deja:
        if len(deja) > 10_000:
            deja.clear()
        deja[mot] = _corriger(mot, ecart, mots, par_longueur)
    return deja[mot]


def _corriger(mot: str, ecart: int, mots: list[str], par_longueur: dict[int, list[str]]) -> list[str]:
    if _commence_un_mot(mot, mots):
        return []
    candidats = [m for n in range(len(mot) - ecart, len(mot) + ecart + 1) for m in par_longueur.get(n, ())]
    if not candidats:
        return []
    distances = cdist([mot], candidats, scorer=OSA.distance, score_cutoff=ecart, dtype="int8")[0]
    proches = sorted((int(d), m) for d, m in zip(distances, candidats, strict=True) if d <= ecart)
    return [m for _d, m in proches[:MAX_CORRECTIONS]]


def analyser(texte: str) -> list[Unite]:
    """What the person typed, as units every one of which a service must match."""
    mots = normalise(texte).split()
    utiles = [m for m in mots if m not in MOTS_VIDES] or mots
    unites: list[Unite] = []
    index = synonymes()
    longueur_max = _synonymes["longueur"]
    i = 0
    while i < len(mots):
        # the longest synonym term starting here (« aide alimentaire », « france services »)
        for n in range(min(longueur_max, len(mots) - i), 0, -1):
            terme = " ".join(mots[i : i + n])
            groupe = index.get(terme)
            if groupe is not None and (n > 1 or terme in utiles):
                unites.append(Unite(terme, tuple(groupe["termes"]), tuple(groupe.get("thematiques", ()))))
                i += n
                break
        else:
            mot = mots[i]
            i += 1
            if mot not in utiles:
                continue
            proches = corrections(mot)
            groupes = [index[p] for p in proches if p in index]
            alternatives = [mot, *proches] + [t for g in groupes for t in g["termes"]]
            thematiques = [t for g in groupes for t in g.get("thematiques", ())]
            unites.append(Unite(mot, tuple(dict.fromkeys(alternatives)), tuple(dict.fromkeys(thematiques))))
    return unites


def conditions_sql(texte: str, *, alias: str = "s", alias_service: str = "s") -> tuple[list[str], list]:
    """One SQL condition per unit (every LIKE pattern is built from normalised words, which hold no
    wildcard), for the search query of `selectors.rechercher`: on `alias`.texte_recherche (the index row,
    which carries the text), or, for a unit that also matches thématiques, on the service row
    (`alias_service`: its text and thematiques_cle)."""
    sql, params = [], []
    for unite in analyser(texte):
        table = alias_service if unite.thematiques else alias
        ou = [f"{table}.texte_recherche LIKE %s"] * len(unite.alternatives)
        params += [f"% {a}%" for a in unite.alternatives]
        ou += [f"{table}.thematiques_cle LIKE %s"] * len(unite.thematiques)
        params += [f"%|{t}|%" for t in unite.thematiques]
        sql.append("(" + " OR ".join(ou) + ")")
    return sql, params
