"""The published synthesis as documents, in the layout of the seed's own synthesis: context, the
« enseignements généraux » (transversal issues), the lessons of each thematic, then the workshop fiches."""

import io

from django.template.loader import render_to_string

from repere.concertation import selectors


def contexte_document(synthese) -> dict:
    evenement = synthese.evenement
    ateliers = []
    for a in evenement.ateliers.prefetch_related("contributions").order_by("numero"):
        ateliers.append({"atelier": a, "sections": selectors.fiche(a)})
    return {"synthese": synthese, "evenement": evenement, "ateliers": ateliers, **selectors.enseignements_de(synthese)}


def pdf(synthese) -> bytes:
    from weasyprint import HTML

    html = render_to_string("concertation/synthese_document.html", contexte_document(synthese))
    return HTML(string=html).write_pdf()


def odt(synthese) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import H, List, ListItem, P

    ctx = contexte_document(synthese)
    doc = OpenDocumentText()
    for niveau, taille in ((1, "18pt"), (2, "14pt"), (3, "12pt")):
        s = Style(name=f"Titre{niveau}", family="paragraph")
        s.addElement(TextProperties(fontsize=taille, fontweight="bold"))
        doc.styles.addElement(s)
    italique = Style(name="Citation", family="paragraph")
    italique.addElement(TextProperties(fontstyle="italic"))
    doc.styles.addElement(italique)

    def titre(niveau, texte):
        doc.text.addElement(H(outlinelevel=niveau, stylename=f"Titre{niveau}", text=texte))

    def liste(items):
        lst = List()
        for t in items:
            li = ListItem()
            li.addElement(P(text=t))
            lst.addElement(li)
        doc.text.addElement(lst)

    ev = ctx["evenement"]
    titre(1, f"{ev.nom} — synthèse")
    doc.text.addElement(P(text=f"{ev.date:%d/%m/%Y}, {ev.lieu}"))
    if synthese.introduction:
        doc.text.addElement(P(text=synthese.introduction))
    titre(1, "Enseignements généraux : enjeux transversaux")
    for e in ctx["transversaux"]:
        titre(2, e.titre)
        if e.texte:
            doc.text.addElement(P(text=e.texte))
        doc.text.addElement(
            P(text=f"Revient dans {e.recurrence} ateliers : " + ", ".join(f"n°{a.numero}" for a in e.ateliers))
        )
        for c in e.liste_citations:
            doc.text.addElement(P(stylename=italique, text=f"« {c.texte} » (atelier n°{c.atelier.numero})"))
    for thematique, lecons in ctx["par_thematique"].items():
        titre(1, f"Enseignements — {thematique}")
        for e in lecons:
            titre(2, e.titre)
            if e.texte:
                doc.text.addElement(P(text=e.texte))
            doc.text.addElement(P(text=f"{e.recurrence} ateliers : " + ", ".join(f"n°{a.numero}" for a in e.ateliers)))
            for c in e.liste_citations:
                doc.text.addElement(P(stylename=italique, text=f"« {c.texte} »"))
    titre(1, "Ateliers thématiques")
    for bloc in ctx["ateliers"]:
        a = bloc["atelier"]
        titre(2, f"Atelier n°{a.numero} — Thématique : {a.thematique}")
        doc.text.addElement(P(text=f"Enjeu : {a.enjeu}"))
        for s in bloc["sections"]:
            titre(3, s["libelle"])
            liste([c.texte for c in s["items"]] or ["N/A"])
    sortie = io.BytesIO()
    doc.write(sortie)
    return sortie.getvalue()
