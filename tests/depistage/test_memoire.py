"""Bounded memory of a screening run: what a chunk leaves behind in a computing process, what the merge holds.

OpenFisca's simulations are reference cycles (simulation <-> populations <-> holders): without a collection
they outlive their chunk until Python's next full collection, and a computing process grew by one chunk's
arrays every few chunks (2 GiB per process at 1,000,000 households, docs/performance.md, session 5)."""

import gc

import pytest
from openfisca_core.simulations import Simulation

from repere.depistage import generateur, lecture, partitions
from repere.depistage.calcul import traiter_partition
from repere.depistage.colonnes import reconnaitre_entetes

pytestmark = pytest.mark.django_db


def _simulations_en_vie() -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, Simulation))


def test_un_lot_ne_laisse_aucune_simulation_derriere_lui(tmp_path):
    chemin = tmp_path / "m.csv"
    generateur.ecrire_csv(chemin, 60, graine=5)
    with lecture.ouvrir(chemin) as source:
        positions, _, _ = reconnaitre_entetes(source.entetes)
        fichier = partitions.Fichier.depuis_source(chemin=chemin, source=source, positions=positions)
    plan = partitions.planifier(fichier, taille_lot=20)
    gc.collect()
    avant = _simulations_en_vie()
    gc.disable()  # no automatic collection in between: what the chunk itself leaves
    try:
        for partition in plan:
            lot = traiter_partition(partition, fichier, mois="2026-11", prestations=None, mode="complet")
            assert lot.calcules == partition.menages
        restantes = _simulations_en_vie() - avant
    finally:
        gc.enable()
    assert restantes == 0
