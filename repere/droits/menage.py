"""The ONE household model of Repère (``Menage``): the contract between the simulator, the batch
screener (depistage) and outreach (allervers).

Contract
--------
- ``Menage`` is a pydantic v2 model, JSON-serialisable (``menage.model_dump(mode="json")``) and
  versioned by ``version_modele`` (currently ``"1"``). Parse untrusted input with
  ``Menage.model_validate(data)``: a ``pydantic.ValidationError`` is raised whose errors carry the
  field path (``personnes[1].revenus[0].montant_mensuel``) and a French message; turn them into
  ``[{"champ", "message", "code"}]`` with ``erreurs_menage(exc)`` (same format as the API's 422).
- Amounts are euros. Monthly amounts unless the name says otherwise (``revenu_fiscal_reference_n2``
  is yearly). Incomes are the amounts the person actually receives (net, "net social" on payslips):
  the engine derives the taxable and gross concepts OpenFisca needs.
- A household has 1 to 20 persons, exactly one ``demandeur``, at most one ``conjoint``; children
  and other persons in the home are optional. Each person gives ``age`` or ``date_naissance``.
- ``commune`` is an INSEE code checked against ``repere.territoires`` (communes and municipal
  arrondissements) when the database is reachable.
- ``mois`` is the month simulated (``AAAA-MM``); defaults to the current month.
- ``prestations_recues``: benefits the household receives today, with their monthly amount. They
  are injected as past values (never recomputed); a benefit that is not listed is taken as not
  received in past months. Codes: see ``CODES_PRESTATIONS_RECUES``.
- ``revenu_fiscal_reference_n2``: the RFR of year N-2 (tax notice). When unknown, the engine
  estimates it from current incomes and says so in the result (``hypotheses``).

See docs/droits-modele-menage.md for the full field list and examples.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from repere.utils.text import mois_en_lettres

VERSION_MODELE = "1"
MAX_PERSONNES = 20
MAX_MONTANT_MENSUEL = 100_000.0
MAX_LOYER = 10_000.0
MOIS_MIN = "2025-01"
MOIS_MAX = "2027-12"


class Role(StrEnum):
    DEMANDEUR = "demandeur"
    CONJOINT = "conjoint"
    ENFANT = "enfant"
    AUTRE = "autre"


class Activite(StrEnum):
    SALARIE = "salarie"
    INDEPENDANT = "independant"
    CHOMEUR = "chomeur"
    ETUDIANT = "etudiant"
    RETRAITE = "retraite"
    INAPTE = "inapte"  # unable to work (illness, disability)
    AUTRE = "autre"  # at home, without activity, child


class NiveauScolaire(StrEnum):
    AUCUN = "aucun"  # not at school (yet)
    MATERNELLE = "maternelle"
    PRIMAIRE = "primaire"
    COLLEGE = "college"
    LYCEE = "lycee"
    SUPERIEUR = "superieur"


_aujourd_hui: dict = {"quand": -10.0, "jour": None}


def aujourd_hui() -> dt.date:
    """Today's date, read from the clock at most once a second: ``date.today()`` costs ~9 µs (it
    queries the local time zone) and was called several times per person when validating files."""
    maintenant = time.monotonic()
    if maintenant - _aujourd_hui["quand"] > 1.0:
        _aujourd_hui.update(quand=maintenant, jour=dt.date.today())
    return _aujourd_hui["jour"]


def niveau_scolaire_pour_age(age: int) -> NiveauScolaire:
    """The usual school level of a child of ``age`` (full years) in France, when it is not declared."""
    if age < 3:
        return NiveauScolaire.AUCUN
    if age < 6:
        return NiveauScolaire.MATERNELLE
    if age < 11:
        return NiveauScolaire.PRIMAIRE
    if age < 15:
        return NiveauScolaire.COLLEGE
    if age < 18:
        return NiveauScolaire.LYCEE
    return NiveauScolaire.SUPERIEUR


class NatureRevenu(StrEnum):
    SALAIRE = "salaire"
    INDEPENDANT = "independant"
    CHOMAGE = "chomage"
    RETRAITE = "retraite"
    PENSION_INVALIDITE = "pension_invalidite"
    PENSION_ALIMENTAIRE_RECUE = "pension_alimentaire_recue"
    PENSION_ALIMENTAIRE_VERSEE = "pension_alimentaire_versee"
    AUTRE = "autre"


class StatutLogement(StrEnum):
    LOCATAIRE = "locataire"
    PROPRIETAIRE = "proprietaire"
    ACCEDANT = "accedant"  # owner still repaying a loan
    HEBERGE_GRATUITEMENT = "heberge_gratuitement"
    FOYER = "foyer"  # hostel, residence (FJT, résidence sociale)
    SANS_DOMICILE = "sans_domicile"


# Human labels of the enumerations (people see words, never codes): the choice lists of the
# questionnaire, the local aids form and the screener's file format are built from these.
LIBELLES: dict[type, dict] = {
    Activite: {
        Activite.SALARIE: "Salarié(e) (CDI, CDD, intérim, apprentissage)",
        Activite.INDEPENDANT: "Indépendant(e), auto-entrepreneur",
        Activite.CHOMEUR: "Sans emploi, en recherche d'emploi",
        Activite.ETUDIANT: "Étudiant(e)",
        Activite.RETRAITE: "Retraité(e)",
        Activite.INAPTE: "Dans l'incapacité de travailler (maladie, handicap)",
        Activite.AUTRE: "Autre situation (au foyer...)",
    },
    NiveauScolaire: {
        NiveauScolaire.AUCUN: "Pas encore scolarisé / non scolarisé",
        NiveauScolaire.MATERNELLE: "Maternelle",
        NiveauScolaire.PRIMAIRE: "École élémentaire",
        NiveauScolaire.COLLEGE: "Collège",
        NiveauScolaire.LYCEE: "Lycée",
        NiveauScolaire.SUPERIEUR: "Études supérieures",
    },
    StatutLogement: {
        StatutLogement.LOCATAIRE: "Locataire (y compris HLM)",
        StatutLogement.PROPRIETAIRE: "Propriétaire, sans emprunt en cours",
        StatutLogement.ACCEDANT: "Propriétaire, emprunt en cours",
        StatutLogement.HEBERGE_GRATUITEMENT: "Hébergé(e) gratuitement (famille, amis)",
        StatutLogement.FOYER: "En foyer ou résidence (FJT, résidence sociale)",
        StatutLogement.SANS_DOMICILE: "Sans domicile stable",
    },
}


# Ages at which a school level is plausible (wide: early entry, repeated years, late studies).
AGES_PLAUSIBLES = {
    NiveauScolaire.MATERNELLE: (2, 7),
    NiveauScolaire.PRIMAIRE: (5, 13),
    NiveauScolaire.COLLEGE: (9, 17),
    NiveauScolaire.LYCEE: (13, 21),
    NiveauScolaire.SUPERIEUR: (16, 25),
}


def niveau_plausible(*, age: int, niveau: str) -> bool:
    """Whether a child of ``age`` can be at school level ``niveau`` (« lycée » at 3 is not)."""
    bornes = AGES_PLAUSIBLES.get(NiveauScolaire(niveau)) if niveau in valeurs(NiveauScolaire) else None
    return bornes is None or bornes[0] <= age <= bornes[1]


def choix(enumeration: type) -> list[tuple[str, str]]:
    """``[(value, label)]`` of every member of ``enumeration``, in the model's order."""
    libelles = LIBELLES[enumeration]
    return [(membre.value, libelles[membre]) for membre in enumeration]


