"""Read the directory: service search, and referrals scoped to the user's organisations."""

import json
import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from repere.annuaire import horaires, recherche_texte, taxonomies
from repere.annuaire.models import (
    Orientation,
    Service,
    StatutModeration,
    Structure,
)
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
    besoins: list[str] = field(default_factory=list)  # top-level needs (taxonomies.BESOINS)
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
    a_distance: bool = False  # a remote service: no place to go to, no distance
    dans_la_commune: bool = False  # its place is in the commune searched from


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


# Where the text and zone filters read: "i", the IndexRecherche row (it carries both, and its rows lie in
# the order of the geographic index, so the candidates of a box are read from a few pages and only the
# survivors' service rows are looked up); "s", the service row — the former plan, one primary-key lookup per
# candidate of the box, which bench/annuaire_recherche.py times side by side as its reference.
COLONNES_FILTRES = "i"


def _conditions(c: Criteres, cles: list[str], thematiques: list[str]) -> tuple[list[str], list]:
    """SQL conditions shared by the on-site and remote queries (portable SQLite / PostgreSQL; every
    LIKE pattern is built from normalised words or codes, which hold no wildcard)."""
    a = COLONNES_FILTRES
    sql = [f"i.thematique IN ({', '.join(['%s'] * len(thematiques))})"]
    params: list = [*thematiques]
    zone = [f"{a}.zone_cle = ''"] + [f"{a}.zone_cle LIKE %s"] * len(cles)
    sql.append("(" + " OR ".join(zone) + ")")
    params += [f"%|{cle}|%" for cle in cles]
    texte_sql, texte_params = recherche_texte.conditions_sql(c.texte, alias=a)
    sql += texte_sql
    params += texte_params
    sql.append("s.recherchable = %s")
    params.append(True)
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
        # temporarily closed that day: left out in the same statement (no extra round trip)
        sql.append(
            "NOT EXISTS (SELECT 1 FROM annuaire_fermeture f WHERE f.service_id = s.id AND f.debut <= %s "
            "AND f.fin >= %s)"
        )
        params += [jour, jour]
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


_CRENEAUX: dict[str, list] = {}


def _creneaux_lus(texte: str) -> list:
    """The weekly slots stored as JSON, decoded once per distinct value (most services share a few hours)."""
    creneaux = _CRENEAUX.get(texte)
    if creneaux is None:
        if len(_CRENEAUX) > 50_000:
            _CRENEAUX.clear()
        creneaux = _CRENEAUX[texte] = json.loads(texte)
    return creneaux


def _ouverts(candidats: dict[int, tuple], c: Criteres) -> set[int]:
    """Ids open at the moment / on the day, exactly: weekly intervals for simple hours, the library
    for public holidays and complex rules; temporary closures respected."""
    if not candidats:
        return set()
    moment = _moment(c)
    jour = c.ouvert_le if c.ouvert_le else moment.date()
    ferie = horaires.jour_ferie(jour)
    minute = horaires.minute_de_semaine(moment)
    ouverts = set()
    for sid, (expression, simple, creneaux) in candidats.items():
        if not expression:  # closed that day: already left out by the SQL (_conditions)
            continue
        if simple and not ferie:
            if isinstance(creneaux, str):
                creneaux = _creneaux_lus(creneaux)
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
    "SELECT i.service_id, i.latitude, i.longitude, s.horaires_effectifs, s.horaires_simples, s.creneaux, "
    "s.code_insee "
    "FROM annuaire_indexrecherche i INNER JOIN annuaire_service s ON s.id = i.service_id WHERE "
)


def thematiques_cherchees(c: Criteres) -> list[str]:
    """The fine thématiques chosen, else those behind the chosen needs; [] = every thématique."""
    return taxonomies.thematiques_de(c.thematiques) or taxonomies.thematiques_des_besoins(c.besoins)


