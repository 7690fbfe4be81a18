"""Python's cyclic garbage collector paused for the duration of a bulk job.

A job that keeps hundreds of thousands of small objects alive (the rows of a file, their validated
values, the rows to write) makes the collector traverse all of them again and again: each collection of
the oldest generation visits every live object, and the more the job allocates, the more collections run.
Measured on an import of 30,000 services, the collector took about 40 % of the process's CPU time, and the
share grows with the size of the file. Reference counting still frees everything that is not in a cycle
(almost everything here); cycles wait for the collector, which resumes at the end of the block.

The collector is global to the process: the blocks are counted (nested or in several threads), and it
resumes when the last one ends, only if it was running before the first one began.
"""

import gc
import threading
from contextlib import contextmanager

_verrou = threading.Lock()
_etat = {"blocs": 0, "actif_avant": False}


@contextmanager
def collecteur_suspendu():
    with _verrou:
        if _etat["blocs"] == 0:
            _etat["actif_avant"] = gc.isenabled()
            gc.disable()
        _etat["blocs"] += 1
    try:
        yield
    finally:
        with _verrou:
            _etat["blocs"] -= 1
            if _etat["blocs"] == 0 and _etat["actif_avant"]:
                gc.enable()
