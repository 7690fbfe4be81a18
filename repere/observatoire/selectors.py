"""Reads of the observatory. Every value leaves here with the statistical secret applied: a hidden
cell has no value (``valeur`` None, ``etat`` « secret »), whatever the page, map, export or API."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from repere.observatoire import affichage
from repere.observatoire.geographie import Lieu, geographie
from repere.observatoire.models import CODE_FRANCE, Diffusion, Indicateur, Niveau, Sens, Valeur
from repere.organisations import permissions
from repere.utils import text

PALETTE = ["#fde725", "#7ad151", "#22a884", "#2a788e", "#414487", "#440154"]  # viridis: colour-blind safe
NIVEAUX_CARTE = [Niveau.COMMUNE, Niveau.EPCI, Niveau.DEPARTEMENT, Niveau.IRIS]


@dataclass
class Cellule:
    niveau: str
    code: str
    nom: str
    periode: str
    valeur: float | None
    etat: str  # ok, secret, nd
    statut: str
    texte: str
    numerateur: float | None = None
    denominateur: float | None = None


def _cellule(v: Valeur | dict, indicateur: Indicateur, nom: str) -> Cellule:
    get = v.get if isinstance(v, dict) else lambda k: getattr(v, k)
    etat = affichage.etat(statut=get("statut"), masque=get("masque"), valeur=get("valeur"))
    visible = etat == "ok"
    return Cellule(
        niveau=get("niveau"),
        code=get("code"),
        nom=nom,
        periode=get("periode"),
        valeur=get("valeur") if visible else None,
        etat=etat,
        statut=get("statut") if etat != "secret" else "secret",
        texte=affichage.texte_cellule(
            valeur=get("valeur"),
            statut=get("statut"),
            masque=get("masque"),
            unite=indicateur.unite,
            precision=indicateur.precision,
        ),
        numerateur=get("numerateur") if visible else None,
        denominateur=get("denominateur") if visible else None,
    )


# --- Who sees what -------------------------------------------------------------------------------------


def territoires_autorises(user) -> set[tuple[str, str]]:
    """(level, code) of the areas of action of the user's organisations: Repère's own activity is
    shown there and in what they contain, nowhere else."""
    if not getattr(user, "is_authenticated", False):
        return set()
    from repere.observatoire.geographie import _TYPES

    cles = set()
    for organisation in permissions.organisations_de(user).prefetch_related("territoires"):
        for t in organisation.territoires.all():
            niveau = _TYPES.get(t.type)
            if niveau:
                cles.add((niveau, t.code))
    return cles


def peut_voir_activite(user, lieu: Lieu, autorises: set | None = None) -> bool:
    autorises = territoires_autorises(user) if autorises is None else autorises
    if lieu.cle in autorises:
        return True
    return any((n, c) in autorises for n, c in lieu.parents.items())


def indicateurs_visibles(user, lieu: Lieu | None = None) -> list[Indicateur]:
    qs = list(Indicateur.objects.all())
    if lieu is not None and peut_voir_activite(user, lieu):
        return qs
    autorises = territoires_autorises(user)
    if lieu is None and autorises:
        return qs
    return [i for i in qs if i.diffusion == Diffusion.PUBLIC]


def indicateur_visible(user, code: str, lieu: Lieu | None = None) -> Indicateur | None:
    return next((i for i in indicateurs_visibles(user, lieu) if i.code == code), None)


def periodes(indicateur: Indicateur) -> list[str]:
    return sorted(Valeur.objects.filter(indicateur=indicateur).values_list("periode", flat=True).distinct())


# --- Portrait ------------------------------------------------------------------------------------------


@dataclass
class LignePortrait:
    indicateur: Indicateur
    periode: str
    cellules: list[Cellule]  # the territory, then its EPCI, département, région, France
    rang: tuple[int, int, str] | None  # (rank, out of, among what)
    serie: list[Cellule] = field(default_factory=list)
    phrase: str = ""


def comparaisons(lieu: Lieu) -> list[Lieu]:
    geo = geographie()
    chaine = [lieu]
    for niveau in (Niveau.COMMUNE, Niveau.EPCI, Niveau.DEPARTEMENT, Niveau.REGION, Niveau.FRANCE):
        if niveau == lieu.niveau:
            continue
        parent = geo.parent(lieu, niveau) if niveau in lieu.parents or niveau == Niveau.FRANCE else None
        if parent and parent.cle != lieu.cle:
            chaine.append(parent)
    return chaine


def _comparables(lieu: Lieu) -> tuple[list[str], str]:
    """Territories of the same level to rank against, and how to name them."""
    geo = geographie()
    if lieu.niveau == Niveau.IRIS:
        commune = geo.lieu(Niveau.COMMUNE, lieu.parents[Niveau.COMMUNE])
        return geo.iris_de(commune.code), f"IRIS {_de(commune)}"
    if lieu.niveau == Niveau.COMMUNE and lieu.parents.get(Niveau.DEPARTEMENT):
        dep = geo.lieu(Niveau.DEPARTEMENT, lieu.parents[Niveau.DEPARTEMENT])
        return geo.communes_de(Niveau.DEPARTEMENT, dep.code), f"communes {_de(dep)}"
    if lieu.niveau == Niveau.EPCI and lieu.parents.get(Niveau.REGION):
        reg = lieu.parents[Niveau.REGION]
        codes = [c for c in geo.codes(Niveau.EPCI) if geo.lieu(Niveau.EPCI, c).parents.get(Niveau.REGION) == reg]
        return codes, f"EPCI de la région {geo.lieu(Niveau.REGION, reg).nom}"
    if lieu.niveau == Niveau.DEPARTEMENT:
        return geo.codes(Niveau.DEPARTEMENT), "départements"
    if lieu.niveau == Niveau.REGION:
        return geo.codes(Niveau.REGION), "régions"
    return [], ""


_MASCULINS_EN_E = {"Maine", "Rhône", "Finistère", "Vaucluse", "Territoire"}
_SINGULIERS_EN_S = {"Doubs", "Calvados", "Gers"}


def _de(lieu: Lieu) -> str:
    """« du Maine-et-Loire », « de la Sarthe », « de l'Ain », « des Deux-Sèvres », « de la France »."""
    if lieu.niveau == Niveau.FRANCE:
        return "de la France"
    if lieu.niveau == Niveau.REGION:
        return f"de la région {lieu.nom}"
    if lieu.niveau != Niveau.DEPARTEMENT:
        return text.de(lieu.nom)  # « d'Angers », « du Mans »
    premier = lieu.nom.replace("-", " ").split(" ")[0]
    if premier.endswith("s") and premier not in _SINGULIERS_EN_S:
        return f"des {lieu.nom}"
    if lieu.nom[:1] in "AEIOUYÉÈ":
        return f"de l'{lieu.nom}"
    if premier.endswith("e") and premier not in _MASCULINS_EN_E:
        return f"de la {lieu.nom}"
    return f"du {lieu.nom}"


