"""Issue 10, what the previous session left missing, each reproduced first: zones shown by name, synonyms
edited by an administrator, progress of a background import, distances from the person's address."""

import html as html_texte
import re

import pytest
from django.urls import reverse

from tests.organisations.factories import OrganisationFactory, membre
from tests.rendu import espaces

from .factories import ServiceFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vocabulaire_neuf")]


def _formulaire_service(client, **champs):
    organisation = OrganisationFactory()
    service = ServiceFactory(structure=StructureFactory(organisation=organisation), **champs)
    client.force_login(membre(organisation))
    url = reverse("annuaire:service_modifier", args=[service.pk])
    return service, url, client.get(url)


# -- 5. The zone picker shows names, never `type:code` ------------------------------------------------


def test_zone_eligibilite_montree_par_nom_et_relue(client):
    service, url, page = _formulaire_service(client, zone_eligibilite=["49092", "200060010", "85"])
    html = page.content.decode()
    form = page.context["form"]
    valeur = form["zone_eligibilite_texte"].value()
    assert not isinstance(valeur, str) or "commune:" not in valeur
    textarea = html[html.index('name="zone_eligibilite_texte"') :]
    textarea = textarea[: textarea.index("</textarea>")]
    assert "Chemillé-en-Anjou (49120)" in textarea and "Mauges Communauté" in textarea
    assert "Vendée (85) — département" in textarea
    assert "commune:" not in textarea and "epci:" not in textarea and "49092" not in textarea
    # the picker adds names too (autocomplete.js, data-cible-nom)
    assert 'data-cible="id_zone_eligibilite_texte" data-cible-nom' in espaces(html)
    # sent back as shown, the zone is unchanged
    donnees = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    donnees.update(
        {
            "publics": ["tous-publics"],
            "modes_accueil": ["en-presentiel"],
            "statut": "publie",
            "zone_eligibilite_texte": form["zone_eligibilite_texte"].as_widget()
            and form.fields["zone_eligibilite_texte"].prepare_value(form.initial["zone_eligibilite_texte"]),
        }
    )
    assert client.post(url, donnees).status_code == 302
    service.refresh_from_db()
    assert service.zone_eligibilite == ["49092", "200060010", "85"]


# -- 6. Search synonyms edited by an administrator --------------------------------------------------


def _rechercher_texte(texte):
    from repere.annuaire.selectors import Criteres, rechercher

    return {r.service_id for r in rechercher(Criteres(texte=texte))}


def test_synonymes_modifiables_dans_l_admin_et_vocabulaire_reconstruit(client, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    from repere.annuaire.models import GroupeSynonymes

    pmi = ServiceFactory(nom="PMI de Chemillé", description="Consultations des tout-petits.")
    assert GroupeSynonymes.objects.filter(termes__contains="epicerie solidaire").exists()  # seeded
    assert _rechercher_texte("puericultrice") == set()
    assert _rechercher_texte("puericultrise") == set()
    admin = get_user_model().objects.create_superuser("admin@exemple.fr", "mot de passe tres long 123")
    client.force_login(admin)
    assert client.get(reverse("admin:annuaire_groupesynonymes_changelist")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("admin:annuaire_groupesynonymes_add"),
            {"termes": "PMI\nPuéricultrice\nProtection maternelle et infantile", "actif": "on"},
        )
    assert reponse.status_code == 302, reponse.content.decode()[:3000]
    groupe = GroupeSynonymes.objects.get(termes__contains="puericultrice")
    assert groupe.liste_termes == ["pmi", "puericultrice", "protection maternelle et infantile"]
    assert _rechercher_texte("puéricultrice") == {pmi.pk}
    assert _rechercher_texte("puericultrise") == {pmi.pk}  # the typo vocabulary holds the new words
    # a term already in another group is refused, with the term named; nothing is written
    reponse = client.post(reverse("admin:annuaire_groupesynonymes_add"), {"termes": "colis\nboîte", "actif": "on"})
    assert reponse.status_code == 200
    assert "Le terme « colis » est déjà dans le groupe" in reponse.content.decode()
    assert not GroupeSynonymes.objects.filter(termes__contains="boite").exists()
    # switched off: the search no longer knows it
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("admin:annuaire_groupesynonymes_change", args=[groupe.pk]), {"termes": groupe.termes}
        )
    assert reponse.status_code == 302
    assert _rechercher_texte("puericultrice") == set()


