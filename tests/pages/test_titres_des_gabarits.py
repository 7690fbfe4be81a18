"""Every page's <title> is text: a template's ``title`` block holds no markup. Two pages had the forms or the list
that follow the title inside it (an unclosed block moved by the formatter), so the browser tab and the screen
reader announced « Groupes de travail et conférence <details><summary>… »."""

from pathlib import Path

from django.template import engines
from django.template.base import TextNode
from django.template.loader_tags import BlockNode

GABARITS = Path(__file__).resolve().parents[2] / "repere" / "templates"


def _textes(noeud):
    if isinstance(noeud, TextNode):
        yield noeud.s
    for attribut in getattr(noeud, "child_nodelists", ()):
        for enfant in getattr(noeud, attribut, None) or ():
            yield from _textes(enfant)


def _blocs_titre(modele):
    for noeud in modele.nodelist.get_nodes_by_type(BlockNode):
        if noeud.name == "title":
            yield noeud


def test_aucun_bloc_title_ne_contient_de_balise():
    moteur = engines["django"]
    fautifs = []
    for chemin in sorted(GABARITS.rglob("*.html")):
        modele = moteur.from_string(chemin.read_text(encoding="utf-8")).template
        for bloc in _blocs_titre(modele):
            texte = "".join(_textes(bloc))
            if "<" in texte:
                fautifs.append(str(chemin.relative_to(GABARITS)))
    assert not fautifs, f"balises dans le bloc title de : {fautifs}"


def test_le_test_voit_les_blocs_title():
    """The check reads real title blocks (it could otherwise pass by finding none)."""
    moteur = engines["django"]
    modele = moteur.from_string("{% extends 'base.html' %}{% block title %}A <b>x</b>{% endblock %}").template
    assert ["".join(_textes(b)) for b in _blocs_titre(modele)] == ["A <b>x</b>"]


def test_chaque_tableau_qui_defile_se_parcourt_au_clavier():
    """A table that scrolls in its own box (``tableau-defilant``) is a focusable region with a name, so that a
    keyboard user can scroll it (axe: scrollable-region-focusable); its cells keep their words whole, so any
    of them may scroll on a phone."""
    fautifs = []
    for chemin in sorted(GABARITS.rglob("*.html")):
        for ligne in chemin.read_text(encoding="utf-8").splitlines():
            if 'class="tableau-defilant"' in ligne and not ('tabindex="0"' in ligne and 'role="region"' in ligne):
                fautifs.append(str(chemin.relative_to(GABARITS)))
    assert not fautifs, f"boîte de défilement sans accès au clavier dans : {fautifs}"
