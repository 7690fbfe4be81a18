"""Check a batch file without computing anything: every problem with its line and column."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from repere.depistage.assemblage import Anomalie, grouper, mois_courant
from repere.depistage.assemblage import construire_menage as _construire
from repere.depistage.execution import _ouvrir, codes_communes_connus


@dataclass
class Verification:
    format: str = ""
    encodage: str = ""
    separateur: str = ""
    lignes: int = 0
    menages: int = 0
    menages_valides: int = 0
    anomalies: int = 0
    colonnes_ignorees: list[str] = field(default_factory=list)

    @property
    def menages_rejetes(self) -> int:
        return self.menages - self.menages_valides


def verifier(
    entree: Path | str, *, mois: str | None = None, signaler: Callable[[Anomalie], None] | None = None
) -> Verification:
    """Read the whole file (streaming) and validate every household; ``signaler`` gets each problem.

    Raises ``lecture.ErreurFichier`` when the file cannot be read at all (empty, header, encoding).
    """
    mois = mois or mois_courant()
    signaler = signaler or (lambda a: None)
    resultat = Verification()
    ctx, source, positions, inconnues = _ouvrir(Path(entree))
    resultat.format, resultat.encodage, resultat.separateur = source.format, source.encodage, source.separateur
    resultat.colonnes_ignorees = inconnues
    try:
        for element in grouper(_compter(source.lignes(), resultat), positions, codes_communes=codes_communes_connus()):
            if isinstance(element, Anomalie):
                resultat.anomalies += 1
                signaler(element)
                continue
            resultat.menages += 1
            menage, anomalies = _construire(element, mois=mois)
            if menage is None:
                for a in anomalies:
                    resultat.anomalies += 1
                    signaler(a)
            else:
                resultat.menages_valides += 1
    finally:
        ctx.__exit__(None, None, None)
    return resultat


def _compter(lignes: Iterator, resultat: Verification) -> Iterator:
    for element in lignes:
        resultat.lignes += 1
        yield element
