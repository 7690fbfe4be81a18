"""Words cut in the middle on a phone (« Personn-es », « décemb re ») in the elements a selector names: the one
detector of the browser journeys. A word is a run of non-spaces; with ``trait_d_union_permis`` a line may also
end at a hyphen (« Chemillé-/en-Anjou »), which is a normal break, not a cut. Visually hidden text and the text of
a <select> (its options) are not read."""

_SCRIPT = r"""([selecteur, traitPermis]) => {
  const motif = traitPermis ? /[^\s-]+/g : /\S+/g;
  const coupes = [];
  for (const element of document.querySelectorAll(selecteur)) {
    const textes = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let n = textes.nextNode(); n; n = textes.nextNode()) {
      if (!n.parentElement || n.parentElement.getBoundingClientRect().width <= 2) continue;  // visually hidden
      if (n.parentElement.closest("select")) continue;
      for (const m of n.data.matchAll(motif)) {
        const mot = document.createRange();
        mot.setStart(n, m.index);
        mot.setEnd(n, m.index + m[0].length);
        const lignes = new Set([...mot.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lignes.size > 1) coupes.push(m[0]);
      }
    }
  }
  return coupes;
}"""


def mots_coupes(page, selecteur: str, *, trait_d_union_permis: bool = True) -> list[str]:
    """The words of the page's ``selecteur`` elements that run over two lines."""
    return page.evaluate(_SCRIPT, [selecteur, trait_d_union_permis])
