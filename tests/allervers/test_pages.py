import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from repere.allervers import services
from repere.allervers.models import Campagne, NoticeInformation
from repere.allervers.simulation import menage_depuis_formulaire, simulation_complete
from repere.organisations.models import Role
from repere.utils.soumission import CHAMP
from tests.allervers.factories import RECONTACT, REPONSES, campagne, chemille
from tests.organisations.factories import OrganisationFactory, membre

pytestmark = pytest.mark.django_db


def test_creer_notice_puis_campagne(client):
    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    b = membre(org, Role.BENEVOLE)
    client.force_login(pro)
    assert "Aucune notice" in client.get(reverse("allervers:campagne_creer")).content.decode()
    r = client.post(
        reverse("allervers:notice_creer"),
        {"organisation": org.pk, "version": "2026-01", "titre": "Notice", "texte": "Texte lu.", "base_legale": "6.1.e"},
    )
    assert r.status_code == 302
    notice = NoticeInformation.objects.get()
    aujourdhui = timezone.localdate()
    donnees = {
        "nom": "Porte-à-porte",
        "type": "porte_a_porte",
        "organisation": org.pk,
        "territoires": "commune:49092",
        "secteurs": "Centre\nGare",
        "date_debut": aujourdhui.isoformat(),
        "date_fin": (aujourdhui - datetime.timedelta(days=1)).isoformat(),
        "notice": notice.pk,
        "thematiques": ["logement-hebergement", "mobilite"],
        "equipe": [b.pk],
    }
    r = client.post(reverse("allervers:campagne_creer"), donnees)
    assert r.status_code == 200 and "La date de fin précède" in r.content.decode()
    r = client.post(reverse("allervers:campagne_creer"), {**donnees, "territoires": "commune:00000"})
    assert "territoire inconnu" in r.content.decode()
    donnees["date_fin"] = (aujourdhui + datetime.timedelta(days=30)).isoformat()
    r = client.post(reverse("allervers:campagne_creer"), donnees)
    c = Campagne.objects.get()
    assert r.status_code == 302 and c.secteurs == ["Centre", "Gare"] and set(c.equipe.all()) == {pro, b}
    assert client.get(reverse("allervers:campagne", args=[c.pk])).status_code == 200
    client.force_login(b)
    assert client.get(reverse("allervers:campagne_creer")).status_code == 404


