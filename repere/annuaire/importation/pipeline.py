"""The one import pipeline of the directory, that every source goes through.

Rows (in data·inclusion v1 field names, with their file line) → validation of every field (schema,
data·inclusion's validator rules, INSEE codes against the COG, the database's limits) → location (the
row's coordinates, else the BAN geocoder, else the commune's centre flagged « localisation
approximative ») → one transaction: upsert keyed on (source, id), withdrawal of what the source no
longer has, search index.

Integrity rules, by construction:
- identities are namespaced by source: a service's `structure_id` is looked up within its own source,
  so no source can touch, or attach to, another's rows;
- a rejected row never withdraws nor alters the published version: it is reported as « version publiée
  conservée telle quelle » and kept out of the withdrawal;
- withdrawing a structure withdraws its services (`services.retirer_structures`, one transaction);
- nothing is written when the caller only validates (`ecrire=False`, the assistant's full check).
"""

import hashlib
import json
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter, itemgetter
from types import SimpleNamespace

from django.db import connection, models, transaction
from django.utils import timezone

from repere.annuaire import geocodage
from repere.annuaire import services as services_annuaire
from repere.annuaire.importation.communes import Referentiel
from repere.annuaire.importation.export import lieu_en_dict
from repere.annuaire.importation.validation import (
    CHAMPS_STRUCTURE,
    ENSEMBLE_CHAMPS_SERVICE,
    ENSEMBLE_CHAMPS_STRUCTURE,
    REGLES,
    Probleme,
    montrer,
    nettoyer,
    problemes_limites,
    valider_service,
    valider_structure,
)
from repere.annuaire.models import Fermeture, IndexRecherche, LieuService, Service, Structure
from repere.annuaire.services import calculer_index
from repere.utils.nombres import accord, compte
from repere.utils.ramasse_miettes import collecteur_suspendu
from repere.utils.tableurs import csv_texte

CONSERVE = "version publiée conservée telle quelle"
LOT_PROGRESSION = 5_000  # lines validated between two progress reports of a background import
SEUIL_INDEX_A_LA_FIN = 20_000  # index rows written at once from which a first import builds its indexes at the end
PROBLEME = "_probleme"  # key of a row that its source's reader already found wrong (a validation.Probleme)


@dataclass
class Rejet:
    fichier: str
    ligne: int
    identifiant: str
    raison: str
    champ: str = ""
    valeur: str = ""
    regle: str = "valeur"
    conserve: bool = False  # a published version of this row exists and is kept as it was

    @property
    def libelle_regle(self) -> str:
        return REGLES.get(self.regle, self.regle)


