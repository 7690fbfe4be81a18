"""Break the long lines of the Django templates where a line break cannot change what is rendered.

Called by bin/formater-gabarits before djlint (djlint keeps on one line every {% if %}…{% endif %} or
{% for %}…{% endfor %} written on one line, so it never shortens them).
    python bin/couper_lignes_gabarits.py FICHIER.html ...              break the lines over 110 characters
    python bin/couper_lignes_gabarits.py --verifier FICHIER.html ...   list the lines over 200, exit 1 if any

Break points: an existing run of spaces in text (outside tags, template tags, <pre>, <textarea>, <script>,
<style>), or the boundary between two tokens when the nearest HTML tag on one side (template control tags
skipped) is a block-level element (whitespace next to a block boundary is not rendered).
Prefers structural boundaries to spaces in text. djlint re-indents afterwards.
"""

import re
import sys
from pathlib import Path

LIMITE = 110  # target; djlint's max_line_length is 120 (pyproject.toml)
LONGUEUR_MAX = 200  # hard limit, checked by bin/test: a line over it may be broken inside an inline {% if %}

BLOC = {
    *[
        "html",
        "head",
        "body",
        "title",
        "meta",
        "link",
        "script",
        "style",
        "div",
        "p",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
    ],
    *[
        "caption",
        "colgroup",
        "col",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "main",
        "aside",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "form",
    ],
    *[
        "fieldset",
        "legend",
        "details",
        "summary",
        "figure",
        "figcaption",
        "blockquote",
        "hr",
        "pre",
        "address",
        "option",
        "optgroup",
    ],
    *["template", "noscript", "dialog", "menu", "!doctype"],
}
CONTROLE = {
    "if",
    "elif",
    "else",
    "endif",
    "for",
    "endfor",
    "empty",
    "block",
    "endblock",
    "with",
    "endwith",
    "load",
    "comment",
    "endcomment",
    "extends",
    "regroup",
    "case_barometre",
}
BRUT = re.compile(
    r"<(pre|textarea|script|style)\b.*?</\1\s*>|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|<!--.*?-->"
    r"|\{#\s*djlint:off\s*#\}.*?\{#\s*djlint:on\s*#\}",
    re.S | re.I,
)


def balise_html(texte, i, multi=False):
    """End of the HTML tag starting at i (quotes and template tags inside skipped), or -1."""
    j, quote = i + 1, None
    while j < len(texte):
        c = texte[j]
        if texte.startswith("{%", j) or texte.startswith("{{", j):
            fin = texte.find("%}" if texte[j + 1] == "%" else "}}", j)
            if fin < 0:
                return -1
            j = fin + 2
            continue
        if quote:
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == ">":
            return j + 1
        elif c == "\n" and not multi:
            return -1  # multi-line tag: left to djlint
        j += 1
    return -1


def jetons(ligne):
    """[(kind, text, name)] for one line; kind in ws, texte, tpl, var, html; None when not tokenisable."""
    out, i = [], 0
    while i < len(ligne):
        c = ligne[i]
        if c in " \t":
            j = i
            while j < len(ligne) and ligne[j] in " \t":
                j += 1
            out.append(("ws", ligne[i:j], None))
            i = j
        elif ligne.startswith("{%", i) or ligne.startswith("{#", i):
            fin = ligne.find("%}" if ligne[i + 1] == "%" else "#}", i)
            if fin < 0:
                return None
            t = ligne[i : fin + 2]
            m = re.match(r"\{[%#]-?\s*(\w+)", t)
            out.append(("tpl", t, m.group(1) if m and t.startswith("{%") else "#"))
            i = fin + 2
        elif ligne.startswith("{{", i):
            fin = ligne.find("}}", i)
            if fin < 0:
                return None
            out.append(("var", ligne[i : fin + 2], None))
            i = fin + 2
        elif c == "<" and re.match(r"</?[a-zA-Z!]", ligne[i:]):
            fin = balise_html(ligne, i)
            if fin < 0:
                return None
            t = ligne[i:fin]
            m = re.match(r"</?\s*([a-zA-Z0-9!]+)", t)
            out.append(("html", t, m.group(1).lower()))
            i = fin
        else:
            j = i + 1
            while j < len(ligne) and ligne[j] not in " \t{<":
                j += 1
            out.append(("texte", ligne[i:j], None))
            i = j
    return out


OUVRANT = {"if", "for", "with", "block", "comment"}
FERMANT = {"endif", "endfor", "endwith", "endblock", "endcomment"}
TRANSPARENT = {"csrf_token", "jeton_soumission"}  # hidden inputs only
DOSSIERS = ["repere/templates", "repere/territoires/templates"]
_inclus = {}


def transparent(tok):
    kind, t, nom = tok
    if kind == "ws" or (kind == "tpl" and (nom in CONTROLE or nom in TRANSPARENT or nom == "#")):
        return True
    return kind == "html" and nom == "input" and re.search(r"""type=["']hidden["']""", t) is not None


def bloc(tok):
    kind, t, nom = tok
    if kind == "html":
        return nom in BLOC
    if kind == "tpl" and nom == "include":
        m = re.match(r"""\{%\s*include\s+["']([^"']+)["']""", t)
        return bool(m) and inclus_en_blocs(m.group(1))
    return False


