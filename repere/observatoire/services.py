"""Writes of the observatory: validated imports, upward aggregation, the published layer with the
statistical secret applied, and the indicators computed from Repère's own activity."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Q

from repere.observatoire import geographie as geographie_mod
from repere.observatoire import secret
from repere.observatoire.importation.commun import ErreurImport, Fichier, Lecture, Probleme
from repere.observatoire.models import (
    ORDRE_NIVEAUX,
    Agregation,
    ContourIris,
    ImportFichier,
    Indicateur,
    Niveau,
    Statut,
    StatutImport,
    Valeur,
)
from repere.utils.errors import ErreurMetier

TAILLE_LOT = 5000
STATUTS_CONNUS = {Statut.OK, Statut.PROVISOIRE, Statut.ESTIME}


def enregistrer_import(*, lecture: Lecture, fichier: Fichier, par=None, est_demo: bool = False) -> ImportFichier:
    """Record the run, then either refuse the file (nothing written) or replace, in one transaction,
    the values of the same source for the indicators, periods and levels the file holds.

    The upward aggregation and the statistical secret are computed in memory from the values read and
    the ones kept from other files, so every row is written once, already aggregated and masked, in
    the order of the unique index (a national Filosofi file: 940,000 values; issue 13, bench)."""
    if not lecture.valeurs and not lecture.problemes:
        lecture.problemes.append(Probleme(None, None, None, "Aucune valeur lue dans le fichier."))
    run = _ouvrir_run(lecture=lecture, fichier=fichier, par=par, est_demo=est_demo)
    geo = geographie_mod.geographie()
    with transaction.atomic(), _cache_sqlite():
        indicateurs = {}
        for meta in lecture.indicateurs:
            meta = dict(meta)
            code = meta.pop("code")
            meta.setdefault("est_demo", est_demo)
            indicateurs[code], _ = Indicateur.objects.update_or_create(code=code, defaults=meta)
        groupes: dict[tuple[int, str], dict] = defaultdict(dict)
        pk_de = {code: i.pk for code, i in indicateurs.items()}
        for v in lecture.valeurs:
            groupes[(pk_de[v.indicateur], v.periode)][(v.niveau, v.code)] = (
                v.valeur,
                v.numerateur,
                v.denominateur,
                v.statut,
            )
        par_pk = {i.pk: i for i in indicateurs.values()}
        lignes: list[tuple] = []
        # Written in the unique index's order (indicator, period, level, code): appends, not seeks.
        for indicateur_id, periode in sorted(groupes):
            nouvelles = groupes[(indicateur_id, periode)]
            lignes += _remplacer(
                indicateur=par_pk[indicateur_id], periode=periode, nouvelles=nouvelles, geo=geo, run=run
            )
        inserer_valeurs(lignes)
        ImportFichier.objects.filter(source=lecture.source, statut=StatutImport.VALIDE).update(
            statut=StatutImport.REMPLACE
        )
        run.statut = StatutImport.VALIDE
        run.valeurs = len(lecture.valeurs)
        run.save(update_fields=["statut", "valeurs"])
    return run


def _remplacer(*, indicateur: Indicateur, periode: str, nouvelles: dict, geo, run) -> list[tuple]:
    """The rows to write for one indicator and period: the file's values and the levels aggregated from
    them, each with its secret; the values kept from other files (another level) get their secret again."""
    niveaux = {n for n, _c in nouvelles}
    base = Valeur.objects.filter(indicateur=indicateur, periode=periode)
    base.filter(Q(niveau__in=niveaux) | Q(calculee=True)).delete()
    restantes = {
        (n, c): (pk, (valeur, num, den, statut), masque)
        for pk, n, c, valeur, num, den, statut, masque in base.values_list(
            "pk", "niveau", "code", "valeur", "numerateur", "denominateur", "statut", "masque"
        )
    }
    toutes = {k: r[1] for k, r in restantes.items()}
    toutes.update(nouvelles)
    agregats = _agregats(indicateur, geo, toutes) if indicateur.agregation != Agregation.AUCUNE else {}
    toutes.update(agregats)
    masques = _masques(indicateur, geo, toutes)
    i, r = indicateur.pk, run.pk
    ecrites = [(cle, v, False, r) for cle, v in nouvelles.items()]
    ecrites += [(cle, v, True, None) for cle, v in agregats.items()]
    ecrites.sort(key=_premier)
    lignes = [(i, cle[0], cle[1], periode, *v, cle in masques, calc, imp) for cle, v, calc, imp in ecrites]
    changees = defaultdict(list)
    for cle, (pk, _v, masque) in restantes.items():
        if (cle in masques) != masque:
            changees[cle in masques].append(pk)
    for masque, pks in changees.items():
        for k in range(0, len(pks), 900):
            Valeur.objects.filter(pk__in=pks[k : k + 900]).update(masque=masque)
    return lignes


def _premier(x):
    return x[0]


@contextmanager
def _cache_sqlite(pages_ko: int = 262144):
    """A larger SQLite page cache for the length of a bulk write: the indexes of a national file no
    longer fit in the default 2 MB, and each insert would read its index pages from disk again."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as c:
        c.execute("PRAGMA cache_size")
        avant = c.fetchone()[0]
        c.execute(f"PRAGMA cache_size = -{int(pages_ko)}")
    try:
        yield
    finally:
        with connection.cursor() as c:
            c.execute(f"PRAGMA cache_size = {int(avant)}")