def rechercher(c: Criteres, *, limite: int | None = None) -> list[Resultat]:
    """Every service matching the criteria (the page and the API paginate it, and count it truly):
    on-site ones by distance from the place (within the radius), remote ones interleaved (two on-site,
    one remote, remote ones in a daily rotating order). Without a place, on-site ones come first, with
    no distance.

    Indexed path: the IndexRecherche rows (thématique, latitude, longitude) of the bounding box, joined
    to the search columns of Service (normalised text, codes, zone, quarter-hours of the typical week),
    in one SQL query; exact distance and opening hours are then checked in Python on the few rows left.
    """
    thematiques = thematiques_cherchees(c) or ["*"]
    lat, lon = c.latitude, c.longitude
    if lat is None and c.commune is not None:
        lat, lon = c.commune.latitude, c.commune.longitude
    conditions, params = _conditions(c, cles_zone(c.commune), thematiques)
    besoin_horaires = c.ouvert_maintenant or c.ouvert_le is not None
    veut_presentiel = not c.modes_accueil or taxonomies.EN_PRESENTIEL in c.modes_accueil
    veut_distance = not c.modes_accueil or taxonomies.A_DISTANCE in c.modes_accueil

    proches: dict[int, Resultat] = {}
    infos: dict[int, tuple] = {}
    # Two statements, not one UNION ALL: PostgreSQL plans a UNION of these two small index scans as a
    # parallel append (workers started for a 10 ms query: ten times slower on a busy 2-core machine). One
    # statement with (box OR remote rows) was also tried (session 3): at 250,000 services PostgreSQL plans it
    # as a parallel scan of every row of the thématique, slower side by side (docs/performance.md).
    ici = c.commune.code if c.commune is not None else None
    distants: dict[int, Resultat] = {}
    with connection.cursor() as curseur:
        if veut_presentiel:
            sql = _SELECT + " AND ".join(conditions)
            p = list(params)
            if lat is not None:
                sud, nord, ouest, est = boite_autour(lat, lon, c.rayon_km)
                sql += " AND i.latitude BETWEEN %s AND %s AND i.longitude BETWEEN %s AND %s"
                p += [sud, nord, ouest, est]
            else:
                sql += " AND i.latitude IS NOT NULL"
            curseur.execute(sql, p)
            for sid, plat, plon, expression, simple, creneaux, code_insee in curseur.fetchall():
                d = distance_km(lat, lon, plat, plon) if lat is not None else None
                if d is not None and d > c.rayon_km:
                    continue
                r = proches.get(sid)
                if r is None or (d is not None and d < r.distance_km):
                    proches[sid] = Resultat(sid, d, plat, plon, dans_la_commune=bool(ici) and code_insee == ici)
                infos[sid] = (expression, simple, creneaux)
        if veut_distance:
            curseur.execute(_SELECT + " AND ".join(conditions) + " AND i.latitude IS NULL", params)
            for sid, _lat, _lon, expression, simple, creneaux, _code in curseur.fetchall():
                if sid not in proches:
                    distants[sid] = Resultat(sid, None, a_distance=True)
                    infos[sid] = (expression, simple, creneaux)
    if besoin_horaires:
        ouverts = _ouverts(infos, c)
        proches = {k: v for k, v in proches.items() if k in ouverts}
        distants = {k: v for k, v in distants.items() if k in ouverts}

    # The person's own commune first (its centre is no more "where they are" than its town hall),
    # then by distance from the place.
    sur_place = sorted(
        proches.values(),
        key=lambda r: (not r.dans_la_commune, r.distance_km if r.distance_km is not None else 0, r.service_id),
    )
    a_distance = sorted(distants.values(), key=lambda r: r.service_id)
    random.Random(timezone.localdate().toordinal()).shuffle(a_distance)
    resultats = _entrelacer(sur_place, a_distance)
    return resultats if limite is None else resultats[:limite]


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


def plus_proches(c: Criteres, *, nombre: int = 5) -> list[Resultat]:
    """When nothing matches within the radius: the nearest matching on-site services up to RAYON_MAX_KM."""
    if c.rayon_km >= RAYON_MAX_KM or (c.commune is None and c.latitude is None):
        return []
    elargi = replace(c, rayon_km=RAYON_MAX_KM, modes_accueil=[taxonomies.EN_PRESENTIEL])
    return charger_services([r for r in rechercher(elargi) if not r.a_distance][:nombre])


