"""Throttling: password reset (once 15 e-mails to one account in a loop) and invitations."""

import pytest
from django.core import mail

from repere.organisations import services
from repere.organisations.models import Role
from repere.utils.errors import ErreurMetier
from tests.organisations.factories import OrganisationFactory, UserFactory, membre

pytestmark = pytest.mark.django_db


def test_reinitialisation_limitee_par_adresse(client):
    UserFactory(email="cible@exemple.fr")
    statuts = [
        client.post("/compte/mot-de-passe-oublie/", {"email": "cible@exemple.fr"}).status_code for _ in range(15)
    ]
    assert len(mail.outbox) == 3
    assert statuts[:3] == [302, 302, 302]
    assert set(statuts[3:]) == {429}
    reponse = client.post("/compte/mot-de-passe-oublie/", {"email": "Cible@Exemple.fr"})
    assert "Trop de demandes de réinitialisation" in reponse.content.decode()
    assert len(mail.outbox) == 3
    # another person's reset (from another network) is not blocked by it
    UserFactory(email="autre@exemple.fr")
    reponse = client.post("/compte/mot-de-passe-oublie/", {"email": "autre@exemple.fr"}, REMOTE_ADDR="10.0.0.2")
    assert reponse.status_code == 302
    assert len(mail.outbox) == 4


def test_reinitialisation_limitee_par_ip_meme_pour_des_adresses_inconnues(client):
    statuts = [
        client.post("/compte/mot-de-passe-oublie/", {"email": f"inconnu{n}@exemple.fr"}).status_code for n in range(20)
    ]
    assert statuts.count(302) == 15 and statuts.count(429) == 5


def test_invitations_limitees_par_adresse(django_capture_on_commit_callbacks):
    org = OrganisationFactory()
    admin = membre(org, role=Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            services.inviter(organisation=org, email="x@exemple.fr", role=Role.BENEVOLE, par=admin)
    with pytest.raises(ErreurMetier, match="a déjà reçu 3 invitations récemment"):
        services.inviter(organisation=org, email="x@exemple.fr", role=Role.BENEVOLE, par=admin)
    assert len(mail.outbox) == 3


def test_invitations_limitees_par_compte(settings, client):
    settings.REPERE_LIMITE_INVITATIONS = (5, 3, 86400)
    org = OrganisationFactory()
    admin = membre(org, role=Role.ADMIN)
    client.force_login(admin)
    statuts = [
        client.post(f"/organisations/{org.pk}/inviter/", {"email": f"p{n}@exemple.fr", "role": "benevole"}).status_code
        for n in range(7)
    ]
    assert statuts == [302] * 5 + [400] * 2
    reponse = client.post(f"/organisations/{org.pk}/inviter/", {"email": "q@exemple.fr", "role": "benevole"})
    assert "Vous avez envoyé 5 invitations aujourd" in reponse.content.decode()