@dataclass
class Rapport:
    structures_creees: int = 0
    structures_mises_a_jour: int = 0
    structures_retirees: int = 0
    services_crees: int = 0
    services_mis_a_jour: int = 0
    services_retires: int = 0
    services_retires_avec_structure: int = 0
    services_inchanges: int = 0  # re-imported as they were: nothing written
    lignes_lues: int = 0
    rejets: list[Rejet] = field(default_factory=list)
    avertissements: list[Rejet] = field(default_factory=list)
    bilan_geocodage: geocodage.Bilan = field(default_factory=geocodage.Bilan)
    localisations_approximatives: int = 0
    ecrit: bool = True
    duree: float = 0.0
    _vus: set = field(default_factory=set, repr=False)

    def rejeter(self, fichier, ligne, identifiant, raison, *, champ="", valeur="", regle="valeur") -> Rejet:
        rejet = Rejet(fichier, ligne, identifiant or "", raison, champ, valeur, regle)
        cle = (fichier, ligne, raison)
        if cle not in self._vus:  # a line that gives a structure and its service is reported once
            self._vus.add(cle)
            self.rejets.append(rejet)
        return rejet

    def avertir(self, fichier, ligne, identifiant, raison, *, champ="", valeur="", regle="valeur") -> None:
        cle = ("avertissement", fichier, ligne, raison)
        if cle not in self._vus:
            self._vus.add(cle)
            self.avertissements.append(Rejet(fichier, ligne, identifiant or "", raison, champ, valeur, regle))

    @property
    def lignes_rejetees(self) -> int:
        return len({(r.fichier, r.ligne) for r in self.rejets})

    @property
    def conserves(self) -> int:
        return len({(r.fichier, r.ligne) for r in self.rejets if r.conserve})

    def code_sortie(self) -> int:
        """0: every row imported; 2: some rows rejected; 1: every row rejected (nothing imported)."""
        if not self.rejets:
            return 0
        return 1 if self.lignes_rejetees >= self.lignes_lues else 2

    def resume(self) -> str:
        verbe = "" if self.ecrit else "(vérification seule, rien n'est écrit) "
        texte = (
            f"{verbe}structures : {self.structures_creees} créées, {self.structures_mises_a_jour} mises à jour, "
            f"{self.structures_retirees} retirées ; services : {self.services_crees} créés, "
            f"{self.services_mis_a_jour} mis à jour, {self.services_retires} retirés"
        )
        if self.services_inchanges:
            texte += f" ({self.services_inchanges} relus sans changement, rien de réécrit)"
        if self.services_retires_avec_structure:
            texte += f" (+ {self.services_retires_avec_structure} retirés avec leur structure)"
        texte += f" ; {compte(self.lignes_rejetees, 'ligne rejetée')}"
        if self.conserves:
            texte += f" dont {self.conserves} {accord(self.conserves, 'déjà publiée', 'déjà publiées')} : {CONSERVE}"
        if self.localisations_approximatives:
            texte += f" ; {compte(self.localisations_approximatives, 'localisation approximative')}"
        if self.bilan_geocodage.demandees:
            texte += (
                f" ; géocodage : {self.bilan_geocodage.demandees} adresse(s), {self.bilan_geocodage.en_cache} en cache, "
                f"{self.bilan_geocodage.appels} appel(s)"
            )
        return texte + f" ; {self.duree:.1f} s"

    def lignes_rejets(self) -> list[str]:
        return [
            f"{r.fichier}, ligne {r.ligne} ({r.identifiant or 'sans id'}) : {r.raison}"
            + (f" — {CONSERVE}" if r.conserve else "")
            for r in self.rejets
        ]

    def tableau_rejets(self) -> tuple:
        """The validation table (one row per problem), for `repere.utils.tableurs`."""
        entetes = ["fichier", "ligne", "id", "champ", "valeur", "raison", "règle", "gravité"]
        lignes = [
            [
                r.fichier,
                r.ligne,
                r.identifiant,
                r.champ,
                r.valeur,
                r.raison + (f" — {CONSERVE}" if r.conserve else ""),
                r.libelle_regle,
                "rejet",
            ]
            for r in self.rejets
        ] + [
            [a.fichier, a.ligne, a.identifiant, a.champ, a.valeur, a.raison, a.libelle_regle, "avertissement"]
            for a in self.avertissements
        ]
        lignes.sort(key=lambda x: (x[0], x[1]))
        return ("Validation", entetes, lignes)

    def csv_rejets(self) -> str:
        return csv_texte([self.tableau_rejets()])


@dataclass
class Entree:
    """The rows of one file, already in data·inclusion field names: (line in the file, row)."""

    fichier: str
    lignes: list[tuple[int, dict]]


# -- Validation -------------------------------------------------------------------------------


@dataclass
class _Valide:
    numero: int
    valeurs: dict
    ext: dict = field(default_factory=dict)
    structure: object = None
    structure_cle: tuple | None = None


def _rejeter_problemes(rapport, fichier, numero, ident, problemes: list[Probleme]) -> list[Rejet]:
    return [
        rapport.rejeter(fichier, numero, ident, p.raison, champ=p.champ, valeur=p.valeur, regle=p.regle)
        for p in problemes
    ]


def _controler_insee(rapport, fichier, numero, ident, valeurs, problemes, referentiel):
    """Check a valid row's INSEE code: a warning goes to the report, a rejection replaces the values."""
    rejet, avert = _verifier_insee(valeurs, referentiel)
    if avert:
        rapport.avertir(fichier, numero, ident, avert.raison, champ=avert.champ, valeur=avert.valeur, regle=avert.regle)
    if rejet:
        return None, [rejet]
    return valeurs, problemes


def _verifier_insee(valeurs: dict, referentiel: Referentiel) -> tuple[Probleme | None, Probleme | None]:
    """(rejection, warning) about the row's INSEE code; a former commune's code is replaced in place."""
    code = valeurs.get("code_insee")
    if not code or not referentiel.charge:
        return None, None
    resolution = referentiel.resoudre(code)
    if resolution.commune is None:
        return Probleme(
            "code_insee", code, f"code_insee : « {code} » n'est le code d'aucune commune", "commune_inexistante"
        ), None
    if resolution.ancien:
        actuelle = resolution.commune
        valeurs["code_insee"] = actuelle.code
        nom = f" (ancienne commune {resolution.ancienne})" if resolution.ancienne else ""
        return None, Probleme(
            "code_insee",
            code,
            f"code INSEE ancien {code}{nom} → {actuelle.nom} : remplacé par {actuelle.code}",
            "ancienne_commune",
        )
    return None, None