# -- 7. A background import reports its progress per batch of lines ----------------------------------


def test_import_en_arriere_plan_progression_par_lot(client, monkeypatch):
    from repere.annuaire.importation import assistant, pipeline
    from repere.annuaire.models import ImportAnnuaire, SourceImport, StatutImport

    organisation = OrganisationFactory()
    source = SourceImport.objects.create(
        code="essai-progression",
        libelle="Essai",
        organisation=organisation,
        correspondance={
            "format": "repere-correspondance-annuaire",
            "version": 1,
            "source": "essai-progression",
            "colonnes": {"id": "ref", "nom": "nom", "code_insee": "insee"},
            "constantes": {"date_maj": "2026-06-01", "description": "Accueil de tous."},
        },
    )
    lignes = ["ref;nom;insee"] + [f"{i};Lieu {i};49092" for i in range(7)]
    assistant.deposer(nom="essai.csv", octets="\n".join(lignes).encode())
    run = ImportAnnuaire.objects.create(source=source, fichier="essai.csv", nom_fichier="essai.csv")
    monkeypatch.setattr(pipeline, "LOT_PROGRESSION", 2)
    vus = []
    rapporteur = assistant._rapporteur

    def espion(import_id):
        signaler = rapporteur(import_id)

        def enregistrer(etape, faites, total):
            signaler(etape, faites, total)
            vus.append((etape, faites, total, assistant.progression(run=ImportAnnuaire.objects.get(pk=import_id))))

        return enregistrer

    monkeypatch.setattr(assistant, "_rapporteur", espion)
    run = assistant.executer_import(import_id=run.pk)
    assert run.statut == StatutImport.TERMINE, run.resume
    services = [(f, t) for e, f, t, _p in vus if e == "validation des services"]
    assert services == [(2, 7), (4, 7), (6, 7)]  # one report per batch of 2 lines
    assert [(f, t) for e, f, t, _p in vus if e == "validation des structures"] == [(2, 7), (4, 7), (6, 7)]
    assert ("écriture des services et de l'index de recherche", 7, 7) in [(e, f, t) for e, f, t, _p in vus]
    # while it runs, the page's source of truth is what the worker reported last
    assert vus[3][3] == {"etape": vus[3][0], "faites": vus[3][1], "total": vus[3][2]}
    assert (run.lignes_traitees, run.lignes_total, run.etape) == (7, 7, "terminé")

    # the page shows the step and the lines done (in words and numbers), while it runs
    ImportAnnuaire.objects.filter(pk=run.pk).update(statut=StatutImport.EN_COURS)
    from django.core.cache import cache

    cache.set(
        assistant.cle_progression(run.pk), {"etape": "validation des services", "faites": 150000, "total": 250000}
    )
    from repere.organisations.models import Role

    client.force_login(membre(organisation, role=Role.ADMIN))
    html = client.get(reverse("annuaire:import_suivi", args=[run.pk])).content.decode()
    texte = " ".join(html.replace("\u202f", " ").replace("\xa0", " ").split())
    assert "Étape : validation des services — 150 000 lignes sur 250 000" in texte, texte[-3000:]
    assert '<progress max="250000" value="150000"' in espaces(html)


# -- 3. Distances from the service's own point and from the person's address ------------------------


def _faux_ban(lat, lon, code_insee="49092"):
    def requete(url, *, donnees=None, entetes=None):
        texte = donnees.decode("utf-8")
        cle = texte[texte.index("cle,adresse") :].splitlines()[1].split(",")[0]
        return (
            "cle,latitude,longitude,result_score,result_type,result_citycode,result_label\n"
            f"{cle},{lat},{lon},0.95,housenumber,{code_insee},3 rue du Test 49120 Chemillé-en-Anjou\n"
        ).encode()

    return requete


