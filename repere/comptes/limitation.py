"""Counting attempts in the shared cache (CACHE_URL): password resets, invitations.

The cache key is a hash: no e-mail address is written in the cache. The window is fixed, from the first attempt.
"""

import hashlib

from django.core.cache import cache


def tentative_permise(*, action: str, cle: str, limite: int, fenetre_secondes: int) -> bool:
    """Count one attempt of `action` for `cle`; False once more than `limite` were made within the window."""
    empreinte = hashlib.sha256(f"{action}:{cle}".encode()).hexdigest()
    nom = f"limite:{empreinte}"
    cache.add(nom, 0, fenetre_secondes)
    try:
        nombre = cache.incr(nom)
    except ValueError:  # expired between add and incr
        cache.set(nom, 1, fenetre_secondes)
        nombre = 1
    return nombre <= limite
