"""The result schemas of the rights engine (pydantic, JSON-serialisable), in their own module: the
engine (``moteur``), its batch path (``lot``, ``combinaison``), the explanations and the local aids
all import them from here, and none of them imports another to get a schema."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Mode = Literal["complet", "rapide"]
Eligibilite = Literal["oui", "non", "incertain"]


class CommentDemanderSchema(BaseModel):
    organisme: str
    demarche: str
    lien: str
    formulaire: str = ""
    pieces: list[str] = Field(default_factory=list)
    delai: str = ""


class ResultatPrestation(BaseModel):
    code: str
    libelle: str
    nature: Literal["nationale", "locale"] = "nationale"
    eligible: Eligibilite = Field(description="Une fois toutes les aides à demander obtenues (combinaison cohérente)")
    montant: float = Field(description="Montant sur la période indiquée (0 si « éligible seulement »)")
    periode: Literal["mensuel", "annuel"]
    montant_mensuel: float = Field(description="Équivalent mensuel (montant annuel / 12)")
    raisons: list[str] = Field(default_factory=list, description="Pourquoi, en français simple")
    manquant: list[str] = Field(default_factory=list, description="Ce qu'il faudrait savoir pour conclure")
    comment_demander: CommentDemanderSchema
    recu: float | None = Field(default=None, description="Montant mensuel déclaré comme déjà perçu")
    deja_percue: bool = Field(default=False, description="Déclarée comme déjà perçue (même pour un montant nul)")
    a_demander: bool = Field(
        default=False,
        description="Probable et pas encore perçue (repere.droits.a_demander : la seule définition)",
    )
    a_verifier: bool = Field(default=False, description="Droit incertain et pas encore perçu")
    organisation: str | None = Field(default=None, description="Pour une aide locale : l'organisation qui la porte")
    # Subsidiarity: what the benefit is before the other benefits to claim are obtained.
    eligible_aujourdhui: Eligibilite | None = Field(
        default=None, description="Avant d'obtenir les autres aides à demander (si différent)"
    )
    montant_mensuel_aujourdhui: float | None = Field(
        default=None, description="Équivalent mensuel avant d'obtenir les autres aides à demander (si différent)"
    )
    demander_d_abord: list[str] = Field(
        default_factory=list, description="Codes des aides à demander d'abord, qui comptent dans ses ressources"
    )


class ResultatSimulation(BaseModel):
    mois: str
    mode: Mode
    prestations: list[ResultatPrestation]
    total_mensuel: float = Field(
        description="Ce que le foyer toucherait en tout par mois une fois toutes ses aides demandées "
        "(aides probables de la combinaison cohérente : jamais deux montants incompatibles)"
    )
    total_a_demander_mensuel: float = Field(description="Dont aides probables pas encore perçues")
    total_aujourdhui_mensuel: float = Field(
        default=0.0, description="Aides déjà perçues (montants estimés) : ce que le foyer touche aujourd'hui"
    )
    hypotheses: list[str] = Field(default_factory=list)
    avertissements: list[str] = Field(
        default_factory=list, description="Situation inhabituelle ou barèmes provisoires : à vérifier"
    )
    baremes_provisoires: bool = Field(
        default=False, description="Mois simulé au-delà de la dernière revalorisation connue d'un barème"
    )
    revenu_fiscal_reference: float = Field(description="RFR N-2 utilisé (déclaré ou estimé)")
    revenu_fiscal_reference_estime: bool
    moteur: dict[str, str]

    def prestation(self, code: str) -> ResultatPrestation | None:
        return next((p for p in self.prestations if p.code == code), None)
