"""Group similar contributions across workshops, offline: French lemmas (simplemma, data shipped in the
package) and stop words (stop-words package), TF-IDF, then a topic model (NMF, scikit-learn).

Pure functions on plain data (no database): ``regrouper(textes)`` returns the groups with their keywords
and members sorted by how central they are. Deterministic (fixed seed), so the same fiches give the same
proposals.
"""

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

MOTS_VIDES_METIER = {
    "faire",
    "permettre",
    "mettre",
    "place",
    "mise",
    "avoir",
    "être",
    "pouvoir",
    "devoir",
    "aller",
    "vers",
    "plus",
    "tout",
    "toute",
    "tous",
    "toutes",
    "notamment",
    "ex",
    "etc",
    "via",
    "cf",
    "dont",
    "lien",
    "davantage",
    "mieux",
    "bien",
    "grâce",
    "afin",
    "ainsi",
    "aussi",
    "non",
    "pas",
    "comment",
    "quel",
    "certain",
    "nb",
    "fois",
    "exemple",
    "niveau",
    "question",
    "sujet",
    "cas",
    "type",
    "autre",
    "chaque",
}
# Written forms that mean one idea: joined before tokenising so that they survive as one term.
EXPRESSIONS = [
    (re.compile(r"\baller[\s-]+vers\b", re.I), "allervers"),
    (re.compile(r"\bnon[\s-]+recours\b", re.I), "nonrecours"),
    (re.compile(r"\bappels?\s+[àa]\s+projets?\b|\baap\b", re.I), "appelprojet"),
    (re.compile(r"\bguichets?\s+uniques?\b", re.I), "guichetunique"),
    (re.compile(r"\bpair[\s-]+aidance\b", re.I), "pairaidance"),
    (re.compile(r"\bzones?\s+blanches?\b", re.I), "zoneblanche"),
    (re.compile(r"\breste\s+[àa]\s+charge\b", re.I), "resteacharge"),
    (re.compile(r"\bmilieu\s+rural\b", re.I), "rural"),
]
AFFICHAGE = {
    "allervers": "aller vers",
    "nonrecours": "non-recours",
    "appelprojet": "appels à projets",
    "guichetunique": "guichet unique",
    "pairaidance": "pair-aidance",
    "zoneblanche": "zones blanches",
    "resteacharge": "reste à charge",
}
MOT = re.compile(r"[a-zàâäçéèêëîïôöùûüÿœæ]+", re.I)


@lru_cache(maxsize=1)
def mots_vides() -> frozenset[str]:
    from stop_words import get_stop_words

    return frozenset(get_stop_words("french")) | MOTS_VIDES_METIER


def lemmes(texte: str) -> list[str]:
    import simplemma

    texte = texte.lower().replace("’", "'")
    for motif, remplacement in EXPRESSIONS:
        texte = motif.sub(f" {remplacement} ", texte)
    vides = mots_vides()
    sortie = []
    for mot in MOT.findall(texte):
        if len(mot) < 3 or mot in vides:
            continue
        lemme = mot if mot in AFFICHAGE else simplemma.lemmatize(mot, lang="fr").lower()
        if lemme in vides or len(lemme) < 3:
            continue
        sortie.append(lemme)
    return sortie


@dataclass
class Groupe:
    membres: list[int]  # indexes in the input, most central first
    mots_cles: list[str]
    poids: list[float]


def nombre_de_groupes(n: int) -> int:
    return max(2, min(40, round(math.sqrt(n / 2)))) if n >= 4 else 1


def regrouper(textes: list[str], *, k: int | None = None) -> tuple[list[Groupe], str]:
    """Groups of similar texts, and a one-line description of the method for the screen."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    documents = [lemmes(t) for t in textes]
    utiles = [i for i, d in enumerate(documents) if d]
    if len(utiles) < 2:
        return (
            [Groupe(membres=utiles, mots_cles=[], poids=[1.0] * len(utiles))] if utiles else []
        ), "trop peu de texte"
    vect = TfidfVectorizer(
        analyzer=lambda d: d + [f"{a}_{b}" for a, b in zip(d, d[1:], strict=False)],
        min_df=2 if len(utiles) >= 40 else 1,
        sublinear_tf=True,
    )
    try:
        matrice = vect.fit_transform([documents[i] for i in utiles])
    except ValueError:
        return [], "aucun terme commun"
    k = k or nombre_de_groupes(len(utiles))
    k = min(k, matrice.shape[0], matrice.shape[1])
    from threadpoolctl import threadpool_limits

    modele = NMF(n_components=k, init="nndsvda", random_state=0, max_iter=400, tol=1e-3)
    # One BLAS thread: on a shared 2-core machine, more threads than cores made the fit ten times slower.
    with threadpool_limits(limits=1):
        w = modele.fit_transform(matrice)
    h = modele.components_
    termes = np.array(vect.get_feature_names_out())
    affectation = w.argmax(axis=1)
    force = w.max(axis=1)
    groupes = []
    for g in range(k):
        idx = np.flatnonzero((affectation == g) & (force > 1e-6)).tolist()
        if not idx:
            continue
        idx.sort(key=lambda j: -w[j, g])
        meilleurs = [t for t in termes[np.argsort(-h[g])] if "_" not in t][:5]
        groupes.append(
            Groupe(
                membres=[utiles[j] for j in idx],
                mots_cles=[AFFICHAGE.get(t, t) for t in meilleurs],
                poids=[float(w[j, g]) for j in idx],
            )
        )
    methode = (
        f"lemmes français (simplemma) sans mots vides, TF-IDF sur mots et paires de mots, "
        f"modèle de thèmes NMF à {k} thèmes (scikit-learn), chaque contribution dans son thème principal"
    )
    return groupes, methode
