"""Actions to and from the spreadsheets steering teams already keep (CSV or XLSX).

Export: the tables « Actions » and « Budget » through ``repere.utils.tableurs`` (formula-injection escaping,
French CSV). Import: the same columns; every line is checked first and the French errors name the line and the
column; when there is one error, nothing is written. A line whose title matches an action of the plan updates
it (re-importing the export changes nothing), any other line creates an action. In XLSX, an optional sheet
« Budget » adds or replaces budget lines (action title, year, type, funder, planned, committed, paid).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from repere.organisations.models import Organisation
from repere.pilotage import services
from repere.pilotage.models import MesureNationale, Plan, Priorite, Statut, TypeBudget
from repere.pilotage.selectors import actions_annotees, statut_affiche
from repere.territoires.models import Territoire, TypeTerritoire
from repere.utils.tableurs import DEBUTS_DANGEREUX

COLONNES = [
    "Titre",
    "Axe",
    "Mesures nationales",
    "Description",
    "Objectifs",
    "Publics visés",
    "Territoire (code INSEE ou SIREN)",
    "Organisation pilote",
    "Pilotes",
    "Partenaires",
    "Statut",
    "Priorité",
    "Date de début",
    "Date de fin prévue",
    "Avancement saisi (%)",
    "Publique",
]
COLONNES_EXPORT = [*COLONNES, "Statut affiché", "Avancement (%)", "Prévu (€)", "Engagé (€)", "Payé (€)"]
COLONNES_BUDGET = ["Action", "Année", "Type", "Financeur", "Prévu (€)", "Engagé (€)", "Payé (€)"]
OBLIGATOIRES = ["Titre"]


def _texte(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    texte = str(v).strip()
    # Our exports neutralise formulas with a leading apostrophe (repere.utils.tableurs): read them back as written.
    if texte.startswith("'") and texte[1:2] and texte[1] in DEBUTS_DANGEREUX:
        return texte[1:]
    return texte


# ---- export ---------------------------------------------------------------------------------------------


def tableaux_export(plan: Plan) -> list:
    actions = list(
        actions_annotees(plan.actions.all())
        .select_related("axe", "territoire", "organisation_pilote")
        .prefetch_related("mesures", "lignes_budget__financeur")
    )
    lignes = []
    budget = []
    for a in actions:
        lignes.append(
            [
                a.titre,
                a.axe.titre if a.axe else "",
                ", ".join(m.code for m in a.mesures.all()),
                a.description,
                a.objectifs,
                a.publics,
                a.territoire.code if a.territoire else "",
                a.organisation_pilote.nom if a.organisation_pilote else "",
                a.pilotes,
                a.partenaires,
                a.get_statut_display(),
                a.get_priorite_display(),
                a.date_debut,
                a.date_fin_prevue,
                a.avancement_saisi,
                a.publique,
                statut_affiche(a),
                a.avancement,
                a.prevu,
                a.engage,
                a.paye,
            ]
        )
        for lb in a.lignes_budget.all():
            budget.append([a.titre, lb.annee, lb.get_type_display(), lb.financeur.nom, lb.prevu, lb.engage, lb.paye])
    return [("Actions", COLONNES_EXPORT, lignes), ("Budget", COLONNES_BUDGET, budget)]


# ---- import ---------------------------------------------------------------------------------------------


class ImportInvalide(Exception):
    def __init__(self, erreurs: list[str]):
        self.erreurs = erreurs
        super().__init__("\n".join(erreurs))


@dataclass
class ResultatImport:
    creees: int = 0
    modifiees: int = 0
    lignes_budget: int = 0
    erreurs: list[str] = field(default_factory=list)


def _lire_csv(contenu: bytes) -> list[list]:
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        texte = contenu.decode("cp1252")
    premiere = texte.split("\n", 1)[0]
    separateur = ";" if premiere.count(";") >= premiere.count(",") else ","
    return list(csv.reader(io.StringIO(texte), delimiter=separateur))


def _lire_xlsx(contenu: bytes) -> dict[str, list[list]]:
    from openpyxl import load_workbook

    from repere.utils.classeurs import verifier_classeur
    from repere.utils.errors import ErreurMetier

    try:
        verifier_classeur(io.BytesIO(contenu))  # decompression bomb: refused before openpyxl unpacks it
    except ErreurMetier as e:
        raise ImportInvalide([str(e)]) from e
    try:
        classeur = load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds of errors on a damaged file
        raise ImportInvalide([f"Le fichier n'est pas un classeur XLSX lisible ({e.__class__.__name__})."]) from e
    feuilles = {}
    for feuille in classeur.worksheets:
        feuilles[feuille.title] = [list(r) for r in feuille.iter_rows(values_only=True)]
    return feuilles


def _date(valeur, ligne: int, colonne: str, erreurs: list) -> date | None:
    if valeur in (None, ""):
        return None
    if isinstance(valeur, datetime):
        return valeur.date()
    if isinstance(valeur, date):
        return valeur
    texte = _texte(valeur)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(texte, fmt).date()
        except ValueError:
            continue
    erreurs.append(f"Ligne {ligne}, colonne « {colonne} » : date illisible « {texte} » (attendu : JJ/MM/AAAA).")
    return None


def _choix(valeur, choices, ligne, colonne, erreurs, defaut):
    texte = _texte(valeur)
    if not texte:
        return defaut
    for code, libelle in choices:
        if texte.lower() in (code.lower(), libelle.lower()):
            return code
    permis = ", ".join(lib for _, lib in choices)
    erreurs.append(f"Ligne {ligne}, colonne « {colonne} » : valeur inconnue « {texte} » (possibles : {permis}).")
    return defaut


def _territoire(code: str, ligne: int, erreurs: list) -> Territoire | None:
    if not code:
        return None
    type_ = {9: TypeTerritoire.EPCI, 5: TypeTerritoire.COMMUNE}.get(len(code), TypeTerritoire.DEPARTEMENT)
    t = Territoire.objects.filter(type=type_, code=code).first()
    if t is None:
        erreurs.append(f"Ligne {ligne}, colonne « Territoire (code INSEE ou SIREN) » : territoire inconnu « {code} ».")
    return t


def _entetes(lignes: list[list], attendues: list[str], feuille: str) -> dict[str, int]:
    if not lignes:
        raise ImportInvalide([f"{feuille} : le fichier est vide."])
    entetes = [_texte(c) for c in lignes[0]]
    index = {nom: i for i, nom in enumerate(entetes) if nom}
    manquantes = [c for c in OBLIGATOIRES if c in attendues and c not in index]
    if feuille == "Budget":
        manquantes = [c for c in COLONNES_BUDGET if c not in index]
    if manquantes:
        raise ImportInvalide([f"{feuille}, ligne 1 : colonne obligatoire absente : « {c} »." for c in manquantes])
    return index


def _preparer_actions(plan: Plan, lignes: list[list]) -> tuple[list[tuple[int, dict, list]], list[str]]:
    index = _entetes(lignes, COLONNES, "Actions")
    axes = {a.titre.lower(): a for a in plan.axes.all()}
    mesures = {m.code.lower(): m for m in MesureNationale.objects.filter(retiree=False)}
    organisations = {}
    erreurs: list[str] = []
    preparees = []
    titres_vus: dict[str, int] = {}

    def cellule(row, nom):
        i = index.get(nom)
        return row[i] if i is not None and i < len(row) else None

    for numero, row in enumerate(lignes[1:], start=2):
        if not any(_texte(c) for c in row):
            continue
        avant = len(erreurs)
        titre = _texte(cellule(row, "Titre"))
        if not titre:
            erreurs.append(f"Ligne {numero}, colonne « Titre » : le titre est obligatoire.")
        elif titre.lower() in titres_vus:
            erreurs.append(
                f"Ligne {numero}, colonne « Titre » : « {titre} » figure déjà ligne {titres_vus[titre.lower()]}."
            )
        titres_vus.setdefault(titre.lower(), numero)
        axe = None
        axe_nom = _texte(cellule(row, "Axe"))
        if axe_nom:
            axe = axes.get(axe_nom.lower())
            if axe is None:
                erreurs.append(f"Ligne {numero}, colonne « Axe » : axe inconnu dans ce plan « {axe_nom} ».")
        liste_mesures = []
        for code in filter(None, (c.strip() for c in _texte(cellule(row, "Mesures nationales")).split(","))):
            m = mesures.get(code.lower())
            if m is None:
                erreurs.append(f"Ligne {numero}, colonne « Mesures nationales » : mesure inconnue « {code} ».")
            else:
                liste_mesures.append(m)
        territoire = _territoire(_texte(cellule(row, "Territoire (code INSEE ou SIREN)")), numero, erreurs)
        organisation = None
        org_nom = _texte(cellule(row, "Organisation pilote"))
        if org_nom:
            if org_nom not in organisations:
                organisations[org_nom] = Organisation.objects.filter(nom__iexact=org_nom).first()
            organisation = organisations[org_nom]
            if organisation is None:
                erreurs.append(
                    f"Ligne {numero}, colonne « Organisation pilote » : organisation inconnue « {org_nom} »."
                )
        avancement = None
        texte_av = _texte(cellule(row, "Avancement saisi (%)"))
        if texte_av:
            try:
                avancement = int(float(texte_av.replace(",", ".").rstrip("%").strip()))
            except ValueError:
                erreurs.append(f"Ligne {numero}, colonne « Avancement saisi (%) » : nombre illisible « {texte_av} ».")
        publique = _texte(cellule(row, "Publique")).lower() in ("oui", "vrai", "true", "1", "x")
        champs = {
            "titre": titre,
            "axe": axe,
            "description": _texte(cellule(row, "Description")),
            "objectifs": _texte(cellule(row, "Objectifs")),
            "publics": _texte(cellule(row, "Publics visés")),
            "territoire": territoire,
            "organisation_pilote": organisation,
            "pilotes": _texte(cellule(row, "Pilotes")),
            "partenaires": _texte(cellule(row, "Partenaires")),
            "statut": _choix(cellule(row, "Statut"), Statut.choices, numero, "Statut", erreurs, Statut.A_VENIR),
            "priorite": _choix(
                cellule(row, "Priorité"), Priorite.choices, numero, "Priorité", erreurs, Priorite.MOYENNE
            ),
            "date_debut": _date(cellule(row, "Date de début"), numero, "Date de début", erreurs),
            "date_fin_prevue": _date(cellule(row, "Date de fin prévue"), numero, "Date de fin prévue", erreurs),
            "avancement_saisi": avancement,
            "publique": publique,
        }
        if len(erreurs) == avant:
            for champ, message in services.valider_champs_action(champs, plan=plan).items():
                erreurs.append(f"Ligne {numero}, colonne « {_colonne_de(champ)} » : {message}")
        preparees.append((numero, champs, liste_mesures))
    return preparees, erreurs


def _colonne_de(champ: str) -> str:
    return {
        "titre": "Titre",
        "axe": "Axe",
        "publics": "Publics visés",
        "pilotes": "Pilotes",
        "statut": "Statut",
        "priorite": "Priorité",
        "date_debut": "Date de début",
        "date_fin_prevue": "Date de fin prévue",
        "avancement_saisi": "Avancement saisi (%)",
    }.get(champ, champ)


def _preparer_budget(lignes: list[list], titres: set[str]) -> tuple[list[tuple[str, dict]], list[str]]:
    index = _entetes(lignes, COLONNES_BUDGET, "Budget")
    erreurs, preparees = [], []
    noms = {
        "Année": "annee",
        "Type": "type",
        "Financeur": "financeur",
        "Prévu (€)": "prevu",
        "Engagé (€)": "engage",
        "Payé (€)": "paye",
    }
    for numero, row in enumerate(lignes[1:], start=2):
        if not any(_texte(c) for c in row):
            continue
        valeurs = {nom: row[i] if i < len(row) else None for nom, i in index.items()}
        titre = _texte(valeurs["Action"])
        if titre.lower() not in titres:
            erreurs.append(f"Budget, ligne {numero}, colonne « Action » : action inconnue « {titre} ».")
            continue
        type_ = _choix(valeurs["Type"], TypeBudget.choices, numero, "Type", erreurs, "")
        propres, errs = services.valider_ligne_budget(
            annee=_texte(valeurs["Année"]),
            type=type_,
            financeur_nom=_texte(valeurs["Financeur"]),
            prevu=_texte(valeurs["Prévu (€)"]),
            engage=_texte(valeurs["Engagé (€)"]),
            paye=_texte(valeurs["Payé (€)"]),
        )
        inverse = {v: k for k, v in noms.items()}
        for champ, message in errs.items():
            erreurs.append(f"Budget, ligne {numero}, colonne « {inverse.get(champ, champ)} » : {message}")
        preparees.append((titre, propres))
    return preparees, erreurs


def importer_actions(*, plan: Plan, contenu: bytes, nom_fichier: str, par) -> ResultatImport:
    """Check everything, then write everything in one transaction; raise ``ImportInvalide`` otherwise."""
    extension = nom_fichier.rsplit(".", 1)[-1].lower()
    budget_lignes = None
    if extension == "xlsx":
        feuilles = _lire_xlsx(contenu)
        actions_lignes = feuilles.get("Actions") or next(iter(feuilles.values()), [])
        budget_lignes = feuilles.get("Budget")
    elif extension == "csv":
        actions_lignes = _lire_csv(contenu)
    else:
        raise ImportInvalide([f"Format non pris en charge : « .{extension} » (CSV ou XLSX)."])
    preparees, erreurs = _preparer_actions(plan, actions_lignes)
    budget = []
    if budget_lignes:
        titres = {c["titre"].lower() for _, c, _ in preparees} | {
            t.lower() for t in plan.actions.values_list("titre", flat=True)
        }
        budget, erreurs_budget = _preparer_budget(budget_lignes, titres)
        erreurs += erreurs_budget
    if erreurs:
        raise ImportInvalide(erreurs)
    resultat = ResultatImport()
    existantes = {a.titre.lower(): a for a in plan.actions.all()}
    try:
        with transaction.atomic():
            for _numero, champs, mesures in preparees:
                action = existantes.get(champs["titre"].lower())
                if action is None:
                    existantes[champs["titre"].lower()] = services.creer_action(
                        plan=plan, par=par, mesures=mesures, **champs
                    )
                    resultat.creees += 1
                else:
                    champs.pop("titre")
                    services.modifier_action(action=action, par=par, mesures=mesures, **champs)
                    resultat.modifiees += 1
            for titre, valeurs in budget:
                services.enregistrer_ligne_budget(
                    action=existantes[titre.lower()],
                    par=par,
                    annee=valeurs["annee"],
                    type=valeurs["type"],
                    financeur_nom=valeurs["financeur_nom"],
                    prevu=valeurs["prevu"],
                    engage=valeurs["engage"],
                    paye=valeurs["paye"],
                )
                resultat.lignes_budget += 1
    except ValidationError as e:
        raise ImportInvalide([f"{k} : {', '.join(v)}" for k, v in e.message_dict.items()]) from e
    return resultat


def lignes_pour_import(plan: Plan) -> list:
    """The export's actions table cut to the importable columns (used by tests and the template file)."""
    return [r[: len(COLONNES)] for r in tableaux_export(plan)[0][2]]