def inclus_en_blocs(nom):
    """Does this included template render block-level content at both ends (or nothing visible)?"""
    if nom not in _inclus:
        _inclus[nom] = False
        for d in DOSSIERS:
            try:
                texte = Path(d, nom).read_text(encoding="utf-8")
            except OSError:
                continue
            texte = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", "", texte, flags=re.S)
            toks = jetons(" ".join(texte.split()))
            if toks is not None:
                _inclus[nom] = voisin_bloc(toks, 0, +1) and voisin_bloc(toks, len(toks) - 1, -1)
    return _inclus[nom]


def voisin_bloc(toks, k, pas):
    """Is the nearest rendered neighbour, from token k going by pas (+1/-1), a block-level tag?"""
    while 0 <= k < len(toks):
        if transparent(toks[k]):
            k += pas
            continue
        return bloc(toks[k])
    return True  # line start/end: the line break already exists there


def couper_ligne(ligne, limite):
    indent = re.match(r"\s*", ligne).group(0)
    toks = jetons(ligne[len(indent) :])
    if toks is None:
        return None
    # candidates: index of a ws token (replace) or boundary before token k (insert): ("ws"|"bord", k)
    cand = {}
    pile = []  # control blocks opened on this line and not yet closed at token k
    for k in range(1, len(toks)):
        kind, t, nom = toks[k - 1]
        if kind == "tpl" and nom in OUVRANT:
            pile.append(nom)
        elif kind == "tpl" and nom in FERMANT and pile:
            pile.pop()
        if toks[k][0] == "ws":
            # a space inside an {% if %}…{% endif %} of this line: djlint cannot indent the pieces, left whole
            if k + 1 < len(toks):
                cand[k] = "ws" if not pile else "ws_dedans"
        elif toks[k - 1][0] != "ws" and (voisin_bloc(toks, k - 1, -1) or voisin_bloc(toks, k, +1)):
            cand[k] = "bord"
    lignes, courant, largeur = [], [], len(indent)
    retrait = indent
    dernier = {}  # kind -> index in courant where a break may happen
    for k, tok in enumerate(toks):
        if cand.get(k) == "bord" and courant:
            # every block boundary of a long line gets its own line, as djlint would lay it out
            lignes.append(retrait + "".join(t[1] for t in courant).rstrip())
            retrait = indent + "  "
            courant, largeur, dernier = [], len(retrait), {}
        elif k in cand:
            dernier[cand[k]] = len(courant)
        courant.append(tok)
        largeur += len(tok[1])
        if largeur > limite:
            # a space outside the {% if %} of this line, else (over the hard limit) one inside
            choix = dernier.get("ws")
            if not choix and len(ligne) > LONGUEUR_MAX:
                choix = dernier.get("ws_dedans")
            if choix:
                avant, apres = courant[:choix], courant[choix:]
                if apres and apres[0][0] == "ws":
                    apres = apres[1:]
                lignes.append(retrait + "".join(t[1] for t in avant).rstrip())
                retrait = indent + "  "
                courant = apres
                largeur = len(retrait) + sum(len(t[1]) for t in courant)
                dernier = {}
    lignes.append(retrait + "".join(t[1] for t in courant).rstrip())
    return "\n".join(lignes)


def couper_fichier(f):
    texte = Path(f).read_text(encoding="utf-8")
    bruts = [(m.start(), m.end()) for m in BRUT.finditer(texte)]
    for m in re.finditer(r"<[a-zA-Z!/]", texte):
        fin_balise = balise_html(texte, m.start(), multi=True)
        if fin_balise > 0 and "\n" in texte[m.start() : fin_balise]:
            bruts.append((m.start() + 1, fin_balise - 1))  # a tag over several lines: its lines left as they are
    sortie, pos = [], 0
    for ligne in texte.split("\n"):
        debut, fin = pos, pos + len(ligne)
        pos = fin + 1
        coupee = None
        if len(ligne) > LIMITE and not any(a < fin and debut < b for a, b in bruts):
            coupee = couper_ligne(ligne, LIMITE)
        sortie.append(ligne if coupee is None else coupee)
    nouveau = "\n".join(sortie)
    if nouveau != texte:
        Path(f).write_text(nouveau, encoding="utf-8")


def verifier(fichiers):
    trop = [
        (f, n, len(ligne))
        for f in fichiers
        for n, ligne in enumerate(Path(f).read_text(encoding="utf-8").split("\n"), 1)
        if len(ligne) > LONGUEUR_MAX
    ]
    for f, n, longueur in trop:
        print(f"{f}:{n}: ligne de {longueur} caractères (au plus {LONGUEUR_MAX})", file=sys.stderr)
    if trop:
        print("Coupez ces lignes (bin/formater-gabarits coupe celles qui peuvent l'être sans risque).", file=sys.stderr)
    return 1 if trop else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--verifier"]:
        sys.exit(verifier(sys.argv[2:]))
    for fichier in sys.argv[1:]:
        couper_fichier(fichier)
