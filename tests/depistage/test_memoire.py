"""Bounded memory of a screening run: what a chunk leaves behind in a computing process, what the merge holds.

OpenFisca's simulations are reference cycles (simulation <-> populations <-> holders): without a collection
they outlive their chunk until Python's next full collection, and a computing process grew by one chunk's
arrays every few chunks (2 GiB per process at 1,000,000 households, docs/performance.md, session 5)."""

import gc

import pyarrow as pa
import pytest
from openfisca_core.simulations import Simulation

from repere.depistage import generateur, lecture, partitions, sortie
from repere.depistage.calcul import traiter_partition
from repere.depistage.colonnes import reconnaitre_entetes
from repere.depistage.execution import Options, depister

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


def _part(chemin, lot, n):
    priorites = [float((lot * 7919 + i * 104729) % 1000) for i in range(n)]
    colonnes = {}
    for champ in sortie.SCHEMA_PART:
        if champ.name == "priorite_mensuelle":
            colonnes[champ.name] = pa.array(priorites)
        elif champ.name == "id_menage":
            colonnes[champ.name] = pa.array([f"M{lot}-{i}" for i in range(n)])
        else:
            colonnes[champ.name] = pa.nulls(n, champ.type)
    table = pa.table(colonnes, schema=sortie.SCHEMA_PART)
    ordre = sorted(range(n), key=lambda i: -priorites[i])
    sortie.ecrire_part(chemin, table.take(pa.array(ordre)))


def test_fusion_a_parts_ouvertes_bornees(tmp_path, monkeypatch):
    """However many parts (chunks) the file has, the merge holds at most ``PARTS_EN_FUSION`` of them open, and
    gives the same order as a one-level merge: by decreasing priority, then chunk, then position."""
    monkeypatch.setattr(sortie, "PARTS_EN_FUSION", 3)
    ouvertes, pic = [0], [0]
    init = sortie._Part.__init__

    def compter(self, *a, **k):
        ouvertes[0] += 1
        pic[0] = max(pic[0], ouvertes[0])
        init(self, *a, **k)

    def fermer(self):
        ouvertes[0] -= 1

    monkeypatch.setattr(sortie._Part, "__init__", compter)
    monkeypatch.setattr(sortie._Part, "fermer", fermer, raising=False)
    parts = []
    for lot in range(10):
        _part(tmp_path / f"p{lot}.arrow", lot, 50 + lot)
        parts.append((lot, tmp_path / f"p{lot}.arrow"))
    lignes = pa.concat_tables(list(sortie.fusionner_tables(parts, travail=tmp_path))).to_pylist()
    attendu = sorted(
        (r for lot, p in parts for r in sortie.lire_part(p).to_pylist()),
        key=lambda r: (-r["priorite_mensuelle"], int(r["id_menage"][1:].split("-")[0])),
    )
    assert [r["id_menage"] for r in lignes] == [r["id_menage"] for r in attendu]
    assert pic[0] <= 3


def test_sortie_identique_quel_que_soit_le_nombre_de_parts_ouvertes(tmp_path, monkeypatch):
    entree = tmp_path / "m.csv"
    generateur.ecrire_csv(entree, 150, graine=8)

    def passage(nom):
        chemin = tmp_path / f"{nom}.csv"
        depister(entree=entree, sortie_chemin=chemin, options=Options(mois="2026-11", taille_lot=10))
        return chemin.read_bytes()

    reference = passage("ref")
    monkeypatch.setattr(sortie, "PARTS_EN_FUSION", 4)  # 15 parts: two levels of merge
    assert passage("borne") == reference


def test_fusion_a_plusieurs_niveaux_de_parts_vides(tmp_path, monkeypatch):
    """A group of parts that are all empty (every household of those chunks rejected) still gives a readable
    intermediate part: the merge of several levels yields nothing, without error."""
    monkeypatch.setattr(sortie, "PARTS_EN_FUSION", 2)
    parts = []
    for lot in range(5):
        chemin = tmp_path / f"p{lot}.arrow"
        sortie.ecrire_part(chemin, sortie.contenu_de(sortie.SCHEMA_PART.empty_table(), "csv"))
        parts.append((lot, chemin))
    assert list(sortie.fusionner_tables(parts, travail=tmp_path)) == []