def _localiser(items: list[tuple[str, str, _Valide]], referentiel: Referentiel, rapport: Rapport) -> None:
    """Coordinates for the rows that have none: the BAN geocoder for an address, else the commune's
    centre (flagged « localisation approximative » with a warning). Rows with nothing stay without."""
    sans = [(f, i, v) for f, i, v in items if v.valeurs.get("latitude") is None]
    if not sans:
        return
    demandes = {}
    for _f, _i, v in sans:
        d = v.valeurs
        if d.get("adresse"):
            a = geocodage.AdresseAGeocoder(
                d["adresse"], d.get("code_postal") or "", d.get("commune") or "", d.get("code_insee") or ""
            )
            demandes[id(v)] = a
    positions = geocodage.geocoder(list(demandes.values()), bilan=rapport.bilan_geocodage) if demandes else {}
    for fichier, ident, v in sans:
        d = v.valeurs
        a = demandes.get(id(v))
        p = positions.get(a.cle) if a else None
        if p and p.precise and (not d.get("code_insee") or p.code_insee == d["code_insee"]):
            d["latitude"], d["longitude"] = p.latitude, p.longitude
            d["localisation_approximative"] = False
            continue
        commune = referentiel.resoudre(d["code_insee"]).commune if d.get("code_insee") else None
        if commune and commune.latitude is not None:
            d["latitude"], d["longitude"] = commune.latitude, commune.longitude
            d["localisation_approximative"] = True
            rapport.localisations_approximatives += 1
            raison = (
                "adresse non localisée par le géocodeur" if a and geocodage.actif() else "sans coordonnées ni géocodeur"
            )
            rapport.avertir(
                fichier,
                v.numero,
                ident,
                f"localisation approximative : {raison}, placé au centre de {commune.nom}",
                champ="adresse" if a else "code_insee",
                valeur=montrer(d.get("adresse") or d.get("code_insee")),
                regle="localisation_approximative",
            )


def importer(
    *,
    structures: Entree | None = None,
    services: Entree | None = None,
    detecter_suppressions: bool = True,
    ecrire: bool = True,
    est_demo: bool = False,
    progression=None,
) -> Rapport:
    """Validate every row, then (if `ecrire`) write all the valid ones in one transaction.

    `progression(etape, faites, total)`, if given, is called after every batch of LOT_PROGRESSION lines
    validated and after each writing step (the background worker reports it to the import's page).
    The garbage collector is paused throughout (`collecteur_suspendu`: ~40 % of the CPU time otherwise)."""
    debut = time.monotonic()
    rapport = Rapport(ecrit=ecrire)
    signaler = progression or (lambda etape, faites, total: None)
    with collecteur_suspendu(), transaction.atomic():
        referentiel = Referentiel()
        valides_st, proteges_st = _valider_structures(structures, referentiel, rapport, signaler)
        if ecrire:
            n = len(valides_st)
            signaler("écriture des structures", 0, n)
            _ecrire_structures(valides_st, proteges_st, rapport, detecter_suppressions, est_demo)
            signaler("écriture des structures", n, n)
        valides_se, proteges_se = _valider_services(
            services, valides_st, referentiel, rapport, ecrire=ecrire, signaler=signaler
        )
        if ecrire:
            n = len(valides_se)
            signaler("écriture des services et de l'index de recherche", 0, n)
            _ecrire_services(valides_se, proteges_se, rapport, detecter_suppressions, est_demo)
            signaler("écriture des services et de l'index de recherche", n, n)
            if structures and not services:
                _reindexer_structures(valides_st)
            elif getattr(rapport, "_revenues", None):  # their services not in the file are searchable again
                _reindexer_structures(rapport._revenues, sauf=valides_se)
        else:
            _compter_sans_ecrire(valides_st, valides_se, rapport)
    rapport.duree = time.monotonic() - debut
    return rapport


def _marquer_conserves(rejets: list[Rejet], modele, cles: set) -> None:
    """Flag the rejections whose (source, id) already has a published version, which is kept."""
    par_source: dict[str, set] = {}
    for s, i in cles:
        par_source.setdefault(s, set()).add(i)
    existantes = set()
    for source, ids in par_source.items():
        ids = list(ids)
        for k in range(0, len(ids), 900):
            existantes.update(
                modele.objects.filter(source=source, identifiant__in=ids[k : k + 900]).values_list(
                    "source", "identifiant"
                )
            )
    for r in rejets:
        if getattr(r, "_cle", None) in existantes:
            r.conserve = True