def portrait(*, lieu: Lieu, user, indicateurs: list[Indicateur] | None = None) -> list[LignePortrait]:
    geo = geographie()
    indicateurs = indicateurs if indicateurs is not None else indicateurs_visibles(user, lieu)
    chaine = comparaisons(lieu)
    cles = [(c.niveau, c.code) for c in chaine]
    par_ind = {i.pk: i for i in indicateurs}
    valeurs: dict[tuple, dict] = {}
    propres_de: dict[int, list[str]] = {}  # indicator -> the periods the territory itself has
    from django.db.models import Q

    filtre = Q()
    for niveau, code in cles:
        filtre |= Q(niveau=niveau, code=code)
    for v in Valeur.objects.filter(filtre, indicateur_id__in=par_ind).values(
        "indicateur_id", "niveau", "code", "periode", "valeur", "numerateur", "denominateur", "statut", "masque"
    ):
        valeurs[(v["indicateur_id"], v["niveau"], v["code"], v["periode"])] = v
        if (v["niveau"], v["code"]) == lieu.cle:
            propres_de.setdefault(v["indicateur_id"], []).append(v["periode"])
    lignes = []
    for indicateur in indicateurs:
        # Grouped as the rows are read: scanning every value read for each indicator cost 87 × 4,350 steps per
        # portrait at 21 M values (issue 13, bench).
        propres = sorted(propres_de.get(indicateur.pk, ()))
        if not propres:
            continue
        periode = propres[-1]
        cellules = []
        for c in chaine:
            v = valeurs.get((indicateur.pk, c.niveau, c.code, periode))
            if v is None:
                v = {
                    "niveau": c.niveau,
                    "code": c.code,
                    "periode": periode,
                    "valeur": None,
                    "statut": "nd",
                    "masque": False,
                    "numerateur": None,
                    "denominateur": None,
                }
            cellules.append(_cellule(v, indicateur, c.nom))
        serie = [_cellule(valeurs[(indicateur.pk, lieu.niveau, lieu.code, p)], indicateur, lieu.nom) for p in propres]
        ligne = LignePortrait(indicateur=indicateur, periode=periode, cellules=cellules, rang=None, serie=serie)
        lignes.append(ligne)
    _rangs(lieu, lignes)
    for ligne in lignes:
        ligne.phrase = phrase(lieu=lieu, ligne=ligne, chaine=chaine, geo=geo)
    return lignes


