"""Freshness of the rules: for each covered benefit, its key OpenFisca-France parameters and the
date of their last value. A value older than 15 months may mean a missed revaluation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SEUIL_MOIS = 15

# Key parameters per benefit code (paths in the OpenFisca-France parameter tree).
PARAMETRES: dict[str, tuple[str, ...]] = {
    "rsa": (
        "prestations_sociales.solidarite_insertion.minima_sociaux.rsa.rsa_m.montant_de_base_du_rsa",
        "prestations_sociales.solidarite_insertion.minima_sociaux.rsa.rsa_fl.forfait_logement.taux_1_personne",
        "prestations_sociales.solidarite_insertion.minima_sociaux.rsa.rsa_maj.majoration_isolement_en_base_rsa.femmes_enceintes",
    ),
    "ppa": (
        "prestations_sociales.solidarite_insertion.minima_sociaux.ppa.pa_m.montant_de_base",
        "prestations_sociales.solidarite_insertion.minima_sociaux.ppa.pa_m.majoration_ressources_revenus_activite",
        "prestations_sociales.solidarite_insertion.minima_sociaux.ppa.pa_m.bonification.taux_bonification_max",
    ),
    "aide_logement": (
        "prestations_sociales.aides_logement.allocations_logement.locatif.formule.l_plafonds_loyers.par_zone.zone_2.personnes_seules",
        "prestations_sociales.aides_logement.allocations_logement.locatif.formule.c_forfait_charges.cas_general.cas_general",
        "prestations_sociales.aides_logement.allocations_logement.locatif.formule.pp_particip_perso.p0_particip_min.p0_forfait",
        "prestations_sociales.aides_logement.allocations_logement.locatif.formule.pp_particip_perso.r0_abattement.cas_general.taux_seul",
    ),
    "css_gratuite": ("prestations_sociales.solidarite_insertion.minima_sociaux.cs.cmu.plafond_base",),
    "css_participation": ("prestations_sociales.solidarite_insertion.minima_sociaux.cs.acs.majoration_plafond_acs",),
    "cheque_energie": ("prestations_sociales.solidarite_insertion.autre_solidarite.cheque_energie.baremes.une_uc",),
    "aah": ("prestations_sociales.prestations_etat_de_sante.invalidite.aah.montant",),
    "af": (
        "prestations_sociales.prestations_familiales.bmaf.bmaf",
        "prestations_sociales.prestations_familiales.prestations_generales.af.af_cond_ress.plafond_tranche_1",
    ),
    "cf": ("prestations_sociales.prestations_familiales.prestations_generales.cf.cf_plaf.plafond_ressources_0_enfant",),
    "asf": (
        "prestations_sociales.prestations_familiales.education_presence_parentale.asf.montant_asf.orphelin_assimile_seul_parent",
    ),
    "ars": (
        "prestations_sociales.prestations_familiales.education_presence_parentale.ars.ars_plaf.plafond_ressources",
        "prestations_sociales.prestations_familiales.education_presence_parentale.ars.ars_m.taux_primaire",
    ),
    "aspa": ("prestations_sociales.solidarite_insertion.minimum_vieillesse.aspa.plafond_ressources.personnes_seules",),
    "bourse_college": ("prestations_sociales.education.bourses.bourses_education.bourse_college.montant_taux_3",),
    "bourse_lycee": (
        "prestations_sociales.education.bourses.bourses_education.bourse_lycee.apres_2016.echelon_6.montant",
        "prestations_sociales.education.bourses.bourses_education.bourse_lycee.apres_2016.echelon_1.plafond_1e",
    ),
}


@dataclass
class Fraicheur:
    prestation: str
    parametre: str
    valeur: object
    depuis: dt.date | None
    toujours_valable_le: str | None
    trop_ancien: bool  # last value older than the threshold and not confirmed since
    valeur_ancienne: bool = False  # last value older than the threshold (maybe confirmed later)
    introuvable: bool = False


def _noeud(tbs, chemin: str):
    noeud = tbs.parameters
    for morceau in chemin.split("."):
        noeud = noeud.children[morceau] if hasattr(noeud, "children") and morceau in noeud.children else None
        if noeud is None:
            return None
    return noeud


def fraicheur(*, aujourd_hui: dt.date | None = None, seuil_mois: int = SEUIL_MOIS) -> list[Fraicheur]:
    from repere.droits.moteur import systeme

    tbs = systeme()
    aujourd_hui = aujourd_hui or dt.date.today()
    limite = _moins_mois(aujourd_hui, seuil_mois)
    lignes = []
    for code, chemins in PARAMETRES.items():
        for chemin in chemins:
            p = _noeud(tbs, chemin)
            valeurs = _valeurs(p)
            if not valeurs:
                lignes.append(Fraicheur(code, chemin, None, None, None, True, introuvable=True))
                continue
            derniere = max(valeurs, key=lambda v: v.instant_str)
            depuis = dt.date.fromisoformat(derniere.instant_str)
            valable = (p.metadata or {}).get("last_value_still_valid_on")
            confirme = dt.date.fromisoformat(str(valable)) if valable else None
            ancienne = depuis < limite
            lignes.append(
                Fraicheur(
                    code,
                    chemin,
                    derniere.value,
                    depuis,
                    str(valable) if valable else None,
                    trop_ancien=ancienne and (confirme is None or confirme < limite),
                    valeur_ancienne=ancienne,
                )
            )
    return lignes


def _valeurs(p) -> list:
    """Dated values of a parameter, or of every bracket of a scale."""
    if p is None:
        return []
    if hasattr(p, "values_list"):
        return list(p.values_list)
    if hasattr(p, "brackets"):
        out = []
        for b in p.brackets:
            for attr in ("amount", "rate", "threshold"):
                sous = getattr(b, attr, None)
                if sous is not None and hasattr(sous, "values_list"):
                    out.extend(sous.values_list)
        return out
    return []


def _moins_mois(jour: dt.date, mois: int) -> dt.date:
    total = jour.year * 12 + jour.month - 1 - mois
    return dt.date(total // 12, total % 12 + 1, 1)


# --- « barèmes provisoires » ---------------------------------------------------------------------------
# Benefits revalued once a year on a fixed date, and the parameter whose last dated value tells the
# last revaluation known (after the update file). A month at or beyond the next expected date is
# simulated with the previous scale: the result says so.
REVALORISATIONS: dict[str, str] = {
    "RSA": "prestations_sociales.solidarite_insertion.minima_sociaux.rsa.rsa_m.montant_de_base_du_rsa",
    "prime d'activité": "prestations_sociales.solidarite_insertion.minima_sociaux.ppa.pa_m.montant_de_base",
    "AAH": "prestations_sociales.prestations_etat_de_sante.invalidite.aah.montant",
    "prestations familiales": "prestations_sociales.prestations_familiales.bmaf.bmaf",
    "ASPA": "prestations_sociales.solidarite_insertion.minimum_vieillesse.aspa.plafond_ressources.personnes_seules",
    "aides au logement": PARAMETRES["aide_logement"][0],
    "complémentaire santé solidaire": "prestations_sociales.solidarite_insertion.minima_sociaux.cs.cmu.plafond_base",
}
_provisoires: dict[str, tuple[str, ...]] = {}


def derniere_revalorisation(chemin: str) -> dt.date | None:
    from repere.droits.moteur import systeme

    valeurs = _valeurs(_noeud(systeme(), chemin))
    if not valeurs:
        return None
    return dt.date.fromisoformat(max(v.instant_str for v in valeurs))


def baremes_provisoires(mois: str) -> tuple[str, ...]:
    """Names of the scales that are provisional for ``mois`` (AAAA-MM): their yearly revaluation
    date has come without a known value."""
    if mois not in _provisoires:
        annee, m = (int(x) for x in mois.split("-"))
        debut = dt.date(annee, m, 1)
        noms = []
        for nom, chemin in REVALORISATIONS.items():
            derniere = derniere_revalorisation(chemin)
            if derniere is not None and debut >= derniere.replace(year=derniere.year + 1):
                noms.append(nom)
        _provisoires[mois] = tuple(noms)
    return _provisoires[mois]


# Scales the pinned OpenFisca-France may lag behind that have no yearly revaluation date, and that no
# official publication could confirm (repere/droits/baremes/mises_a_jour.yaml lists none for them):
# benefit code -> (name, parameter). The result says so when the benefit is shown.
NON_VERIFIES: dict[str, tuple[str, str]] = {
    "cheque_energie": ("chèque énergie", PARAMETRES["cheque_energie"][0]),
}


def avertissement_non_verifies(codes) -> list[str]:
    """One sentence per benefit of ``codes`` whose scale could not be checked against a publication."""
    phrases = []
    for code in codes:
        if code not in NON_VERIFIES:
            continue
        if code not in _non_verifies:
            nom, chemin = NON_VERIFIES[code]
            derniere = derniere_revalorisation(chemin)
            date = f"de {derniere.year}" if derniere else "de plusieurs années"
            _non_verifies[code] = (
                f"Barème provisoire : pour le {nom}, le barème utilisé date {date}. "
                "Nous n'avons pas pu vérifier le barème de cette année. Le montant peut être un peu différent."
            )
        phrases.append(_non_verifies[code])
    return phrases


_non_verifies: dict[str, str] = {}


def avertissement_baremes(mois: str) -> str:
    """The sentence shown in the result, or "" when every scale is known for ``mois``."""
    noms = baremes_provisoires(mois)
    if not noms:
        return ""
    from repere.droits.textes import liste, mois_en_lettres

    return (
        f"Barèmes provisoires : pour {mois_en_lettres(mois)}, les nouveaux montants de revalorisation "
        f"({liste(list(noms))}) ne sont pas encore connus. Les montants de l'année précédente sont appliqués."
    )
