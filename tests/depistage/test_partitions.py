"""Partitions read by the computing processes: the same results and the same rejected lines, word for word and
line for line, as the line-by-line reader of the main process (the reference), on files with defects."""

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from repere.depistage import generateur, lecture, partitions
from repere.depistage.colonnes import reconnaitre_entetes
from repere.depistage.execution import Options, depister

pytestmark = pytest.mark.django_db  # commune codes (none loaded: every commune accepted)


def _fichier(chemin):
    with lecture.ouvrir(chemin) as source:
        positions, _, _ = reconnaitre_entetes(source.entetes)
        return partitions.Fichier.depuis_source(chemin=chemin, source=source, positions=positions)


def _abime(chemin, n=120):
    generateur.ecrire_csv(chemin, n, graine=3)
    lignes = chemin.read_text(encoding="utf-8").splitlines(keepends=True)
    lignes.insert(10, "\n")  # a blank line: counted in the line numbers
    lignes.insert(50, ";" * 10 + "\n")  # a line of empty cells (and too few of them for Arrow)
    lignes.append(lignes[5])  # a household met again at the end: in another partition
    lignes.insert(120, lignes[120].replace("salarie", "chef"))  # a bad cell (and a duplicated person)
    lignes.insert(200, "  " + lignes[200][lignes[200].index(";") :])  # an id of blanks
    chemin.write_text("".join(lignes), encoding="utf-8")
    return chemin


def _depister(entree, sortie, **options):
    bilan = depister(entree=entree, sortie_chemin=sortie, options=Options(mois="2026-11", taille_lot=20, **options))
    erreurs = sortie.with_name(sortie.stem + "-lignes-rejetees" + sortie.suffix)
    return bilan, sortie.read_bytes(), erreurs.read_bytes()


def test_partitions_egales_a_la_lecture_ligne_a_ligne(tmp_path):
    entree = _abime(tmp_path / "m.csv")
    plan = partitions.planifier(_fichier(entree), taille_lot=20)
    assert len(plan) == 7 and any(p.deja_vus for p in plan)  # the household met again is known to its partition
    ref, sortie_ref, erreurs_ref = _depister(entree, tmp_path / "ref.csv", lecture_par_lignes=True)
    bilan, sortie, erreurs = _depister(entree, tmp_path / "parts.csv")
    assert ref.menages_rejetes >= 1 and ref.lignes_rejetees >= 3
    assert sortie == sortie_ref and erreurs == erreurs_ref
    assert (bilan.menages_calcules, bilan.lignes_rejetees) == (ref.menages_calcules, ref.lignes_rejetees)
    assert "déjà apparu plus haut" in erreurs.decode() and "identifiant de ménage manquant" in erreurs.decode()


def test_parquet_par_groupes_de_rangees(tmp_path):
    csv = _abime(tmp_path / "m.csv")
    table = pacsv.read_csv(
        csv,
        parse_options=pacsv.ParseOptions(delimiter=";", invalid_row_handler=lambda r: "skip"),
        convert_options=pacsv.ConvertOptions(
            strings_can_be_null=False, column_types=dict.fromkeys(generateur.ENTETES, pa.string())
        ),
    )
    entree = tmp_path / "m.parquet"
    pq.write_table(table, entree, row_group_size=37)
    ref, sortie_ref, erreurs_ref = _depister(entree, tmp_path / "ref.csv", lecture_par_lignes=True)
    _bilan, sortie, erreurs = _depister(entree, tmp_path / "parts.csv")
    assert sortie == sortie_ref and erreurs == erreurs_ref


def test_guillemets_lus_ligne_a_ligne(tmp_path):
    entree = tmp_path / "m.csv"
    generateur.ecrire_csv(entree, 5, graine=1)
    with open(entree, "a", encoding="utf-8") as f:
        f.write('"Z";demandeur\n')
    assert partitions.planifier(_fichier(entree), taille_lot=2) is None


def test_tries_uniques_comme_numpy():
    """The seen-households sets (plan and line-by-line reading) sort and drop repeats without np.unique's slow
    hash path: the same values."""
    import numpy as np

    from repere.depistage.assemblage import tries_uniques

    hasard = np.random.default_rng(5)
    for n in (0, 1, 2, 1000, 50_000):
        h = hasard.integers(0, max(1, n // 3), n, dtype=np.uint64)
        assert np.array_equal(tries_uniques(h), np.unique(h))
