"""data·inclusion v1 taxonomies, read from the `data-inclusion-schema` package (never retyped here),
plus Repère's local themes and how they map to the nearest official code on export."""

from functools import cache

from data_inclusion.schema.v1 import (
    Categorie,
    Frais,
    ModeAccueil,
    ModeMobilisation,
    PersonneMobilisatrice,
    Public,
    ReseauPorteur,
    Thematique,
    TypeService,
)

# Local themes missing from the national taxonomy (see docs/annuaire.md). Each one maps, on export
# to data·inclusion, to the nearest official thématiques.
THEMATIQUES_LOCALES = {
    "repere--precarite-energetique": {
        "label": "Précarité énergétique (factures d'énergie, chèque énergie, impayés)",
        "export": [
            Thematique("difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere").value,
            Thematique("logement-hebergement--se-maintenir-dans-le-logement").value,
        ],
    },
}


def _choices(enum) -> list[tuple[str, str]]:
    return [(e.value, e.label) for e in enum]


@cache
def choix_thematiques() -> list[tuple[str, str]]:
    return _choices(Thematique)


@cache
def choix_categories() -> list[tuple[str, str]]:
    return _choices(Categorie)


@cache
def choix_thematiques_groupees() -> list[tuple[str, list[tuple[str, str]]]]:
    """[(catégorie label, [(code, label), …]), …] with the local themes first."""
    groupes = [("Thèmes locaux", [(c, v["label"]) for c, v in THEMATIQUES_LOCALES.items()])]
    for cat in Categorie:
        groupes.append((cat.label, [(t.value, t.label) for t in Thematique if t.value.startswith(cat.value + "--")]))
    return groupes


CHOIX_TYPES = _choices(TypeService)
CHOIX_FRAIS = _choices(Frais)
CHOIX_PUBLICS = _choices(Public)
CHOIX_MODES_ACCUEIL = _choices(ModeAccueil)
CHOIX_MODES_MOBILISATION = _choices(ModeMobilisation)
CHOIX_MOBILISABLE_PAR = _choices(PersonneMobilisatrice)
CHOIX_RESEAUX_PORTEURS = _choices(ReseauPorteur)

CODES_THEMATIQUES = frozenset(t.value for t in Thematique) | frozenset(THEMATIQUES_LOCALES)
CODES_CATEGORIES = frozenset(c.value for c in Categorie)
CODES_PUBLICS = frozenset(p.value for p in Public)
CODES_FRAIS = frozenset(f.value for f in Frais)
CODES_MODES_ACCUEIL = frozenset(m.value for m in ModeAccueil)
CODES_TYPES = frozenset(t.value for t in TypeService)

A_DISTANCE = ModeAccueil("a-distance").value
EN_PRESENTIEL = ModeAccueil("en-presentiel").value
TOUS_PUBLICS = Public("tous-publics").value


@cache
def libelles() -> dict[str, str]:
    """Every code (thématique, catégorie, public, frais…) → its French label."""
    d = {}
    for enum in (
        Categorie,
        Thematique,
        TypeService,
        Frais,
        Public,
        ModeAccueil,
        ModeMobilisation,
        PersonneMobilisatrice,
        ReseauPorteur,
    ):
        d.update({e.value: e.label for e in enum})
    d.update({c: v["label"] for c, v in THEMATIQUES_LOCALES.items()})
    return d


def libelle(code: str) -> str:
    return libelles().get(code, code)


def thematiques_de(codes: list[str]) -> list[str]:
    """Expand catégories into their thématiques; thématiques are kept as they are."""
    resultat = []
    for code in codes:
        if code in CODES_CATEGORIES:
            resultat.extend(t.value for t in Thematique if t.value.startswith(code + "--"))
        else:
            resultat.append(code)
    return list(dict.fromkeys(resultat))


def thematiques_pour_export(officielles: list[str], locales: list[str]) -> list[str]:
    codes = list(officielles)
    for code in locales:
        codes.extend(THEMATIQUES_LOCALES[code]["export"])
    return sorted(set(codes))