def _proteger(rejets: list[Rejet], propre: dict, sources: set) -> set:
    ident = propre.get("id")
    if not ident:
        return set()
    cles = {(propre["source"], str(ident))} if propre.get("source") else {(s, str(ident)) for s in sources}
    for r in rejets:
        r._cle = next(iter(cles)) if len(cles) == 1 else None
    return cles


def _valider_structures(entree: Entree | None, referentiel, rapport, signaler=None) -> tuple[dict, set]:
    valides: dict[tuple, _Valide] = {}
    proteges: set = set()
    if entree is None:
        return valides, proteges
    rapport.lignes_lues += len(entree.lignes)
    sources = {str(ligne.get("source")).strip() for _n, ligne in entree.lignes if ligne.get("source")}
    tous_rejets = []
    total = len(entree.lignes)
    for rang, (numero, ligne) in enumerate(entree.lignes, 1):
        if signaler and rang % LOT_PROGRESSION == 0:
            signaler("validation des structures", rang, total)
        propre = nettoyer(ligne, ENSEMBLE_CHAMPS_STRUCTURE)
        ident = str(propre.get("id") or "")
        if PROBLEME in ligne:  # found by the source's own reader (e.g. unreadable France Services hours)
            valeurs, problemes = None, [ligne[PROBLEME]]
        else:
            valeurs, problemes, _avert = valider_structure(propre)
        if valeurs is not None:
            valeurs, problemes = _controler_insee(
                rapport, entree.fichier, numero, ident, valeurs, problemes, referentiel
            )
        if valeurs is not None:
            cle = (valeurs["source"], valeurs["identifiant"])
            if cle in valides:
                problemes, valeurs = (
                    [
                        Probleme(
                            "id",
                            ident,
                            f"id « {ident} » en double dans le fichier (ligne {valides[cle].numero})",
                            "doublon",
                        )
                    ],
                    None,
                )
        if valeurs is None:
            rejets = _rejeter_problemes(rapport, entree.fichier, numero, ident, problemes)
            if problemes[0].regle != "doublon":
                proteges |= _proteger(rejets, propre, sources)
                tous_rejets += rejets
            continue
        valides[cle] = _Valide(numero, valeurs)
    _marquer_conserves(tous_rejets, Structure, proteges)
    _localiser([(entree.fichier, k[1], v) for k, v in valides.items()], referentiel, rapport)
    return valides, proteges


def _structures_connues(cles: set, valides_st: dict, *, ecrire: bool) -> dict:
    """(source, id) → Structure: from the database (written just before, or earlier imports), or, when
    only validating, this file's valid structures as unsaved objects."""
    connues = {}
    par_source: dict[str, set] = {}
    for s, i in cles:
        par_source.setdefault(s, set()).add(i)
    champs = (
        "pk",
        "source",
        "identifiant",
        "nom",
        "horaires_accueil",
        "statut_moderation",
        "retiree_de_la_source_le",
        "latitude",
        "longitude",
        "localisation_approximative",
    )
    for source, ids in par_source.items():
        ids = list(ids)
        if len(ids) > 5000:
            requete = Structure.objects.filter(source=source).only(*champs)
        else:
            requete = Structure.objects.filter(source=source, identifiant__in=ids).only(*champs)
        for st in requete:
            if (st.source, st.identifiant) in cles:
                connues[(st.source, st.identifiant)] = st
    if not ecrire:
        for cle, v in valides_st.items():
            if cle in cles:
                connues[cle] = Structure(pk=0, **v.valeurs)
    return connues