def _ouvrir_run(*, lecture: Lecture, fichier: Fichier, par, est_demo: bool) -> ImportFichier:
    """The run recorded (file, size, date, checksum); a file with problems is refused here, before any write."""
    run = ImportFichier.objects.create(
        source=lecture.source,
        fichier=fichier.nom[:255],
        taille=len(fichier.contenu),
        sha256=fichier.sha256,
        date_fichier=fichier.date,
        par=par if getattr(par, "pk", None) else None,
        lignes=lecture.lignes,
        avertissements=lecture.avertissements[:500],
        est_demo=est_demo,
    )
    if lecture.problemes:
        run.statut = StatutImport.ECHEC
        run.erreurs = [p.en_dict() for p in lecture.problemes[:500]]
        run.save(update_fields=["statut", "erreurs"])
        raise ErreurImport(lecture.problemes, import_fichier=run)
    return run


def enregistrer_contours_iris(*, lecture, fichier: Fichier, par=None) -> ImportFichier:
    """IGN's IRIS outlines (``importation.iris.lire``): refused whole if a line is at fault; else, in one
    transaction, the outlines of the communes the file covers replace the ones loaded before."""
    run = _ouvrir_run(lecture=lecture, fichier=fichier, par=par, est_demo=False)
    communes = sorted({c.commune for c in lecture.contours})
    with transaction.atomic():
        codes = [c.code for c in lecture.contours]
        for i in range(0, max(len(communes), len(codes)), 900):  # under SQLite's limit on query parameters
            ContourIris.objects.filter(commune__in=communes[i : i + 900]).delete()
            ContourIris.objects.filter(code__in=codes[i : i + 900]).delete()
        ContourIris.objects.bulk_create(
            [
                ContourIris(
                    code=c.code,
                    nom=c.nom,
                    commune=c.commune,
                    type_iris=c.type_iris,
                    geometrie=c.geometrie,
                    import_fichier=run,
                )
                for c in lecture.contours
            ],
            batch_size=1000,
        )
        run.statut = StatutImport.VALIDE
        run.valeurs = len(lecture.contours)
        run.save(update_fields=["statut", "valeurs"])
    geographie_mod.vider_cache()
    return run


COLONNES_VALEUR = (
    "indicateur_id",
    "niveau",
    "code",
    "periode",
    "valeur",
    "numerateur",
    "denominateur",
    "statut",
    "masque",
    "calculee",
    "import_fichier_id",
)


