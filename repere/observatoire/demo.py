"""Demo data of the observatory: no invented statistics. The activity indicators are computed
from the demo data of the other pillars (directory, outreach), which are labelled « démo »."""

from repere.observatoire import activite
from repere.utils.nombres import compte


def charger() -> list[str]:
    runs = activite.calculer()
    return [
        f"observatoire : {run.fichier} ({compte(run.valeurs, 'valeur calculée')} depuis les données de démo)"
        for run in runs
    ] + [
        "observatoire : portrait /observatoire/territoire/commune/49092/ ; importez les fichiers INSEE et CAF (README)"
    ]
