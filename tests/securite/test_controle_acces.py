"""Issue 11, access control: an organisation cannot promote itself, the platform admin cannot give itself
access to personal data through an invitation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from repere.annuaire import services as annuaire
from repere.annuaire.models import StatutModeration
from repere.organisations import services
from repere.organisations.models import Invitation, Membership, Role, TypeOrganisation
from repere.territoires.models import Territoire
from repere.utils.errors import ErreurMetier
from tests.annuaire.factories import ServiceFactory, StructureFactory
from tests.organisations.factories import OrganisationFactory, UserFactory, membre

pytestmark = pytest.mark.django_db


def _orienter_vers(service, emetteur, organisation):
    return annuaire.creer_orientation(
        emetteur=emetteur,
        organisation_emettrice=organisation,
        service=service,
        personne={"prenom": "Camille", "nom": "Secretnom", "telephone": "0611223344"},
        besoins="Factures impayées",
        consentement={
            "informe_par": "Dominique",
            "le": timezone.now() - timedelta(minutes=5),
            "version_notice": "2026-01",
            "base_legale": "consentement",
        },
    )


def test_un_admin_d_organisation_ne_promeut_pas_son_organisation(client):
    """The attack: type=departement + territoires=region:52, then moderation, claim, referral reads."""
    chemille = Territoire.objects.get(type="commune", code="49092")
    ccas = OrganisationFactory(nom="CCAS attaquant", type=TypeOrganisation.CCAS)
    ccas.territoires.set([chemille])
    admin = membre(ccas, Role.ADMIN)
    departement = OrganisationFactory(nom="Département 49", type=TypeOrganisation.DEPARTEMENT)
    departement.territoires.set([Territoire.objects.get(type="departement", code="49")])
    en_attente = StructureFactory(nom="Nouvelle structure", code_insee="49007", statut_moderation="en_attente")
    mairie = StructureFactory(nom="Mairie de Antoigné", code_insee="49007")
    service_mairie = ServiceFactory(structure=mairie)

    client.force_login(admin)
    page = client.get(f"/organisations/{ccas.pk}/modifier/").content.decode()
    assert 'name="type"' not in page and 'name="territoires"' not in page
    r = client.post(
        f"/organisations/{ccas.pk}/modifier/",
        {"nom": "CCAS renommé", "type": "departement", "territoires": "region:52"},
    )
    assert r.status_code == 302
    ccas.refresh_from_db()
    assert ccas.nom == "CCAS renommé"  # what it may change, it changes
    assert ccas.type == TypeOrganisation.CCAS
    assert list(ccas.territoires.all()) == [chemille]
    with pytest.raises(ErreurMetier):
        services.modifier_organisation(
            organisation=ccas, par=admin, donnees={"type": TypeOrganisation.DEPARTEMENT}, territoires=None
        )

    # the consequences chain: no moderation, no refusal, no claim accepted, no referral read
    assert "Nouvelle structure" not in client.get("/annuaire/moderation/").content.decode()
    r = client.post("/annuaire/moderation/", {"structure": en_attente.pk, "decision": "refusee", "motif": "x"})
    assert r.status_code == 404
    en_attente.refresh_from_db()
    assert en_attente.statut_moderation == StatutModeration.EN_ATTENTE
    client.post(f"/annuaire/structures/{mairie.pk}/revendiquer/", {"organisation": ccas.pk})
    assert (
        client.post("/annuaire/moderation/", {"structure": mairie.pk, "revendication": "accepter"}).status_code == 404
    )
    mairie.refresh_from_db()
    assert mairie.organisation_id is None
    autre = OrganisationFactory()
    orientation = _orienter_vers(service_mairie, membre(autre, Role.PROFESSIONNEL), autre)
    r = client.get(f"/annuaire/orientations/{orientation.pk}/")
    assert r.status_code == 404 and "Secretnom" not in r.content.decode()


def test_seul_l_admin_plateforme_change_type_et_territoires(client):
    org = OrganisationFactory(type=TypeOrganisation.CCAS)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    r = client.post(
        f"/organisations/{org.pk}/modifier/", {"nom": org.nom, "type": "departement", "territoires": "departement:49"}
    )
    assert r.status_code == 302
    org.refresh_from_db()
    assert org.type == TypeOrganisation.DEPARTEMENT
    assert [(t.type, t.code) for t in org.territoires.all()] == [("departement", "49")]


def test_l_admin_plateforme_ne_s_invite_pas_dans_une_organisation(client):
    org = OrganisationFactory()
    plateforme = UserFactory(is_superuser=True, is_staff=True, email="plateforme@exemple.fr")
    client.force_login(plateforme)
    r = client.post(f"/organisations/{org.pk}/inviter/", {"email": "Plateforme@Exemple.fr", "role": "admin"})
    assert r.status_code == 400
    assert "administrateur de la plateforme" in r.content.decode()
    assert not Invitation.objects.filter(organisation=org).exists()

    # an invitation sent before the account became platform admin cannot be accepted either
    invitation = services.inviter(organisation=org, email="futur@exemple.fr", role=Role.ADMIN, par=membre(org))
    futur = UserFactory(email="futur@exemple.fr", is_superuser=True, is_staff=True)
    client.force_login(futur)
    client.post("/organisations/invitation/", {"jeton": invitation.jeton})
    client.post("/organisations/invitation/")
    assert not Membership.objects.filter(user=futur).exists()
    with pytest.raises(ErreurMetier):
        services.ajouter_membre(organisation=org, user=plateforme, role=Role.PROFESSIONNEL)
    assert not Membership.objects.filter(user=plateforme).exists()


def test_une_adhesion_anterieure_ne_donne_aucun_acces_a_l_admin_plateforme(client, dossier):
    """A member later promoted platform admin: its old membership carries no personal-data access."""
    from django.urls import reverse

    pro = dossier.auteur
    client.force_login(pro)
    assert client.get(reverse("allervers:personne", args=[dossier.personne.pk])).status_code == 200
    pro.is_superuser = pro.is_staff = True
    pro.save()
    for url in (
        reverse("allervers:personne", args=[dossier.personne.pk]),
        reverse("allervers:export_json", args=[dossier.personne.pk]),
        reverse("annuaire:orientation", args=[dossier.orientation.pk]),
    ):
        assert client.get(url).status_code == 404, url
