"""The security events (second-factor audit) in the Django admin: read-only, for the platform admin only."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from repere.comptes.models import EvenementSecurite
from repere.organisations.models import Role
from tests.organisations.factories import UserFactory, membre

pytestmark = pytest.mark.django_db

LISTE = "/admin/comptes/evenementsecurite/"


@pytest.fixture
def evenements():
    cible = UserFactory(email="victime.secrete@exemple.fr", last_name="Dupontel")
    vieux = EvenementSecurite.objects.create(
        user=cible, quoi=EvenementSecurite.Quoi.CODE_REFUSE, quand=timezone.now() - datetime.timedelta(days=40)
    )
    recent = EvenementSecurite.objects.create(user=cible, quoi=EvenementSecurite.Quoi.CODES_GENERES)
    return cible, vieux, recent


def test_l_admin_de_la_plateforme_liste_filtre_et_cherche(client, evenements):
    cible, vieux, recent = evenements
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    r = client.get(LISTE)
    assert r.status_code == 200
    page = r.content.decode()
    assert "code de secours refusé" in page and "codes de secours générés" in page
    assert f"compte n° {cible.pk}" in page
    # no personal data copied into the audit list
    assert "victime.secrete" not in page and "Dupontel" not in page

    par_type = client.get(LISTE, {"quoi__exact": EvenementSecurite.Quoi.CODE_REFUSE}).context["cl"]
    assert list(par_type.queryset) == [vieux]
    depuis = (timezone.now() - datetime.timedelta(days=7)).isoformat()
    par_date = client.get(LISTE, {"quand__gte": depuis}).context["cl"]
    assert list(par_date.queryset) == [recent]
    # search by the label the admin reads, and never by the account's e-mail or name
    assert list(client.get(LISTE, {"q": "refusé"}).context["cl"].queryset) == [vieux]
    assert list(client.get(LISTE, {"q": "victime.secrete"}).context["cl"].queryset) == []
    assert list(client.get(LISTE, {"q": "Dupontel"}).context["cl"].queryset) == []


def test_lecture_seule(client, evenements):
    _, vieux, _ = evenements
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    fiche = client.get(f"{LISTE}{vieux.pk}/change/")
    assert fiche.status_code == 200
    assert 'name="quoi"' not in fiche.content.decode()  # shown, not editable
    assert client.get(f"{LISTE}add/").status_code == 403
    r = client.post(f"{LISTE}{vieux.pk}/change/", {"quoi": EvenementSecurite.Quoi.CODE_UTILISE})
    assert r.status_code == 403
    assert client.post(f"{LISTE}{vieux.pk}/delete/", {"post": "yes"}).status_code == 403
    r = client.post(LISTE, {"action": "delete_selected", "_selected_action": [vieux.pk], "post": "yes"})
    vieux.refresh_from_db()
    assert EvenementSecurite.objects.count() == 2
    assert vieux.quoi == EvenementSecurite.Quoi.CODE_REFUSE


def test_reservee_a_l_admin_de_la_plateforme(client, evenements):
    # a staff account given every permission on the model still does not see it, nor an organisation admin
    technique = UserFactory(is_staff=True)
    technique.user_permissions.set(Permission.objects.filter(content_type__model="evenementsecurite"))
    client.force_login(technique)
    assert client.get(LISTE).status_code == 403
    assert "evenementsecurite" not in client.get("/admin/").content.decode()
    client.force_login(membre(role=Role.ADMIN))
    assert client.get(LISTE).status_code == 302  # to the admin's login: not staff