def _rangs(lieu: Lieu, lignes: list[LignePortrait]) -> None:
    """Rank of the territory among comparable ones, for every indicator in one query that counts in the
    database (a query per indicator, each bringing back every commune of the département, made the portrait
    grow with the number of indicators: issue 13, bench at 21 M values)."""
    codes, libelle = _comparables(lieu)
    a_classer = [ligne for ligne in lignes if ligne.cellules[0].etat == "ok"]
    if not codes or not a_classer:
        return
    from django.db import connection

    table = connection.ops.quote_name(Valeur._meta.db_table)
    propres = ", ".join(
        ["(CAST(%s AS INTEGER), CAST(%s AS VARCHAR(10)), CAST(%s AS DOUBLE PRECISION))"] * len(a_classer)
    )
    sql = (
        f"WITH m(ind, per, x) AS (VALUES {propres}) "
        "SELECT v.indicateur_id, COUNT(*), SUM(CASE WHEN v.valeur > m.x THEN 1 ELSE 0 END) "
        f"FROM {table} v JOIN m ON v.indicateur_id = m.ind AND v.periode = m.per "
        f"WHERE v.niveau = %s AND v.code IN ({', '.join(['%s'] * len(codes))}) AND v.masque = %s "
        "AND v.valeur IS NOT NULL AND v.statut <> %s GROUP BY v.indicateur_id"
    )
    parametres = [x for ligne in a_classer for x in (ligne.indicateur.pk, ligne.periode, ligne.cellules[0].valeur)]
    parametres += [lieu.niveau, *codes, False, "secret"]
    with connection.cursor() as curseur:
        curseur.execute(sql, parametres)
        comptes = {indicateur_id: (n, plus) for indicateur_id, n, plus in curseur.fetchall()}
    for ligne in a_classer:
        n, plus = comptes.get(ligne.indicateur.pk, (0, 0))
        if n < 2:
            continue
        # Rank 1 = the highest value (said as such on screen, whatever is « better »).
        ligne.rang = (1 + int(plus), n, libelle)


