"""Where a form may send the user back (``retour``, ``next``): only a path of this site.

An absolute URL (``https://evil.example``), a scheme-relative one (``//evil.example``), a
``javascript:`` or ``data:`` URL, or anything with a control character is replaced by the default:
no open redirect, never a 500. The one helper every ``retour``/``next`` goes through.
"""

from django.utils.http import url_has_allowed_host_and_scheme


def chemin_sur(cible: str | None, *, defaut: str) -> str:
    """``cible`` if it is a path of this site (``/…``), else ``defaut``."""
    cible = (cible or "").strip()
    if (
        cible.startswith("/")
        and not cible.startswith(("//", "/\\"))
        and not any(ord(c) < 32 or c == "\\" for c in cible)
        and url_has_allowed_host_and_scheme(cible, allowed_hosts=set())
    ):
        return cible
    return defaut
