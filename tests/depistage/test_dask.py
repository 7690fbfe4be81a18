"""The same screening on a Dask distributed cluster (a local one with real worker processes)."""

import pytest
from django.conf import settings

from repere.depistage import generateur
from repere.depistage.execution import Options, depister
from tests.depistage.factories import ENTETES, personne

pytestmark = [
    pytest.mark.skipif(
        "postgresql" in settings.DATABASES["default"]["ENGINE"],
        reason="exécuté une seule fois, lors du passage SQLite",
    ),
    pytest.mark.django_db,  # the reader sends the known commune codes to the workers
]


def test_dask_donne_le_meme_resultat_qu_en_local(tmp_path):
    from distributed import Client, LocalCluster

    entree = tmp_path / "m.csv"
    generateur.ecrire_csv(entree, 40, graine=8)
    with open(entree, "a", encoding="utf-8") as f:  # one household in an unknown commune, rejected on both paths
        ligne = personne(id_menage="INCONNUE", commune="99999")
        f.write(";".join(ligne.get(c, "") for c in ENTETES) + "\n")
    local = tmp_path / "local.csv"
    depister(entree=entree, sortie_chemin=local, options=Options(mois="2026-11", taille_lot=10))
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        distribue = tmp_path / "dask.csv"
        bilan = depister(
            entree=entree,
            sortie_chemin=distribue,
            options=Options(mois="2026-11", taille_lot=10, dask=cluster.scheduler_address),
        )
        pids = client.run(lambda: __import__("os").getpid())
    assert bilan.menages_calcules == 40 and bilan.menages_rejetes == 1 and bilan.lots == 5
    assert len(pids) == 2
    assert distribue.read_bytes() == local.read_bytes()


def _mort(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_un_worker_tue_en_plein_calcul_rien_n_est_perdu_ni_compte_deux_fois(tmp_path):
    """A worker process killed (SIGKILL) while it computes: Dask reschedules its partitions on the other
    worker (and the nanny restarts it); every household is in the output once, byte for byte as in local."""
    import os
    import signal

    from distributed import Client, LocalCluster

    entree = tmp_path / "m.csv"
    generateur.ecrire_csv(entree, 120, graine=9)
    local = tmp_path / "local.csv"
    depister(entree=entree, sortie_chemin=local, options=Options(mois="2026-11", taille_lot=10))
    tues: list[int] = []
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        pids = sorted(client.run(os.getpid).values())
        en_calcul = []

        def progression(etape, faits, total):
            if etape == "calcul" and faits and not tues:
                # the other partitions in flight (workers + 1) are being computed or queued on the workers
                en_calcul.append(sum(len(v) for v in client.processing().values()))
                os.kill(pids[0], signal.SIGKILL)
                tues.append(pids[0])

        distribue = tmp_path / "dask.csv"
        bilan = depister(
            entree=entree,
            sortie_chemin=distribue,
            options=Options(mois="2026-11", taille_lot=10, dask=cluster.scheduler_address),
            progression=progression,
        )
    assert tues and _mort(tues[0])  # the worker was really killed during the run
    assert en_calcul[0] >= 1  # ... while it had partitions to compute
    assert bilan.lots == 12 and bilan.menages_calcules == 120
    lignes = distribue.read_text(encoding="utf-8-sig").splitlines()[1:]
    ids = [ligne.split(";")[1] for ligne in lignes]
    assert len(ids) == len(set(ids)) == 120
    assert distribue.read_bytes() == local.read_bytes()
