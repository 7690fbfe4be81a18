"""Issue 13: referral and batch-screening activity per commune, the bulk writer and the GeoJSON text."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from repere.annuaire import services as annuaire
from repere.annuaire.models import Orientation
from repere.depistage.models import ActiviteCommune, Depistage, Statut
from repere.observatoire import activite, selectors, services
from repere.observatoire.geographie import geographie
from repere.observatoire.models import Indicateur, Niveau, Valeur
from repere.territoires.models import Territoire
from tests.annuaire.factories import ServiceFactory, StructureFactory
from tests.annuaire.test_orientations import orienter
from tests.organisations.factories import OrganisationFactory, membre

pytestmark = pytest.mark.django_db


def test_orientation_porte_la_commune_du_service():
    organisation = OrganisationFactory()
    pro = membre(organisation)
    service = ServiceFactory(structure=StructureFactory(organisation=OrganisationFactory()), code_insee="49007")
    assert orienter(pro, organisation, service).commune.code == "49007"
    # No code on the service: its structure's; no code at all: the commune's name when only one commune has it.
    sans_code = ServiceFactory(
        structure=StructureFactory(organisation=OrganisationFactory(), code_insee="", commune="Angers")
    )
    assert orienter(pro, organisation, sans_code).commune.code == "49007"
    ambigu = ServiceFactory(
        structure=StructureFactory(organisation=OrganisationFactory(), code_insee="", commune="Saint-Martin")
    )
    assert orienter(pro, organisation, ambigu).commune is None


def test_migration_remplit_les_orientations_existantes():
    from importlib import import_module

    from django.apps import apps

    organisation = OrganisationFactory()
    o = orienter(
        membre(organisation),
        organisation,
        ServiceFactory(structure=StructureFactory(organisation=OrganisationFactory())),
    )
    Orientation.objects.filter(pk=o.pk).update(commune=None)
    migration = import_module("repere.annuaire.migrations.0008_orientation_commune")
    migration.remplir_communes(apps, None)
    assert Orientation.objects.get(pk=o.pk).commune.code == "49092"


def test_activite_des_orientations_par_commune_avec_secret(client):
    emettrice = OrganisationFactory()
    emettrice.territoires.add(Territoire.objects.get(type="commune", code="49092"))
    pro = membre(emettrice)
    destinataire = OrganisationFactory()
    chemille = ServiceFactory(structure=StructureFactory(organisation=destinataire))
    angers = ServiceFactory(
        structure=StructureFactory(organisation=destinataire, code_insee="49007"), code_insee="49007"
    )
    envoyees = [orienter(pro, emettrice, chemille) for _ in range(12)]
    for o in envoyees[:4]:
        annuaire.repondre_orientation(orientation=o, acceptee=True)
    for _ in range(2):
        orienter(pro, emettrice, angers)
    activite.calculer()
    v = Valeur.objects.get(indicateur__code="orientations_envoyees", niveau="commune", code="49092")
    assert v.valeur == 12 and not v.masque
    acceptees = Valeur.objects.get(indicateur__code="orientations_acceptees", niveau="commune", code="49092")
    assert acceptees.valeur == 4 and acceptees.masque  # 4 < 11
    assert Valeur.objects.get(indicateur__code="orientations_envoyees", niveau="commune", code="49007").masque
    assert Indicateur.objects.get(code="orientations_envoyees").diffusion == "activite"
    # Shown to the team of the territory, hidden from the public.
    url = reverse("observatoire:portrait", args=["commune", "49092"])
    assert "Orientations envoyées" not in client.get(url).content.decode()
    client.force_login(pro)
    texte = client.get(url).content.decode()
    assert "Orientations envoyées" in texte and "Orientations acceptées" in texte


def test_activite_du_depistage_dans_le_portrait(client):
    organisation = OrganisationFactory()
    organisation.territoires.add(Territoire.objects.get(type="commune", code="49092"))
    pro = membre(organisation)
    d = Depistage.objects.create(
        organisation=organisation, format_entree="csv", mois="2026-11", statut=Statut.TERMINE, termine_le=timezone.now()
    )
    ActiviteCommune.objects.create(
        depistage=d, commune="49092", menages_depistes=40, menages_a_demander=15, montant_mensuel=3000
    )
    ActiviteCommune.objects.create(
        depistage=d, commune="49092", prestation="ppa", menages_depistes=40, menages_a_demander=12, montant_mensuel=2000
    )
    ActiviteCommune.objects.create(
        depistage=d, commune="49007", menages_depistes=5, menages_a_demander=2, montant_mensuel=400
    )
    activite.calculer()

    def valeur(code, commune):
        return Valeur.objects.get(indicateur__code=code, niveau="commune", code=commune)

    assert valeur("depistage_menages", "49092").valeur == 40
    assert valeur("depistage_menages_a_demander", "49092").valeur == 15
    assert valeur("depistage_a_demander_ppa", "49092").valeur == 12
    assert valeur("depistage_montant_moyen", "49092").valeur == pytest.approx(200)
    assert valeur("depistage_menages", "49007").masque
    assert valeur("depistage_montant_moyen", "49007").masque  # 400 € resting on 2 households
    # Counts add up to the département, the average amount is recomputed from its parts.
    dep = Valeur.objects.get(indicateur__code="depistage_menages", niveau="departement", code="49")
    assert dep.valeur == 45
    url = reverse("observatoire:portrait", args=["commune", "49092"])
    assert "Ménages dépistés par lot" not in client.get(url).content.decode()
    client.force_login(pro)
    texte = client.get(url).content.decode()
    assert "Ménages dépistés par lot" in texte and "Prime d&#x27;activité" in texte


def test_geojson_texte_identique_au_document():
    geo = geographie()
    indicateur = Indicateur.objects.create(
        code="t", libelle="T", unite="nombre", agregation="somme", source="s", producteur="p"
    )
    communes = geo.communes_de(Niveau.DEPARTEMENT, "49")
    services.inserer_valeurs(
        (indicateur.pk, "commune", code, "2021", float(i % 30), None, None, "ok", False, False, None)
        for i, code in enumerate(communes)
    )
    services.publier(indicateur=indicateur, periode="2021")
    c = selectors.carte(
        indicateur=indicateur, periode="2021", niveau="commune", perimetre=geo.lieu(Niveau.DEPARTEMENT, "49")
    )
    document = selectors.geojson(c)
    assert len(document["features"]) > 100
    assert any(f["properties"]["etat"] == "secret" for f in document["features"])
    assert json.loads(selectors.geojson_texte(c)) == document


def test_ecriture_en_bloc():
    ind = Indicateur.objects.create(
        code="t", libelle="T", unite="nombre", agregation="somme", source="s", producteur="p"
    )
    n = services.inserer_valeurs(
        (ind.pk, "commune", f"{49000 + i}", "2021", float(i), None, None, "ok", False, False, None)
        for i in range(12000)
    )
    assert n == 12000 == Valeur.objects.filter(indicateur=ind).count()
    assert Valeur.objects.get(indicateur=ind, code="49005").valeur == 5.0
