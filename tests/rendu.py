"""Rendered HTML as the browser reads it, for assertions that must not depend on how the templates are laid
out (bin/formater-gabarits breaks lines and indents: in HTML, a run of spaces and line breaks is one space)."""

import re

_ESPACES = re.compile(r"[ \t\r\n\f]+")  # ASCII whitespace only: the non-breaking spaces of French numbers stay


def espaces(html: str | bytes) -> str:
    """The HTML with each run of whitespace made one space."""
    if isinstance(html, bytes):
        html = html.decode()
    return _ESPACES.sub(" ", html)


def cellule(valeur: str) -> str:
    """A regex for a table cell (or any element) whose whole content is `valeur`, whatever the layout."""
    return r">\s*" + re.escape(valeur) + r"\s*<"