RESEAUX_GENERALISTES = {"france-service", "ccas-cias", "communes"}
SOURCES_GENERALISTES = {"france-services", "repere-demo-mairies"}


def lieux_generalistes(c: Criteres, *, nombre: int = 3, rayon_km: float = 50) -> list[Resultat]:
    """The nearest generalist places open to the person (France Services, CCAS, town hall), whatever
    the need: where to ask when the directory knows no specific service."""
    if c.commune is None and c.latitude is None:
        return []
    autour = rechercher(Criteres(commune=c.commune, latitude=c.latitude, longitude=c.longitude, rayon_km=rayon_km))
    ids = [r.service_id for r in autour if not r.a_distance]
    generalistes = set()
    for debut in range(0, len(ids), 2000):
        for pk, source, reseaux in Service.objects.filter(pk__in=ids[debut : debut + 2000]).values_list(
            "pk", "structure__source", "structure__reseaux_porteurs"
        ):
            if source in SOURCES_GENERALISTES or RESEAUX_GENERALISTES & set(reseaux or []):
                generalistes.add(pk)
    return charger_services([r for r in autour if r.service_id in generalistes][:nombre])


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


def zones_par_nom(codes: list[str]) -> list[str]:
    """An eligibility zone as people read it: « Chemillé-en-Anjou (49120) », « Maine-et-Loire (49) »,
    « CA Mauges Communauté »; « toute la France »; an unknown code is shown as « code inconnu … »."""
    from repere.territoires.api import libelle

    noms = []
    for code in codes or []:
        if code == "france":
            noms.append("toute la France")
            continue
        if code.isdigit() and len(code) == 9:
            type_ = TypeTerritoire.EPCI
        elif len(code) == 5:
            type_ = TypeTerritoire.COMMUNE
        else:
            type_ = TypeTerritoire.DEPARTEMENT
        territoire = Territoire.objects.filter(type=type_, code=code).first()
        if territoire is None:
            noms.append(f"code inconnu « {code} »")
        elif type_ == TypeTerritoire.COMMUNE:
            noms.append(libelle(territoire))
        else:
            noms.append(
                f"{territoire.nom} ({territoire.code})" if type_ == TypeTerritoire.DEPARTEMENT else territoire.nom
            )
    return noms


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


# Organisations that moderate the directory on their territory of action: the public bodies and those
# with a public-service mission (a CCAS for its commune, an EPCI, a département, the State, France
# Services, CAF/MSA/CPAM). Associations and others declare structures; they do not validate them.
TYPES_MODERATEURS = {"ccas", "departement", "collectivite", "etat", "france_services", "organisme_social"}


def peut_moderer(user, structure: Structure) -> bool:
    """Platform admins, and admins of a moderating organisation whose territory of action contains the
    structure's commune (commune, EPCI, département or région)."""
    if getattr(user, "is_platform_admin", False):
        return True
    return structures_a_moderer(user).filter(pk=structure.pk).exists()


def structures_a_moderer(user) -> QuerySet[Structure]:
    """New structures waiting for moderation, and claims of imported structures, on the user's territories.

    A claim is never decided by the organisation that made it."""
    qs = Structure.objects.filter(
        Q(statut_moderation=StatutModeration.EN_ATTENTE) | Q(revendiquee_par__isnull=False)
    ).select_related("organisation", "revendiquee_par")
    if getattr(user, "is_platform_admin", False):
        return qs
    from repere.organisations.permissions import ROLES_GESTION
    from repere.territoires.selectors import communes_de

    organisations = list(organisations_de(user, ROLES_GESTION).filter(type__in=TYPES_MODERATEURS))
    codes = set()
    for organisation in organisations:
        for t in organisation.territoires.all():
            if t.type == TypeTerritoire.COMMUNE:
                codes.add(t.code)
            else:
                codes.update(communes_de(t).values_list("code", flat=True))
    propres = [o.pk for o in organisations]
    return qs.filter(code_insee__in=codes).exclude(
        Q(revendiquee_par_id__in=propres) & ~Q(statut_moderation=StatutModeration.EN_ATTENTE)
    )


