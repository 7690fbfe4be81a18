"""Writes of the rights simulator: local aids (create, update, delete, import a catalogue)."""

from __future__ import annotations

import json

import yaml
from django.db import transaction
from pydantic import ValidationError

from repere.droits.aides_locales import AideLocaleDonnees, Catalogue
from repere.droits.models import AideLocale
from repere.organisations.models import Organisation
from repere.territoires.selectors import get_territoire
from repere.utils.api_errors import erreurs_validation
from repere.utils.errors import ErreurMetier


class ErreurImport(ErreurMetier):
    """Import refused: ``erreurs`` lists French messages naming the line/field; nothing was written."""

    def __init__(self, erreurs: list[str]):
        self.erreurs = erreurs
        super().__init__("Import refusé : " + " ; ".join(erreurs[:5]) + (" ..." if len(erreurs) > 5 else ""))


def _champs(donnees: AideLocaleDonnees, *, prefixe: str = "") -> dict:
    territoire = get_territoire(type=donnees.territoire.type, code=donnees.territoire.code)
    if territoire is None:
        raise ErreurMetier(
            f"{prefixe}territoire : territoire inconnu ({donnees.territoire.type} {donnees.territoire.code})",
            champ="territoire",
        )
    c = donnees.conditions
    return {
        "nom": donnees.nom,
        "description": donnees.description,
        "territoire": territoire,
        "age_min": c.age_min,
        "age_max": c.age_max,
        "composition": c.composition,
        "enfants_min": c.enfants_min,
        "quotient_familial_max": c.quotient_familial_max,
        "rfr_max": c.rfr_max,
        "prestation_requise": c.prestation_requise or "",
        "statuts_logement": [s.value if hasattr(s, "value") else s for s in c.statuts_logement],
        "activites": [a.value if hasattr(a, "value") else a for a in c.activites],
        "montant": donnees.montant,
        "periode": donnees.periode,
        "comment_demander": donnees.comment_demander,
        "lien": str(donnees.lien) if donnees.lien else "",
        "contact": donnees.contact,
        "pieces": "\n".join(donnees.pieces),
        "active": donnees.active,
    }


def _nom_libre(*, organisation: Organisation, nom: str, sauf: int | None = None) -> None:
    qs = AideLocale.objects.filter(organisation=organisation, nom__iexact=nom)
    if sauf:
        qs = qs.exclude(pk=sauf)
    if qs.exists():
        raise ErreurMetier(f"nom : une aide « {nom} » existe déjà pour cette organisation", champ="nom")


@transaction.atomic
def creer_aide_locale(*, organisation: Organisation, donnees: AideLocaleDonnees, est_demo: bool = False) -> AideLocale:
    _nom_libre(organisation=organisation, nom=donnees.nom)
    return AideLocale.objects.create(organisation=organisation, est_demo=est_demo, **_champs(donnees))


@transaction.atomic
def modifier_aide_locale(*, aide: AideLocale, donnees: AideLocaleDonnees) -> AideLocale:
    _nom_libre(organisation=aide.organisation, nom=donnees.nom, sauf=aide.pk)
    for champ, valeur in _champs(donnees).items():
        setattr(aide, champ, valeur)
    aide.save()
    return aide


def supprimer_aide_locale(*, aide: AideLocale) -> None:
    aide.delete()


# The parsers' messages are in English: the common ones are said in French, the others generically.
_YAML = (
    ("expected ',' or ']'", "un crochet « [ » n'est pas refermé par « ] »"),
    ("expected ',' or '}'", "une accolade « { » n'est pas refermée par « } »"),
    ("mapping values are not allowed", "un « : » est mal placé (mettez le texte entre guillemets)"),
    ("could not find expected ':'", "il manque « : » après un nom de champ"),
    ("quoted scalar", "des guillemets ne sont pas refermés"),
    ("'\\t'", "une tabulation : indentez avec des espaces"),
    ("block", "l'indentation (les espaces en début de ligne) n'est pas régulière"),
)
_JSON = (
    ("Expecting ',' delimiter", "il manque une virgule"),
    ("Expecting ':' delimiter", "il manque « : » après un nom de champ"),
    ("Expecting property name", "un nom de champ entre guillemets est attendu (virgule en trop ?)"),
    ("Expecting value", "une valeur est attendue (virgule en trop ou crochet mal fermé ?)"),
    ("Unterminated string", "des guillemets ne sont pas refermés"),
    ("Extra data", "du texte après la fin des données"),
)


