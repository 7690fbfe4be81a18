"""CAF open-data files of beneficiaries per commune (data.caf.fr, « … - par commune »): one line per
commune and reference date (``NUMCOM;NOMCOM;DTREF;NB_allocataires;…`` and the header variants of
the other series: ``Codes_Insee``, ``Code_commune``, ``Date_Ref``…). Every count column becomes an
indicator; small values, blurred at source (empty, ``s``, ``<5``…), are kept as secret, never zero.
"""

from __future__ import annotations

import re

from repere.observatoire import geographie as geographie_mod
from repere.observatoire.importation.commun import (
    Fichier,
    Lecture,
    Probleme,
    ValeurLue,
    commune_actuelle,
    lire_tableau,
    nombre,
)
from repere.observatoire.importation.fusion import fusionner_doublons
from repere.observatoire.models import Niveau, Statut
from repere.utils.text import normalise

SOURCE = "Caisse nationale des allocations familiales (data.caf.fr), allocataires par commune"
COLONNES_CODE = ("numcom", "codes_insee", "code_insee", "code_commune", "codgeo", "numero_commune")
COLONNES_DATE = ("dtref", "date_ref", "date_de_reference", "date_reference", "annee")
COLONNES_IGNOREES = ("nomcom", "nom_commune", "communes", "commune", "libgeo", "nom")
FLOUTES = {"", "s", "<5", "< 5", "nc", "ns", "secret", "*"}

LIBELLES = {
    "nb_allocataires": "Foyers allocataires de la CAF",
    "nb_pers_par_foyer_alloc": "Personnes couvertes par la CAF",
    "nb_enfants": "Enfants couverts par la CAF",
    "nb_foyers_rsa": "Foyers allocataires du RSA",
    "nb_allocataires_rsa": "Foyers allocataires du RSA",
    "nb_pers_couv_rsa": "Personnes couvertes par le RSA",
    "nb_foyers_ppa": "Foyers allocataires de la prime d'activité",
    "nb_allocataires_ppa": "Foyers allocataires de la prime d'activité",
    "nb_foyers_aah": "Foyers allocataires de l'AAH",
    "nb_allocataires_aah": "Foyers allocataires de l'AAH",
    "nb_foyers_al": "Foyers allocataires d'une aide au logement",
    "nb_allocataires_al": "Foyers allocataires d'une aide au logement",
    "nb_foyers_af": "Foyers allocataires des allocations familiales",
}


def _cle(entete: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", normalise(entete)).strip("_")


def code_indicateur(colonne: str) -> str:
    return "caf_" + _cle(colonne)[:50]


def _periode(texte: str) -> str | None:
    t = texte.strip()
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", t)
    if m:
        return f"{m.group(3)}-{int(m.group(2)):02d}"
    m = re.fullmatch(r"(\d{4})-(\d{2})(-\d{2})?(T.*)?", t)
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    if re.fullmatch(r"\d{4}", t):
        return t
    return None


def lire(fichier: Fichier, *, periode: str | None = None, ignorer_inconnus: bool = False) -> Lecture:
    geo = geographie_mod.geographie()
    entetes, lignes = lire_tableau(fichier)
    cles = [_cle(e) for e in entetes]
    lecture = Lecture(source="caf_" + _cle(fichier.nom.rsplit(".", 1)[0])[:40], indicateurs=[], lignes=len(lignes))
    i_code = next((i for i, c in enumerate(cles) if c in COLONNES_CODE), None)
    i_date = next((i for i, c in enumerate(cles) if c in COLONNES_DATE), None)
    if i_code is None:
        lecture.problemes.append(
            Probleme(
                1,
                None,
                ";".join(entetes[:4]),
                "Colonne du code commune introuvable (NUMCOM, Codes_Insee, Code_commune…).",
            )
        )
        return lecture
    if i_date is None and not periode:
        lecture.problemes.append(
            Probleme(1, None, None, "Colonne de date (DTREF, Date_Ref) introuvable : indiquez la période.")
        )
        return lecture
    colonnes = [
        (i, e)
        for i, (e, c) in enumerate(zip(entetes, cles, strict=True))
        if i not in (i_code, i_date) and c not in COLONNES_IGNOREES
    ]
    lecture.indicateurs = [
        {
            "code": code_indicateur(e),
            "libelle": LIBELLES.get(_cle(e), f"CAF : {e}"),
            "theme": "Prestations sociales",
            "unite": "nombre",
            "agregation": "somme",
            "sens": "neutre",
            "precision": 0,
            "source": SOURCE,
            "producteur": "CNAF",
            "definition": (
                f"Colonne {e} du fichier {fichier.nom} : droits versables au mois de référence. Les petits effectifs "
                "sont floutés par la CAF et apparaissent comme « secret »."
            ),
            "niveaux": ["commune", "epci", "departement", "region", "france"],
            "ordre": 300 + n,
        }
        for n, (_i, e) in enumerate(colonnes)
    ]
    periodes: set[str] = set()
    vus: set[tuple[str, str]] = set()
    for n, ligne in enumerate(lignes, start=2):
        brut = ligne[i_code].strip() if i_code < len(ligne) else ""
        code = commune_actuelle(
            brut, geo=geo, ligne=n, colonne=entetes[i_code], lecture=lecture, ignorer_inconnus=ignorer_inconnus
        )
        if i_date is not None:
            texte_date = ligne[i_date] if i_date < len(ligne) else ""
            p = _periode(texte_date)
            if p is None:
                lecture.problemes.append(
                    Probleme(n, entetes[i_date], texte_date, "Date de référence illisible (attendu JJ/MM/AAAA).")
                )
                continue
        else:
            p = periode
        periodes.add(p)
        if code is None:
            continue
        if (brut, p) in vus:
            lecture.problemes.append(
                Probleme(n, entetes[i_code], brut, "Cette commune figure deux fois pour la même date.")
            )
            continue
        vus.add((brut, p))
        for i, e in colonnes:
            texte = ligne[i].strip() if i < len(ligne) else ""
            if texte.lower() in FLOUTES:
                lecture.valeurs.append(ValeurLue(code_indicateur(e), Niveau.COMMUNE, code, p, None, Statut.SECRET))
                continue
            try:
                x = nombre(texte)
            except ValueError:
                lecture.problemes.append(Probleme(n, e, texte, "Nombre attendu (effectif de foyers ou de personnes)."))
                continue
            if x < 0:
                lecture.problemes.append(Probleme(n, e, texte, "Un effectif ne peut pas être négatif."))
                continue
            lecture.valeurs.append(ValeurLue(code_indicateur(e), Niveau.COMMUNE, code, p, x, Statut.OK))
    if len(periodes) > 1 and i_date is not None:
        lecture.avertissements.append(
            f"Le fichier couvre {len(periodes)} dates de référence : " + ", ".join(sorted(periodes)) + "."
        )
    for m in lecture.indicateurs:
        m["millesime"] = max(periodes) if periodes else ""
    fusionner_doublons(lecture, {m["code"]: "somme" for m in lecture.indicateurs}, {})
    return lecture
