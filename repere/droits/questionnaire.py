"""The public questionnaire: its steps, answers kept in the session (never in URLs), and the
mapping of answers onto the shared household model."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from repere.droits import forms as f
from repere.utils.saisie import lire_nombre

CLE_SESSION = "droits_questionnaire"


@dataclass(frozen=True)
class Etape:
    code: str
    titre: str


ETAPES = (
    Etape("foyer", "Votre foyer"),
    Etape("enfants", "Vos enfants"),
    Etape("activite", "Activité et revenus"),
    Etape("logement", "Logement"),
    Etape("prestations", "Aides déjà perçues"),
)
PAR_CODE = {e.code: e for e in ETAPES}


def reponses(session) -> dict:
    return session.get(CLE_SESSION, {}).get("reponses", {})


def enregistrer(session, etape: str, donnees: dict) -> None:
    etat = session.get(CLE_SESSION, {"reponses": {}})
    etat.setdefault("reponses", {})[etape] = donnees
    session[CLE_SESSION] = etat
    session.modified = True


def effacer(session) -> None:
    session.pop(CLE_SESSION, None)


def nb_enfants(rep: dict) -> int:
    try:
        return max(0, min(15, int(rep.get("foyer", {}).get("nb_enfants") or 0)))
    except (TypeError, ValueError):
        return 0


def en_couple(rep: dict) -> bool:
    return rep.get("foyer", {}).get("en_couple") == "oui"


def etapes_actives(rep: dict) -> list[Etape]:
    """Steps to go through: "enfants" is skipped once the household says it has no child."""
    sans_enfant = "foyer" in rep and nb_enfants(rep) == 0
    return [e for e in ETAPES if not (e.code == "enfants" and sans_enfant)]


def voisines(rep: dict, code: str) -> tuple[str | None, str | None]:
    codes = [e.code for e in etapes_actives(rep)]
    i = codes.index(code)
    return (codes[i - 1] if i > 0 else None, codes[i + 1] if i + 1 < len(codes) else None)


def premiere_incomplete(rep: dict) -> str | None:
    for e in etapes_actives(rep):
        if not rep.get(e.code, {}).get("_valide"):
            return e.code
    return None


def formulaire(code: str, rep: dict, data=None):
    """The step's form: bound to ``data`` (POST) or prefilled with the stored answers."""
    initial = {k: v for k, v in rep.get(code, {}).items() if not k.startswith("_")}
    if code == "foyer":
        return f.EtapeFoyer(data, initial=initial)
    if code == "enfants":
        return f.EtapeEnfants(data, initial=initial, nb_enfants=nb_enfants(rep))
    if code == "activite":
        return FormulaireActivite(data, initial=initial, couple=en_couple(rep))
    if code == "logement":
        return f.EtapeLogement(data, initial=initial)
    if code == "prestations":
        return f.EtapePrestations(data, initial=initial)
    raise KeyError(code)


class FormulaireActivite:
    """Household incomes + one ``_Personne`` sub-form per adult (prefixes d and c)."""

    def __init__(self, data=None, *, initial=None, couple=False):
        initial = initial or {}

        def sous(prefixe):
            return {k[len(prefixe) + 1 :]: v for k, v in initial.items() if k.startswith(prefixe + "-")}

        self.menage = f.EtapeActivite(data, initial={k: v for k, v in initial.items() if "-" not in k})
        self.demandeur = f._Personne(data, initial=sous("d"), prefix="d")
        self.conjoint = f._Personne(data, initial=sous("c"), prefix="c") if couple else None

    @property
    def formulaires(self):
        return [x for x in (self.demandeur, self.conjoint, self.menage) if x is not None]

    def is_valid(self) -> bool:
        return all(x.is_valid() for x in self.formulaires)

    @property
    def errors(self):
        out = {}
        for x in self.formulaires:
            out.update({(f"{x.prefix}-{k}" if x.prefix else k): v for k, v in x.errors.items()})
        return out


def donnees_brutes(form, data) -> dict:
    """What is stored in the session for a step: the submitted strings (so that going back and
    forth never loses an answer, even an invalid one)."""
    cles = set()
    formulaires = form.formulaires if isinstance(form, FormulaireActivite) else [form]
    for x in formulaires:
        for nom in x.fields:
            cles.add(x.add_prefix(nom))
    out = {}
    for cle in cles:
        valeurs = data.getlist(cle)
        if len(valeurs) > 1:
            out[cle] = valeurs
        elif valeurs:
            out[cle] = valeurs[0]
    return out


# --- answers -> household model --------------------------------------------------------------------------


def _montant(x) -> float:
    try:
        return float(lire_nombre(x) or 0)
    except ValueError:
        return 0.0


