"""Memory of a process and all its descendants (forked workers, Dask nanny and workers), sampled in a thread,
read from ``/proc/<pid>/smaps_rollup`` (Linux): used by the screening benches.

PSS (proportional set size) counts a page shared by forked processes once in all: the machine's real use, and
what the 2 GiB target of issue 15 is about. RSS added up over the processes counts inherited pages in each
process (given for reference).
"""

import os
import threading
import time


def memoire(pid: int) -> tuple[int, int]:
    """(PSS, RSS) in bytes of one process ((0, 0) when it is gone)."""
    valeurs = {"Pss:": 0, "Rss:": 0}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for ligne in f:
                cle = ligne.split(maxsplit=1)[0]
                if cle in valeurs:
                    valeurs[cle] = int(ligne.split()[1]) * 1024
    except OSError:
        pass
    return valeurs["Pss:"], valeurs["Rss:"]


def descendants(pid: int) -> list[int]:
    """Descendants of ``pid``, recursively, from the children lists of each of its threads (a Dask
    LocalCluster starts its nannies from another thread than the main one)."""
    resultat, a_voir = [], [pid]
    while a_voir:
        p = a_voir.pop()
        fils = []
        try:
            taches = os.listdir(f"/proc/{p}/task")
        except OSError:
            taches = []
        for tache in taches:
            try:
                with open(f"/proc/{p}/task/{tache}/children") as f:
                    fils += [int(x) for x in f.read().split()]
            except OSError:
                pass
        resultat += fils
        a_voir += fils
    return resultat


class Echantillonneur:
    """Peak PSS per process and of the sum over this process and its descendants (and the peak of the summed
    RSS), and this process's peak per step (``etape``, set by the caller), every ``intervalle`` seconds."""

    def __init__(self, intervalle: float = 0.1, *, avec: tuple[int, ...] = ()):
        """``avec``: other processes counted in the sums (a launcher whose pages this process shares: without
        it, PSS would give this process only its share of them)."""
        self.intervalle = intervalle
        self.avec = tuple(avec)
        self.etape = "départ"
        self.pics: dict[int, int] = {}
        self.pics_etape: dict[str, int] = {}
        self.pic_total = 0
        self.pic_total_rss = 0
        self.etape_pic_total = ""
        self.cpu_par_etape: dict[str, float] = {}  # CPU of this sampler itself (reading smaps costs), per step
        self._fin = threading.Event()
        self._fil = threading.Thread(target=self._boucle, daemon=True)

    def _boucle(self):
        moi = os.getpid()
        while not self._fin.is_set():
            debut, etape = time.thread_time(), self.etape
            valeurs = {p: memoire(p) for p in [moi, *descendants(moi), *self.avec]}
            for p, (v, _) in valeurs.items():
                self.pics[p] = max(self.pics.get(p, 0), v)
            self.pics_etape[etape] = max(self.pics_etape.get(etape, 0), valeurs[moi][0])
            total = sum(v for v, _ in valeurs.values())
            if total > self.pic_total:
                self.pic_total, self.etape_pic_total = total, etape
            self.pic_total_rss = max(self.pic_total_rss, sum(r for _, r in valeurs.values()))
            self.cpu_par_etape[etape] = self.cpu_par_etape.get(etape, 0.0) + time.thread_time() - debut
            self._fin.wait(self.intervalle)

    def __enter__(self):
        self._fil.start()
        return self

    def __exit__(self, *exc):
        self._fin.set()
        self._fil.join()
