"""How a text file (CSV, JSON) is encoded: one rule for every import (annuaire, dépistage).

``verifier_texte`` refuses what no text encoding choice can fix (UTF-16, Excel's « Texte Unicode », with
or without its mark; a binary file); ``detecter_encodage`` then tells UTF-8 from Windows-1252 (Excel's
« CSV »). People read the names of ``nom_encodage`` (« Windows-1252 »), never a codec code (« cp1252 »).
"""

import codecs

NOMS = {"utf-8": "UTF-8", "utf8": "UTF-8", "utf-8-sig": "UTF-8", "cp1252": "Windows-1252", "utf-16": "UTF-16"}
MESSAGE_UTF16 = (
    "le fichier est encodé en UTF-16 (« Texte Unicode » d'Excel) : enregistrez-le en « CSV UTF-8 » ou en CSV."
)
MESSAGE_BINAIRE = (
    "le fichier n'est pas un fichier texte (il contient des octets nuls) : enregistrez-le en « CSV UTF-8 » "
    "depuis votre tableur."
)
ECHANTILLON = 64 * 1024


class EncodageRefuse(ValueError):
    """The file is not text in an encoding an import reads; ``str()`` is a French clause, ``phrase`` a sentence."""

    @property
    def phrase(self) -> str:
        texte = str(self)
        return texte[:1].upper() + texte[1:]


def nom_encodage(code: str) -> str:
    """« Windows-1252 » for ``cp1252``: the name a person sees for a codec."""
    return NOMS.get((code or "").lower(), code or "")


def verifier_texte(debut: bytes) -> None:
    """Raise ``EncodageRefuse`` when the first bytes of a file are UTF-16 (a mark, or every other byte nul
    in a mostly-ASCII text) or not text at all (nul bytes)."""
    if debut.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise EncodageRefuse(MESSAGE_UTF16)
    echantillon = debut[:ECHANTILLON]
    nuls = echantillon.count(0)
    if not nuls:
        return
    pairs, impairs = echantillon[0::2].count(0), echantillon[1::2].count(0)
    if len(echantillon) >= 4 and max(pairs, impairs) >= 0.9 * (len(echantillon) // 2) and min(pairs, impairs) == 0:
        raise EncodageRefuse(MESSAGE_UTF16)
    raise EncodageRefuse(MESSAGE_BINAIRE)


def detecter_encodage(echantillon: bytes) -> str:
    """UTF-8 (``utf-8-sig`` with its mark) when most non-ASCII lines of the sample decode as such, else
    Windows-1252 (Excel's "CSV"); ``EncodageRefuse`` for UTF-16 or a binary file (``verifier_texte``)."""
    verifier_texte(echantillon)
    if echantillon.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    lignes = echantillon.split(b"\n")
    if len(lignes) > 1:
        lignes = lignes[:-1]  # the last one may be cut in the middle of a character
    bonnes = mauvaises = 0
    for ligne in lignes:
        if ligne.isascii():
            continue
        try:
            ligne.decode("utf-8")
            bonnes += 1
        except UnicodeDecodeError:
            mauvaises += 1
    return "utf-8" if bonnes >= mauvaises else "cp1252"