def _valider_services(entree, valides_st, referentiel, rapport, *, ecrire: bool, signaler=None) -> tuple[dict, set]:
    valides: dict[tuple, _Valide] = {}
    proteges: set = set()
    if entree is None:
        return valides, proteges
    rapport.lignes_lues += len(entree.lignes)
    sources = {str(ligne.get("source")).strip() for _n, ligne in entree.lignes if ligne.get("source")}
    premiers = []
    tous_rejets = []
    total = len(entree.lignes)
    resultats = []
    for rang, (numero, ligne) in enumerate(entree.lignes, 1):
        if signaler and rang % LOT_PROGRESSION == 0:
            signaler("validation des services", rang, total)
        propre = nettoyer(ligne, ENSEMBLE_CHAMPS_SERVICE)
        if PROBLEME in ligne:
            resultats.append((numero, propre, None, None, {}, [ligne[PROBLEME]], []))
        else:
            resultats.append((numero, propre, *valider_service(propre, ligne, limites=False)))
    # the database's limits, checked column by column over every valid row at once
    hors_limites = problemes_limites(Service, [r[3] for r in resultats if r[3] is not None])
    rang_valide = -1
    for numero, propre, modele, valeurs, ext, problemes, avertissements in resultats:
        ident = str(propre.get("id") or "")
        for a in avertissements:
            rapport.avertir(entree.fichier, numero, ident, a.raison, champ=a.champ, valeur=a.valeur, regle=a.regle)
        if valeurs is not None:
            rang_valide += 1
            if rang_valide in hors_limites:
                valeurs, problemes = None, [hors_limites[rang_valide]]
        if valeurs is not None:
            valeurs, problemes = _controler_insee(
                rapport, entree.fichier, numero, ident, valeurs, problemes, referentiel
            )
        if valeurs is None:
            rejets = _rejeter_problemes(rapport, entree.fichier, numero, ident, problemes)
            proteges |= _proteger(rejets, propre, sources)
            tous_rejets += rejets
            continue
        premiers.append((numero, ident, propre, modele, valeurs, ext))
    rejets_structures = {r.identifiant: r for r in rapport.rejets}  # only structures were checked so far
    cles_structures = {(m.source, m.structure_id) for _n, _i, _p, m, _v, _e in premiers}
    connues = _structures_connues(cles_structures, valides_st, ecrire=ecrire)
    a_localiser = []
    for numero, ident, propre, modele, valeurs, ext in premiers:
        cle_st = (modele.source, modele.structure_id)
        structure = connues.get(cle_st)
        probleme = None
        if structure is None:
            rejetee = rejets_structures.get(modele.structure_id)
            if rejetee and (rejetee.fichier, rejetee.ligne) == (entree.fichier, numero):
                proteges |= _proteger([], propre, sources)  # the line's structure was rejected: said once
                continue
            detail = (
                f"la structure a été rejetée ({rejetee.fichier}, ligne {rejetee.ligne})"
                if rejetee
                else f"aucune structure de la source « {modele.source} » n'a cet id"
            )
            probleme = Probleme(
                "structure_id",
                modele.structure_id,
                f"structure_id « {modele.structure_id} » inconnue : {detail}",
                "structure_inconnue",
            )
        cle = (modele.source, modele.id)
        if probleme is None and cle in valides:
            probleme = Probleme(
                "id", ident, f"id « {ident} » en double dans le fichier (ligne {valides[cle].numero})", "doublon"
            )
        if probleme:
            rejets = _rejeter_problemes(rapport, entree.fichier, numero, ident, [probleme])
            if probleme.regle != "doublon":
                proteges |= _proteger(rejets, propre, sources)
                tous_rejets += rejets
            continue
        v = _Valide(numero, valeurs, ext, structure, cle_st)
        valides[cle] = v
        # the service's own place; one with no address nor commune is where its structure is
        sans_lieu = valeurs.get("latitude") is None and not valeurs.get("adresse") and not valeurs.get("code_insee")
        if sans_lieu and structure.latitude is not None:
            valeurs["latitude"], valeurs["longitude"] = structure.latitude, structure.longitude
            valeurs["localisation_approximative"] = structure.localisation_approximative
        a_localiser.append((entree.fichier, ident, v))
    _localiser(a_localiser, referentiel, rapport)
    for cle, v in list(valides.items()):
        modes = set(v.valeurs.get("modes_accueil") or [])
        sur_place = "en-presentiel" in modes or not modes
        if sur_place and v.valeurs.get("latitude") is None and not v.ext.get("lieux"):
            rejets = _rejeter_problemes(
                rapport,
                entree.fichier,
                v.numero,
                cle[1],
                [
                    Probleme(
                        "adresse",
                        "",
                        "service sur place impossible à situer : ni coordonnées, ni adresse, ni code INSEE "
                        "(ni pour le service, ni pour sa structure)",
                        "localisation",
                    )
                ],
            )
            for r in rejets:
                r._cle = cle
            proteges.add(cle)
            tous_rejets += rejets
            del valides[cle]
    _marquer_conserves(tous_rejets, Service, proteges)
    return valides, proteges


def _compter_sans_ecrire(valides_st, valides_se, rapport) -> None:
    for modele, valides, attr in ((Structure, valides_st, "structures"), (Service, valides_se, "services")):
        existantes = set()
        for source in {s for s, _ in valides}:
            existantes.update(modele.objects.filter(source=source).values_list("source", "identifiant"))
        nouvelles = len(set(valides) - existantes)
        if attr == "structures":
            rapport.structures_creees, rapport.structures_mises_a_jour = nouvelles, len(valides) - nouvelles
        else:
            rapport.services_crees, rapport.services_mis_a_jour = nouvelles, len(valides) - nouvelles


# -- Writing ----------------------------------------------------------------------------------


