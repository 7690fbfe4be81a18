"""Read the directory: service search, and referrals scoped to the user's organisations."""

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from repere.annuaire import horaires, taxonomies
from repere.annuaire.models import (
    Fermeture,
    Orientation,
    Service,
    StatutModeration,
    Structure,
)
from repere.annuaire.services import normaliser_texte
from repere.organisations.permissions import ROLES_DONNEES_PERSONNELLES, organisations_de
from repere.territoires.models import Territoire, TypeTerritoire
from repere.territoires.selectors import boite_autour, distance_km

RAYON_DEFAUT_KM = 30
RAYON_MAX_KM = 200


@dataclass
class Criteres:
    """A search, after validation (forms and the API build it)."""

    commune: Territoire | None = None
    latitude: float | None = None
    longitude: float | None = None
    rayon_km: float = RAYON_DEFAUT_KM
    thematiques: list[str] = field(default_factory=list)  # thématiques or catégories
    publics: list[str] = field(default_factory=list)
    frais: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    modes_accueil: list[str] = field(default_factory=list)  # en-presentiel / a-distance
    texte: str = ""
    ouvert_maintenant: bool = False
    ouvert_le: date | None = None
    moment: datetime | None = None  # "now", for tests and the bench


@dataclass
class Resultat:
    service_id: int
    distance_km: float | None
    latitude: float | None = None
    longitude: float | None = None
    service: Service | None = None


def cles_zone(commune: Territoire | None) -> list[str]:
    """The codes a zone_eligibilite must contain for a service to be open to this commune's residents."""
    if commune is None:
        return []
    cles = [commune.code]
    if commune.commune_parente_id:
        cles.append(commune.commune_parente.code)
    for parent in (commune.epci, commune.departement):
        if parent is not None:
            cles.append(parent.code)
    return cles


