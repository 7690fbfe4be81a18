"""Geocoding with the national address base (BAN) geocoder, `settings.REPERE_GEOCODEUR_URL`.

- `geocoder(adresses)`: many addresses at once, through the BAN's CSV endpoint (`/search/csv/`, batches of
  `TAILLE_LOT` lines), behind a cache in the database (`AdresseGeocodee`: found or not, every address asked
  is kept, so that a re-import makes no new call). An empty URL means no network: nothing is asked, the
  caller falls back to the commune's centre and flags the place « localisation approximative ».
- `suggerer_adresses(texte=…, code_insee=…)`: the address autocomplete (`/search/?autocomplete=1`), used by
  the structure and service forms through `GET /api/v1/annuaire/adresses`.

The HTTP layer is `_requete` (urllib); tests replace it, they never reach the network.
"""

import csv
import hashlib
import io
import json
import logging
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

from repere.utils.text import normalise

logger = logging.getLogger(__name__)

TAILLE_LOT = 5000
DELAI_S = 60
SCORE_MIN = 0.5
TYPES_PRECIS = {"housenumber", "street", "locality"}


@dataclass(frozen=True)
class AdresseAGeocoder:
    adresse: str
    code_postal: str = ""
    commune: str = ""
    code_insee: str = ""

    @property
    def cle(self) -> str:
        texte = "|".join(normalise(v or "") for v in (self.adresse, self.code_postal, self.commune, self.code_insee))
        return hashlib.sha1(texte.encode()).hexdigest()


@dataclass
class Position:
    latitude: float
    longitude: float
    score: float
    type_resultat: str
    libelle: str
    code_insee: str

    @property
    def precise(self) -> bool:
        """At the address or the street: not just somewhere in the commune."""
        return self.type_resultat in TYPES_PRECIS and self.score >= SCORE_MIN


@dataclass
class Bilan:
    demandees: int = 0
    en_cache: int = 0
    appels: int = 0  # HTTP requests made to the geocoder
    trouvees: int = 0


def actif() -> bool:
    return bool(getattr(settings, "REPERE_GEOCODEUR_URL", ""))


def _requete(url: str, *, donnees: bytes | None = None, entetes: dict | None = None) -> bytes:
    """One HTTP call (GET, or POST when `donnees`); raises OSError / urllib errors on failure."""
    demande = urllib.request.Request(url, data=donnees, headers=entetes or {}, method="POST" if donnees else "GET")
    with urllib.request.urlopen(demande, timeout=DELAI_S) as reponse:  # noqa: S310 - configured https URL
        return reponse.read()