def test_distances_depuis_l_adresse_de_la_personne(client, settings, monkeypatch):
    from repere.annuaire import geocodage
    from repere.annuaire.views import CLE_SESSION_POINT

    chemille = __import__("repere.territoires.selectors", fromlist=["get_commune"]).get_commune("49092")
    # the service's own point, 5.6 km north of the commune's centre (its structure is at the centre)
    loin_du_centre = ServiceFactory(
        nom="Épicerie du nord", latitude=chemille.latitude + 0.05, longitude=chemille.longitude
    )
    url = reverse("annuaire:recherche") + "?commune=49092&commune_nom=Chemill%C3%A9-en-Anjou"

    # no geocoder (tests, offline deployments): from the commune's centre, and the page says why
    settings.REPERE_GEOCODEUR_URL = ""
    reponse = client.get(url + "&adresse=3+rue+du+Test")
    assert reponse.status_code == 302 and "adresse" not in reponse["Location"]  # never left in the URL
    assert "rue du Test" not in str(client.session.get(CLE_SESSION_POINT))  # only a point, or why not
    page = client.get(reponse["Location"])
    texte = " ".join(html_texte.unescape(page.content.decode()).split())
    assert "depuis le centre de Chemillé-en-Anjou (et non depuis votre adresse : aucun géocodeur n'est" in texte, texte[
        texte.find("<main") : texte.find("<main") + 4000
    ]
    nord = texte[texte.index("Épicerie du nord") :][:600]
    assert re.search(r"à 5,\d km", nord), nord  # from the service's own point, not its structure's

    # with the geocoder: the distance runs from the person's address to the service's own point
    settings.REPERE_GEOCODEUR_URL = "https://ban.test.invalid"
    monkeypatch.setattr(geocodage, "_requete", _faux_ban(chemille.latitude + 0.05, chemille.longitude))
    reponse = client.get(url + "&adresse=3+rue+du+Test")
    page = client.get(reponse["Location"])
    texte = " ".join(html_texte.unescape(page.content.decode()).split())
    assert "Distances à vol d'oiseau depuis votre adresse" in texte
    assert "à 0 km" in texte[texte.index("Épicerie du nord") :][:400]
    assert geocodage.AdresseAGeocoder  # the address is not cached
    from repere.annuaire.models import AdresseGeocodee

    assert not AdresseGeocodee.objects.exists()
    # an address the geocoder does not place in the commune: the centre again, said on the page
    monkeypatch.setattr(geocodage, "_requete", _faux_ban(47.47, -0.55, code_insee="49007"))
    page = client.get(client.get(url + "&adresse=1+place+Ailleurs")["Location"])
    assert "cette adresse n'a pas été trouvée dans la commune" in html_texte.unescape(page.content.decode())
    assert loin_du_centre.pk


# -- 1. A first import builds its secondary indexes once, at the end (same result, both databases) -----


def test_premier_import_construit_les_index_a_la_fin(monkeypatch):
    from django.db import connection

    from repere.annuaire import importation
    from repere.annuaire.importation import pipeline
    from repere.annuaire.models import IndexRecherche, Service
    from repere.annuaire.selectors import Criteres, rechercher
    from repere.territoires.selectors import get_commune

    def index_de(table):
        with connection.cursor() as curseur:
            return set(connection.introspection.get_constraints(curseur, table))

    avant = index_de("annuaire_indexrecherche") | index_de("annuaire_service")
    monkeypatch.setattr(pipeline, "SEUIL_INDEX_A_LA_FIN", 1)
    structures = [
        {"source": "essai-index", "id": "1", "nom": "Épicerie", "date_maj": "2026-06-01", "code_insee": "49092"}
    ]
    services = [
        {
            "source": "essai-index",
            "id": f"s{i}",
            "structure_id": "1",
            "nom": f"Colis {i}",
            "description": "Aide alimentaire.",
            "date_maj": "2026-06-01",
            "latitude": 47.2148,
            "longitude": -0.7286,
            "thematiques": ["equipement-et-alimentation--alimentation"],
        }
        for i in range(5)
    ]
    rapport = importation.importer_dicts(structures, services)
    assert rapport.services_crees == 5 and not rapport.rejets
    assert index_de("annuaire_indexrecherche") | index_de("annuaire_service") == avant  # every index is back
    assert IndexRecherche.objects.filter(service__source="essai-index").count() == 10
    trouves = rechercher(Criteres(commune=get_commune("49092"), texte="colis"))
    assert {r.service_id for r in trouves} == set(
        Service.objects.filter(source="essai-index").values_list("pk", flat=True)
    )
