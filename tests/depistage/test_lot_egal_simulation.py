"""On 500 random households, the batch screening gives exactly what the single simulation gives.

No database: runs once (on the SQLite pass of the suite); it takes about a minute and a half because
each of the 500 households is also simulated alone, as the simulator does.
"""

import pyarrow.parquet as pq
import pytest
from django.conf import settings

from repere.depistage import generateur
from repere.depistage.assemblage import NOMS, MenageBrut, construire_menage
from repere.depistage.calcul import ligne_resultat
from repere.depistage.execution import Options, depister
from repere.droits.moteur import simuler

N = 500

pytestmark = pytest.mark.skipif(
    "postgresql" in settings.DATABASES["default"]["ENGINE"],
    reason="sans base de données : exécuté une seule fois, lors du passage SQLite",
)


def test_lot_egal_simulation_unitaire(tmp_path):
    entree = tmp_path / "m.csv"
    generateur.ecrire_csv(entree, N, graine=20261129)
    sortie = tmp_path / "r.parquet"
    bilan = depister(entree=entree, sortie_chemin=sortie, options=Options(mois="2026-11", taille_lot=250))
    assert bilan.menages_calcules == N and bilan.anomalies == 0
    lot = {ligne["id_menage"]: ligne for ligne in pq.read_table(sortie).to_pylist()}

    differences = []
    for k, personnes in enumerate(generateur.menages(N, graine=20261129)):
        lignes = [(i, tuple(p.get(n, "") for n in NOMS)) for i, p in enumerate(personnes)]
        menage, anomalies = construire_menage(MenageBrut(personnes[0]["id_menage"], lignes), mois="2026-11")
        assert anomalies == []
        seul = simuler(menage, mode="complet")
        attendu = ligne_resultat(personnes[0]["id_menage"], menage, seul)
        obtenu = lot[attendu[0]]
        obtenu.pop("rang")
        if tuple(obtenu.values()) != attendu:
            differences.append((k, [(c, v, a) for (c, v), a in zip(obtenu.items(), attendu, strict=True) if v != a]))
    assert differences == []
    # The comparison is not vacuous: the sample has households with probable non-take-up of many benefits.
    nr = {c for ligne in lot.values() for c in ligne if c.endswith("_non_recours") and ligne[c]}
    assert len(nr) >= 8