def valeurs(enumeration: type) -> tuple[str, ...]:
    return tuple(membre.value for membre in enumeration)


# Benefits a household may declare as currently received (monthly amounts).
CODES_PRESTATIONS_RECUES = (
    "rsa",
    "ppa",
    "aide_logement",
    "af",
    "cf",
    "asf",
    "aah",
    "aspa",
    "ass",
    "paje",
    "ars",
    "css",
    "autre",
)
CodePrestationRecue = Literal[
    "rsa", "ppa", "aide_logement", "af", "cf", "asf", "aah", "aspa", "ass", "paje", "ars", "css", "autre"
]


def _pas_un_booleen(valeur):
    """A boolean is not a number: ``true`` would otherwise be read as 1 (a 1 € salary)."""
    if isinstance(valeur, bool):
        raise ValueError(f"un nombre est attendu, pas « {'vrai' if valeur else 'faux'} » (valeur oui/non)")
    return valeur


Nombre = BeforeValidator(_pas_un_booleen)
Montant = Annotated[float, Nombre, Field(ge=0, le=MAX_MONTANT_MENSUEL)]


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False, str_strip_whitespace=True)


class Revenu(_Base):
    """One income of a person: either a stable monthly amount, or the amounts of the last 3 months."""

    nature: NatureRevenu
    montant_mensuel: Montant | None = Field(default=None, description="Montant mensuel stable, en euros")
    montants_3_derniers_mois: list[Montant] | None = Field(
        default=None,
        description="Montants des 3 derniers mois, du plus récent (M-1) au plus ancien (M-3)",
        min_length=3,
        max_length=3,
    )

    @model_validator(mode="after")
    def _un_seul_montant(self):
        if self.montant_mensuel is None and self.montants_3_derniers_mois is None:
            raise ValueError("indiquez montant_mensuel ou montants_3_derniers_mois")
        if self.montant_mensuel is not None and self.montants_3_derniers_mois is not None:
            raise ValueError("indiquez montant_mensuel ou montants_3_derniers_mois, pas les deux")
        return self

    def montant_du_mois(self, decalage: int) -> float:
        """Amount for month M-``decalage`` (1 = last month). Older months: mean of the 3 known months."""
        if self.montants_3_derniers_mois is None:
            return float(self.montant_mensuel)
        if 1 <= decalage <= 3:
            return float(self.montants_3_derniers_mois[decalage - 1])
        return sum(self.montants_3_derniers_mois) / 3

    @property
    def moyenne_mensuelle(self) -> float:
        return self.montant_du_mois(0)


