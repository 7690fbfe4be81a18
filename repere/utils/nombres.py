"""Numbers in French, written once: amounts, counts, decimals, percentages, hours, phone numbers and dates.

Every template, message and export formats numbers through these functions (the ``nombres``
template library wraps them). Thousands are separated by a narrow no-break space, decimals by a
comma, and the unit is tied to the number by a no-break space: « 1 044 € », « 12,5 % ».

- ``euros`` rounds to the euro: what the public sees (an estimate to the cent is a false precision);
- ``euros_centimes`` keeps the cents: accounting, budgets, confirmed amounts;
- ``nombre`` for counts and measures, ``pourcentage`` for a share given as a fraction (0.125 → 12,5 %);
- ``decimal_tableur`` for spreadsheet cells in CSV files (comma decimals, no thousands separator);
- ``compte`` / ``accord`` for a count and its words, agreed the French way (« 0 ménage », « 1 suivi en cours »,
  « 3 ménages calculés »): never « 1 ménages » nor Django's ``pluralize`` (which puts 0 in the plural);
- ``heure`` (« 8 h 30 »), ``telephone`` (« 06 00 00 00 12 »), ``date_longue`` (« mardi 1er décembre 2026 »).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from babel.numbers import format_decimal
from django.utils import timezone

LOCALE = "fr_FR"
ESPACE_INSECABLE = "\u00a0"
# the day « j » of a Django date format, not escaped by a backslash
_JOUR_SEUL = re.compile(r"(?<!\\)j")
_ESPACES_DATE = re.compile(r"(?<=\w) (?=\w)")


def _nombre_ou_none(valeur) -> float | Decimal | None:
    if valeur is None or isinstance(valeur, bool):
        return None
    if isinstance(valeur, int | float | Decimal):
        return valeur
    try:
        return float(str(valeur).replace(",", "."))
    except ValueError:
        return None


def nombre(valeur, *, decimales: int = 0, vide: str = "") -> str:
    """« 34 945 », « 2 912,1 » (at most ``decimales`` digits after the comma, trailing zeros dropped)."""
    x = _nombre_ou_none(valeur)
    if x is None:
        return vide
    motif = "#,##0" + ("." + "#" * decimales if decimales > 0 else "")
    return format_decimal(x, format=motif, locale=LOCALE, decimal_quantization=True)


def euros(valeur, *, vide: str = "") -> str:
    """Rounded to the euro, for the public: « 1 044 € »."""
    x = _nombre_ou_none(valeur)
    if x is None:
        return vide
    return f"{nombre(x)}{ESPACE_INSECABLE}€"


def euros_centimes(valeur, *, vide: str = "") -> str:
    """With cents when there are any: « 1 043,59 € », « 12 € »."""
    x = _nombre_ou_none(valeur)
    if x is None:
        return vide
    x = round(float(x), 2)
    if abs(x - round(x)) < 0.005:
        return euros(x)
    texte = format_decimal(x, format="#,##0.00", locale=LOCALE)
    return f"{texte}{ESPACE_INSECABLE}€"


def pourcentage(part, *, decimales: int = 0, vide: str = "") -> str:
    """A share given as a fraction: 0.874 → « 87 % » (``decimales=1`` → « 87,4 % »)."""
    x = _nombre_ou_none(part)
    if x is None:
        return vide
    return f"{nombre(float(x) * 100, decimales=decimales)}{ESPACE_INSECABLE}%"


def decimal_tableur(valeur, *, decimales: int = 2) -> str:
    """A CSV cell a French spreadsheet reads as a number: « 1043,59 » (no thousands separator)."""
    x = _nombre_ou_none(valeur)
    if x is None:
        return ""
    texte = f"{round(float(x), decimales):.{decimales}f}".rstrip("0").rstrip(".") if decimales else f"{round(x)}"
    return texte.replace(".", ",")


_PREPOSITIONS = {"à", "au", "aux", "avec", "d'", "dans", "de", "des", "du", "en", "par", "pour", "sans", "sur"}
_INVARIABLES = {"non", "pas", "déjà", "encore", "très", "plus", "moins", "bien"}  # adverbs: no agreement


def _pluriel(singulier: str) -> str:
    mots, complement = [], False
    for mot in singulier.split(" "):
        complement = complement or mot in _PREPOSITIONS or mot.startswith("d'")
        invariable = complement or mot in _INVARIABLES or mot.endswith(("s", "x", "z")) or mot.isupper()  # INSEE, EPCI
        mots.append(mot if invariable else f"{mot}s")
    return " ".join(mots)


def accord(valeur, singulier: str, pluriel: str | None = None) -> str:
    """The words that follow a count, agreed the French way (0 and 1 take the singular): « ménage calculé »,
    « ménages calculés », « suivis en cours ». ``pluriel`` defaults to « s » added to each word before the first
    preposition; give it for an irregular plural (« travail », « travaux »)."""
    x = _nombre_ou_none(valeur)
    if x is not None and abs(x) >= 2:
        return pluriel if pluriel is not None else _pluriel(singulier)
    return singulier


def compte(valeur, singulier: str, pluriel: str | None = None) -> str:
    """A count and its words: « 1 ménage calculé », « 0 ménage », « 3 ménages calculés » (no-break space)."""
    x = _nombre_ou_none(valeur)
    return f"{nombre(0 if x is None else x)}{ESPACE_INSECABLE}{accord(x, singulier, pluriel)}"


def taille_fichier(octets) -> str:
    """A file's size in words, French style: « 1 023 octets », « 1,5 Ko », « 12,3 Mo », « 2 Go » (units of 1 024)."""
    x = _nombre_ou_none(octets)
    if x is None:
        return ""
    if x < 1024:
        return f"{nombre(x)}{ESPACE_INSECABLE}octet{'s' if x >= 2 else ''}"
    for unite in ("Ko", "Mo", "Go", "To"):
        x /= 1024
        if x < 1024 or unite == "To":
            return f"{nombre(x, decimales=0 if x >= 100 or x == int(x) else 1)}{ESPACE_INSECABLE}{unite}"
    return ""  # not reached