def phrase(*, lieu: Lieu, ligne: LignePortrait, chaine: list[Lieu], geo=None) -> str:
    """« Le taux de pauvreté de Chemillé-en-Anjou, 9,8 %, est inférieur à celui de Maine-et-Loire (12 %). »"""
    propre = ligne.cellules[0]
    if propre.etat != "ok":
        return ""
    reference = next((c for c in ligne.cellules[1:] if c.etat == "ok" and c.niveau != Niveau.EPCI), None)
    libelle = ligne.indicateur.libelle
    sujet = libelle[:1].lower() + libelle[1:]
    if ligne.indicateur.agregation == "somme":
        # A count is not compared with the département's: only said, with its period.
        return f"{libelle} {_de(lieu)} : {propre.texte} ({libelle_periode(ligne.periode)})."
    if reference is None:
        return f"{_article_sujet(sujet)} {_de(lieu)} est de {propre.texte}."
    ref_lieu = next(c for c in chaine if c.code == reference.code and c.niveau == reference.niveau)
    ecart = propre.valeur - reference.valeur
    seuil = 10 ** (-ligne.indicateur.precision) / 2
    pronom = "celle" if _article_sujet(sujet).startswith("La ") else "celui"
    if abs(ecart) < seuil:
        comparaison = "égal"
    elif ecart < 0:
        comparaison = "inférieur"
    else:
        comparaison = "supérieur"
    if pronom == "celle":
        comparaison += "e"
    return f"{_article_sujet(sujet)} {_de(lieu)}, {propre.texte}, est {comparaison} à {pronom} {_de(ref_lieu)} ({reference.texte})."


def _article_sujet(sujet: str) -> str:
    if sujet[:1] in "aeiouyéèh":
        return "L'" + sujet
    feminin = sujet.split(" ")[0] in ("part", "médiane", "population", "distance")
    return ("La " if feminin else "Le ") + sujet


# --- Maps and tables ------------------------------------------------------------------------------------


@dataclass
class Carte:
    indicateur: Indicateur
    periode: str
    niveau: str
    cellules: list[Cellule]
    bornes: list[float]
    couleurs: list[str]
    methode: str
    perimetre: Lieu | None
    zoom_iris: set[str] = field(default_factory=set)  # communes whose IRIS map exists for this indicator


def codes_du_perimetre(niveau: str, perimetre: Lieu | None) -> list[str]:
    geo = geographie()
    if perimetre is None or perimetre.niveau == Niveau.FRANCE:
        return geo.codes(niveau)
    if niveau == Niveau.COMMUNE:
        return geo.communes_de(perimetre.niveau, perimetre.code)
    if niveau == Niveau.IRIS:
        return [i for c in geo.communes_de(perimetre.niveau, perimetre.code) for i in geo.iris_de(c)]
    return [
        c
        for c in geo.codes(niveau)
        if geo.lieu(niveau, c).parents.get(perimetre.niveau) == perimetre.code or (niveau, c) == perimetre.cle
    ]


def _filtre_codes(qs, codes: list[str]):
    """``code IN (…)`` for a short list; a long one (every commune of France) reads the whole level, which
    the caller keeps to its codes in memory: under the databases' limit on query parameters."""
    return qs.filter(code__in=codes) if len(codes) <= 5000 else qs


def carte(
    *,
    indicateur: Indicateur,
    periode: str,
    niveau: str,
    perimetre: Lieu | None,
    methode: str = "quantiles",
    classes: int = 5,
) -> Carte:
    geo = geographie()
    codes = codes_du_perimetre(niveau, perimetre)
    lignes = {
        v["code"]: v
        for v in _filtre_codes(
            Valeur.objects.filter(indicateur=indicateur, periode=periode, niveau=niveau), codes
        ).values("niveau", "code", "periode", "valeur", "numerateur", "denominateur", "statut", "masque")
    }
    cellules = []
    for code in codes:
        lieu = geo.lieu(niveau, code)
        v = lignes.get(code) or {
            "niveau": niveau,
            "code": code,
            "periode": periode,
            "valeur": None,
            "statut": "nd",
            "masque": False,
            "numerateur": None,
            "denominateur": None,
        }
        cellules.append(_cellule(v, indicateur, lieu.nom if lieu else code))
    cellules.sort(key=lambda c: c.nom)
    bornes = classer([c.valeur for c in cellules if c.valeur is not None], methode=methode, classes=classes)
    couleurs = PALETTE[: max(len(bornes) - 1, 0)] if len(bornes) > 1 else []
    if indicateur.sens == Sens.HAUSSE:
        couleurs = list(reversed(PALETTE[: len(couleurs)]))
    return Carte(
        indicateur,
        periode,
        niveau,
        cellules,
        bornes,
        couleurs,
        methode,
        perimetre,
        _zoom_iris(indicateur, periode, niveau, codes),
    )


