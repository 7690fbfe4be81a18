"""The C allocator set for array computing (repere.utils.allocateur), in a process started as Dask's nanny
starts its workers (``MALLOC_TRIM_THRESHOLD_=65536``)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[2]

# Allocate and free arrays of 200 KB (one float column of a 25,000-household chunk) and count the page faults.
SCRIPT = """
import resource, sys
import numpy as np
from repere.utils.allocateur import regler_pour_les_tableaux
if sys.argv[1] == "regle":
    assert regler_pour_les_tableaux()
tableaux = [np.ones(25_000) for _ in range(4)]  # the heap has grown once
del tableaux
avant = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(2_000):
    a = np.ones(25_000)
    b = a * 2.0
    del a, b
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - avant)
"""


def _defauts_de_page(mode: str) -> int:
    env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536"}
    sortie = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode], env=env, cwd=RACINE, capture_output=True, text=True, check=True
    )
    return int(sortie.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_les_tableaux_ne_sont_plus_remappes_a_chaque_allocation():
    """Without the setting, each array is a fresh mmap: about 50 page faults per array of 200 KB; with it,
    the heap is reused and the loop faults almost no page."""
    sans = _defauts_de_page("sans")
    avec = _defauts_de_page("regle")
    assert sans > 2_000 * 40
    assert avec < sans / 20
