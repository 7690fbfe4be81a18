"""Import and export of the directory: one module per source around one shared pipeline.

- `fichiers`: reading CSV, XLSX, ODS, JSON, Parquet files of any layout (file-level errors first);
- `validation`: every rule a row must pass (data·inclusion's, Repère's, the database's limits);
- `communes`: INSEE codes against the COG (former communes mapped to the current one);
- `pipeline`: validation → location (geocoder) → one transaction (upsert, withdrawals, search index);
- `data_inclusion`, `france_services`, `mairies`: the sources; `correspondance`: any other layout, through
  a column mapping (the import assistant and `manage.py importer_annuaire`);
- `export`: back to data·inclusion v1.
"""

from collections import defaultdict

from repere.annuaire.importation.data_inclusion import importer_data_inclusion, importer_dicts
from repere.annuaire.importation.export import exporter, service_vers_di, structure_vers_di
from repere.annuaire.importation.fichiers import ErreurFichier
from repere.annuaire.importation.france_services import importer_france_services
from repere.annuaire.importation.mairies import SOURCE_MAIRIES, importer_mairies, mairies
from repere.annuaire.importation.pipeline import Entree, Rapport, Rejet, importer
from repere.annuaire.importation.validation import CHAMPS_LISTES, CHAMPS_SERVICE, CHAMPS_STRUCTURE, en_france

__all__ = [
    "CHAMPS_LISTES",
    "CHAMPS_SERVICE",
    "CHAMPS_STRUCTURE",
    "SOURCE_MAIRIES",
    "Entree",
    "ErreurFichier",
    "Rapport",
    "Rejet",
    "compter_par_source",
    "en_france",
    "exporter",
    "importer",
    "importer_data_inclusion",
    "importer_dicts",
    "importer_france_services",
    "importer_mairies",
    "mairies",
    "service_vers_di",
    "structure_vers_di",
]


def compter_par_source() -> dict:
    from repere.annuaire.models import Service

    d = defaultdict(int)
    for source in Service.objects.values_list("source", flat=True):
        d[source] += 1
    return dict(d)
