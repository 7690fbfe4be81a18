import datetime
import json

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from repere.allervers import anonymisation, selectors, services
from repere.allervers.models import (
    Contact,
    DroitAnonymise,
    Historique,
    JournalAcces,
    Personne,
    PersonneAnonymisee,
)
from repere.organisations.models import Role
from tests.allervers.factories import RECONTACT, REPONSES, NoticeFactory, campagne, chemille
from tests.organisations.factories import OrganisationFactory, membre

pytestmark = pytest.mark.django_db


def _fiche(org, pro, c=None, **kw):
    p = services.creer_personne(
        par=pro,
        organisation=org,
        accord=True,
        notice=NoticeFactory(organisation=org),
        prenom="Zoé",
        nom="Dupont-Unique",
        campagne=c,
        commune=chemille(),
        telephone="0611223344",
        **kw,
    )
    return p


def test_couverture_anonymisation_de_chaque_champ():
    """Fails when a field of the app's models is not classified in anonymisation.CLASSIFICATION."""
    manquants = []
    for model in apps.get_app_config("allervers").get_models():
        classes = anonymisation.CLASSIFICATION.get(model.__name__)
        assert classes is not None, f"modèle {model.__name__} absent de CLASSIFICATION"
        for f in model._meta.get_fields():
            if f.auto_created and not f.concrete:
                continue  # reverse relations
            if f.name not in classes:
                manquants.append(f"{model.__name__}.{f.name}")
        assert set(classes.values()) <= anonymisation.TRAITEMENTS
    assert not manquants, f"champs non classés pour l'anonymisation : {manquants}"


def test_lecture_journalisee_et_note_privee(client):
    org = OrganisationFactory()
    pro, collegue = membre(org, Role.PROFESSIONNEL), membre(org, Role.PROFESSIONNEL)
    p = _fiche(org, pro)
    services.ajouter_entretien(
        personne=p,
        par=pro,
        organisation=org,
        date=timezone.localdate(),
        canal="domicile",
        resume="Point logement",
        note_privee="secret-de-pro",
    )
    client.force_login(collegue)
    r = client.get(reverse("allervers:personne", args=[p.pk]))
    assert r.status_code == 200 and "Point logement" in r.content.decode() and "secret-de-pro" not in r.content.decode()
    lecture = JournalAcces.objects.get(personne=p, utilisateur=collegue)
    assert lecture.quoi == "fiche" and lecture.organisation == org
    client.force_login(pro)
    assert "secret-de-pro" in client.get(reverse("allervers:personne", args=[p.pk])).content.decode()
    assert JournalAcces.objects.filter(personne=p).count() == 2


def test_cloisonnement(client):
    org, autre = OrganisationFactory(), OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    benevole = membre(org, Role.BENEVOLE)
    p = _fiche(org, pro)
    url = reverse("allervers:personne", args=[p.pk])
    for u in (benevole, membre(org, Role.OBSERVATEUR), membre(autre, Role.PROFESSIONNEL)):
        client.force_login(u)
        assert client.get(url).status_code == 404
        assert client.get(reverse("allervers:export_json", args=[p.pk])).status_code == 404
    assert not JournalAcces.objects.exists()
    # Shared with the other organisation, with agreement: now visible to its professionals.
    pro_autre = membre(autre, Role.PROFESSIONNEL)
    services.partager_suivi(personne=p, par=pro, organisation=autre, accord=True, notice=p.consentements.first().notice)
    client.force_login(pro_autre)
    assert client.get(url).status_code == 200
    assert client.get(reverse("allervers:effacer", args=[p.pk])).status_code == 404  # only the owner erases


def test_benevole_ne_voit_que_ses_contacts(client):
    org = OrganisationFactory()
    a, b = membre(org, Role.BENEVOLE), membre(org, Role.BENEVOLE)
    c = campagne(organisation=org, equipe=[a, b])
    services.enregistrer_contact(par=a, campagne=c, date=timezone.localdate(), canal="porte", secteur="Centre")
    services.enregistrer_contact(par=b, campagne=c, date=timezone.localdate(), canal="porte", secteur="Les Mauges")
    client.force_login(a)
    html = client.get(reverse("allervers:contacts", args=[c.pk])).content.decode()
    assert "Centre" in html and "Les Mauges" not in html
    assert client.get(reverse("allervers:campagne", args=[c.pk])).status_code == 200
    assert client.get(reverse("allervers:indicateurs")).status_code == 404
    hors = membre(org, Role.BENEVOLE)
    client.force_login(hors)
    assert client.get(reverse("allervers:campagne", args=[c.pk])).status_code == 404


