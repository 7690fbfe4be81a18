"""Values of several former communes now merged into one: counts add up, rates are recomputed from
their numerators and denominators, anything else cannot be recomputed (non disponible)."""

from __future__ import annotations

from repere.observatoire.importation.commun import Lecture, ValeurLue
from repere.observatoire.models import Statut

STATUTS_CONNUS = {Statut.OK, Statut.PROVISOIRE, Statut.ESTIME}


def fusionner_doublons(lecture: Lecture, agregations: dict[str, str], facteurs: dict[str, float]) -> None:
    groupes: dict[tuple, list[ValeurLue]] = {}
    for v in lecture.valeurs:
        groupes.setdefault((v.indicateur, v.niveau, v.code, v.periode), []).append(v)
    if all(len(g) == 1 for g in groupes.values()):
        return
    resultat = []
    for cle, groupe in groupes.items():
        if len(groupe) == 1:
            resultat.append(groupe[0])
            continue
        indicateur, niveau, code, periode = cle
        base = ValeurLue(indicateur, niveau, code, periode, None, Statut.NON_DISPONIBLE)
        connus = all(v.statut in STATUTS_CONNUS and v.valeur is not None for v in groupe)
        mode = agregations.get(indicateur)
        if connus and mode == "somme":
            base.valeur, base.statut = sum(v.valeur for v in groupe), Statut.OK
        elif connus and mode == "ratio" and all(v.numerateur is not None and v.denominateur for v in groupe):
            base.numerateur = sum(v.numerateur for v in groupe)
            base.denominateur = sum(v.denominateur for v in groupe)
            base.valeur = facteurs.get(indicateur, 1) * base.numerateur / base.denominateur
            base.statut = Statut.ESTIME
        resultat.append(base)
    lecture.avertissements.append(
        "Plusieurs lignes du fichier se rapportent à une même commune actuelle (communes fusionnées) : "
        "les effectifs sont additionnés, les taux recalculés (estimés), les autres valeurs non disponibles."
    )
    lecture.valeurs = resultat