def _conditions(c: Criteres, cles: list[str], thematiques: list[str]) -> tuple[list[str], list]:
    """SQL conditions shared by the on-site and remote queries (portable SQLite / PostgreSQL; every
    LIKE pattern is built from normalised words or codes, which hold no wildcard)."""
    sql = [f"i.thematique IN ({', '.join(['%s'] * len(thematiques))})", "s.recherchable = %s"]
    params: list = [*thematiques, True]
    zone = ["s.zone_cle = ''"] + ["s.zone_cle LIKE %s"] * len(cles)
    sql.append("(" + " OR ".join(zone) + ")")
    params += [f"%|{cle}|%" for cle in cles]
    for mot in normaliser_texte(c.texte).split():
        sql.append("s.texte_recherche LIKE %s")
        params.append(f"% {mot}%")
    if c.publics:
        publics = [taxonomies.TOUS_PUBLICS, *c.publics]
        sql.append("(s.publics_cle = '' OR " + " OR ".join(["s.publics_cle LIKE %s"] * len(publics)) + ")")
        params += [f"%|{p}|%" for p in publics]
    if c.frais:
        sql.append(f"s.frais IN ({', '.join(['%s'] * len(c.frais))})")
        params += c.frais
    if c.types:
        sql.append(f"s.type IN ({', '.join(['%s'] * len(c.types))})")
        params += c.types
    if c.ouvert_maintenant or c.ouvert_le:
        sql.append("s.horaires_effectifs <> ''")
        moment = _moment(c)
        jour = c.ouvert_le or moment.date()
        if not horaires.jour_ferie(jour):
            # Pre-filter on the 672 quarter-hours of the typical week; exact check in Python afterwards.
            if c.ouvert_maintenant:
                sql.append("(s.horaires_simples = %s OR SUBSTR(s.quarts_ouverts, %s, 1) = '1')")
                params += [False, horaires.minute_de_semaine(moment) // 15 + 1]
            else:
                sql.append("(s.horaires_simples = %s OR SUBSTR(s.quarts_ouverts, %s, 96) LIKE %s)")
                params += [False, jour.weekday() * 96 + 1, "%1%"]
    return sql, params


def _moment(c: Criteres) -> datetime:
    moment = timezone.localtime(c.moment) if c.moment else timezone.localtime()
    return moment.replace(tzinfo=None)


def _ouverts(candidats: dict[int, tuple], c: Criteres) -> set[int]:
    """Ids open at the moment / on the day, exactly: weekly intervals for simple hours, the library
    for public holidays and complex rules; temporary closures respected."""
    if not candidats:
        return set()
    moment = _moment(c)
    jour = c.ouvert_le if c.ouvert_le else moment.date()
    ferie = horaires.jour_ferie(jour)
    fermes = set(Fermeture.objects.filter(debut__lte=jour, fin__gte=jour).values_list("service_id", flat=True))
    minute = horaires.minute_de_semaine(moment)
    ouverts = set()
    for sid, (expression, simple, creneaux) in candidats.items():
        if sid in fermes or not expression:
            continue
        if simple and not ferie:
            if isinstance(creneaux, str):
                creneaux = json.loads(creneaux)
            ok = (
                horaires.dans_creneaux(creneaux, minute)
                if c.ouvert_maintenant
                else horaires.creneaux_touchent_jour(creneaux, jour.weekday())
            )
        elif c.ouvert_maintenant:
            ok = horaires.est_ouvert(expression, moment)
        else:
            ok = horaires.ouvert_le_jour(expression, jour)
        if ok:
            ouverts.add(sid)
    return ouverts


_SELECT = (
    "SELECT i.service_id, i.latitude, i.longitude, s.horaires_effectifs, s.horaires_simples, s.creneaux "
    "FROM annuaire_indexrecherche i INNER JOIN annuaire_service s ON s.id = i.service_id WHERE "
)


def rechercher(c: Criteres, *, limite: int = 200) -> list[Resultat]:
    """Services matching the criteria: on-site ones by distance (within the radius), remote ones
    interleaved (two on-site, one remote, remote ones in a daily rotating order).

    Indexed path: the IndexRecherche rows (thématique, latitude, longitude) of the bounding box, joined
    to the search columns of Service (normalised text, codes, zone, quarter-hours of the typical week),
    in one SQL query; exact distance and opening hours are then checked in Python on the few rows left.
    """
    thematiques = taxonomies.thematiques_de(c.thematiques) or ["*"]
    lat, lon = c.latitude, c.longitude
    if lat is None and c.commune is not None:
        lat, lon = c.commune.latitude, c.commune.longitude
    conditions, params = _conditions(c, cles_zone(c.commune), thematiques)
    besoin_horaires = c.ouvert_maintenant or c.ouvert_le is not None
    veut_presentiel = not c.modes_accueil or taxonomies.EN_PRESENTIEL in c.modes_accueil
    veut_distance = not c.modes_accueil or taxonomies.A_DISTANCE in c.modes_accueil

    proches: dict[int, Resultat] = {}
    infos: dict[int, tuple] = {}
    with connection.cursor() as curseur:
        if veut_presentiel:
            sql = _SELECT + " AND ".join(conditions)
            p = list(params)
            if lat is not None:
                sud, nord, ouest, est = boite_autour(lat, lon, c.rayon_km)
                sql += " AND i.latitude BETWEEN %s AND %s AND i.longitude BETWEEN %s AND %s"
                p += [sud, nord, ouest, est]
            else:
                # no place: a bounded national sample
                sql += f" AND i.latitude IS NOT NULL ORDER BY i.service_id LIMIT {int(limite) * 10}"
            curseur.execute(sql, p)
            for sid, plat, plon, expression, simple, creneaux in curseur.fetchall():
                d = distance_km(lat, lon, plat, plon) if lat is not None else None
                if d is not None and d > c.rayon_km:
                    continue
                r = proches.get(sid)
                if r is None or (d is not None and d < r.distance_km):
                    proches[sid] = Resultat(sid, d, plat, plon)
                infos[sid] = (expression, simple, creneaux)
        distants: dict[int, Resultat] = {}
        if veut_distance:
            curseur.execute(_SELECT + " AND ".join(conditions) + " AND i.latitude IS NULL", params)
            for sid, _lat, _lon, expression, simple, creneaux in curseur.fetchall():
                if sid not in proches:
                    distants[sid] = Resultat(sid, None)
                    infos[sid] = (expression, simple, creneaux)
    if besoin_horaires:
        ouverts = _ouverts(infos, c)
        proches = {k: v for k, v in proches.items() if k in ouverts}
        distants = {k: v for k, v in distants.items() if k in ouverts}

    sur_place = sorted(
        proches.values(), key=lambda r: (r.distance_km if r.distance_km is not None else 0, r.service_id)
    )
    a_distance = sorted(distants.values(), key=lambda r: r.service_id)
    random.Random(timezone.localdate().toordinal()).shuffle(a_distance)
    return _entrelacer(sur_place, a_distance)[:limite]


def _entrelacer(sur_place: list, a_distance: list) -> list:
    resultat, i, j = [], 0, 0
    while i < len(sur_place) or j < len(a_distance):
        for _ in range(2):
            if i < len(sur_place):
                resultat.append(sur_place[i])
                i += 1
        if j < len(a_distance):
            resultat.append(a_distance[j])
            j += 1
    return resultat


def charger_services(resultats: list[Resultat]) -> list[Resultat]:
    """Attach the Service objects (with structure) to a page of results."""
    objets = Service.objects.select_related("structure").in_bulk([r.service_id for r in resultats])
    for r in resultats:
        r.service = objets.get(r.service_id)
    return [r for r in resultats if r.service is not None]


def service_public(pk: int) -> Service | None:
    return (
        Service.objects.select_related("structure", "verifie_par")
        .prefetch_related("lieux", "fermetures")
        .filter(pk=pk, recherchable=True)
        .first()
    )


def fermetures_a_venir(service: Service, *, aujourdhui: date | None = None):
    aujourdhui = aujourdhui or timezone.localdate()
    return [f for f in service.fermetures.all() if f.fin >= aujourdhui]


# -- Structure space ----------------------------------------------------------------------------


def structures_de(user) -> QuerySet[Structure]:
    ids = list(organisations_de(user).values_list("pk", flat=True))
    return Structure.objects.filter(organisation_id__in=ids).select_related("organisation")


def peut_modifier_structure(user, structure: Structure) -> bool:
    if getattr(user, "is_platform_admin", False):
        return True
    from repere.organisations.permissions import ROLES_SAISIE, a_un_role

    return bool(structure.organisation_id) and a_un_role(user, structure.organisation_id, ROLES_SAISIE)


TYPES_MODERATEURS = {"departement", "collectivite", "etat"}


def peut_moderer(user, structure: Structure) -> bool:
    """Platform admins, and admins of a département/EPCI/State organisation whose territory of
    action contains the structure's commune."""
    if getattr(user, "is_platform_admin", False):
        return True
    return structure.pk in set(structures_a_moderer(user).values_list("pk", flat=True))


def structures_a_moderer(user) -> QuerySet[Structure]:
    """New structures waiting for moderation, and claims of imported structures, on the user's territories."""
    qs = Structure.objects.filter(
        Q(statut_moderation=StatutModeration.EN_ATTENTE) | Q(revendiquee_par__isnull=False)
    ).select_related("organisation", "revendiquee_par")
    if getattr(user, "is_platform_admin", False):
        return qs
    from repere.organisations.permissions import ROLES_GESTION

    codes = set()
    for organisation in organisations_de(user, ROLES_GESTION).filter(type__in=TYPES_MODERATEURS):
        for t in organisation.territoires.all():
            if t.type == TypeTerritoire.COMMUNE:
                codes.add(t.code)
            else:
                from repere.territoires.selectors import communes_de

                codes.update(communes_de(t).values_list("code", flat=True))
    return qs.filter(code_insee__in=codes)


# -- Referrals ----------------------------------------------------------------------------------


def orientations_visibles(user) -> QuerySet[Orientation]:
    """Referrals sent or received by one of the user's organisations (admin or professionnel role).
    A member of A never sees a referral between B and C."""
    ids = list(organisations_de(user, ROLES_DONNEES_PERSONNELLES).values_list("pk", flat=True))
    return Orientation.objects.filter(
        Q(organisation_emettrice_id__in=ids) | Q(organisation_destinataire_id__in=ids)
    ).select_related("service__structure", "organisation_emettrice", "organisation_destinataire", "emetteur")


def orientation_visible(user, pk: int) -> Orientation | None:
    return orientations_visibles(user).filter(pk=pk).first()


def orientations_envoyees(user, organisation=None) -> QuerySet[Orientation]:
    ids = list(organisations_de(user, ROLES_DONNEES_PERSONNELLES).values_list("pk", flat=True))
    if organisation is not None:
        ids = [i for i in ids if i == organisation.pk]
    return orientations_visibles(user).filter(organisation_emettrice_id__in=ids)


def orientations_recues(user, organisation=None) -> QuerySet[Orientation]:
    ids = list(organisations_de(user, ROLES_DONNEES_PERSONNELLES).values_list("pk", flat=True))
    if organisation is not None:
        ids = [i for i in ids if i == organisation.pk]
    return orientations_visibles(user).filter(organisation_destinataire_id__in=ids)


def orientations_par_origine(*, origine: str, user) -> QuerySet[Orientation]:
    """The referrals created from another module's object (e.g. origine="allervers:42") that the
    user may see, newest first."""
    return orientations_visibles(user).filter(origine=origine)


def filtrer_orientations(qs: QuerySet[Orientation], *, statut="", resultat="", depuis=None, jusqua=None, q=""):
    if statut:
        qs = qs.filter(statut=statut)
    if resultat:
        qs = qs.filter(resultat=resultat)
    if depuis:
        qs = qs.filter(cree_le__date__gte=depuis)
    if jusqua:
        qs = qs.filter(cree_le__date__lte=jusqua)
    if q:
        qs = qs.filter(Q(service__nom__icontains=q) | Q(service__structure__nom__icontains=q))
    return qs


def points_de_service() -> list[dict]:
    """Every published, visible, located service with what the observatory's coverage needs:
    coordinates, commune, thematiques, networks and source of its structure (no personal data)."""
    from repere.annuaire.models import StatutService

    return list(
        Service.objects.filter(
            statut=StatutService.PUBLIE,
            latitude__isnull=False,
            longitude__isnull=False,
            structure__statut_moderation=StatutModeration.VALIDEE,
            structure__retiree_de_la_source_le__isnull=True,
        ).values(
            "latitude",
            "longitude",
            "code_insee",
            "thematiques",
            "structure__reseaux_porteurs",
            "structure__source",
            "structure__nom",
            "est_demo",
        )
    )
