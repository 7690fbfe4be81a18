from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from repere.annuaire.models import Fermeture, Orientation, Service, StatutModeration, Structure
from repere.organisations.models import Role, TypeOrganisation
from repere.territoires.models import Territoire
from tests.organisations.factories import OrganisationFactory, membre
from tests.rendu import espaces

from .factories import ServiceFactory, StructureFactory

pytestmark = pytest.mark.django_db


def test_nav_et_recherche(client):
    service = ServiceFactory(nom="Épicerie solidaire")
    ServiceFactory(nom="Loin", latitude=43.6, longitude=1.44)  # Toulouse
    page = client.get(reverse("annuaire:recherche"))
    assert page.status_code == 200
    assert 'href="/annuaire/" aria-current="page"' in page.content.decode()
    page = client.get(
        reverse("annuaire:recherche"), {"commune": "49092", "commune_nom": "Chemillé-en-Anjou", "q": "epicerie"}
    )
    html = espaces(page.content)
    assert "1 service trouvé autour de Chemillé-en-Anjou" in html
    assert reverse("annuaire:service", args=[service.pk]) in html
    assert 'id="donnees-carte"' in html and '"contours"' in html and '"geometrie"' in html
    # the commune can be typed without the autocomplete
    page = client.get(reverse("annuaire:recherche"), {"commune_nom": "chemille en anjou"})
    assert "autour de Chemillé-en-Anjou" in espaces(page.content)
    page = client.get(reverse("annuaire:recherche"), {"commune_nom": "Zzzzqx"})
    assert "Aucune commune ne correspond à « Zzzzqx »" in page.content.decode()


def test_fiche_service_html_echappe_et_horaires(client):
    service = ServiceFactory(
        description='<script>alert("x")</script><b>gras</b>',
        documents_a_fournir=["Pièce d'identité"],
        langues=["fr", "ar"],
        verifie_le=date(2026, 9, 1),
        verifie_par_nom="Agent",
    )
    Fermeture.objects.create(
        service=service, debut=timezone.localdate(), fin=timezone.localdate() + timedelta(days=3), motif="Travaux"
    )
    page = client.get(reverse("annuaire:service", args=[service.pk]))
    html = espaces(page.content)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html and "&lt;b&gt;gras" in html
    assert 'class="aujourdhui" aria-current="date"' in html
    assert "Fermé temporairement aujourd'hui" in html and "Travaux" in html
    assert "Pièce d&#x27;identité" in html and "Vérifiée le 1 septembre 2026 par Agent" in html
    assert "Orienter une personne" not in html  # anonymous visitor


def test_service_non_publie_introuvable(client):
    service = ServiceFactory(statut="brouillon")
    assert client.get(reverse("annuaire:service", args=[service.pk])).status_code == 404


def test_orienter_par_formulaire(client):
    organisation = OrganisationFactory()
    pro = membre(organisation)
    service = ServiceFactory()
    client.force_login(pro)
    assert "Orienter une personne" in client.get(reverse("annuaire:service", args=[service.pk])).content.decode()
    url = reverse("annuaire:orienter", args=[service.pk])
    donnees = {
        "organisation": organisation.pk,
        "prenom": "Camille",
        "nom": "Martin",
        "preference_contact": "telephone",
        "besoins": "Aide alimentaire",
        "informe_par": "Moi",
        "informee_le": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "version_notice": "2026-01",
        "base_legale": "consentement",
    }
    page = client.post(url, donnees)  # consent commitment not ticked
    assert page.status_code == 200 and Orientation.objects.count() == 0
    assert 'id="id_engagement_erreur"' in page.content.decode()
    reponse = client.post(url, {**donnees, "engagement": "on"})
    orientation = Orientation.objects.get()
    assert reponse.status_code == 302 and reponse.url == reverse("annuaire:orientation", args=[orientation.pk])
    assert orientation.consentement_version_notice == "2026-01"


def test_espace_structure_modifier_et_verifier(client):
    organisation = OrganisationFactory()
    pro = membre(organisation)
    autre = membre(OrganisationFactory())
    structure = StructureFactory(organisation=organisation)
    service = ServiceFactory(structure=structure)
    client.force_login(autre)
    assert client.get(reverse("annuaire:service_modifier", args=[service.pk])).status_code == 404
    client.force_login(pro)
    page = client.get(reverse("annuaire:mes_structures"))
    assert structure.nom in page.content.decode() and "à vérifier" in page.content.decode()
    url = reverse("annuaire:service_modifier", args=[service.pk])
    form = client.get(url).context["form"]
    donnees = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    donnees.update(
        {
            "nom": "Nouveau nom",
            "thematiques": ["repere--precarite-energetique"],
            "publics": ["jeunes"],
            "modes_accueil": ["en-presentiel"],
            "horaires_accueil": "Mo 9h-12h",
            "statut": "publie",
            "verifie": "1",
        }
    )
    page = client.post(url, {**donnees, "horaires_mode": "avance"})
    html = page.content.decode()
    assert page.status_code == 200 and "illisibles" in html and "caractère 4" in html  # malformed OSM hours
    assert "Failed to parse" not in html  # the library's English message is never shown
    page = client.post(url, {**donnees, "horaires_0": "9h-12hh"})  # the day-by-day editor
    assert page.status_code == 200 and "Lundi : « 9h-12hh » n&#x27;est pas une plage horaire" in page.content.decode()
    donnees.update({"horaires_0": "9h-12h", "horaires_4": "14h-17h", "horaires_feries_fermes": "on"})
    for i in (1, 2, 3):
        donnees[f"horaires_{i}"] = ""
    assert client.post(url, donnees).status_code == 302
    service.refresh_from_db()
    assert service.nom == "Nouveau nom" and service.thematiques_locales == ["repere--precarite-energetique"]
    assert service.verifie_le == timezone.localdate() and service.verifie_par == pro
    assert "|repere--precarite-energetique|" in service.thematiques_cle
    assert service.horaires_accueil == "Mo 09:00-12:00; Fr 14:00-17:00; PH off"
    # read back into the editor
    form = client.get(url).context["form"]
    assert form["horaires_0"].value() == "9h-12h" and form["horaires_4"].value() == "14h-17h"