def _lignes_sql(modele, objets: list) -> tuple[list, list[list]]:
    """(fields, one list of database values per object), in the order of the table's columns."""
    champs = [f for f in modele._meta.concrete_fields if not f.primary_key]
    maintenant = connection.ops.adapt_datetimefield_value(timezone.now())
    convertisseurs = []
    memoire_json: dict = {}

    def en_json(v):
        # the same few lists come back on most rows (publics, modes d'accueil, thématiques): encoded once
        if type(v) is not list:
            return json.dumps(v)
        try:
            cle = tuple(v)
            hash(cle)
        except TypeError:  # a list of objects (opening slots, places)
            return json.dumps(v)
        texte = memoire_json.get(cle)
        if texte is None:
            texte = memoire_json[cle] = json.dumps(v)
        return texte

    for f in champs:
        if isinstance(f, models.JSONField):
            convertisseurs.append(en_json)
        elif isinstance(f, models.DateTimeField):
            if f.auto_now or f.auto_now_add:
                convertisseurs.append(lambda _v: maintenant)
            else:
                convertisseurs.append(lambda v: connection.ops.adapt_datetimefield_value(v) if v else None)
        elif isinstance(f, models.DateField):
            convertisseurs.append(lambda v: connection.ops.adapt_datefield_value(v) if v else None)
        else:
            convertisseurs.append(None)
    lire = attrgetter(*[f.attname for f in champs])
    a_convertir = [(i, c) for i, c in enumerate(convertisseurs) if c]
    lignes = []
    for o in objets:
        ligne = list(lire(o))
        for i, c in a_convertir:
            ligne[i] = c(ligne[i])
        lignes.append(ligne)
    return champs, lignes


def _upsert(modele, objets: list, champs_maj: list[str], *, preparees: tuple | None = None) -> None:
    """INSERT … ON CONFLICT (source, identifiant) DO UPDATE, with executemany (SQLite ≥ 3.24 and
    PostgreSQL): Django's bulk_create splits rows into batches of 999 parameters on SQLite, which makes
    an import of 250,000 services several times slower. Every value was checked against the columns'
    limits beforehand (validation.verifier_limites): no database refuses a row here.
    `preparees`: the (fields, rows) of `_lignes_sql`, when the caller already has them."""
    meta = modele._meta
    q = connection.ops.quote_name
    champs, lignes = preparees or _lignes_sql(modele, objets)
    if not lignes:
        return
    colonnes = ", ".join(q(f.column) for f in champs)
    valeurs = ", ".join(["%s"] * len(champs))
    maj = ", ".join(f"{q(f.column)} = excluded.{q(f.column)}" for f in champs if f.name in champs_maj)
    sql = (
        f"INSERT INTO {q(meta.db_table)} ({colonnes}) VALUES ({valeurs}) "
        f"ON CONFLICT ({q('source')}, {q('identifiant')}) DO UPDATE SET {maj}"
    )
    with connection.cursor() as curseur:
        if connection.vendor == "postgresql" and len(lignes) > 1000:
            # COPY into a temporary table, then one INSERT … SELECT … ON CONFLICT: far fewer round trips.
            table = q(meta.db_table)
            curseur.execute(f"CREATE TEMPORARY TABLE repere_import AS SELECT {colonnes} FROM {table} WITH NO DATA")
            with curseur.cursor.copy(f"COPY repere_import ({colonnes}) FROM STDIN") as copie:
                for ligne in lignes:
                    copie.write_row(ligne)
            curseur.execute(
                f"INSERT INTO {table} ({colonnes}) SELECT {colonnes} FROM repere_import "
                f"ON CONFLICT ({q('source')}, {q('identifiant')}) DO UPDATE SET {maj}"
            )
            curseur.execute("DROP TABLE repere_import")
        else:
            for i in range(0, len(lignes), 5000):
                curseur.executemany(sql, lignes[i : i + 5000])


@contextmanager
def _index_construits_a_la_fin(modele, nouvelles_lignes: int):
    """When an import brings more rows than the table holds (a first import of a whole directory), the
    table's secondary indexes are dropped and built once at the end, in the same transaction: one sort
    instead of hundreds of thousands of B-tree insertions. Unique indexes stay (ON CONFLICT needs them).
    Otherwise (the usual re-import of a few sources), nothing changes."""
    table = modele._meta.db_table
    with connection.cursor() as curseur:
        curseur.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        existantes = curseur.fetchone()[0]
        if nouvelles_lignes < SEUIL_INDEX_A_LA_FIN or nouvelles_lignes <= existantes:
            yield
            return
        if connection.vendor == "postgresql":
            curseur.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s",
                [table],
            )
        else:
            curseur.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        index = [(nom, sql) for nom, sql in curseur.fetchall() if "UNIQUE" not in sql.upper()]
        for nom, _sql in index:
            curseur.execute(f"DROP INDEX {connection.ops.quote_name(nom)}")
    yield
    with connection.cursor() as curseur:
        if connection.vendor == "postgresql":
            # the deferred foreign-key checks of the rows just written run now (PostgreSQL builds no index
            # on a table with pending trigger events), then the constraints are deferred again
            curseur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            curseur.execute("SET CONSTRAINTS ALL DEFERRED")
        for _nom, sql in index:
            curseur.execute(sql)


