import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from repere.concertation.models import Atelier, Evenement, GroupeTravail, Kiosque, Tache
from repere.organisations.models import Role
from tests.annuaire.factories import StructureFactory
from tests.organisations.factories import OrganisationFactory, membre
from tests.pilotage.factories import action, plan
from tests.rendu import espaces

pytestmark = pytest.mark.django_db


def test_preparer_une_conference_depuis_les_pages(client):
    org = OrganisationFactory(nom="Préfecture test")
    user = membre(org, Role.PROFESSIONNEL)
    animateur = membre(OrganisationFactory(), Role.BENEVOLE, email="animatrice@exemple.fr")
    p = plan(organisation=org)
    a = action(p, titre="Plateforme mobilité")
    structure = StructureFactory(nom="Carbur'Pera")
    client.force_login(user)
    r = client.post(
        "/concertation/",
        {
            "quoi": "evenement",
            "evenement-nom": "Conférence 2024",
            "evenement-date": "2024-11-05",
            "evenement-organisation": org.pk,
            "evenement-plan": p.pk,
        },
    )
    ev = Evenement.objects.get(nom="Conférence 2024")
    assert r.status_code == 302 and ev.plan == p
    url = f"/concertation/evenements/{ev.pk}/"
    client.post(url, {"quoi": "atelier", "atelier-thematique": "Rural", "atelier-enjeu": "Mobilité ?"})
    atelier = Atelier.objects.get(evenement=ev)
    assert atelier.numero == 1
    r = client.post(
        url, {"quoi": "animateur", "animateur-atelier": atelier.pk, "animateur-email": "inconnu@exemple.fr"}
    )
    assert "Aucun compte actif pour « inconnu@exemple.fr »" in r.content.decode()
    client.post(url, {"quoi": "animateur", "animateur-atelier": atelier.pk, "animateur-email": "animatrice@exemple.fr"})
    assert list(atelier.animateurs.all()) == [animateur]
    r = client.post(url, {"quoi": "kiosque", "kiosque-titre": "Mobilité", "kiosque-structure": "Inexistante"})
    assert "ne s&#x27;appelle « Inexistante »" in r.content.decode()
    client.post(
        url, {"quoi": "kiosque", "kiosque-titre": "Mobilité", "kiosque-structure": "carbur", "kiosque-action": a.pk}
    )
    k = Kiosque.objects.get()
    assert k.structure_annuaire == structure and k.action == a
    assert "Carbur&#x27;Pera, Chemillé-en-Anjou — structure de l'annuaire" in espaces(client.get(url).content)
    # the facilitator of another organisation reaches the capture page of this workshop only
    client.force_login(animateur)
    assert client.get(f"/concertation/ateliers/{atelier.pk}/saisie/").status_code == 200
    assert client.get(f"/concertation/evenements/{ev.pk}/synthese/").status_code == 200


def test_groupe_reunion_decision_et_tache_depuis_les_pages(client):
    org = OrganisationFactory()
    user = membre(org, Role.PROFESSIONNEL)
    collegue = membre(OrganisationFactory(), Role.PROFESSIONNEL, email="collegue@exemple.fr")
    p = plan(organisation=org)
    client.force_login(user)
    client.post("/concertation/", {"quoi": "groupe", "groupe-nom": "GT droits", "groupe-organisation_pilote": org.pk})
    g = GroupeTravail.objects.get()
    client.post(f"/concertation/groupes/{g.pk}/", {"quoi": "membre", "email": "collegue@exemple.fr"})
    assert set(g.membres.all()) == {user, collegue}
    client.post(f"/concertation/groupes/{g.pk}/", {"quoi": "reunion", "titre": "Séance 1", "date": "2025-03-01T14:00"})
    r = g.reunions.get()
    url = f"/concertation/reunions/{r.pk}/"
    client.post(url, {"quoi": "compte_rendu", "compte_rendu": "Échanges.", "presents": [collegue.pk]})
    client.post(
        url,
        {
            "quoi": "decision",
            "texte": "Créer un guichet",
            "effet": "creer",
            "plan": p.pk,
            "titre_action": "Guichet unique",
        },
    )
    assert p.actions.get().titre == "Guichet unique"
    client.post(url, {"quoi": "tache", "titre": "Chiffrer", "responsable": collegue.pk, "echeance": "2025-04-01"})
    t = Tache.objects.get()
    client.post(url, {"quoi": "tache_faite", "tache": t.pk})
    t.refresh_from_db()
    assert t.faite
    page = client.get(url).content.decode()
    assert "Guichet unique" in page and "Échanges." in page


def test_document_d_une_action(client):
    org = OrganisationFactory()
    user = membre(org, Role.PROFESSIONNEL)
    a = action(plan(organisation=org))
    client.force_login(user)
    r = client.post(
        f"/pilotage/actions/{a.pk}/",
        {"quoi": "document", "document-titre": "Convention", "document-fichier": SimpleUploadedFile("c.exe", b"MZ")},
    )
    assert "Type de fichier refusé" in r.content.decode()
    client.post(
        f"/pilotage/actions/{a.pk}/",
        {
            "quoi": "document",
            "document-titre": "Convention",
            "document-fichier": SimpleUploadedFile("c.pdf", b"%PDF-1.4"),
        },
    )
    doc = a.documents.get()
    assert b"".join(client.get(f"/pilotage/documents/{doc.pk}/").streaming_content) == b"%PDF-1.4"
    client.force_login(membre(OrganisationFactory()))
    assert client.get(f"/pilotage/documents/{doc.pk}/").status_code == 404
