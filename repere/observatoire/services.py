"""Writes of the observatory: validated imports, upward aggregation, the published layer with the
statistical secret applied, and the indicators computed from Repère's own activity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction

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
    the values of the same source for the indicators, periods and levels the file holds."""
    if not lecture.valeurs and not lecture.problemes:
        lecture.problemes.append(Probleme(None, None, None, "Aucune valeur lue dans le fichier."))
    run = _ouvrir_run(lecture=lecture, fichier=fichier, par=par, est_demo=est_demo)
    with transaction.atomic():
        indicateurs = {}
        for meta in lecture.indicateurs:
            meta = dict(meta)
            code = meta.pop("code")
            meta.setdefault("est_demo", est_demo)
            indicateurs[code], _ = Indicateur.objects.update_or_create(code=code, defaults=meta)
        paires: dict[tuple[int, str], set[str]] = defaultdict(set)
        for v in lecture.valeurs:
            paires[(indicateurs[v.indicateur].pk, v.periode)].add(v.niveau)
        for (indicateur_id, periode), niveaux in paires.items():
            Valeur.objects.filter(indicateur_id=indicateur_id, periode=periode, niveau__in=niveaux).delete()
            Valeur.objects.filter(indicateur_id=indicateur_id, periode=periode, calculee=True).delete()
        inserer_valeurs(
            (indicateurs[v.indicateur].pk, v.niveau, v.code, v.periode, v.valeur, v.numerateur, v.denominateur)
            + (v.statut, False, False, run.pk)
            for v in lecture.valeurs
        )
        ImportFichier.objects.filter(source=lecture.source, statut=StatutImport.VALIDE).update(
            statut=StatutImport.REMPLACE
        )
        par_indicateur = {i.pk: i for i in indicateurs.values()}
        for indicateur_id, periode in paires:
            indicateur = par_indicateur[indicateur_id]
            if indicateur.agregation != Agregation.AUCUNE:
                agreger(indicateur=indicateur, periode=periode)
            publier(indicateur=indicateur, periode=periode)
        run.statut = StatutImport.VALIDE
        run.valeurs = len(lecture.valeurs)
        run.save(update_fields=["statut", "valeurs"])
    return run


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
        sql = f"INSERT INTO {table} ({colonnes}) VALUES ({', '.join(['%s'] * len(COLONNES_VALEUR))})"
        lot: list[tuple] = []
        for ligne in lignes:
            lot.append(ligne)
            if len(lot) >= TAILLE_LOT:
                curseur.executemany(sql, lot)
                total += len(lot)
                lot = []
        if lot:
            curseur.executemany(sql, lot)
            total += len(lot)
    return total


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
    existantes = set(Valeur.objects.filter(indicateur=indicateur, periode=periode).values_list("niveau", "code"))
    communes = {
        code: (valeur, num, den, statut)
        for code, valeur, num, den, statut in Valeur.objects.filter(
            indicateur=indicateur, periode=periode, niveau=Niveau.COMMUNE
        ).values_list("code", "valeur", "numerateur", "denominateur", "statut")
    }
    if not communes:
        return 0
    nouvelles = []
    for niveau in ORDRE_NIVEAUX[2:]:
        for (_n, code), membres in ((k, v) for k, v in geo.enfants.items() if k[0] == niveau):
            if (niveau, code) in existantes:
                continue
            parts = [communes.get(c) for c in membres]
            if not any(parts):
                continue
            nouvelles.append(_agregat(indicateur, periode, niveau, code, parts))
    Valeur.objects.bulk_create(nouvelles, batch_size=TAILLE_LOT)
    return len(nouvelles)


def _agregat(indicateur, periode, niveau, code, parts) -> Valeur:
    base = {"indicateur": indicateur, "periode": periode, "niveau": niveau, "code": code, "calculee": True}
    if any(p is None or p[3] not in STATUTS_CONNUS for p in parts):
        return Valeur(**base, statut=Statut.NON_DISPONIBLE)
    statut = Statut.OK
    if any(p[3] == Statut.ESTIME for p in parts):
        statut = Statut.ESTIME
    elif any(p[3] == Statut.PROVISOIRE for p in parts):
        statut = Statut.PROVISOIRE
    if indicateur.agregation == Agregation.SOMME:
        return Valeur(**base, valeur=sum(p[0] for p in parts), statut=statut)
    if any(p[1] is None or p[2] is None for p in parts):
        return Valeur(**base, statut=Statut.NON_DISPONIBLE)
    num, den = sum(p[1] for p in parts), sum(p[2] for p in parts)
    valeur = indicateur.facteur * num / den if den else None
    return Valeur(
        **base, valeur=valeur, numerateur=num, denominateur=den, statut=statut if den else Statut.NON_DISPONIBLE
    )


def publier(*, indicateur: Indicateur, periode: str, seuil: int | None = None) -> int:
    """Apply the statistical secret (repere.observatoire.secret.masquer) to every value of the
    indicator for the period, with the hierarchy as its additive relations; returns the cells hidden."""
    geo = geographie_mod.geographie()
    lignes = list(
        Valeur.objects.filter(indicateur=indicateur, periode=periode).values_list(
            "pk", "niveau", "code", "valeur", "numerateur", "denominateur", "statut"
        )
    )
    cellules, pks = {}, {}
    for pk, niveau, code, valeur, num, den, statut in lignes:
        cle = (niveau, code)
        pks[cle] = pk
        if indicateur.agregation == Agregation.SOMME:
            effectif, denominateur = valeur, None
        elif indicateur.agregation == Agregation.RATIO:
            effectif, denominateur = num, den
        else:
            effectif, denominateur = None, den
        cellules[cle] = secret.Cellule(
            effectif=effectif, denominateur=denominateur, secret_source=statut == Statut.SECRET
        )
    relations = relations_hierarchie(geo, cellules) if indicateur.agregation != Agregation.AUCUNE else []
    masques = secret.masquer(cellules, relations=relations, seuil=seuil)
    ids_masques = [pks[k] for k in masques]
    with transaction.atomic():
        Valeur.objects.filter(indicateur=indicateur, periode=periode, masque=True).update(masque=False)
        for i in range(0, len(ids_masques), TAILLE_LOT):
            Valeur.objects.filter(pk__in=ids_masques[i : i + TAILLE_LOT]).update(masque=True)
    return len(masques)


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
    relations = []
    sous: dict[tuple[str, str], list] = defaultdict(list)
    for (niveau, code), lieu in geo.lieux.items():
        if niveau == Niveau.DEPARTEMENT and lieu.parents.get(Niveau.REGION):
            sous[(Niveau.REGION, lieu.parents[Niveau.REGION])].append((niveau, code))
        elif niveau == Niveau.REGION:
            sous[(Niveau.FRANCE, "FR")].append((niveau, code))
    for cle in cellules:
        niveau, code = cle
        if niveau in (Niveau.EPCI, Niveau.DEPARTEMENT):
            relations.append((cle, [(Niveau.COMMUNE, c) for c in geo.communes_de(niveau, code)]))
        elif niveau in (Niveau.REGION, Niveau.FRANCE):
            relations.append((cle, sous.get(cle, [])))
    return relations
