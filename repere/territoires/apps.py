from django.apps import AppConfig

from repere.utils.demarrage import lancer_en_arriere_plan, prechauffage_demande


class TerritoiresConfig(AppConfig):
    name = "repere.territoires"
    label = "territoires"

    def ready(self):
        # Web process start-up: build the territories' search index (1.6 s) in a thread, so that the first
        # autocompletion does not wait for it (REPERE_PRECHAUFFAGE=0 turns it off, like the engine's warm-up).
        if prechauffage_demande():
            lancer_en_arriere_plan(
                _construire_index, nom="index-territoires", modules=("repere.territoires.selectors",)
            )


def _construire_index() -> None:
    from django.db import connection

    from repere.territoires import selectors

    try:
        selectors._entrees()
    except Exception:  # noqa: BLE001 - best effort: the first search builds it (database not migrated yet…)
        import logging

        logging.getLogger(__name__).warning("Index de recherche des territoires non construit au démarrage")
    finally:
        connection.close()