def organisations_moderatrices(structure: Structure):
    """The moderating organisations whose territory of action contains the structure's commune."""
    from repere.organisations.models import Organisation
    from repere.territoires.selectors import get_commune

    commune = get_commune(structure.code_insee) if structure.code_insee else None
    if commune is None:
        return Organisation.objects.none()
    ids = {commune.pk, commune.commune_parente_id, commune.epci_id, commune.departement_id, commune.region_id}
    return Organisation.objects.filter(type__in=TYPES_MODERATEURS, territoires__in=[i for i in ids if i]).distinct()


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


def peut_suivre_orientations(user) -> bool:
    """Whether the user may open the tables of sent and received referrals (admins and professionals
    of an organisation). The single rule of the views and of the links to them."""
    return organisations_de(user, ROLES_DONNEES_PERSONNELLES).exists()


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


def donnees_orientations(*, ids) -> list[dict]:
    """What the referrals ``ids`` hold about the person, for the right of access (art. 15 RGPD):
    the identity copy, the needs, the consent record, the answers and the history's comments."""
    lignes = []
    for o in (
        Orientation.objects.filter(pk__in=list(ids)).select_related("service__structure").prefetch_related("historique")
    ):
        lignes.append(
            {
                "date": o.cree_le,
                "service": o.service.nom,
                "structure": o.service.structure.nom,
                "identite_transmise": {
                    "prenom": o.personne_prenom,
                    "nom": o.personne_nom,
                    "telephone": o.personne_telephone,
                    "email": o.personne_courriel,
                    "commune": o.personne_commune,
                    "preference_contact": o.get_preference_contact_display() if o.preference_contact else "",
                },
                "besoins": o.besoins,
                "informee_par": o.consentement_informe_par,
                "informee_le": o.consentement_le,
                "base_legale": o.get_consentement_base_legale_display(),
                "piece_jointe": o.piece_jointe_nom if o.piece_jointe else "",
                "statut": o.get_statut_display(),
                "motif_refus": o.get_motif_refus_display() if o.motif_refus else "",
                "resultat": o.get_resultat_display() if o.resultat else "",
                "commentaire_reponse": o.commentaire_reponse,
                "historique": [
                    {"le": e.le, "statut": e.get_statut_display(), "commentaire": e.commentaire}
                    for e in o.historique.all()
                ],
            }
        )
    return lignes


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


def orientations_par_commune(*, du, au) -> dict[str, dict[str, float]]:
    """Referral activity per commune of the service referred to (INSEE code), for the referrals sent
    between ``du`` and ``au`` (dates), every organisation together: sent, accepted, refused, expired
    without answer, and those where the person was helped. Counts only; the observatory applies the
    statistical secret. ``demo`` is 1 where a demo service is counted."""
    from django.db.models import Count, Q

    from repere.annuaire.models import Orientation, ResultatOrientation, StatutOrientation

    resultat: dict[str, dict[str, float]] = {}
    for r in (
        Orientation.objects.filter(cree_le__date__range=(du, au), commune__isnull=False)
        .values("commune__code")
        .annotate(
            envoyees=Count("id"),
            acceptees=Count("id", filter=Q(repondue_le__isnull=False) & ~Q(statut=StatutOrientation.REFUSEE)),
            refusees=Count("id", filter=Q(statut=StatutOrientation.REFUSEE)),
            expirees=Count("id", filter=Q(statut=StatutOrientation.EXPIREE)),
            aidees=Count("id", filter=Q(resultat=ResultatOrientation.AIDE_OBTENUE)),
            demo=Count("id", filter=Q(service__structure__est_demo=True)),  # MAX(boolean) fails on PostgreSQL
        )
        .order_by()
    ):
        code = r.pop("commune__code")
        r["demo"] = 1 if r["demo"] else 0
        resultat[code] = {k: float(v) for k, v in r.items()}
    return resultat
