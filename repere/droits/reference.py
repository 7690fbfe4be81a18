"""The reference computation: plain OpenFisca, the way a plain integration does it, for one household.

The household's facts (declared incomes, housing, RFR, benefits received or estimated as obtained in
past months) as an OpenFisca situation dict, ``SimulationBuilder.build_from_entities``, then
``calculate`` of every output variable: no batch arrays, no zero-filled unused income variables
(their formulas run), no skipping of impossible benefits, no dependency tracking, no re-injection.
The test suite (tests/droits/test_garde_moteur.py) and the benchmark compare the accelerated engine
with it, to the cent: an OpenFisca upgrade cannot silently change an amount.
"""

from __future__ import annotations

import datetime as dt


def situation_openfisca(menage, injections: dict | None = None) -> dict:
    """The household's facts as an OpenFisca situation dict (what a plain integration sends)."""
    from repere.droits import lot, moteur

    structure = lot.StructureColonnes(lot.colonnes_de_menages([menage]))
    donnees, _ = lot.entrees_colonnes(structure, injections)
    tbs = moteur.systeme()
    optimisations = {
        *moteur.ZERO_FOYER_MOIS,
        *moteur.ZERO_INDIVIDU_MOIS,
        *moteur.ZERO_INDIVIDU_PASSE,
        *moteur.ZERO_FAMILLE_PASSE,
        "ressortissant_eee",
        "apprenti",
    }
    individus = {f"p{i}": {} for i in range(len(structure.personnes))}
    familles = {f"f{f}": {} for f in range(structure.nb_familles)}
    foyers = {f"f{f}": {} for f in range(structure.nb_familles)}
    menages = {"m0": {"personne_de_reference": [], "conjoint": [], "enfants": [], "autres": []}}
    for i, f in enumerate(structure.p_famille.tolist()):
        cle = f"f{f}"
        role = str(structure.roles[i])
        if role in ("demandeur", "autre"):
            familles[cle].setdefault("parents", []).insert(0, f"p{i}")
            foyers[cle].setdefault("declarants", []).insert(0, f"p{i}")
        elif role == "conjoint":
            familles[cle].setdefault("parents", []).append(f"p{i}")
            foyers[cle].setdefault("declarants", []).append(f"p{i}")
        else:
            familles[cle].setdefault("enfants", []).append(f"p{i}")
            foyers[cle].setdefault("personnes_a_charge", []).append(f"p{i}")
        menages["m0"][
            {"demandeur": "personne_de_reference", "conjoint": "conjoint", "enfant": "enfants", "autre": "autres"}[role]
        ].append(f"p{i}")
    variables_revenu = {v for natures in moteur.VARIABLES_REVENU.values() for v, _ in natures}
    for (variable, periode), valeurs in donnees.items():
        if variable in optimisations:
            continue
        if variable in variables_revenu and not any(valeurs):
            continue  # an income the household does not have: left to OpenFisca's formulas
        entite = tbs.variables[variable].entity.key
        cibles = {"individu": individus, "famille": familles, "foyer_fiscal": foyers, "menage": menages}[entite]
        for k, cle in enumerate(cibles):
            v = valeurs[k]
            v = v.item() if hasattr(v, "item") else v
            if isinstance(v, dt.date | dt.datetime):
                v = v.isoformat()[:10]
            cibles[cle].setdefault(variable, {})[periode] = v
    return {"individus": individus, "familles": familles, "foyers_fiscaux": foyers, "menages": menages}


def calcul_brut(menage, injections: dict | None = None) -> dict:
    """{output variable: value for the household} by plain OpenFisca (see the module docstring)."""
    from openfisca_core.simulations import SimulationBuilder

    from repere.droits import lot, moteur

    tbs = moteur.systeme()
    simulation = SimulationBuilder().build_from_entities(tbs, situation_openfisca(menage, injections))
    structure = lot.StructureColonnes(lot.colonnes_de_menages([menage]))
    out = {}
    for sorties in moteur.SORTIES.values():
        for variable, entite, quand in sorties:
            periode = menage.mois if quand == "M" else menage.mois[:4]
            valeurs = simulation.calculate(variable, periode)
            out[variable] = moteur._par_menage(valeurs, entite, structure, variable)[0]
    return out


def centimes(x):
    if isinstance(x, str | bytes):
        return x
    return round(float(x) * 100)