def _zoom_iris(indicateur: Indicateur, periode: str, niveau: str, codes: list[str]) -> set[str]:
    """The communes of the map that can be opened by IRIS: their IRIS outlines are loaded and the indicator
    has IRIS values for the period."""
    geo = geographie()
    if niveau != Niveau.COMMUNE or not geo.iris:
        return set()
    avec_contours = {c for c in codes if geo.iris_de(c)}
    if not avec_contours:
        return set()
    iris = Valeur.objects.filter(indicateur=indicateur, periode=periode, niveau=Niveau.IRIS).values_list(
        "code", flat=True
    )
    return avec_contours & {code[:5] for code in iris}


def classer(valeurs: list[float], *, methode: str = "quantiles", classes: int = 5) -> list[float]:
    """Class bounds (classes + 1 values, first = min, last = max): quantiles (numpy) or natural
    breaks (Fisher-Jenks, jenkspy)."""
    distinctes = sorted(set(valeurs))
    if not distinctes:
        return []
    classes = max(1, min(classes, len(distinctes), len(PALETTE)))
    if classes == 1:
        return [distinctes[0], distinctes[-1]]
    if methode == "seuils_naturels":
        import jenkspy

        bornes = [float(b) for b in jenkspy.jenks_breaks(valeurs, n_classes=classes)]
    else:
        bornes = [float(b) for b in np.quantile(np.array(valeurs, dtype=float), np.linspace(0, 1, classes + 1))]
    return sorted(set(bornes))


def classe_de(valeur: float | None, bornes: list[float]) -> int | None:
    if valeur is None or len(bornes) < 2:
        return None
    for i in range(1, len(bornes)):
        if valeur <= bornes[i]:
            return i - 1
    return len(bornes) - 2


def _proprietes(c: Carte, x: Cellule) -> dict:
    classe = classe_de(x.valeur, c.bornes)
    return {
        "niveau": x.niveau,
        "code": x.code,
        "nom": x.nom,
        "valeur": x.valeur,
        "etat": x.etat,
        "texte": x.texte,
        "classe": classe,
        "couleur": c.couleurs[classe] if classe is not None and c.couleurs else None,
        "zoom_iris": x.code in c.zoom_iris,
    }


def _entete_geojson(c: Carte) -> dict:
    return {
        "legende": legende(c),
        "indicateur": {"code": c.indicateur.code, "libelle": c.indicateur.libelle, "unite": c.indicateur.unite},
        "periode": c.periode,
        "niveau": c.niveau,
    }


def _formes(c: Carte, *, texte: bool) -> dict:
    from repere.observatoire.geographie import TYPE_DU_NIVEAU
    from repere.territoires import selectors as territoires

    codes = [x.code for x in c.cellules]
    if c.niveau == Niveau.IRIS:
        return contours_iris(codes=codes, texte=texte)
    lire = territoires.contours_texte if texte else territoires.contours
    return lire(type=TYPE_DU_NIVEAU[c.niveau], codes=codes if len(codes) <= 5000 else None)