class Personne(_Base):
    role: Role
    prenom: str | None = Field(default=None, max_length=60, description="Facultatif, pour l'affichage")
    age: Annotated[int | None, Nombre] = Field(default=None, ge=0, le=120)
    date_naissance: dt.date | None = None
    activite: Activite = Activite.AUTRE
    taux_incapacite: Annotated[int, Nombre] = Field(
        default=0, ge=0, le=100, description="Taux d'incapacité reconnu par la MDPH, en %"
    )
    restriction_emploi: bool = Field(
        default=False, description="Restriction substantielle et durable d'accès à l'emploi (AAH, taux 50-79 %)"
    )
    enceinte: bool = False
    niveau_scolaire: NiveauScolaire | None = None
    revenus: list[Revenu] = Field(default_factory=list, max_length=20)

    @field_validator("date_naissance")
    @classmethod
    def _date_plausible(cls, v):
        if v is not None:
            if v > aujourd_hui() + dt.timedelta(days=1):
                raise ValueError("la date de naissance est dans le futur")
            if v.year < aujourd_hui().year - 120:
                raise ValueError("la date de naissance est trop ancienne (plus de 120 ans)")
        return v

    @model_validator(mode="after")
    def _age_ou_date(self):
        if self.age is None and self.date_naissance is None:
            raise ValueError("indiquez l'âge ou la date de naissance")
        age = self.age_au(aujourd_hui())
        if self.role in (Role.DEMANDEUR, Role.CONJOINT) and age < 15:
            raise ValueError(f"un {self.role.value} doit avoir au moins 15 ans ({age} ans)")
        if self.role == Role.ENFANT and age > 25:
            raise ValueError(
                f"un enfant à charge a au plus 25 ans ({age} ans) ; indiquez le rôle « autre » pour un adulte du foyer"
            )
        return self

    def age_au(self, jour: dt.date) -> int:
        if self.date_naissance is None:
            return int(self.age)
        d = self.date_naissance
        return jour.year - d.year - ((jour.month, jour.day) < (d.month, d.day))

    def naissance_estimee(self, jour: dt.date) -> dt.date:
        """Birth date (given, or estimated mid-way so that the age holds on ``jour``)."""
        if self.date_naissance is not None:
            return self.date_naissance
        annee = jour.year - int(self.age) - 1
        # Born in the month after ``jour`` one year earlier: age is exactly ``age`` during the whole month.
        mois = jour.month % 12 + 1
        annee += 1 if mois == 1 else 0
        return dt.date(annee, mois, 1)


