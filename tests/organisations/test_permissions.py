"""Organisation scoping: a user of organisation A can neither see nor change anything of organisation B."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from repere.organisations import permissions
from repere.organisations.models import Invitation, Membership, Organisation, Role
from tests.organisations.factories import MembershipFactory, OrganisationFactory, UserFactory, membre

pytestmark = pytest.mark.django_db


@pytest.fixture
def deux_organisations():
    a, b = OrganisationFactory(nom="CCAS A"), OrganisationFactory(nom="Association B")
    return a, b, membre(a, Role.ADMIN), membre(b, Role.ADMIN)


def test_roles_et_organisations_de():
    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    assert permissions.role_dans(pro, org) == Role.PROFESSIONNEL
    assert permissions.a_un_role(pro, org, permissions.ROLES_DONNEES_PERSONNELLES)
    assert not permissions.a_un_role(pro, org, permissions.ROLES_GESTION)
    assert list(permissions.organisations_de(pro)) == [org]
    assert list(permissions.organisations_de(pro, roles=[Role.ADMIN])) == []


def test_membre_inactif_ou_compte_desactive_n_a_plus_de_role():
    org = OrganisationFactory()
    user = membre(org, Role.ADMIN)
    Membership.objects.filter(user=user).update(is_active=False)
    assert permissions.role_dans(user, org) is None
    user2 = membre(org, Role.ADMIN)
    user2.is_active = False
    user2.save()
    assert permissions.role_dans(user2, org) is None
    assert not permissions.organisations_de(user2).exists()


def test_filtrer_par_organisation(deux_organisations):
    a, b, admin_a, _ = deux_organisations
    # Memberships stand for any organisation-owned rows here.
    qs = permissions.filtrer_par_organisation(Membership.objects.all(), admin_a)
    assert {m.organisation for m in qs} == {a}


def test_l_administrateur_de_plateforme_n_a_pas_acces_implicite_aux_donnees(deux_organisations):
    a, b, _, _ = deux_organisations
    plateforme = UserFactory(is_superuser=True, is_staff=True)
    assert permissions.peut_gerer(plateforme, a)
    assert not permissions.filtrer_par_organisation(Membership.objects.all(), plateforme).exists()


def test_decorateur_organisation_requise(deux_organisations):
    a, b, admin_a, _ = deux_organisations

    @permissions.organisation_requise(permissions.ROLES_GESTION)
    def vue(request, organisation_id):
        return request.organisation, request.role

    requete = RequestFactory().get("/")
    requete.user = admin_a
    assert vue(requete, organisation_id=a.pk) == (a, Role.ADMIN)
    with pytest.raises(Http404):
        vue(requete, organisation_id=b.pk)


def test_pages_de_l_organisation_b_invisibles_pour_a(client, deux_organisations):
    a, b, admin_a, admin_b = deux_organisations
    client.force_login(admin_a)
    assert client.get(f"/organisations/{a.pk}/").status_code == 200
    assert client.get(f"/organisations/{b.pk}/").status_code == 404
    assert client.get(f"/organisations/{b.pk}/modifier/").status_code == 404
    assert "Association B" not in client.get("/organisations/").content.decode()


def test_a_ne_peut_rien_modifier_dans_b(client, deux_organisations):
    a, b, admin_a, admin_b = deux_organisations
    membre_b = MembershipFactory(organisation=b, role=Role.PROFESSIONNEL)
    invitation_b = Invitation.objects.create(
        organisation=b, email="x@exemple.fr", role=Role.BENEVOLE, expire_le="2099-01-01T00:00Z"
    )
    client.force_login(admin_a)
    reponses = [
        client.post(f"/organisations/{b.pk}/inviter/", {"email": "intrus@exemple.fr", "role": "admin"}),
        client.post(f"/organisations/{b.pk}/membres/{membre_b.pk}/role/", {"role": "admin"}),
        client.post(f"/organisations/{b.pk}/membres/{membre_b.pk}/retirer/"),
        client.post(f"/organisations/{b.pk}/invitations/{invitation_b.pk}/annuler/"),
        client.post(f"/organisations/{b.pk}/modifier/", {"nom": "Piraté", "type": "autre"}),
        # an object of B reached through A's URL
        client.post(f"/organisations/{a.pk}/membres/{membre_b.pk}/role/", {"role": "admin"}),
    ]
    assert [r.status_code for r in reponses] == [404] * 6
    membre_b.refresh_from_db()
    invitation_b.refresh_from_db()
    assert membre_b.role == Role.PROFESSIONNEL and membre_b.is_active
    assert invitation_b.annulee_le is None
    assert not Invitation.objects.filter(email="intrus@exemple.fr").exists()
    assert Organisation.objects.get(pk=b.pk).nom == "Association B"


@pytest.mark.parametrize("role", [Role.PROFESSIONNEL, Role.BENEVOLE, Role.OBSERVATEUR])
def test_seul_l_admin_gere_les_membres(client, role):
    org = OrganisationFactory()
    user = membre(org, role)
    client.force_login(user)
    page = client.get(f"/organisations/{org.pk}/")
    assert page.status_code == 200 and "Inviter un membre" not in page.content.decode()
    assert (
        client.post(f"/organisations/{org.pk}/inviter/", {"email": "a@exemple.fr", "role": "admin"}).status_code == 404
    )


def test_anonyme_redirige_vers_la_connexion(client):
    org = OrganisationFactory()
    r = client.get(f"/organisations/{org.pk}/")
    assert r.status_code == 302 and r["Location"].startswith("/compte/connexion/")
