"""Text helpers shared by every search: accent- and case-insensitive keys."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Combining marks left by the NFKD decomposition (accents, cedillas…), removed in one C-level pass.
_COMBINANTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def normalise(text: str) -> str:
    """'Chemillé-en-Anjou' -> 'chemille en anjou'; used to index and to query.

    Any character that is neither a letter nor a digit once accents are removed separates words
    (so "l’aide" gives "l aide"). Fast enough for long descriptions: every step runs in C.
    """
    texte = (text or "").lower().replace("œ", "oe").replace("æ", "ae")
    texte = _COMBINANTS.sub("", unicodedata.normalize("NFKD", texte))
    return _NON_ALNUM.sub(" ", texte).strip()


_VOYELLES = set("aeiouyàâäéèêëîïôöùûüœæh")
# An initial « h » that is aspirated (no elision): the few place names of France that start with one.
_H_ASPIRE = (
    "hautes-",
    "haute-",
    "haut-",
    "hauts-",
    "hendaye",
    "hérouville",
    "herblay",
    "hayange",
    "houilles",
    "haguenau",
)


def de(nom: str) -> str:
    """« de » before a place name, French style: d'Angers, de Chemillé-en-Anjou, du Mans, des Sables-d'Olonne,
    de La Roche-sur-Yon."""
    nom = (nom or "").strip()
    if not nom:
        return ""
    bas = nom.lower()
    if bas.startswith("le "):
        return f"du {nom[3:]}"
    if bas.startswith("les "):
        return f"des {nom[4:]}"
    if bas[0] in _VOYELLES and not bas.startswith(_H_ASPIRE):
        return f"d'{nom}"
    return f"de {nom}"


# Month names in French, January first (index = month number - 1): the one list.
MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def mois_en_lettres(mois: str) -> str:
    """« 2026-11 » → « novembre 2026 » (anything else is returned as it was)."""
    annee, _, m = (mois or "").partition("-")
    if not (annee.isdigit() and m.isdigit() and 1 <= int(m) <= 12):
        return mois or ""
    return f"{MOIS[int(m) - 1]} {annee}"