def heure(valeur) -> str:
    """An hour of the day the French way, everywhere: « 8 h 30 », « 12 h » (no-break spaces)."""
    if valeur is None or valeur == "":
        return ""
    if isinstance(valeur, str):
        h, _, m = valeur.replace("h", ":").partition(":")
        try:
            heures, minutes = int(h), int(m or 0)
        except ValueError:
            return valeur
    else:
        if isinstance(valeur, datetime.datetime) and timezone.is_aware(valeur):
            valeur = timezone.localtime(valeur)  # the hour where the reader is, as date_longue shows the day
        heures, minutes = valeur.hour, valeur.minute
    if not minutes:
        return f"{heures}{ESPACE_INSECABLE}h"
    return f"{heures}{ESPACE_INSECABLE}h{ESPACE_INSECABLE}{minutes:02d}"


def telephone(valeur) -> str:
    """A French phone number by pairs: « 06 00 00 00 12 » (no-break spaces); anything else as it was typed."""
    texte = (valeur or "").strip()
    chiffres = "".join(c for c in texte if c.isdigit())
    if texte.startswith("+33") and len(chiffres) == 11:
        chiffres = "0" + chiffres[2:]
    if len(chiffres) != 10 or not chiffres.startswith("0") or any(c not in "0123456789 .-+" for c in texte):
        return texte
    return ESPACE_INSECABLE.join(chiffres[i : i + 2] for i in range(0, 10, 2))


def date_longue(valeur, format_django: str = "j F Y") -> str:
    """A date in words, French style: « 1er décembre 2026 », « mardi 1er décembre 2026 » (the first of the month is
    « 1er »). ``format_django`` is a format of Django's ``date`` filter; the day ``j`` gets its « er » on the 1st.
    A text in ISO form (« 2023-11-07 ») is read as a date; any other text is returned as it is."""
    from django.template.defaultfilters import date as filtre_date

    if not valeur:
        return ""
    if isinstance(valeur, str):
        try:
            valeur = datetime.date.fromisoformat(valeur)
        except ValueError:
            return valeur
    if isinstance(valeur, datetime.datetime) and timezone.is_aware(valeur):
        valeur = timezone.localtime(valeur)  # the 1st where the reader is, as Django's filter shows it
    if getattr(valeur, "day", None) == 1:
        format_django = _JOUR_SEUL.sub(r"j\\e\\r", format_django)
    texte = filtre_date(valeur, format_django)
    # day, month and year stay together on one line
    return _ESPACES_DATE.sub(ESPACE_INSECABLE, texte) if texte else ""