def _ecrire_structures(valides: dict, proteges: set, rapport, detecter_suppressions: bool, est_demo: bool) -> None:
    if not valides:
        return
    sources = {s for s, _ in valides}
    existantes = {}
    for source in sources:
        existantes.update(
            {
                (source, i): retiree
                for i, retiree in Structure.objects.filter(source=source).values_list(
                    "identifiant", "retiree_de_la_source_le"
                )
            }
        )
    champs_maj = [c if c != "id" else "identifiant" for c in CHAMPS_STRUCTURE if c not in ("source", "id")]
    champs_maj += ["retiree_de_la_source_le", "localisation_approximative", "est_demo"]
    objets = []
    for v in valides.values():
        valeurs = {"localisation_approximative": False, **v.valeurs}
        objets.append(Structure(**valeurs, retiree_de_la_source_le=None, est_demo=est_demo))
    _upsert(Structure, objets, champs_maj)
    rapport._revenues = {cle: None for cle in valides if existantes.get(cle) is not None}  # withdrawn, back now
    rapport.structures_creees = len(set(valides) - set(existantes))
    rapport.structures_mises_a_jour = len(set(valides) & set(existantes))
    if detecter_suppressions:
        for source in sources:
            ids = [
                pk
                for pk, ident in Structure.objects.filter(
                    source=source, retiree_de_la_source_le__isnull=True
                ).values_list("pk", "identifiant")
                if (source, ident) not in valides and (source, ident) not in proteges
            ]
            rapport.structures_retirees += len(ids)
            rapport.services_retires_avec_structure += services_annuaire.retirer_structures(ids=ids)


def _reindexer_structures(valides_st: dict, *, sauf=()) -> None:
    """Structures imported without their services: the services' search columns follow (name, hours,
    withdrawal ended). `sauf`: (source, id) of services this import has just written."""
    for source in {s for s, _ in valides_st}:
        ids = [i for s, i in valides_st if s == source]
        for k in range(0, len(ids), 900):
            services_annuaire.reindexer(
                service
                for service in Service.objects.filter(
                    structure__source=source, structure__identifiant__in=ids[k : k + 900]
                )
                .select_related("structure")
                .prefetch_related("lieux")
                if (service.source, service.identifiant) not in sauf
            )


def _empreintes(champs: list, lignes: list[list], objets: list) -> None:
    """Write each row's digest into its `empreinte` column: every value the import writes for the
    service (timestamps aside), its index rows, places and closures."""
    i_empreinte = next(k for k, f in enumerate(champs) if f.attname == "empreinte")
    gardes = [
        k
        for k, f in enumerate(champs)
        if k != i_empreinte and not (isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add))
    ]
    lire = itemgetter(*gardes)
    for ligne, o in zip(lignes, objets, strict=True):
        contenu = repr((lire(ligne), o._lignes_index, o._lieux_dicts, o._fermetures))
        ligne[i_empreinte] = o.empreinte = hashlib.blake2b(contenu.encode(), digest_size=16).hexdigest()


def _supprimer_lignes_liees(pks: list[int]) -> None:
    """Index rows, places and closures of these services (rewritten by the import)."""
    q = connection.ops.quote_name
    with connection.cursor() as curseur:
        for modele in (IndexRecherche, LieuService, Fermeture):
            table = q(modele._meta.db_table)
            if connection.vendor == "postgresql":  # one statement, the ids as one array parameter
                curseur.execute(f"DELETE FROM {table} WHERE {q('service_id')} = ANY(%s)", [pks])
            else:
                for k in range(0, len(pks), 900):
                    lot = pks[k : k + 900]
                    curseur.execute(
                        f"DELETE FROM {table} WHERE {q('service_id')} IN ({', '.join(['%s'] * len(lot))})", lot
                    )