class Logement(_Base):
    statut: StatutLogement
    loyer: Annotated[float, Nombre] = Field(
        default=0, ge=0, le=MAX_LOYER, validate_default=True, description="Loyer mensuel hors charges (ou mensualité)"
    )
    charges: Annotated[float, Nombre] = Field(default=0, ge=0, le=5_000, description="Charges locatives mensuelles")
    colocation: bool = False
    logement_social: bool = Field(default=False, description="HLM ou logement conventionné APL")
    meuble: bool = False

    @field_validator("loyer")
    @classmethod
    def _loyer_coherent(cls, loyer, info):
        statut = info.data.get("statut")
        if statut in (StatutLogement.LOCATAIRE, StatutLogement.FOYER) and loyer <= 0:
            raise ValueError("indiquez le loyer mensuel (un locataire paie un loyer)")
        if statut in (StatutLogement.HEBERGE_GRATUITEMENT, StatutLogement.SANS_DOMICILE) and loyer > 0:
            raise ValueError("une personne hébergée gratuitement ou sans domicile ne paie pas de loyer")
        return loyer


class PrestationRecue(_Base):
    code: CodePrestationRecue
    montant_mensuel: Montant


class Menage(_Base):
    """A household, as described by the person or by a professional."""

    version_modele: Literal["1"] = VERSION_MODELE
    mois: str = Field(
        default_factory=lambda: dt.date.today().strftime("%Y-%m"),
        pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
        description="Mois simulé, AAAA-MM",
    )
    commune: str = Field(pattern=r"^(\d{5}|2[AB]\d{3})$", description="Code INSEE de la commune de résidence")
    logement: Logement
    personnes: list[Personne] = Field(min_length=1, max_length=MAX_PERSONNES)
    revenu_fiscal_reference_n2: Annotated[float | None, Nombre] = Field(
        default=None, ge=0, le=5_000_000, description="Revenu fiscal de référence de l'année N-2 (avis d'impôt)"
    )
    isolement_recent: bool = Field(
        default=False, description="Séparation, veuvage ou abandon depuis moins de 18 mois (RSA majoré)"
    )
    prestations_recues: list[PrestationRecue] = Field(default_factory=list, max_length=20)

    @field_validator("mois")
    @classmethod
    def _mois_couvert(cls, v):
        if not (MOIS_MIN <= v <= MOIS_MAX):
            raise ValueError(f"le mois simulé doit être compris entre {MOIS_MIN} et {MOIS_MAX}")
        return v

    @field_validator("commune")
    @classmethod
    def _commune_connue(cls, v):
        codes = codes_communes()
        if codes is not None and v not in codes:
            raise ValueError(f"commune inconnue (code INSEE {v})")
        return v

    @field_validator("personnes")
    @classmethod
    def _roles(cls, personnes):
        demandeurs = [i for i, p in enumerate(personnes) if p.role == Role.DEMANDEUR]
        if not demandeurs:
            raise ValueError("il faut une personne de rôle « demandeur »")
        if len(demandeurs) > 1:
            places = ", ".join(f"personnes[{i}]" for i in demandeurs)
            raise ValueError(f"un seul demandeur par foyer ({len(demandeurs)} trouvés : {places})")
        conjoints = [i for i, p in enumerate(personnes) if p.role == Role.CONJOINT]
        if len(conjoints) > 1:
            places = ", ".join(f"personnes[{i}]" for i in conjoints)
            raise ValueError(f"au plus un conjoint ({len(conjoints)} trouvés : {places})")
        return personnes

    @model_validator(mode="after")
    def _naissances(self):
        fin_du_mois = (self.premier_jour + dt.timedelta(days=32)).replace(day=1)
        for i, p in enumerate(self.personnes):
            if p.date_naissance is not None and p.date_naissance >= fin_du_mois:
                raise ValueError(
                    f"personnes[{i}].date_naissance : la personne n'est pas encore née en {mois_en_lettres(self.mois)}, "
                    "le mois simulé"
                )
        return self

    # Convenience accessors, used by the engine and the templates.
    @property
    def premier_jour(self) -> dt.date:
        annee, mois = self.mois.split("-")
        return dt.date(int(annee), int(mois), 1)

    @property
    def demandeur(self) -> Personne:
        return next(p for p in self.personnes if p.role == Role.DEMANDEUR)

    @property
    def conjoint(self) -> Personne | None:
        return next((p for p in self.personnes if p.role == Role.CONJOINT), None)

    @property
    def enfants(self) -> list[Personne]:
        return [p for p in self.personnes if p.role == Role.ENFANT]

    def montant_recu(self, code: str) -> float:
        return sum(p.montant_mensuel for p in self.prestations_recues if p.code == code)

    def avertissements(self) -> list[str]:
        """Implausible but accepted situations, said out loud (French, naming the persons)."""
        jour = self.premier_jour
        out = []
        adultes = [(i, p) for i, p in enumerate(self.personnes) if p.role in (Role.DEMANDEUR, Role.CONJOINT)]
        enfants = [(i, p) for i, p in enumerate(self.personnes) if p.role == Role.ENFANT]
        if not enfants:
            return out
        age_parent = min(p.age_au(jour) for _, p in adultes)
        if age_parent < 18:
            out.append(
                f"Le parent le plus jeune a {age_parent} ans et le foyer compte {len(enfants)} "
                f"enfant{'s' if len(enfants) > 1 else ''} : vérifiez les âges et le nombre d'enfants."
            )
        for i, e in enfants:
            age = e.age_au(jour)
            if age > age_parent - 12:
                qui = f"personnes[{i}]" if not e.prenom else e.prenom
                out.append(
                    f"L'enfant {qui} ({age} ans) a moins de 12 ans d'écart avec le parent le plus jeune "
                    f"({age_parent} ans) : vérifiez les âges."
                )
                break
        bebes = sum(1 for _, e in enfants if e.age_au(jour) < 1)
        if bebes > 2:
            out.append(f"{bebes} bébés de moins d'un an dans le même foyer : vérifiez les âges des enfants.")
        if len(enfants) > 10:
            out.append(f"{len(enfants)} enfants à charge : vérifiez le nombre d'enfants.")
        return out