def test_territoire_de_campagne_au_selecteur_multiple(client):
    """Issue 12, item 4: a campaign's communes and EPCI are chosen with the territory picker (checked boxes
    named by their names, an autocomplete input to add one), never typed as codes; without JavaScript the
    names typed are read; a département, or a name matching nothing, is refused naming the field and value."""
    import re

    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    notice = NoticeInformation.objects.create(
        organisation=org, version="1", titre="Notice", texte="Texte.", base_legale="6.1.e"
    )
    client.force_login(pro)
    html = client.get(reverse("allervers:campagne_creer")).content.decode()
    assert '<textarea name="territoires"' not in html and "recherche-territoire" not in html
    assert re.search(r'<input type="text"\s+name="territoires_ajout"[^>]*id="id_territoires"', html)
    assert 'data-types="commune,epci"' in html and 'data-multiple="id_territoires_choisis"' in html
    aujourdhui = timezone.localdate()
    donnees = {
        "nom": "Porte-à-porte",
        "type": "porte_a_porte",
        "organisation": org.pk,
        "date_debut": aujourdhui.isoformat(),
        "date_fin": (aujourdhui + datetime.timedelta(days=30)).isoformat(),
        "notice": notice.pk,
        "thematiques": ["mobilite"],
    }
    r = client.post(reverse("allervers:campagne_creer"), {**donnees, "territoires_ajout": "Maine-et-Loire"})
    assert r.status_code == 200
    assert "Territoire (communes ou EPCI) : aucun territoire ne correspond à « Maine-et-Loire »" in r.content.decode()
    r = client.post(reverse("allervers:campagne_creer"), {**donnees, "territoires": ["departement:49"]})
    assert "Territoire (communes ou EPCI) : territoire inconnu ou d&#x27;un autre type" in r.content.decode()
    r = client.post(reverse("allervers:campagne_creer"), donnees)
    assert "Ce champ est obligatoire" in r.content.decode()
    assert not Campagne.objects.exists()
    r = client.post(
        reverse("allervers:campagne_creer"),
        {**donnees, "territoires": ["epci:200060010"], "territoires_ajout": "Chemillé ; Cholet"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    c = Campagne.objects.get()
    assert sorted(t.code for t in c.territoires.all()) == ["200060010", "49092", "49099"]


def test_fiche_en_onglets_qui_restent_des_sections_sans_javascript(client):
    """The person record is tabbed (js/onglets.js, WAI-ARIA tabs pattern); the HTML sent is a table of
    contents of anchored sections, so that without JavaScript every section is there, one after the other.
    After a form of a tab is sent, the page comes back on that tab."""
    import re

    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    c = campagne(organisation=org, equipe=[pro])
    p = services.creer_personne(par=pro, organisation=org, accord=True, notice=c.notice, prenom="Léa", nom="Martin")
    client.force_login(pro)
    html = client.get(reverse("allervers:personne", args=[p.pk])).content.decode()
    nav = re.search(r'<nav class="onglets" data-onglets aria-label="Sections de la fiche">(.*?)</nav>', html, re.S)
    assert nav, "pas de sommaire des onglets"
    ancres = re.findall(r'<a href="#([a-z-]+)">', nav.group(1))
    assert ancres == ["synthese", "suivi", "entretien", "parcours", "donnees"]
    for ancre in ancres:
        assert re.search(rf'<section id="{ancre}" class="onglet-panneau"', html), ancre
    # the summary first: household, rights pipeline (#droits, target of the « changer l'étape » redirect)
    assert html.index('id="synthese"') < html.index('id="droits"') < html.index('id="suivi"')
    assert re.search(r'<script nonce="[^"]+" src="/static/js/onglets\.js"', html)
    # no hidden panel in the HTML: without JavaScript every section shows
    assert not re.search(r'class="onglet-panneau"[^>]*hidden', html)
    demain = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    page = client.get(reverse("allervers:personne", args=[p.pk]))
    jetons = re.findall(rf'name="{CHAMP}" value="([^"]+)"', page.content.decode())
    assert len(set(jetons)) >= 2
    donnees = {"echeance": demain, "objet": "Rappeler", CHAMP: jetons[0]}
    r = client.post(reverse("allervers:rappel_ajouter", args=[p.pk]), donnees)
    assert r.status_code == 302 and r["Location"].endswith("#suivi")
    hier = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    r = client.post(
        reverse("allervers:rappel_ajouter", args=[p.pk]), {"echeance": hier, "objet": "Late", CHAMP: jetons[1]}
    )
    assert r.status_code == 302 and "#" not in r["Location"]  # refused: top of the page, where the message is


def test_pages_de_la_fiche_et_exports(client):
    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    c = campagne(organisation=org, equipe=[pro])
    contact, _ = services.enregistrer_contact(
        par=pro,
        campagne=c,
        date=timezone.localdate(),
        canal="porte",
        reponses=REPONSES,
        suivi_souhaite=True,
        recontact=RECONTACT,
    )
    p = services.creer_personne(
        par=pro, organisation=org, accord=True, notice=c.notice, prenom="Léa", nom="Martin", contact=contact
    )
    menage = menage_depuis_formulaire(
        {"activite": "salarie", "age": 30, "revenu": 900, "logement": "locataire", "loyer": 400}, commune_code="49092"
    )
    p = services.modifier_personne(personne=p, par=pro, version=p.version, menage=menage)
    sim = services.enregistrer_simulation(personne=p, par=pro, resultat=simulation_complete(p.menage))
    client.force_login(pro)
    for nom, args in [
        ("personne", [p.pk]),
        ("menage", [p.pk]),
        ("simulation", [p.pk, sim.pk]),
        ("journal", [p.pk]),
        ("export_imprimable", [p.pk]),
        ("effacer", [p.pk]),
        ("orienter", [p.pk]),
        ("personnes", []),
        ("accueil", []),
        ("contacts", [c.pk]),
        ("saisie", [c.pk]),
        ("campagne_modifier", [c.pk]),
        ("indicateurs", []),
    ]:
        r = client.get(reverse(f"allervers:{nom}", args=args))
        assert r.status_code == 200, nom
    html = client.get(reverse("allervers:journal", args=[p.pk])).content.decode()
    assert "création" in html and "fiche" in html
    r = client.get(reverse("allervers:indicateurs_export", args=["ods"]) + f"?campagne={c.pk}")
    assert r.status_code == 200 and r["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert r.content[:2] == b"PK"
    r = client.get(reverse("allervers:indicateurs_export", args=["csv"]) + "?du=2026-02-01&au=2026-01-01")
    assert r.status_code == 422 and "La fin de la période précède son début." in r.content.decode()
    assert client.get(reverse("allervers:indicateurs_export", args=["pdf"])).status_code == 404
    # Household form: an impossible value is refused with a French message naming the field.
    r = client.post(
        reverse("allervers:menage", args=[p.pk]),
        {
            "version": p.version,
            "activite": "salarie",
            "age": 30,
            "logement": "locataire",
            "loyer": 0,
            "ages_enfants": "4, 40",
        },
    )
    assert r.status_code == 200 and "40" in r.content.decode() and "pas un âge" in r.content.decode()
    r = client.post(
        reverse("allervers:menage", args=[p.pk]),
        {"version": p.version, "activite": "salarie", "age": 30, "logement": "locataire", "loyer": 0},
    )
    assert r.status_code == 200 and "loyer" in r.content.decode()
    assert chemille().code == "49092"
