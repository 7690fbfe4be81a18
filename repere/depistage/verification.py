"""Check a batch file without computing anything: every problem with its line and column."""

from __future__ import annotations

import heapq
import itertools
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
    en_ordre = _EnOrdre(signaler)
    try:
        largeur = len(source.entetes) if source.format == "csv" else None
        lignes = _compter(source.lignes(), resultat)
        for element in grouper(lignes, positions, codes_communes=codes_communes_connus(), largeur_entete=largeur):
            if isinstance(element, Anomalie):
                resultat.anomalies += 1
                en_ordre.ajouter(element)
                continue
            resultat.menages += 1
            menage, anomalies = _construire(element, mois=mois)
            if menage is None:
                for a in anomalies:
                    resultat.anomalies += 1
                    en_ordre.ajouter(a)
            else:
                resultat.menages_valides += 1
            en_ordre.jusqua(max(numero for numero, _ in element.lignes))
        en_ordre.jusqua(float("inf"))
    finally:
        ctx.__exit__(None, None, None)
    return resultat


class _EnOrdre:
    """The problems passed on in line order. A reading problem is known as soon as its line is read, a
    household's once its last line is: each is held until the household that ends at or after its line has
    been checked (no more than one household's lines are held)."""

    def __init__(self, signaler: Callable[[Anomalie], None]):
        self.signaler = signaler
        self.attente: list[tuple[int, int, Anomalie]] = []
        self.compteur = itertools.count()

    def ajouter(self, anomalie: Anomalie) -> None:
        heapq.heappush(self.attente, (anomalie.ligne, next(self.compteur), anomalie))

    def jusqua(self, ligne: float) -> None:
        while self.attente and self.attente[0][0] <= ligne:
            self.signaler(heapq.heappop(self.attente)[2])


def _compter(lignes: Iterator, resultat: Verification) -> Iterator:
    for element in lignes:
        resultat.lignes += 1
        yield element