def contours_iris(*, codes: list[str], texte: bool) -> dict:
    """Stored IRIS outlines by code (GeoJSON dict, or its text to splice in)."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from repere.observatoire.models import ContourIris

    formes: dict = {}
    for i in range(0, len(codes), 900):  # under SQLite's limit on query parameters
        qs = ContourIris.objects.filter(code__in=codes[i : i + 900])
        if texte:
            qs = qs.annotate(texte=Cast("geometrie", output_field=TextField())).values_list("code", "texte")
        else:
            qs = qs.values_list("code", "geometrie")
        formes.update(qs)
    return formes


def geojson(c: Carte) -> dict:
    """The map as a GeoJSON FeatureCollection (dict), with its legend; the secret is already applied."""
    formes = _formes(c, texte=False)
    features = [
        {"type": "Feature", "geometry": formes[x.code], "properties": _proprietes(c, x)}
        for x in c.cellules
        if formes.get(x.code)
    ]
    return {"type": "FeatureCollection", "features": features, **_entete_geojson(c)}


def geojson_texte(c: Carte) -> str:
    """The same document as ``geojson``, written as text with the stored outlines spliced in as they are
    (no decoding and re-encoding of 1,228 polygons per request)."""
    import json

    formes = _formes(c, texte=True)
    morceaux = [
        '{"type": "Feature", "geometry": '
        + formes[x.code]
        + ', "properties": '
        + json.dumps(_proprietes(c, x), ensure_ascii=False)
        + "}"
        for x in c.cellules
        if formes.get(x.code)
    ]
    entete = json.dumps(_entete_geojson(c), ensure_ascii=False)[1:-1]
    return '{"type": "FeatureCollection", "features": [' + ", ".join(morceaux) + "], " + entete + "}"


def legende(c: Carte) -> list[dict]:
    lignes = []
    for i, couleur in enumerate(c.couleurs):
        bas, haut = c.bornes[i], c.bornes[i + 1]
        u, p = c.indicateur.unite, c.indicateur.precision
        lignes.append(
            {
                "couleur": couleur,
                "texte": f"de {affichage.texte_valeur(bas, unite=u, precision=p)} à {affichage.texte_valeur(haut, unite=u, precision=p)}",
                "effectif": sum(1 for x in c.cellules if classe_de(x.valeur, c.bornes) == i),
            }
        )
    return lignes


def lieu_france() -> Lieu:
    return geographie().lieu(Niveau.FRANCE, CODE_FRANCE)


def libelle_periode(periode: str) -> str:
    """« 2021 », « décembre 2022 », « 1er trimestre 2024 »."""
    if len(periode) == 7 and periode[4] == "-" and periode[5:].isdigit():
        return text.mois_en_lettres(periode)
    if "-T" in periode:
        t = periode[-1]
        return f"{t}{'er' if t == '1' else 'e'} trimestre {periode[:4]}"
    return periode


def comparer(*, lieux: list[Lieu], user) -> list[LignePortrait]:
    """Several territories side by side: for each indicator, its latest period among them, one cell each.
    An activity indicator appears only if the user may see it for every territory compared."""
    from django.db.models import Q

    visibles = None
    for lieu in lieux:
        codes = {i.code for i in indicateurs_visibles(user, lieu)}
        visibles = codes if visibles is None else visibles & codes
    indicateurs = [i for i in Indicateur.objects.all() if i.code in (visibles or set())]
    filtre = Q()
    for lieu in lieux:
        filtre |= Q(niveau=lieu.niveau, code=lieu.code)
    valeurs: dict[tuple, dict] = {}
    for v in Valeur.objects.filter(filtre, indicateur__in=indicateurs).values(
        "indicateur_id", "niveau", "code", "periode", "valeur", "numerateur", "denominateur", "statut", "masque"
    ):
        valeurs[(v["indicateur_id"], v["niveau"], v["code"], v["periode"])] = v
    lignes = []
    for indicateur in indicateurs:
        periodes_i = sorted({p for (i, _n, _c, p) in valeurs if i == indicateur.pk})
        if not periodes_i:
            continue
        periode = periodes_i[-1]
        cellules = []
        for lieu in lieux:
            v = valeurs.get((indicateur.pk, lieu.niveau, lieu.code, periode)) or {
                "niveau": lieu.niveau,
                "code": lieu.code,
                "periode": periode,
                "valeur": None,
                "statut": "nd",
                "masque": False,
                "numerateur": None,
                "denominateur": None,
            }
            cellules.append(_cellule(v, indicateur, lieu.nom))
        lignes.append(LignePortrait(indicateur=indicateur, periode=periode, cellules=cellules, rang=None))
    return lignes