def _multipart(csv_texte: str) -> tuple[bytes, str]:
    limite = "repere" + secrets.token_hex(8)
    morceaux = []
    for nom, valeur in (("columns", "adresse"), ("columns", "commune"), ("postcode", "code_postal")):
        morceaux.append(f'--{limite}\r\nContent-Disposition: form-data; name="{nom}"\r\n\r\n{valeur}\r\n')
    morceaux.append(f'--{limite}\r\nContent-Disposition: form-data; name="citycode"\r\n\r\ncode_insee\r\n')
    corps = "".join(morceaux).encode()
    corps += (
        f'--{limite}\r\nContent-Disposition: form-data; name="data"; filename="adresses.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    corps += csv_texte.encode("utf-8") + f"\r\n--{limite}--\r\n".encode()
    return corps, f"multipart/form-data; boundary={limite}"


def _appeler_lot(lot: list[AdresseAGeocoder]) -> dict[str, Position | None]:
    sortie = io.StringIO()
    w = csv.writer(sortie)
    w.writerow(["cle", "adresse", "code_postal", "commune", "code_insee"])
    for a in lot:
        w.writerow([a.cle, a.adresse, a.code_postal, a.commune, a.code_insee])
    corps, type_contenu = _multipart(sortie.getvalue())
    url = settings.REPERE_GEOCODEUR_URL.rstrip("/") + "/search/csv/"
    brut = _requete(url, donnees=corps, entetes={"Content-Type": type_contenu})
    resultats: dict[str, Position | None] = {}
    for ligne in csv.DictReader(io.StringIO(brut.decode("utf-8-sig"))):
        cle = ligne.get("cle")
        try:
            lat, lon = float(ligne["latitude"]), float(ligne["longitude"])
        except (KeyError, TypeError, ValueError):
            resultats[cle] = None
            continue
        resultats[cle] = Position(
            latitude=lat,
            longitude=lon,
            score=float(ligne.get("result_score") or 0),
            type_resultat=ligne.get("result_type") or "",
            libelle=(ligne.get("result_label") or "")[:300],
            code_insee=(ligne.get("result_citycode") or "")[:5],
        )
    return resultats


def geocoder(adresses: list[AdresseAGeocoder], *, bilan: Bilan | None = None) -> dict[str, Position | None]:
    """{address key: position or None} for these addresses: cache first, then the BAN in batches.
    Without a configured geocoder (or when it fails) the missing ones are None and are not cached."""
    from repere.annuaire.models import AdresseGeocodee

    bilan = bilan if bilan is not None else Bilan()
    uniques = {a.cle: a for a in adresses if a.adresse}
    bilan.demandees += len(uniques)
    resultats: dict[str, Position | None] = {}
    cles = list(uniques)
    for i in range(0, len(cles), 900):
        for ligne in AdresseGeocodee.objects.filter(cle__in=cles[i : i + 900]):
            resultats[ligne.cle] = (
                Position(
                    ligne.latitude,
                    ligne.longitude,
                    ligne.score or 0,
                    ligne.type_resultat,
                    ligne.libelle,
                    ligne.code_insee,
                )
                if ligne.latitude is not None
                else None
            )
    bilan.en_cache += len(resultats)
    manquantes = [a for cle, a in uniques.items() if cle not in resultats]
    if not manquantes or not actif():
        bilan.trouvees += sum(1 for p in resultats.values() if p)
        return resultats
    nouvelles = []
    for i in range(0, len(manquantes), TAILLE_LOT):
        lot = manquantes[i : i + TAILLE_LOT]
        try:
            bilan.appels += 1
            trouves = _appeler_lot(lot)
        except (OSError, urllib.error.URLError, ValueError, UnicodeDecodeError) as exc:
            logger.warning(
                "Géocodeur indisponible (%s) : %s adresse(s) non localisée(s)", exc.__class__.__name__, len(lot)
            )
            break
        for a in lot:
            p = trouves.get(a.cle)
            resultats[a.cle] = p
            nouvelles.append(
                AdresseGeocodee(
                    cle=a.cle,
                    requete=" ".join(v for v in (a.adresse, a.code_postal, a.commune, a.code_insee) if v)[:1000],
                    latitude=p.latitude if p else None,
                    longitude=p.longitude if p else None,
                    score=p.score if p else None,
                    type_resultat=p.type_resultat[:20] if p else "",
                    libelle=p.libelle if p else "",
                    code_insee=p.code_insee if p else "",
                )
            )
    AdresseGeocodee.objects.bulk_create(nouvelles, batch_size=2000, ignore_conflicts=True)
    bilan.trouvees += sum(1 for p in resultats.values() if p)
    return resultats


def suggerer_adresses(*, texte: str, code_insee: str | None = None, limite: int = 5) -> list[dict]:
    """Addresses matching what is typed (BAN autocomplete), within a commune when `code_insee` is given:
    [{libelle, adresse, code_postal, commune, code_insee, latitude, longitude}]; [] without a geocoder."""
    texte = (texte or "").strip()
    if not actif() or len(texte) < 3:
        return []
    params = {"q": texte[:200], "autocomplete": "1", "limit": str(max(1, min(limite, 20)))}
    if code_insee:
        params["citycode"] = code_insee
    url = settings.REPERE_GEOCODEUR_URL.rstrip("/") + "/search/?" + urllib.parse.urlencode(params)
    try:
        donnees = json.loads(_requete(url))
    except (OSError, urllib.error.URLError, ValueError) as exc:
        logger.warning("Géocodeur indisponible pour l'autocomplétion (%s)", exc.__class__.__name__)
        return []
    suggestions = []
    for f in donnees.get("features") or []:
        p = f.get("properties") or {}
        coordonnees = (f.get("geometry") or {}).get("coordinates") or [None, None]
        suggestions.append(
            {
                "libelle": p.get("label", ""),
                "adresse": p.get("name", ""),
                "code_postal": p.get("postcode", ""),
                "commune": p.get("city", ""),
                "code_insee": p.get("citycode", ""),
                "latitude": coordonnees[1],
                "longitude": coordonnees[0],
            }
        )
    return suggestions


def localiser_une_adresse(*, adresse: str, commune: str = "", code_insee: str = "") -> tuple[Position | None, str]:
    """The point of one person's address, for the distances of a search: (position, "") or (None, why in
    French). Never cached nor logged (personal data): one call to the geocoder, or none without one."""
    if not actif():
        return None, "aucun géocodeur n'est configuré sur ce site"
    a = AdresseAGeocoder(adresse[:200], "", commune, code_insee)
    try:
        p = _appeler_lot([a]).get(a.cle)
    except (OSError, urllib.error.URLError, ValueError, UnicodeDecodeError) as exc:
        logger.warning("Géocodeur indisponible (%s) pour une adresse de recherche", exc.__class__.__name__)
        return None, "le géocodeur ne répond pas"
    if p is None or not p.precise or (code_insee and p.code_insee != code_insee):
        return None, "cette adresse n'a pas été trouvée dans la commune"
    return p, ""
