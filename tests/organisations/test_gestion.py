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
    assert "Territoires d&#x27;action : territoire inconnu ou d&#x27;un autre type : « commune:99999 »" in contenu
    assert "14 chiffres" in contenu
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


def test_territoires_choisis_par_leur_nom_et_affiches_par_leur_nom(client):
    org = OrganisationFactory()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    r = client.post(
        f"/organisations/{org.pk}/modifier/",
        {"nom": "CCAS", "type": "ccas", "territoires": "Chemillé-en-Anjou\nMauges Communauté\nMaine-et-Loire"},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    assert sorted((t.type, t.code) for t in org.territoires.all()) == [
        ("commune", "49092"),
        ("departement", "49"),
        ("epci", "200060010"),
    ]
    html = client.get(f"/organisations/{org.pk}/modifier/").content.decode()
    assert "Chemillé-en-Anjou (49120)" in _texte_visible(html) and "commune:49092" not in _texte_visible(html)
    # what is shown back is accepted as is
    r = client.post(
        f"/organisations/{org.pk}/modifier/",
        {
            "nom": "CCAS",
            "type": "ccas",
            "territoires": "Chemillé-en-Anjou (49120)\nMauges Communauté — EPCI\nMaine-et-Loire (49) — département",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    assert org.territoires.count() == 3
    r = client.post(
        f"/organisations/{org.pk}/modifier/", {"nom": "CCAS", "type": "ccas", "territoires": "Nullepart-sur-Rien"}
    )
    assert r.status_code == 200 and "aucun territoire ne correspond à « Nullepart-sur-Rien »" in r.content.decode()


def _texte_visible(html: str) -> str:
    """What a person reads: the page without its tags and attribute values."""
    return re.sub(r"<[^>]+>", " ", html)


def test_territoires_d_action_au_selecteur_multiple_et_sans_javascript(client):
    """Issue 12, item 4: the territories of action are chosen with the territory picker (one checked box
    per territory, named by its name; an input with the autocomplete to add one), not typed in a textarea;
    without JavaScript, names typed in the input are read (several separated by « ; »)."""
    from repere.territoires.models import Territoire

    org = OrganisationFactory()
    org.territoires.set([Territoire.objects.get(type="commune", code="49092")])
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(f"/organisations/{org.pk}/modifier/").content.decode()
    assert "<textarea" not in html
    assert re.search(r'<input type="checkbox" name="territoires" value="commune:49092"[^>]*checked', html)
    assert re.search(r'data-autocomplete[^>]*data-multiple="id_territoires_choisis"', html)
    assert re.search(r'<input type="text"\s+name="territoires_ajout"[^>]*id="id_territoires"', html)
    assert '<label for="id_territoires">Territoires d&#x27;action' in html  # the field's label names the input
    visible = _texte_visible(html)
    assert "Chemillé-en-Anjou (49120)" in visible and "49092" not in visible

    # no JavaScript: the box kept, two names typed in the input
    r = client.post(
        f"/organisations/{org.pk}/modifier/",
        {
            "nom": "CCAS",
            "type": "ccas",
            "territoires": ["commune:49092"],
            "territoires_ajout": "Mauges Communauté ; 49",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert sorted((t.type, t.code) for t in org.territoires.all()) == [
        ("commune", "49092"),
        ("departement", "49"),
        ("epci", "200060010"),
    ]
    # unticking a box removes that territory
    r = client.post(
        f"/organisations/{org.pk}/modifier/", {"nom": "CCAS", "type": "ccas", "territoires": ["epci:200060010"]}
    )
    assert r.status_code == 302
    assert [t.code for t in org.territoires.all()] == ["200060010"]


def test_territoire_d_action_inconnu_message_nommant_le_champ_et_la_valeur(client):
    org = OrganisationFactory(nom="CCAS")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    r = client.post(
        f"/organisations/{org.pk}/modifier/",
        {"nom": "Nouveau nom", "type": "ccas", "territoires": ["epci:200060010"], "territoires_ajout": "Nullepart"},
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "Territoires d&#x27;action : aucun territoire ne correspond à « Nullepart »" in html
    # shown back as sent: the box still ticked (by its name), the text still in the input
    assert re.search(r'value="epci:200060010"[^>]*checked', html) and 'value="Nullepart"' in html
    org.refresh_from_db()
    assert org.nom == "CCAS" and not org.territoires.exists()  # nothing written