# --- commune check ----------------------------------------------------------------------------------

_cache_communes: dict = {"codes": None, "quand": 0.0}
_verrou = threading.Lock()
_DUREE_CACHE = 600
_DUREE_CACHE_VIDE = 30  # no territories loaded: asked again soon, but not once per household


def codes_communes() -> frozenset[str] | None:
    """INSEE codes of communes and municipal arrondissements, cached per process (10 min).

    ``None`` when the territories table is unreachable or empty (no Django / no data loaded): the
    check is then skipped rather than rejecting every household.
    """
    with _verrou:
        codes, age = _cache_communes["codes"], time.monotonic() - _cache_communes["quand"]
        if codes is not None and age < (_DUREE_CACHE if codes else _DUREE_CACHE_VIDE):
            return codes or None
    try:
        from repere.territoires.models import Territoire, TypeTerritoire

        codes = frozenset(
            Territoire.objects.filter(
                type__in=[TypeTerritoire.COMMUNE, TypeTerritoire.ARRONDISSEMENT, TypeTerritoire.COMMUNE_DELEGUEE]
            ).values_list("code", flat=True)
        )
    except Exception:  # noqa: BLE001 - no Django settings / no table: skip the check
        return None
    with _verrou:
        _cache_communes.update(codes=codes, quand=time.monotonic())
    return codes or None


def vider_cache_communes() -> None:
    with _verrou:
        _cache_communes.update(codes=None, quand=0.0)


def erreurs_menage(exc: ValidationError) -> list[dict]:
    """French ``[{"champ", "message", "code"}]`` for a validation error of ``Menage``."""
    from repere.utils.api_errors import erreurs_validation

    return erreurs_validation(exc.errors())


def valider_menage(data: dict) -> tuple[Menage | None, list[dict]]:
    """Parse ``data``; return ``(menage, [])`` or ``(None, erreurs)``. Never raises on bad input."""
    try:
        return Menage.model_validate(data), []
    except ValidationError as exc:
        return None, erreurs_menage(exc)
