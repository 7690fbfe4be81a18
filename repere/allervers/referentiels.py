"""Reference lists of the outreach module.

The needs taxonomy is data·inclusion's (the directory's thématiques), read from the
``data-inclusion-schema`` package, never retyped. Sensitive health sub-themes (art. 9 RGPD) are not
offered for needs: only the broad "Santé" category and access to care are.
"""

from functools import cache

from data_inclusion.schema.v1.thematiques import Categorie, Thematique

# Health sub-themes that would reveal sensitive data (art. 9 RGPD): never recorded in outreach.
THEMATIQUES_SENSIBLES = frozenset(
    {
        "sante--addictions",
        "sante--sante-mentale",
        "sante--sante-sexuelle",
        "sante--constituer-un-dossier-mdph-invalidite",
    }
)

# Default needs of a campaign: the categories most often met at the door (Carnet de bord / MSS themes).
THEMATIQUES_PAR_DEFAUT = [
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
    "difficultes-financieres",
    "logement-hebergement",
    "equipement-et-alimentation--alimentation",
    "sante--acces-aux-soins",
    "mobilite",
    "numerique",
    "famille",
    "trouver-un-emploi",
]

SITUATIONS = [
    ("isolement", "Personne isolée"),
    ("famille_monoparentale", "Famille monoparentale"),
    ("senior", "65 ans ou plus"),
    ("jeune", "Moins de 26 ans"),
    ("handicap", "Situation de handicap déclarée"),
    ("sans_emploi", "Sans emploi"),
    ("precarite_energetique", "Difficultés à payer l'énergie"),
    ("sans_domicile", "Sans domicile stable"),
    ("barriere_langue", "Barrière de la langue"),
    ("eloignement_numerique", "Éloignement du numérique"),
]
SITUATIONS_CODES = frozenset(c for c, _ in SITUATIONS)

ORIENTATIONS = [
    ("", "Aucune orientation"),
    ("ccas", "CCAS / mairie"),
    ("france_services", "France Services"),
    ("caf_msa", "CAF / MSA"),
    ("cpam", "CPAM"),
    ("france_travail", "France Travail"),
    ("departement", "Services du Département (MDS)"),
    ("association", "Association du territoire"),
    ("annuaire", "Service trouvé dans l'annuaire"),
]
ORIENTATIONS_CODES = frozenset(c for c, _ in ORIENTATIONS)


@cache
def thematiques() -> dict[str, str]:
    """Every code a campaign may use (categories and sub-themes) with its French label."""
    out = {}
    for c in Categorie:
        out[c.value] = c.label
    for t in Thematique:
        if t.value in THEMATIQUES_SENSIBLES:
            continue
        categorie = Categorie(t.value.split("--")[0]).label
        out[t.value] = f"{categorie} — {t.label}"
    return out


def libelle_thematique(code: str) -> str:
    return thematiques().get(code, code)


def categorie_de(code: str) -> str:
    return code.split("--")[0]