def _en_francais(message: str, traductions) -> str:
    for anglais, francais in traductions:
        if anglais in message:
            return francais
    return "vérifiez la ponctuation (crochets, accolades, guillemets, deux-points) et l'indentation"


def lire_catalogue(*, contenu: str | bytes, format: str) -> Catalogue:
    """Parse a YAML or JSON catalogue; ``ErreurImport`` with French messages otherwise."""
    if isinstance(contenu, bytes):
        try:
            contenu = contenu.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ErreurImport(["le fichier n'est pas encodé en UTF-8"]) from exc
    try:
        if format == "json":
            data = json.loads(contenu)
        elif format == "yaml":
            data = yaml.safe_load(contenu)
        else:
            raise ErreurImport([f"format inconnu « {format} » (yaml ou json)"])
    except json.JSONDecodeError as exc:
        raise ErreurImport(
            [f"fichier JSON mal formé ligne {exc.lineno}, colonne {exc.colno} : {_en_francais(exc.msg, _JSON)}"]
        ) from exc
    except yaml.YAMLError as exc:
        # Where the faulty block starts (an unclosed « [ ») is more useful than where the parser gave up.
        marque = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        ou = f" ligne {marque.line + 1}, colonne {marque.column + 1}" if marque is not None else ""
        probleme = " ".join(str(x) for x in (getattr(exc, "context", None), getattr(exc, "problem", None)) if x)
        raise ErreurImport([f"fichier YAML mal formé{ou} : {_en_francais(probleme, _YAML)}"]) from exc
    if isinstance(data, list):
        data = {"version": 1, "aides": data}
    if not isinstance(data, dict):
        raise ErreurImport(["le fichier doit contenir un objet {version, aides} ou une liste d'aides"])
    try:
        return Catalogue.model_validate(data)
    except ValidationError as exc:
        raise ErreurImport([e["message"] for e in erreurs_validation(exc.errors())]) from exc


@transaction.atomic
def importer_catalogue(
    *, organisation: Organisation, contenu: str | bytes, format: str, remplacer: bool = False
) -> dict:
    """Create or update (by name) the organisation's local aids from a file. All or nothing.

    ``remplacer=True`` also deletes the organisation's aids absent from the file.
    Returns ``{"creees": n, "modifiees": n, "supprimees": n}``.
    """
    catalogue = lire_catalogue(contenu=contenu, format=format)
    erreurs, lignes = [], []
    for i, donnees in enumerate(catalogue.aides):
        try:
            lignes.append((donnees, _champs(donnees, prefixe=f"aides[{i}].")))
        except ErreurMetier as exc:
            erreurs.append(str(exc.message if hasattr(exc, "message") else exc))
    if erreurs:
        raise ErreurImport(erreurs)
    existantes = {a.nom.casefold(): a for a in AideLocale.objects.filter(organisation=organisation)}
    creees = modifiees = 0
    for _donnees, champs in lignes:
        aide = existantes.pop(champs["nom"].casefold(), None)
        if aide is None:
            AideLocale.objects.create(organisation=organisation, **champs)
            creees += 1
        else:
            for champ, valeur in champs.items():
                setattr(aide, champ, valeur)
            aide.save()
            modifiees += 1
    supprimees = 0
    if remplacer and existantes:
        supprimees, _ = AideLocale.objects.filter(pk__in=[a.pk for a in existantes.values()]).delete()
    return {"creees": creees, "modifiees": modifiees, "supprimees": supprimees}
