import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from repere.organisations import services
from repere.organisations.models import Invitation, Membership, Organisation, Role
from repere.utils.errors import ErreurMetier
from tests.organisations.factories import OrganisationFactory, UserFactory, membre

pytestmark = pytest.mark.django_db


def lien_invitation(message) -> str:
    return re.search(r"http://\S+/organisations/invitation/#\S+", message.body).group(0)


def ouvrir(client, jeton) -> str:
    """What the opening page does with the link's #fragment: post the token (kept in the session)."""
    r = client.post("/organisations/invitation/", {"jeton": jeton})
    assert r.status_code == 302 and jeton not in r["Location"]
    return r["Location"]


def test_invitation_envoie_un_lien_et_cree_le_compte(client, django_capture_on_commit_callbacks):
    org = OrganisationFactory(nom="CCAS de Test")
    admin = membre(org, Role.ADMIN)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/organisations/{org.pk}/inviter/", {"email": "Nouvelle@Exemple.fr", "role": "benevole"})
    assert r.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nouvelle@exemple.fr"]
    lien = lien_invitation(mail.outbox[0])
    chemin, jeton = lien[lien.index("/organisations/") :].split("#", 1)
    assert chemin == "/organisations/invitation/"  # the token is in the fragment, never sent to the server

    client.logout()
    ouvrir(client, jeton)
    page = client.get(chemin)
    assert page.status_code == 200 and "CCAS de Test" in page.content.decode()
    r = client.post(
        chemin,
        {
            "first_name": "Ana",
            "last_name": "Lopes",
            "password1": "un-mot-de-passe-sur",
            "password2": "un-mot-de-passe-sur",
        },
    )
    assert r.status_code == 302
    m = Membership.objects.get(user__email="nouvelle@exemple.fr")
    assert m.organisation == org and m.role == Role.BENEVOLE
    assert m.user.check_password("un-mot-de-passe-sur")

    # the link cannot be used twice: clear page, nothing changed
    client.logout()
    ouvrir(client, jeton)
    r = client.get(chemin)
    assert r.status_code == 410 and "déjà été utilisé" in r.content.decode()
    r = client.post(
        chemin,
        {"first_name": "X", "last_name": "Y", "password1": "autre-mot-de-passe", "password2": "autre-mot-de-passe"},
    )
    assert r.status_code == 410
    assert Membership.objects.filter(organisation=org).count() == 2


def test_invitation_expiree_ou_inconnue(client):
    org = OrganisationFactory()
    inv = services.inviter(organisation=org, email="a@exemple.fr", role=Role.PROFESSIONNEL, par=None)
    Invitation.objects.filter(pk=inv.pk).update(expire_le=timezone.now() - timedelta(minutes=1))
    ouvrir(client, inv.jeton)
    r = client.post(
        "/organisations/invitation/",
        {"first_name": "A", "last_name": "B", "password1": "un-mot-de-passe-sur", "password2": "un-mot-de-passe-sur"},
    )
    assert r.status_code == 410 and "expiré" in r.content.decode()
    assert not Membership.objects.filter(organisation=org).exists()
    ouvrir(client, "jeton-inexistant")
    r = client.get("/organisations/invitation/")
    assert r.status_code == 404 and "existe pas" in r.content.decode()


def test_nouvelle_invitation_remplace_l_ancienne():
    org = OrganisationFactory()
    premiere = services.inviter(organisation=org, email="a@exemple.fr", role=Role.PROFESSIONNEL, par=None)
    seconde = services.inviter(organisation=org, email="A@exemple.fr", role=Role.ADMIN, par=None)
    premiere.refresh_from_db()
    assert not premiere.est_en_attente and seconde.est_en_attente
    with pytest.raises(ErreurMetier, match="annulée"):
        services.verifier_invitation(premiere)


def test_invitation_d_un_membre_existant_refusee(client):
    org = OrganisationFactory()
    admin = membre(org, Role.ADMIN)
    deja = membre(org, Role.BENEVOLE)
    client.force_login(admin)
    r = client.post(f"/organisations/{org.pk}/inviter/", {"email": deja.email, "role": "admin"})
    assert r.status_code == 400 and "déjà membre" in r.content.decode()
    r = client.post(f"/organisations/{org.pk}/inviter/", {"email": "pas-un-email", "role": "admin"})
    assert r.status_code == 400 and "adresse de courriel valide" in r.content.decode()


