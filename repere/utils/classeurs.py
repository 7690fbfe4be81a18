"""Uploaded XLSX and ODS workbooks are zip archives: checked before any parser opens them.

A 1 MB "zip bomb" can unpack to gigabytes and hold a web or background worker for minutes. Before parsing
an uploaded workbook, every upload path calls ``verifier_classeur``: it reads only the archive's directory
(sizes declared by each entry, never the content) and refuses the file when, once unpacked, it would exceed
``REPERE_CLASSEUR_DECOMPRESSE_MAX_MO`` (1 024 Mo by default), when an entry is compressed more than
``RATIO_MAX`` times (ordinary workbooks stay well under 30), or when it has too many entries.
The archive's declared sizes are then enforced while reading: an entry that unpacks to more than it
declared makes ``zipfile`` fail (CRC and size checks), so lying about sizes does not get through either.
"""

import zipfile
from pathlib import Path

from django.conf import settings

from repere.utils.errors import ErreurMetier

RATIO_MAX = 100
ENTREES_MAX = 10_000
PETITE_ENTREE = 1024 * 1024  # below 1 Mo unpacked, a high ratio is harmless (repetitive XML)


def decompresse_max_octets() -> int:
    return int(getattr(settings, "REPERE_CLASSEUR_DECOMPRESSE_MAX_MO", 1024)) * 1024 * 1024


def verifier_classeur(source, *, champ: str = "fichier") -> None:
    """Refuse (ErreurMetier naming the field) an XLSX/ODS whose unpacked size or ratio is abnormal.

    ``source``: a path or a binary file object (an upload); its position is restored."""
    position = source.tell() if hasattr(source, "tell") else None
    try:
        with zipfile.ZipFile(source if position is not None else Path(source)) as archive:
            entrees = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip archive: nothing to unpack, the parser reports the unreadable file in its words
    finally:
        if position is not None:
            source.seek(position)
    if len(entrees) > ENTREES_MAX:
        raise ErreurMetier(
            f"Le classeur contient {len(entrees)} éléments (au plus {ENTREES_MAX}) : il est refusé.", champ=champ
        )
    total = sum(e.file_size for e in entrees)
    maximum = decompresse_max_octets()
    if total > maximum:
        raise ErreurMetier(
            f"Le classeur ferait {total // (1024 * 1024)} Mo une fois décompressé (au plus {maximum // (1024 * 1024)} Mo) : "
            "il est refusé. Enregistrez-le en CSV, ou découpez-le.",
            champ=champ,
        )
    for e in entrees:
        if e.file_size > PETITE_ENTREE and e.file_size > RATIO_MAX * max(e.compress_size, 1):
            raise ErreurMetier(
                f"Le classeur est anormalement compressé ({e.file_size // max(e.compress_size, 1)} fois pour "
                f"« {e.filename[:80]} », au plus {RATIO_MAX}) : il est refusé comme possible « bombe de "
                "décompression ». Enregistrez-le en CSV.",
                champ=champ,
            )