def _ecrire_services(valides: dict, proteges: set, rapport, detecter_suppressions: bool, est_demo: bool) -> None:
    sources = {s for s, _ in valides}
    existants: dict[tuple, tuple[int, str]] = {}  # (source, id) → (pk, digest of the last import)
    for source in sources:
        existants.update(
            {
                (source, i): (pk, empreinte)
                for i, pk, empreinte in Service.objects.filter(source=source).values_list(
                    "identifiant", "pk", "empreinte"
                )
            }
        )
    objets = []
    # Plain namespaces rather than model instances: building 250,000 Service objects costs seconds.
    defauts = {f.attname: f.get_default() for f in Service._meta.concrete_fields if f.attname != "id"}
    json_champs = [f.attname for f in Service._meta.concrete_fields if isinstance(f, models.JSONField)]
    for v in valides.values():
        service = SimpleNamespace(**defauts)
        for champ in json_champs:
            setattr(service, champ, [])
        service.__dict__.update(v.valeurs)
        service.structure_id = v.structure.pk
        service.retire_de_la_source_le = None
        service.est_demo = est_demo
        service._lieux_dicts = [lieu_en_dict(lieu) for lieu in v.ext.get("lieux") or []]
        lieux = [LieuService(**lieu) for lieu in service._lieux_dicts]
        service._lignes_index = calculer_index(service, structure=v.structure, lieux=lieux)
        service._lieux = lieux
        service._fermetures = v.ext.get("fermetures") or []
        objets.append(service)
    champs_maj = [
        c
        for c in [f.name for f in Service._meta.concrete_fields]
        if c not in ("id", "source", "identifiant", "cree_le", "verifie_par", "relance_verification_le", "statut")
    ]
    objets.sort(key=lambda o: (o.source, o.identifiant))  # B-tree of the unique key filled in order
    champs, lignes = _lignes_sql(Service, objets)
    _empreintes(champs, lignes, objets)
    # A service whose digest is the one its last import wrote is left as it is (row, index, places,
    # closures): a re-import of an unchanged directory writes almost nothing.
    changes = [k for k, o in enumerate(objets) if existants.get((o.source, o.identifiant), (0, None))[1] != o.empreinte]
    objets = [objets[k] for k in changes]
    with _index_construits_a_la_fin(Service, len(objets)):
        _upsert(Service, objets, champs_maj, preparees=(champs, [lignes[k] for k in changes]))
    rapport.services_crees = len(set(valides) - set(existants))
    rapport.services_mis_a_jour = len(set(valides) & set(existants))
    rapport.services_inchanges = len(valides) - len(objets)

    ids = {cle: pk for cle, (pk, _e) in existants.items()}
    nouveaux = [o for o in objets if (o.source, o.identifiant) not in existants]
    for source in {o.source for o in nouveaux}:
        nouveaux_ids = {o.identifiant for o in nouveaux if o.source == source}
        if len(nouveaux_ids) > 5000:
            requete = Service.objects.filter(source=source)
        else:
            requete = Service.objects.filter(source=source, identifiant__in=nouveaux_ids)
        ids.update({(source, i): pk for i, pk in requete.values_list("identifiant", "pk") if i in nouveaux_ids})
    maintenant = timezone.now()
    a_effacer = [ids[(o.source, o.identifiant)] for o in objets if (o.source, o.identifiant) in existants]
    if detecter_suppressions and sources:
        retires = [pk for cle, (pk, _e) in existants.items() if cle not in valides and cle not in proteges]
        for i in range(0, len(retires), 900):
            lot = retires[i : i + 900]
            rapport.services_retires += Service.objects.filter(pk__in=lot, retire_de_la_source_le__isnull=True).update(
                retire_de_la_source_le=maintenant, recherchable=False, empreinte=""
            )
        a_effacer += retires  # rejected rows (`proteges`): published version untouched
    if a_effacer:
        _supprimer_lignes_liees(a_effacer)
    lignes, lieux, fermetures = [], [], []
    for service in objets:
        pk = ids[(service.source, service.identifiant)]
        service.pk = pk
        lignes.extend((pk, *ligne) for ligne in service._lignes_index)
        for lieu in service._lieux:
            lieu.service_id = pk
            lieux.append(lieu)
        for f in service._fermetures:
            fermetures.append(
                Fermeture(
                    service_id=pk,
                    debut=date.fromisoformat(f["debut"]),
                    fin=date.fromisoformat(f["fin"]),
                    motif=f.get("motif") or "",
                )
            )
    with _index_construits_a_la_fin(IndexRecherche, len(lignes)):
        services_annuaire.ecrire_index(lignes)  # sorted in the order of the index, COPY on PostgreSQL
    LieuService.objects.bulk_create(lieux, batch_size=2000)
    Fermeture.objects.bulk_create(fermetures, batch_size=2000)