def test_droit_d_acces_json(client):
    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    p = _fiche(org, pro)
    client.force_login(pro)
    r = client.get(reverse("allervers:export_json", args=[p.pk]))
    d = json.loads(r.content)
    assert d["identite"]["nom"] == "Dupont-Unique" and d["accords"][0]["finalite"].startswith("Accompagnement")
    assert client.get(reverse("allervers:export_imprimable", args=[p.pk])).status_code == 200
    assert JournalAcces.objects.filter(personne=p, quoi__startswith="droit d'accès").count() == 2


def test_effacement_garde_les_indicateurs(client):
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
        par=pro, organisation=org, accord=True, notice=c.notice, prenom="Zoé", nom="Dupont-Unique", contact=contact
    )
    d = p.droits.get(prestation="aide_logement")
    services.changer_statut_droit(
        droit=d, par=pro, version=d.version, statut="ouvert", date=timezone.localdate(), montant_confirme=300
    )
    avant = selectors.indicateurs(campagnes=[c.pk])
    client.force_login(pro)
    r = client.post(reverse("allervers:effacer", args=[p.pk]), {"confirmation": p.reference})
    assert r.status_code == 302
    assert not Personne.objects.exists() and Contact.objects.get().personne is None
    apres = selectors.indicateurs(campagnes=[c.pk])
    assert apres["totaux"] == avant["totaux"] and apres["personnes"] == avant["personnes"] == 1
    assert PersonneAnonymisee.objects.get().motif == "effacement"
    for h in Historique.objects.all():
        assert "Dupont-Unique" not in json.dumps(h.changements)


def test_commande_de_retention():
    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    p = _fiche(org, pro)
    recent = _fiche(org, pro)
    services.ajouter_droit(personne=p, par=pro, prestation="rsa", libelle="RSA", montant_estime=400)
    vieux = timezone.localdate() - datetime.timedelta(days=710)
    Personne.objects.filter(pk=p.pk).update(derniere_interaction_le=vieux)
    call_command("allervers_retention")
    p.refresh_from_db()
    assert p.avis_retention_le is not None and len(mail.outbox) == 1
    assert p.reference in mail.outbox[0].subject and "Zoé" not in mail.outbox[0].body
    # 31 days later: past 2 years and notice given 30 days before -> anonymised.
    call_command("allervers_retention", date=(timezone.localdate() + datetime.timedelta(days=31)).isoformat())
    assert not Personne.objects.filter(pk=p.pk).exists()
    assert Personne.objects.filter(pk=recent.pk).exists()
    stat = PersonneAnonymisee.objects.get()
    assert stat.motif == "conservation" and stat.commune_code == "49092"
    assert DroitAnonymise.objects.get().prestation == "rsa"


def test_nouveau_contact_repousse_la_retention():
    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    p = _fiche(org, pro)
    Personne.objects.filter(pk=p.pk).update(derniere_interaction_le=timezone.localdate() - datetime.timedelta(days=720))
    call_command("allervers_retention")
    services.ajouter_entretien(personne=p, par=pro, organisation=org, date=timezone.localdate(), canal="telephone")
    p.refresh_from_db()
    assert p.avis_retention_le is None and p.derniere_interaction_le == timezone.localdate()
    call_command("allervers_retention", date=(timezone.localdate() + datetime.timedelta(days=40)).isoformat())
    assert Personne.objects.filter(pk=p.pk).exists()


def test_registre(client):
    r = client.get(reverse("allervers:registre"))
    html = r.content.decode()
    assert (
        r.status_code == 200
        and "2 ans après le dernier contact" in html
        and "note privée (visible par vous seul) : supprimé" in html
    )


def test_accueil_selon_le_role(client):
    org = OrganisationFactory()
    b = membre(org, Role.BENEVOLE)
    c = campagne(organisation=org, equipe=[b], nom="Campagne visible")
    campagne(organisation=org, nom="Campagne d'une autre équipe")
    client.force_login(b)
    html = client.get(reverse("allervers:accueil")).content.decode()
    assert "Campagne visible" in html and "autre équipe" not in html and "Indicateurs" not in html
    client.force_login(membre(org, Role.OBSERVATEUR))
    html = client.get(reverse("allervers:accueil")).content.decode()
    assert "autre équipe" in html and "Indicateurs" in html and "Personnes suivies" not in html
    assert client.get(reverse("allervers:indicateurs") + f"?campagne={c.pk}").status_code == 200
    assert client.get(reverse("allervers:contacts", args=[c.pk])).status_code == 404
