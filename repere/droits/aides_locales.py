"""Local aids as data: the exchange format (YAML/JSON import-export) and their evaluation for a
household, with the same why / why-not as national benefits.

Exchange format (one file = one organisation's catalogue)::

    version: 1
    aides:
      - nom: Aide aux vacances des familles
        description: ...
        territoire: {type: commune, code: "49092"}
        conditions:
          age_min: 18            # age of the demandeur
          age_max: null
          composition: avec_enfants   # toutes, personne_seule, couple, avec_enfants, parent_isole
          enfants_min: 1
          quotient_familial_max: 700  # €/month, CAF way: (RFR/12 + family benefits) / parts
          rfr_max: null               # €/year, RFR N-2
          prestation_requise: rsa     # a national benefit code (received or probably eligible)
          statuts_logement: [locataire, foyer]
          activites: []
        montant: 150          # null: "eligible" without a fixed amount
        periode: ponctuel     # mensuel, annuel, ponctuel
        comment_demander: Dossier à déposer à l'accueil du CCAS...
        lien: https://...
        contact: 02 41 00 00 00
        pieces: [Avis d'imposition, RIB]
        active: true
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

from repere.droits.a_demander import est_a_demander, est_a_verifier
from repere.droits.menage import Activite, Menage, StatutLogement
from repere.droits.prestations import CODES, NOMS_COURTS, NOMS_RECUS
from repere.droits.textes import pluriel
from repere.utils.nombres import euros

COMPOSITIONS = ("toutes", "personne_seule", "couple", "avec_enfants", "parent_isole")
LIBELLES_COMPOSITION = {
    "toutes": "toutes compositions",
    "personne_seule": "personne seule sans enfant",
    "couple": "couple",
    "avec_enfants": "foyer avec enfant(s)",
    "parent_isole": "parent seul avec enfant(s)",
}
CODES_PRESTATION_REQUISE = (*CODES, "css")


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TerritoireRef(_Base):
    type: Literal["commune", "epci", "departement", "region", "commune_deleguee", "arrondissement"]
    code: str = Field(min_length=2, max_length=10)


class Conditions(_Base):
    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    composition: Literal["toutes", "personne_seule", "couple", "avec_enfants", "parent_isole"] = "toutes"
    enfants_min: int | None = Field(default=None, ge=0, le=20)
    quotient_familial_max: float | None = Field(default=None, ge=0, le=100_000)
    rfr_max: float | None = Field(default=None, ge=0, le=10_000_000)
    prestation_requise: str | None = None
    statuts_logement: list[StatutLogement] = Field(default_factory=list)
    activites: list[Activite] = Field(default_factory=list)

    @field_validator("prestation_requise")
    @classmethod
    def _prestation_connue(cls, v):
        if v in (None, ""):
            return None
        if v not in CODES_PRESTATION_REQUISE:
            raise ValueError(f"prestation inconnue « {v} » (codes possibles : {', '.join(CODES_PRESTATION_REQUISE)})")
        return v

    @model_validator(mode="after")
    def _ages(self):
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError("age_min est supérieur à age_max")
        return self


class AideLocaleDonnees(_Base):
    nom: str = Field(min_length=2, max_length=200)
    description: str = Field(default="", max_length=5000)
    territoire: TerritoireRef
    conditions: Conditions = Field(default_factory=Conditions)
    montant: float | None = Field(default=None, ge=0, le=1_000_000)
    periode: Literal["mensuel", "annuel", "ponctuel"] = "ponctuel"
    comment_demander: str = Field(min_length=5, max_length=5000)
    lien: HttpUrl | None = None
    contact: str = Field(default="", max_length=200)
    pieces: list[str] = Field(default_factory=list, max_length=30)
    active: bool = True


class Catalogue(_Base):
    version: Literal[1] = 1
    aides: list[AideLocaleDonnees] = Field(max_length=500)

    @field_validator("aides")
    @classmethod
    def _noms_uniques(cls, aides):
        vus = {}
        for i, a in enumerate(aides):
            cle = a.nom.casefold()
            if cle in vus:
                raise ValueError(f"nom en double : « {a.nom} » (aides[{vus[cle]}] et aides[{i}])")
            vus[cle] = i
        return aides


# --- evaluation ---------------------------------------------------------------------------------------


def parts_quotient_familial(menage: Menage) -> float:
    """CAF-style number of parts: 2 for a couple or a lone parent, 1 for a single person; +0.5 for
    each of the first two children, +1 from the third."""
    enfants = len(menage.enfants)
    parts = 2.0 if (menage.conjoint is not None or enfants) else 1.0
    parts += 0.5 * min(enfants, 2) + max(0, enfants - 2)
    return parts


def quotient_familial(menage: Menage, resultat) -> float:
    """(RFR N-2 / 12 + monthly family benefits) / parts, the way CAF and CCAS compute it."""
    familiales = 0.0
    for code in ("af", "cf", "asf"):
        p = resultat.prestation(code) if resultat else None
        montant = p.montant_mensuel if (p and p.eligible == "oui") else 0.0
        familiales += max(montant, menage.montant_recu(code))
    return round((resultat.revenu_fiscal_reference / 12 + familiales) / parts_quotient_familial(menage), 2)


def _composition_ok(menage: Menage, composition: str) -> bool:
    enfants = bool(menage.enfants)
    couple = menage.conjoint is not None
    return {
        "toutes": True,
        "personne_seule": not couple and not enfants,
        "couple": couple,
        "avec_enfants": enfants,
        "parent_isole": enfants and not couple,
    }[composition]


def evaluer(aide: AideLocaleDonnees, menage: Menage, resultat, *, code: str, organisation: str):
    """Evaluate one local aid for a household, given the national ``ResultatSimulation``."""
    from repere.droits.schemas import CommentDemanderSchema, ResultatPrestation

    c = aide.conditions
    raisons: list[str] = []
    manquant: list[str] = []
    echecs = 0
    incertitudes = 0
    age = menage.demandeur.age_au(menage.premier_jour)

    def verifier(ok: bool, texte_ok: str, texte_non: str):
        nonlocal echecs
        if ok:
            raisons.append(texte_ok)
        else:
            echecs += 1
            raisons.append(texte_non)

    if c.age_min is not None:
        verifier(
            age >= c.age_min,
            f"Âge : {age} ans (au moins {c.age_min} ans demandé).",
            f"Réservée aux {c.age_min} ans et plus ({age} ans).",
        )
    if c.age_max is not None:
        verifier(
            age <= c.age_max,
            f"Âge : {age} ans (au plus {c.age_max} ans).",
            f"Réservée aux {c.age_max} ans au plus ({age} ans).",
        )
    if c.composition != "toutes":
        libelle = LIBELLES_COMPOSITION[c.composition]
        verifier(
            _composition_ok(menage, c.composition), f"Composition du foyer : {libelle}.", f"Réservée à : {libelle}."
        )
    if c.enfants_min:
        n = len(menage.enfants)
        verifier(
            n >= c.enfants_min,
            f"{pluriel(n, 'enfant')} à charge.",
            f"Demande au moins {pluriel(c.enfants_min, 'enfant')} à charge ({n}).",
        )
    if c.statuts_logement:
        verifier(
            menage.logement.statut in c.statuts_logement,
            "Situation de logement admise.",
            "Situation de logement non concernée ("
            + ", ".join(s.value.replace("_", " ") for s in c.statuts_logement)
            + " seulement).",
        )
    if c.activites:
        verifier(
            menage.demandeur.activite in c.activites,
            "Activité du demandeur admise.",
            "Réservée aux situations : " + ", ".join(a.value for a in c.activites) + ".",
        )
    estime = resultat.revenu_fiscal_reference_estime
    if c.rfr_max is not None:
        rfr = resultat.revenu_fiscal_reference
        ok = rfr <= c.rfr_max
        verifier(
            ok,
            f"Revenu fiscal de référence ({euros(rfr)}) sous le plafond de {euros(c.rfr_max)}.",
            f"Revenu fiscal de référence ({euros(rfr)}) au-dessus du plafond de {euros(c.rfr_max)}.",
        )
        if estime:
            incertitudes += 1
            manquant.append("Revenu fiscal de référence (sur l'avis d'impôt de l'an dernier) : il a été estimé")
    if c.quotient_familial_max is not None:
        qf = quotient_familial(menage, resultat)
        verifier(
            qf <= c.quotient_familial_max,
            f"Quotient familial estimé : {euros(qf)} (plafond {euros(c.quotient_familial_max)}).",
            f"Quotient familial estimé ({euros(qf)}) au-dessus du plafond de {euros(c.quotient_familial_max)}.",
        )
        if estime:
            incertitudes += 1
            manquant.append("Quotient familial CAF (attestation CAF) ou revenu fiscal de référence")
    if c.prestation_requise:
        codes = ("css_gratuite", "css_participation") if c.prestation_requise == "css" else (c.prestation_requise,)
        etats = []
        for code_p in codes:
            p = resultat.prestation(code_p)
            if p is not None:
                etats.append("recu" if p.deja_percue else p.eligible)
        recu = menage.montant_recu(c.prestation_requise) > 0
        libelle = NOMS_RECUS.get(c.prestation_requise) or NOMS_COURTS.get(c.prestation_requise, c.prestation_requise)
        if recu or "recu" in etats or "oui" in etats:
            raisons.append(f"Condition remplie : vous recevez ou pouvez probablement recevoir {libelle}.")
        elif "incertain" in etats:
            incertitudes += 1
            raisons.append(f"Il faut recevoir {libelle} (droit à vérifier).")
        else:
            echecs += 1
            raisons.append(f"Réservée aux personnes qui reçoivent {libelle}.")
    if not raisons:
        raisons.append("Aucune condition particulière : l'aide s'adresse à tous les habitants du territoire.")

    eligible = "non" if echecs else ("incertain" if incertitudes else "oui")
    montant = float(aide.montant) if (aide.montant is not None and eligible != "non") else 0.0
    if aide.periode == "mensuel":
        periode, mensuel = "mensuel", montant
    elif aide.periode == "annuel":
        periode, mensuel = "annuel", round(montant / 12, 2)
    else:
        periode, mensuel = "annuel", round(montant / 12, 2)
        if montant:
            raisons.append(f"Aide ponctuelle de {euros(montant)} (comptée sur l'année).")
    if aide.montant is None and eligible != "non":
        raisons.append("Montant variable : décidé par l'organisme selon la situation.")
    return ResultatPrestation(
        code=code,
        libelle=aide.nom,
        nature="locale",
        eligible=eligible,
        montant=montant,
        periode=periode,
        montant_mensuel=mensuel,
        raisons=raisons,
        manquant=manquant,
        comment_demander=CommentDemanderSchema(
            organisme=organisation,
            demarche=aide.comment_demander + (f" Contact : {aide.contact}." if aide.contact else ""),
            lien=str(aide.lien) if aide.lien else "",
            formulaire="",
            pieces=aide.pieces,
        ),
        recu=None,
        a_demander=est_a_demander(eligible=eligible, deja_percue=False),
        a_verifier=est_a_verifier(eligible=eligible, deja_percue=False),
        organisation=organisation,
    )