def _bool(x) -> bool:
    return x in (True, "on", "true", "True", "1", "oui")


def _personne(rep: dict, prefixe: str, role: str, age) -> dict:
    a = rep.get("activite", {})

    def g(nom):
        return a.get(f"{prefixe}-{nom}")

    revenus = []
    mois = [_montant(g(f"salaire_m{i}")) for i in (1, 2, 3)]
    if any(g(f"salaire_m{i}") not in (None, "") for i in (1, 2, 3)):
        revenus.append({"nature": "salaire", "montants_3_derniers_mois": mois})
    elif _montant(g("salaire")) > 0:
        revenus.append({"nature": "salaire", "montant_mensuel": _montant(g("salaire"))})
    for champ, nature in (
        ("independant", "independant"),
        ("chomage", "chomage"),
        ("retraite", "retraite"),
        ("pension_invalidite", "pension_invalidite"),
        ("autres", "autre"),
    ):
        if _montant(g(champ)) > 0:
            revenus.append({"nature": nature, "montant_mensuel": _montant(g(champ))})
    taux = int(_montant(g("taux_incapacite")))
    return {
        "role": role,
        "age": int(age),
        "activite": g("activite") or "autre",
        "taux_incapacite": taux,
        "restriction_emploi": _bool(g("restriction_emploi")),
        "revenus": revenus,
    }


def menage_depuis_reponses(rep: dict, *, mois: str | None = None) -> dict:
    """Answers of the steps -> a household-model dict (validated later by ``Menage``)."""
    foyer = rep.get("foyer", {})
    demandeur = _personne(rep, "d", "demandeur", foyer.get("age_demandeur") or 0)
    demandeur["enceinte"] = _bool(foyer.get("enceinte")) and not en_couple(rep)
    a = rep.get("activite", {})
    pa_recue = _montant(a.get("pension_alimentaire_recue"))
    pa_versee = _montant(a.get("pension_alimentaire_versee"))
    if pa_recue:
        demandeur["revenus"].append({"nature": "pension_alimentaire_recue", "montant_mensuel": pa_recue})
    if pa_versee:
        demandeur["revenus"].append({"nature": "pension_alimentaire_versee", "montant_mensuel": pa_versee})
    personnes = [demandeur]
    if en_couple(rep):
        conjoint = _personne(rep, "c", "conjoint", foyer.get("age_conjoint") or 0)
        conjoint["enceinte"] = _bool(foyer.get("enceinte"))
        personnes.append(conjoint)
    e = rep.get("enfants", {})
    for i in range(nb_enfants(rep)):
        niveau = e.get(f"niveau_{i}") or "aucun"
        personnes.append({"role": "enfant", "age": int(_montant(e.get(f"age_{i}"))), "niveau_scolaire": niveau})
    lg = rep.get("logement", {})
    logement = {
        "statut": lg.get("statut") or "heberge_gratuitement",
        "loyer": _montant(lg.get("loyer")),
        "charges": _montant(lg.get("charges")),
        "logement_social": _bool(lg.get("logement_social")),
        "colocation": _bool(lg.get("colocation")),
        "meuble": _bool(lg.get("meuble")),
    }
    p = rep.get("prestations", {})
    recues = [
        {"code": code, "montant_mensuel": _montant(p.get(f"recu_{code}"))}
        for code, _ in f.PRESTATIONS_RECUES
        if _montant(p.get(f"recu_{code}")) > 0
    ]
    if _bool(p.get("recu_css")):
        recues.append({"code": "css", "montant_mensuel": 0})
    menage = {
        "mois": mois or dt.date.today().strftime("%Y-%m"),
        "commune": foyer.get("commune_code") or "",
        "logement": logement,
        "personnes": personnes,
        "isolement_recent": _bool(foyer.get("isolement_recent")),
        "prestations_recues": recues,
    }
    if a.get("rfr_n2") not in (None, ""):
        menage["revenu_fiscal_reference_n2"] = _montant(a.get("rfr_n2"))
    return menage


def etape_du_champ(champ: str, *, couple: bool = False) -> str:
    """Which step to send the person back to for an error on ``champ`` of the household model."""
    if champ.startswith(("commune", "mois", "isolement")):
        return "foyer"
    if champ.startswith("logement"):
        return "logement"
    if champ.startswith("prestations_recues"):
        return "prestations"
    if champ.startswith("revenu_fiscal"):
        return "activite"
    if champ.startswith("personnes["):
        try:
            i = int(champ[len("personnes[") : champ.index("]")])
        except ValueError:
            return "foyer"
        adultes = 2 if couple else 1
        if i >= adultes:
            return "enfants"
        return "activite" if ".revenus" in champ or ".taux" in champ else "foyer"
    return "foyer"
