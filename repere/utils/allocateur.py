"""The C allocator (glibc malloc) set for a process that computes on arrays of a few hundred kilobytes.

OpenFisca allocates and frees thousands of numpy arrays per chunk (25,000 households: 200 KB per float
array). glibc serves a block above its *mmap threshold* with a fresh ``mmap`` (a system call, then one page
fault per 4 KB page touched, then ``munmap`` when freed), below it from its heap. The threshold starts at
128 KB and rises by itself to the size of the blocks freed, **unless** a threshold was set explicitly: Dask's
nanny starts each worker with ``MALLOC_TRIM_THRESHOLD_=65536`` (``distributed.nanny.pre-spawn-environ``),
which freezes the mmap threshold at 128 KB. Measured on one chunk of 25,000 households: 1.1 million page
faults instead of 72,000, and 1.5 to 2 times the CPU time of the same chunk in a local process
(docs/performance.md, session 6).

``regler_pour_les_tableaux`` sets both thresholds explicitly, to the values glibc's own dynamic rule reaches
at most on 64-bit (32 MiB for mmap, twice that for returning memory to the system): the same behaviour in a
local process, a forked worker and a Dask worker, whatever the environment. The memory a process holds at
its peak does not change (the heap is reused chunk after chunk instead of being mapped again). Elsewhere
than glibc (musl, macOS), nothing is done.
"""

import ctypes
import ctypes.util

M_TRIM_THRESHOLD = -1  # glibc's <malloc.h>
M_MMAP_THRESHOLD = -3
SEUIL_MMAP = 32 << 20  # DEFAULT_MMAP_THRESHOLD_MAX on 64-bit
SEUIL_RENDU = 2 * SEUIL_MMAP

_fait = {"regle": None}


def regler_pour_les_tableaux() -> bool:
    """Set this process's malloc thresholds (once per process; a forked child inherits them). True if set."""
    if _fait["regle"] is not None:
        return _fait["regle"]
    regle = False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        pass
    else:
        mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
        regle = bool(mallopt(M_MMAP_THRESHOLD, SEUIL_MMAP)) and bool(mallopt(M_TRIM_THRESHOLD, SEUIL_RENDU))
    _fait["regle"] = regle
    return regle