def test_nouvelle_structure_moderee_par_le_territoire(client):
    asso = OrganisationFactory(type=TypeOrganisation.ASSOCIATION)
    benevole = membre(asso, role=Role.BENEVOLE)
    departement = OrganisationFactory(type=TypeOrganisation.DEPARTEMENT)
    departement.territoires.set([Territoire.objects.get(type="departement", code="49")])
    admin_49 = membre(departement, role=Role.ADMIN)
    departement_44 = OrganisationFactory(type=TypeOrganisation.DEPARTEMENT)
    departement_44.territoires.set([Territoire.objects.get(type="departement", code="44")])
    admin_44 = membre(departement_44, role=Role.ADMIN)
    client.force_login(benevole)
    reponse = client.post(
        reverse("annuaire:structure_creer"),
        {
            "nom": "Nouvelle asso",
            "code_insee": "49092",
            "latitude": "47.2",
            "longitude": "-0.7",
            "horaires_accueil": "",
        },
    )
    assert reponse.status_code == 302
    structure = Structure.objects.get(nom="Nouvelle asso")
    assert structure.statut_moderation == StatutModeration.EN_ATTENTE and structure.organisation == asso
    client.force_login(admin_44)
    assert "Nouvelle asso" not in client.get(reverse("annuaire:moderation")).content.decode()
    assert (
        client.post(reverse("annuaire:moderation"), {"structure": structure.pk, "decision": "validee"}).status_code
        == 404
    )
    client.force_login(admin_49)
    assert "Nouvelle asso" in client.get(reverse("annuaire:moderation")).content.decode()
    client.post(reverse("annuaire:moderation"), {"structure": structure.pk, "decision": "validee"})
    structure.refresh_from_db()
    assert structure.statut_moderation == StatutModeration.VALIDEE


def test_service_d_une_structure_en_attente_invisible(client):
    service = ServiceFactory(structure=StructureFactory(statut_moderation=StatutModeration.EN_ATTENTE))
    assert not Service.objects.get(pk=service.pk).recherchable
    assert client.get(reverse("annuaire:service", args=[service.pk])).status_code == 404


def test_demo():
    from repere.annuaire import demo
    from repere.organisations import demo as demo_organisations

    demo_organisations.charger()
    lignes = demo.charger()
    assert demo.charger()  # idempotent
    assert Structure.objects.filter(source="repere-demo-mairies", est_demo=True).count() > 150
    energie = Service.objects.get(identifiant="repere-demo--ccas-energie")
    assert energie.est_demo and energie.recherchable and energie.structure.organisation
    assert Orientation.objects.filter(origine="demo").count() == 1
    assert any("annuaire" in ligne for ligne in lignes)


def test_revendiquer_une_structure_importee(client):
    importee = ServiceFactory(structure=StructureFactory(organisation=None, source="france-services"))
    ccas = OrganisationFactory(type=TypeOrganisation.CCAS)
    admin_ccas = membre(ccas, role=Role.ADMIN)
    departement = OrganisationFactory(type=TypeOrganisation.DEPARTEMENT)
    departement.territoires.set([Territoire.objects.get(type="departement", code="49")])
    admin_49 = membre(departement, role=Role.ADMIN)
    client.force_login(admin_ccas)
    page = client.get(reverse("annuaire:service", args=[importee.pk]))
    assert "Revendiquer la structure" in page.content.decode()
    client.post(reverse("annuaire:revendiquer", args=[importee.structure.pk]), {"organisation": ccas.pk})
    structure = Structure.objects.get(pk=importee.structure.pk)
    assert structure.revendiquee_par == ccas and structure.organisation is None
    assert client.get(reverse("annuaire:service_modifier", args=[importee.pk])).status_code == 404
    client.force_login(admin_49)
    assert "demande à gérer cette structure" in client.get(reverse("annuaire:moderation")).content.decode()
    client.post(reverse("annuaire:moderation"), {"structure": structure.pk, "revendication": "accepter"})
    structure.refresh_from_db()
    assert structure.organisation == ccas and structure.revendiquee_par is None
    client.force_login(admin_ccas)
    assert client.get(reverse("annuaire:service_modifier", args=[importee.pk])).status_code == 200
