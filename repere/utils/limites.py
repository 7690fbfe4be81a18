"""Memory limit enforced by the operating system for a piece of work (a background job).

``memoire_limitee(octets)`` lowers the soft ``RLIMIT_AS`` of the process to its current address space plus
``octets`` for the duration of the block, then restores it: an allocation past it fails with ``MemoryError``
(the job stops, the process goes on) instead of the machine swapping or the kernel killing the worker.
The limit is per process: the background worker runs one job per process (``run_huey --workers 1``, or
``-k process`` for several), and the processes a job forks inherit it. Elsewhere than Linux it does nothing,
and the cooperative check between progress steps (depistage.services.controleur_limites) remains.
"""

import os
from contextlib import contextmanager

try:
    import resource
except ImportError:  # pragma: no cover - not Unix
    resource = None


def espace_adresses_octets() -> int:
    """Virtual address space of this process (Linux /proc; 0 when unknown)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


_prepare: dict = {}


def preparer_bibliotheques() -> None:
    """Libraries that reserve address space on first use do it now, before a limit is set: pyarrow's
    allocator (mimalloc reserves 1 Gio at its first allocation) and thread pool (~200 Mo of stacks and arenas).
    Under a limit set first, that reservation fails inside C code and the process dies (segmentation fault)."""
    if _prepare:
        return
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover
        pass
    else:
        tampon = pa.BufferOutputStream()
        pq.write_table(pa.table({"x": list(range(1000))}), tampon)
        pq.read_table(pa.BufferReader(tampon.getvalue()))
    _prepare["fait"] = True


@contextmanager
def memoire_limitee(octets: int):
    """Yields True when the limit is set by the system, False when it cannot be (no setting, not Linux)."""
    if octets and resource is not None:
        preparer_bibliotheques()
    actuel = espace_adresses_octets() if octets and resource is not None else 0
    if not actuel:
        yield False
        return
    avant = resource.getrlimit(resource.RLIMIT_AS)
    souple, dur = avant
    limite = actuel + octets
    if dur != resource.RLIM_INFINITY:
        limite = min(limite, dur)
    if souple != resource.RLIM_INFINITY:
        limite = min(limite, souple)
    resource.setrlimit(resource.RLIMIT_AS, (limite, dur))
    try:
        yield True
    finally:
        resource.setrlimit(resource.RLIMIT_AS, avant)