def inserer_valeurs(lignes: Iterable[tuple]) -> int:
    """Bulk write of value rows (tuples in ``COLONNES_VALEUR`` order), inside the caller's transaction:
    ``COPY … FROM STDIN`` on PostgreSQL, ``executemany`` by batches on SQLite. The ORM's ``bulk_create``
    spent most of a national Filosofi import building model instances and SQL (issue 13, bench)."""
    table = connection.ops.quote_name(Valeur._meta.db_table)
    colonnes = ", ".join(connection.ops.quote_name(c) for c in COLONNES_VALEUR)
    total = 0
    with connection.cursor() as curseur:
        if connection.vendor == "postgresql":
            with curseur.cursor.copy(f"COPY {table} ({colonnes}) FROM STDIN") as copie:
                for ligne in lignes:
                    copie.write_row(ligne)
                    total += 1
            return total
        # Many rows per statement (as many as SQLite's limit on parameters allows, up to 500): SQLite's
        # ``executemany`` of one row per statement spent a third of its time per statement.
        place = f"({', '.join(['%s'] * len(COLONNES_VALEUR))})"
        par_instruction = max(1, min(500, _limite_parametres_sqlite() // len(COLONNES_VALEUR)))
        sql = f"INSERT INTO {table} ({colonnes}) VALUES "
        sql_lot = sql + ", ".join([place] * par_instruction)
        lot: list = []
        for ligne in lignes:
            lot.extend(ligne)
            if len(lot) >= par_instruction * len(COLONNES_VALEUR):
                curseur.execute(sql_lot, lot)
                total += par_instruction
                lot = []
        if lot:
            reste = len(lot) // len(COLONNES_VALEUR)
            curseur.execute(sql + ", ".join([place] * reste), lot)
            total += reste
    return total


def _limite_parametres_sqlite() -> int:
    try:
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except (AttributeError, sqlite3.Error):  # Python < 3.11, or no connection open yet
        return connection.features.max_query_params


def agreger(*, indicateur: Indicateur, periode: str) -> int:
    """Compute the EPCI, département, région and France values from the communes, where the indicator
    allows it (counts add up, rates are recomputed from numerator and denominator; a median, a decile
    or a distance never). A level imported from a file is kept as is. A territory with a commune
    without a known value gets « non disponible »: a partial sum would be false."""
    if indicateur.agregation == Agregation.AUCUNE:
        raise ErreurMetier(
            f"« {indicateur.libelle} » ne s'agrège pas d'un territoire à l'autre (médiane, décile, part de revenu "
            "ou distance) : importez ses valeurs à chaque niveau depuis le fichier officiel de ce niveau.",
            champ="indicateur",
        )
    geo = geographie_mod.geographie()
    Valeur.objects.filter(indicateur=indicateur, periode=periode, calculee=True).delete()
    toutes = {
        (n, c): (valeur, num, den, statut)
        for n, c, valeur, num, den, statut in Valeur.objects.filter(indicateur=indicateur, periode=periode).values_list(
            "niveau", "code", "valeur", "numerateur", "denominateur", "statut"
        )
    }
    agregats = _agregats(indicateur, geo, toutes)
    inserer_valeurs((indicateur.pk, n, c, periode, *v, False, True, None) for (n, c), v in agregats.items())
    return len(agregats)


def _agregats(indicateur: Indicateur, geo, toutes: dict) -> dict:
    """(level, code) -> (value, numerator, denominator, status) of the levels above the commune that no
    file gave, from the communes' values in ``toutes``."""
    communes = {c: v for (n, c), v in toutes.items() if n == Niveau.COMMUNE}
    if not communes:
        return {}
    resultat = {}
    for (niveau, code), membres in geo.enfants.items():
        if niveau not in ORDRE_NIVEAUX[2:] or (niveau, code) in toutes:
            continue
        parts = [communes.get(c) for c in membres]
        if any(parts):
            resultat[(niveau, code)] = _agregat(indicateur, parts)
    return resultat


def _agregat(indicateur, parts) -> tuple:
    nd = (None, None, None, Statut.NON_DISPONIBLE)
    if any(p is None or p[3] not in STATUTS_CONNUS for p in parts):
        return nd
    statut = Statut.OK
    if any(p[3] == Statut.ESTIME for p in parts):
        statut = Statut.ESTIME
    elif any(p[3] == Statut.PROVISOIRE for p in parts):
        statut = Statut.PROVISOIRE
    if indicateur.agregation == Agregation.SOMME:
        return (sum(p[0] for p in parts), None, None, statut)
    if any(p[1] is None or p[2] is None for p in parts):
        return nd
    num, den = sum(p[1] for p in parts), sum(p[2] for p in parts)
    if not den:
        return (None, num, den, Statut.NON_DISPONIBLE)
    return (indicateur.facteur * num / den, num, den, statut)


def publier(*, indicateur: Indicateur, periode: str, seuil: int | None = None) -> int:
    """Apply the statistical secret (repere.observatoire.secret.masquer) to every value of the
    indicator for the period, with the hierarchy as its additive relations; returns the cells hidden."""
    geo = geographie_mod.geographie()
    cellules, pks = {}, {}
    for pk, niveau, code, valeur, num, den, statut in Valeur.objects.filter(
        indicateur=indicateur, periode=periode
    ).values_list("pk", "niveau", "code", "valeur", "numerateur", "denominateur", "statut"):
        pks[(niveau, code)] = pk
        cellules[(niveau, code)] = (valeur, num, den, statut)
    masques = _masques(indicateur, geo, cellules, seuil=seuil)
    ids_masques = [pks[k] for k in masques]
    with transaction.atomic():
        Valeur.objects.filter(indicateur=indicateur, periode=periode, masque=True).update(masque=False)
        for i in range(0, len(ids_masques), 900):
            Valeur.objects.filter(pk__in=ids_masques[i : i + 900]).update(masque=True)
    return len(masques)


def _masques(indicateur: Indicateur, geo, valeurs: dict, seuil: int | None = None) -> set:
    """The keys of ``valeurs`` ((level, code) -> (value, numerator, denominator, status)) to hide."""
    if indicateur.agregation == Agregation.AUCUNE:
        # No additive relation (a median, a share): the primary and source secret only, column by column.
        cles = list(valeurs)
        lignes = list(valeurs.values())
        return secret.primaires(
            cles,
            [None] * len(cles),
            [v[2] for v in lignes],
            [v[3] == Statut.SECRET for v in lignes],
            seuil=seuil,
        )
    cellules = {}
    for cle, (valeur, num, den, statut) in valeurs.items():
        if indicateur.agregation == Agregation.SOMME:
            effectif, denominateur = valeur, None
        else:
            effectif, denominateur = num, den
        cellules[cle] = secret.Cellule(
            effectif=effectif, denominateur=denominateur, secret_source=statut == Statut.SECRET
        )
    return secret.masquer(cellules, relations=relations_hierarchie(geo, cellules), seuil=seuil)


def republier_tout(*, seuil: int | None = None) -> int:
    """After a change of the threshold: the secret applied again to every indicator and period."""
    total = 0
    for indicateur in Indicateur.objects.all():
        for periode in Valeur.objects.filter(indicateur=indicateur).values_list("periode", flat=True).distinct():
            total += publier(indicateur=indicateur, periode=periode, seuil=seuil)
    return total


def relations_hierarchie(geo, cellules) -> list:
    """The additive relations of the territory tree: an EPCI and a département are the sum of their
    communes, a région of its départements, France of its régions."""
    return [r for r in _relations_completes(geo) if r[0] in cellules]


_relations: dict = {"geo": None, "liste": []}


def _relations_completes(geo) -> list:
    """Every relation of the tree, built once per loaded geography (an import rebuilt them for each
    indicator and period)."""
    if _relations["geo"] is not geo:
        _relations["liste"] = _construire_relations(geo)
        _relations["geo"] = geo
    return _relations["liste"]


def _construire_relations(geo) -> list:
    relations = []
    sous: dict[tuple[str, str], list] = defaultdict(list)
    for (niveau, code), lieu in geo.lieux.items():
        if niveau == Niveau.DEPARTEMENT and lieu.parents.get(Niveau.REGION):
            sous[(Niveau.REGION, lieu.parents[Niveau.REGION])].append((niveau, code))
        elif niveau == Niveau.REGION:
            sous[(Niveau.FRANCE, "FR")].append((niveau, code))
    for cle in geo.lieux:
        niveau, code = cle
        if niveau in (Niveau.EPCI, Niveau.DEPARTEMENT):
            relations.append((cle, [(Niveau.COMMUNE, c) for c in geo.communes_de(niveau, code)]))
        elif niveau in (Niveau.REGION, Niveau.FRANCE):
            relations.append((cle, sous.get(cle, [])))
    return relations
