"""« Facile à lire » (FALC) presentation of a result, and the glossary of the words that must stay.

FALC principles (Inclusion Europe): one idea per sentence, common words, the person addressed
directly, a pictogram for each benefit and each step, large type. The sentences are built from the
result's fields (amount, eligibility, already received, to claim first): they never decide anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from repere.droits.prestations import NOMS_COURTS
from repere.droits.textes import euros, liste

# Pictograms (decorative: the text always says the same thing; aria-hidden in the templates).
PICTOGRAMMES = {
    "rsa": "💶",
    "ppa": "💼",
    "aide_logement": "🏠",
    "css_gratuite": "🩺",
    "css_participation": "🩺",
    "cheque_energie": "⚡",
    "aah": "♿",
    "af": "👪",
    "cf": "👪",
    "asf": "👪",
    "ars": "🎒",
    "aspa": "👵",
    "bourse_college": "🎒",
    "bourse_lycee": "🎒",
}
PICTO_LOCALE = "📍"
ETAPES = ("📄", "🏢", "💻")


@dataclass
class Etape:
    pictogramme: str
    texte: str
    lien: str = ""


@dataclass
class Carte:
    """One benefit as shown in « facile à lire » mode."""

    p: object
    pictogramme: str
    phrases: list[str]
    etapes: list[Etape]

    @classmethod
    def de(cls, p) -> Carte:
        return cls(p=p, pictogramme=pictogramme(p), phrases=phrases(p), etapes=etapes(p))


def phrases(p) -> list[str]:
    """Short sentences, one idea each, about one benefit of a result (``ResultatPrestation``)."""
    out = []
    if p.deja_percue:
        out.append("Vous recevez déjà cette aide.")
    if p.eligible == "oui":
        attend = p.montant_mensuel_aujourdhui is not None and p.demander_d_abord
        if attend and p.code not in ("css_gratuite", "css_participation"):
            # Today's amount first; the amount once the other aids are obtained comes below.
            out.append(f"Aujourd'hui, vous pouvez recevoir environ {euros(p.montant_mensuel_aujourdhui)} par mois.")
        elif p.montant_mensuel and p.code != "css_participation":
            quand = "par mois" if p.periode == "mensuel" else "par an"
            out.append(f"Vous pouvez recevoir environ {euros(p.montant)} {quand}.")
        elif p.code == "css_gratuite":
            out.append("Vous pouvez avoir une mutuelle gratuite.")
        elif p.code == "css_participation":
            out.append("Vous pouvez avoir une mutuelle à petit prix.")
        else:
            out.append("Vous y avez probablement droit.")
    elif p.eligible == "incertain":
        out.append("Vous y avez peut-être droit.")
        out.append("Il faut vérifier.")
    else:
        out.append("Vous n'y avez probablement pas droit.")
    if p.montant_mensuel_aujourdhui is not None and p.demander_d_abord:
        noms = [NOMS_COURTS.get(c, c) for c in p.demander_d_abord]
        out.append(f"Demandez d'abord {liste(noms)}.")
        if p.code not in ("css_gratuite", "css_participation"):
            out.append(f"Après, ce montant sera de {euros(p.montant_mensuel)} par mois.")
    if p.a_demander:
        out.append("Vous ne recevez pas encore cette aide.")
        out.append("Faites la demande.")
    return out


def etapes(p) -> list[Etape]:
    """The steps to apply, one pictogram each."""
    c = p.comment_demander
    out = []
    if c.pieces:
        out.append(Etape(ETAPES[0], "Préparez : " + ", ".join(c.pieces) + "."))
    out.append(Etape(ETAPES[1], f"Adressez-vous à : {c.organisme}."))
    if c.lien:
        out.append(Etape(ETAPES[2], "Ou faites la demande sur internet.", c.lien))
    return out


def pictogramme(p) -> str:
    return PICTOGRAMMES.get(p.code, PICTO_LOCALE)


# Words that must stay on the results page, explained in plain French.
GLOSSAIRE: tuple[tuple[str, str], ...] = (
    (
        "CAF",
        "Caisse d'allocations familiales. Elle verse le RSA, la prime d'activité, les aides au logement et les aides pour les enfants.",
    ),
    ("RSA", "Revenu de solidarité active. Un revenu minimum pour les personnes qui ont très peu de ressources."),
    ("Prime d'activité", "Une aide pour les personnes qui travaillent et gagnent peu."),
    ("AAH", "Allocation aux adultes handicapés. Un revenu minimum pour les personnes handicapées."),
    ("ASPA", "Allocation de solidarité aux personnes âgées. Un revenu minimum à partir de 65 ans."),
    (
        "Complémentaire santé solidaire",
        "Une mutuelle gratuite, ou à moins de 1 € par jour, si vos ressources sont faibles.",
    ),
    ("MDPH", "Maison départementale des personnes handicapées. Elle reconnaît le handicap et le taux d'incapacité."),
    (
        "Taux d'incapacité",
        "Un pourcentage fixé par la MDPH. Il dit à quel point le handicap gêne la vie de tous les jours.",
    ),
    (
        "Revenu fiscal de référence",
        "Un montant écrit sur votre avis d'impôt. Beaucoup d'aides l'utilisent pour connaître vos revenus.",
    ),
    (
        "Forfait logement",
        "Quand vous avez une aide au logement ou un logement gratuit, la CAF ajoute un petit montant à vos ressources.",
    ),
    ("Ressources", "Tout l'argent que vous recevez : salaires, chômage, retraites, pensions et certaines aides."),
)