def test_accepter_avec_un_compte_existant_connecte(client):
    org = OrganisationFactory()
    user = UserFactory(email="deja@exemple.fr")
    inv = services.inviter(organisation=org, email="deja@exemple.fr", role=Role.OBSERVATEUR, par=None)
    autre = UserFactory()
    client.force_login(autre)
    ouvrir(client, inv.jeton)
    client.post("/organisations/invitation/")
    assert not Membership.objects.filter(organisation=org).exists()  # wrong account: refused
    client.force_login(user)
    ouvrir(client, inv.jeton)
    r = client.post("/organisations/invitation/")
    assert r.status_code == 302
    assert Membership.objects.get(organisation=org, user=user).role == Role.OBSERVATEUR


def test_l_organisation_garde_un_administrateur(client):
    org = OrganisationFactory()
    admin = membre(org, Role.ADMIN)
    m = Membership.objects.get(user=admin)
    with pytest.raises(ErreurMetier):
        services.changer_role(membership=m, role=Role.PROFESSIONNEL)
    with pytest.raises(ErreurMetier):
        services.retirer_membre(membership=m)
    client.force_login(admin)
    r = client.post(f"/organisations/{org.pk}/membres/{m.pk}/role/", {"role": "benevole"}, follow=True)
    assert "au moins un administrateur" in r.content.decode()
    m.refresh_from_db()
    assert m.role == Role.ADMIN


def test_admin_change_un_role_et_retire_un_membre(client):
    org = OrganisationFactory()
    admin = membre(org, Role.ADMIN)
    m = Membership.objects.get(user=membre(org, Role.BENEVOLE))
    client.force_login(admin)
    client.post(f"/organisations/{org.pk}/membres/{m.pk}/role/", {"role": "professionnel"})
    m.refresh_from_db()
    assert m.role == Role.PROFESSIONNEL
    client.post(f"/organisations/{org.pk}/membres/{m.pk}/retirer/")
    m.refresh_from_db()
    assert not m.is_active


def test_modifier_l_organisation_et_ses_territoires(client):
    """The platform admin sets the territories (an organisation's admin cannot: tests/securite)."""
    org = OrganisationFactory()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    r = client.post(
        f"/organisations/{org.pk}/modifier/",
        {"nom": "CCAS modifié", "type": "ccas", "territoires": "commune:49092\nepci:200060010\n49"},
    )
    assert r.status_code == 302
    org.refresh_from_db()
    assert org.nom == "CCAS modifié"
    assert sorted((t.type, t.code) for t in org.territoires.all()) == [
        ("commune", "49092"),
        ("departement", "49"),
        ("epci", "200060010"),
    ]
    r = client.post(
        f"/organisations/{org.pk}/modifier/",
        {"nom": "X", "type": "ccas", "territoires": "commune:99999", "siret": "123"},
    )
    assert r.status_code == 200
    contenu = r.content.decode()
    assert "Territoire inconnu : commune:99999." in contenu and "14 chiffres" in contenu
    org.refresh_from_db()
    assert org.nom == "CCAS modifié"


def test_l_admin_plateforme_cree_une_organisation(client):
    plateforme = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(plateforme)
    r = client.post(
        "/organisations/nouvelle/", {"nom": "France Services Cholet", "type": "france_services", "territoires": "49099"}
    )
    assert r.status_code == 302
    org = Organisation.objects.get(nom="France Services Cholet")
    assert [t.code for t in org.territoires.all()] == ["49099"]
    client.force_login(membre(org, Role.ADMIN))
    assert client.get("/organisations/nouvelle/").status_code == 404


def test_les_emails_en_texte_brut_ne_sont_pas_echappes(django_capture_on_commit_callbacks):
    org = OrganisationFactory(nom="Maison d'entraide")
    with django_capture_on_commit_callbacks(execute=True):
        services.inviter(organisation=org, email="a@exemple.fr", role=Role.PROFESSIONNEL, par=None)
    assert "« Maison d'entraide »" in mail.outbox[0].body
