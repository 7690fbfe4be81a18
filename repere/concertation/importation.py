"""Rebuild workshop fiches from the Markdown text of a conference synthesis (the 2023 Pays de la Loire one).

The layout, as found in the seed: a fiche opens with a heading « Thématique : … » (level 1 or 2), then
« Enjeu : … » (a line, bold or not, or a heading), then the section headings (level 2 or 3, sometimes
preceded by an emoji): Défis prioritaires, Propositions d'actions ou projets à lancer, Acteurs à solliciter,
Moyens à mobiliser, Facteurs clé de succès, and a « Pour la restitution : les 3 éléments… » line; each
section lists its items as « - item » (a nested « - » is joined to its parent item). The fiche ends at the
next fiche or at any other level-1 heading. « N/A » is kept and counted as empty.
"""

import re
from dataclasses import dataclass, field

from repere.concertation.models import Section

TITRES_SECTIONS = [
    (Section.DEFIS, re.compile(r"d[ée]fis\s+prioritaires", re.I)),
    (Section.PROPOSITIONS, re.compile(r"propositions\s+d.actions", re.I)),
    (Section.ACTEURS, re.compile(r"acteurs\s+[àa]\s+solliciter", re.I)),
    (Section.MOYENS, re.compile(r"moyens\s+[àa]\s+mobiliser", re.I)),
    (Section.FACTEURS, re.compile(r"facteurs\s+cl[ée]s?\s+de\s+succ[èe]s", re.I)),
]
RESTITUTION = re.compile(r"pour\s+la\s+restitution", re.I)
THEMATIQUE = re.compile(r"^#{1,3}\s*Th[ée]matique\s*:\s*(?P<t>.+?)\s*$", re.I)
ENJEU = re.compile(r"^(?:#{1,3}\s*)?(?:\*\*)?\s*Enjeu\s*:?\s*(?:\*\*)?\s*:?\s*(?P<e>.+?)\s*$", re.I)
TITRE = re.compile(r"^(?P<niveau>#{1,6})\s*(?P<texte>.*?)\s*$")
ITEM = re.compile(r"^(?P<retrait>\s*)[-*]\s+(?P<texte>.+?)\s*$")
NON_RENSEIGNE = {"n/a", "na", "n.a.", "..."}


@dataclass
class FicheLue:
    numero: int
    thematique: str
    enjeu: str = ""
    sections: dict = field(default_factory=lambda: {s: [] for s in Section.values})
    ligne: int = 0

    def sections_vides(self) -> list[str]:
        return [s for s, items in self.sections.items() if est_vide(items)]


def est_non_renseigne(texte: str) -> bool:
    return texte.strip().strip("*").strip().lower() in NON_RENSEIGNE


def est_vide(items: list[str]) -> bool:
    return all(est_non_renseigne(t) for t in items)


def _propre(texte: str) -> str:
    texte = re.sub(r"\*\*|__", "", texte)
    texte = re.sub(r"(?<!\w)\*(?!\s)(.+?)(?<!\s)\*(?!\w)", r"\1", texte)
    return re.sub(r"\s+", " ", texte).strip()


def _section_du_titre(texte: str) -> str | None:
    if RESTITUTION.search(texte):
        return Section.RESTITUTION
    for section, motif in TITRES_SECTIONS:
        if motif.search(texte):
            return section
    return None


def lire_fiches(texte: str) -> list[FicheLue]:
    fiches: list[FicheLue] = []
    courante: FicheLue | None = None
    section: str | None = None
    dernier_item_retrait = None
    for numero_ligne, brute in enumerate(texte.splitlines(), start=1):
        ligne = brute.rstrip()
        if not ligne.strip():
            continue
        m = THEMATIQUE.match(ligne.strip())
        if m:
            courante = FicheLue(numero=len(fiches) + 1, thematique=_propre(m["t"]), ligne=numero_ligne)
            fiches.append(courante)
            section = None
            continue
        if courante is None:
            continue
        titre = TITRE.match(ligne.strip())
        sec = _section_du_titre(ligne)
        if sec and (titre or RESTITUTION.search(ligne)):
            section = sec
            dernier_item_retrait = None
            continue
        if not courante.enjeu and section is None:
            e = ENJEU.match(ligne.strip())
            if e:
                courante.enjeu = _propre(e["e"]).lstrip(": ").strip()
                continue
        if titre:
            if len(titre["niveau"]) == 1:
                courante, section = None, None  # any other level-1 heading closes the fiche
            continue
        item = ITEM.match(ligne)
        if item and section:
            texte_item = _propre(item["texte"])
            retrait = len(item["retrait"].replace("\t", "  "))
            items = courante.sections[section]
            if items and dernier_item_retrait is not None and retrait > dernier_item_retrait:
                items[-1] = (
                    f"{items[-1].rstrip(' :')} : {texte_item}"
                    if items[-1].endswith(":")
                    else f"{items[-1]} ; {texte_item}"
                )
            else:
                items.append(texte_item)
                dernier_item_retrait = retrait
    return fiches
