"""Bridge to the ONE household model and engine of the simulator (repere.droits).

- ``menage_depuis_reponses``: the doorstep pre-screen answers -> a household-model dict;
- ``menage_depuis_formulaire``: the person's household form -> a household-model dict;
- ``valider_menage``: validation by the droits model (French errors naming the field);
Nothing here computes a benefit.
"""

import datetime

from repere.droits.menage import niveau_scolaire_pour_age
from repere.utils.errors import ErreurMetier

NATURE_PAR_ACTIVITE = {
    "salarie": "salaire",
    "independant": "independant",
    "chomeur": "chomage",
    "retraite": "retraite",
    "inapte": "pension_invalidite",
}
ACTIVITE_PRE_REPERAGE = {"sans_emploi": "chomeur"}
LOGEMENT_PRE_REPERAGE = {
    "locataire": ("locataire", False),
    "locataire_social": ("locataire", True),
    "proprietaire": ("proprietaire", False),
    "heberge": ("heberge_gratuitement", False),
    "sans_domicile": ("sans_domicile", False),
}


def _revenus(activite: str, montant: float) -> list[dict]:
    if not montant:
        return []
    return [{"nature": NATURE_PAR_ACTIVITE.get(activite, "autre"), "montant_mensuel": float(montant)}]


def menage_depuis_reponses(reponses, *, commune_code: str, jour: datetime.date) -> dict:
    activite = ACTIVITE_PRE_REPERAGE.get(reponses.activite, reponses.activite)
    statut, social = LOGEMENT_PRE_REPERAGE[reponses.logement]
    loyer = float(reponses.loyer) if statut == "locataire" else 0.0
    if statut == "locataire" and loyer <= 0:
        raise ErreurMetier("Pré-repérage : indiquez le loyer approximatif d'un locataire.", champ="reponses.loyer")
    personnes = [
        {
            "role": "demandeur",
            "age": reponses.age,
            "activite": activite,
            "taux_incapacite": 80 if reponses.handicap else 0,
            "revenus": _revenus(activite, reponses.revenus),
        }
    ]
    if reponses.en_couple:
        personnes.append({"role": "conjoint", "age": reponses.age, "activite": "autre"})
    for _ in range(reponses.enfants):
        personnes.append({"role": "enfant", "age": 8, "activite": "autre", "niveau_scolaire": "primaire"})
    return {
        "mois": jour.strftime("%Y-%m"),
        "commune": commune_code,
        "logement": {"statut": statut, "loyer": loyer, "logement_social": social},
        "personnes": personnes,
    }


def valider_menage(menage: dict) -> dict:
    """Validate with the droits household model; return its JSON form, or raise ErreurMetier."""
    from repere.droits.menage import valider_menage as valider

    modele, erreurs = valider(menage)
    if erreurs:
        e = erreurs[0]
        raise ErreurMetier(f"Composition du foyer — {e['message']}", champ=f"menage.{e['champ']}")
    return modele.model_dump(mode="json")


def menage_depuis_formulaire(donnees: dict, *, commune_code: str, date_naissance=None) -> dict:
    """The person's household form (see forms.MenageForm) -> a household-model dict."""
    demandeur = {
        "role": "demandeur",
        "activite": donnees["activite"],
        "taux_incapacite": donnees.get("taux_incapacite") or 0,
    }
    if date_naissance:
        demandeur["date_naissance"] = date_naissance.isoformat()
    else:
        demandeur["age"] = donnees["age"]
    demandeur["revenus"] = _revenus(donnees["activite"], donnees.get("revenu") or 0)
    personnes = [demandeur]
    if donnees.get("conjoint"):
        personnes.append(
            {
                "role": "conjoint",
                "age": donnees.get("age_conjoint") or donnees.get("age") or 30,
                "activite": donnees.get("activite_conjoint") or "autre",
                "revenus": _revenus(donnees.get("activite_conjoint") or "autre", donnees.get("revenu_conjoint") or 0),
            }
        )
    for age in donnees.get("ages_enfants") or []:
        niveau = niveau_scolaire_pour_age(age).value
        personnes.append({"role": "enfant", "age": age, "activite": "autre", "niveau_scolaire": niveau})
    menage = {
        "mois": datetime.date.today().strftime("%Y-%m"),
        "commune": commune_code,
        "logement": {
            "statut": donnees["logement"],
            "loyer": float(donnees.get("loyer") or 0),
            "charges": float(donnees.get("charges") or 0),
            "logement_social": bool(donnees.get("logement_social")),
        },
        "personnes": personnes,
    }
    if donnees.get("rfr_n2") is not None:
        menage["revenu_fiscal_reference_n2"] = float(donnees["rfr_n2"])
    recues = [
        {"code": code, "montant_mensuel": float(donnees[f"recu_{code}"])}
        for code in ("rsa", "ppa", "aide_logement", "af", "aah", "aspa")
        if donnees.get(f"recu_{code}")
    ]
    if recues:
        menage["prestations_recues"] = recues
    return valider_menage(menage)


def formulaire_depuis_menage(menage: dict) -> dict:
    """Initial values of the household form from a stored household model."""
    if not menage:
        return {}
    personnes = menage.get("personnes", [])
    dem = next((p for p in personnes if p["role"] == "demandeur"), {})
    conj = next((p for p in personnes if p["role"] == "conjoint"), None)
    enfants = [p for p in personnes if p["role"] == "enfant"]

    def revenu(p):
        return sum(
            (r.get("montant_mensuel") or 0)
            for r in (p or {}).get("revenus", [])
            if r["nature"] != "pension_alimentaire_versee"
        )

    initial = {
        "logement": menage.get("logement", {}).get("statut"),
        "loyer": menage.get("logement", {}).get("loyer") or 0,
        "charges": menage.get("logement", {}).get("charges") or 0,
        "logement_social": menage.get("logement", {}).get("logement_social"),
        "age": dem.get("age"),
        "activite": dem.get("activite"),
        "taux_incapacite": dem.get("taux_incapacite"),
        "revenu": revenu(dem),
        "conjoint": conj is not None,
        "age_conjoint": conj.get("age") if conj else None,
        "activite_conjoint": conj.get("activite") if conj else None,
        "revenu_conjoint": revenu(conj) if conj else None,
        "ages_enfants": ", ".join(str(p.get("age", "")) for p in enfants if p.get("age") is not None),
        "rfr_n2": menage.get("revenu_fiscal_reference_n2"),
    }
    for r in menage.get("prestations_recues", []):
        initial[f"recu_{r['code']}"] = r["montant_mensuel"]
    return initial


def simulation_complete(menage: dict) -> dict:
    """Run the engine in full mode on the stored household; the result keeps the engine version."""
    from repere.allervers.prereperage import version_moteur
    from repere.droits.menage import Menage
    from repere.droits.selectors import simuler_complet

    # National benefits (coherent combination) plus local aids, as the public simulator shows them.
    resultat = simuler_complet(menage=Menage.model_validate(menage), mode="complet")
    return {
        "mode": resultat.mode,
        "version_moteur": version_moteur(resultat.moteur),
        "prestations": [p.model_dump(mode="json") for p in resultat.prestations],
        "total_mensuel": resultat.total_mensuel,
        "hypotheses": list(resultat.hypotheses),
    }
