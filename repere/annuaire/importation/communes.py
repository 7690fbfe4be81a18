"""INSEE codes of an import, against the COG loaded by `charger_territoires`.

A current commune (or Paris/Lyon/Marseille arrondissement) is kept; the code of a former commune (merged
into a commune nouvelle or absorbed: the COG's history of changes, `repere.territoires.selectors.codes_anciens`)
becomes the current commune's, with a warning; any other code is unknown and the row is rejected with the
code shown.
"""

from dataclasses import dataclass

from repere.territoires.models import Territoire, TypeTerritoire
from repere.territoires.selectors import codes_anciens

ACTUELLES = (TypeTerritoire.COMMUNE, TypeTerritoire.ARRONDISSEMENT)


@dataclass(frozen=True)
class Commune:
    code: str
    nom: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Resolution:
    commune: Commune | None  # the current commune, None if the code is unknown
    ancien: bool = False  # the code given is a former commune's
    ancienne: str = ""  # name of that former commune, when the COG's history gives it


class Referentiel:
    """Loaded once per import (about 35,000 current codes and 4,000 former ones)."""

    def __init__(self):
        self.actuelles: dict[str, Commune] = {
            code: Commune(code, nom, lat, lon)
            for code, nom, lat, lon in Territoire.objects.filter(type__in=ACTUELLES).values_list(
                "code", "nom", "latitude", "longitude"
            )
        }
        self.anciennes = codes_anciens() if self.actuelles else {}

    @property
    def charge(self) -> bool:
        return bool(self.actuelles)

    def resoudre(self, code: str) -> Resolution:
        if code in self.actuelles:
            return Resolution(self.actuelles[code])
        ancien = self.anciennes.get(code)
        if ancien is not None:
            commune = self.actuelles.get(ancien.code_actuel)
            return Resolution(commune, ancien=commune is not None, ancienne=ancien.nom)
        return Resolution(None)
