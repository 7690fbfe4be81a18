"""Défaut 3 de l'essai : « Saisir un contact » n'apparaît que pour qui peut saisir (même règle que la vue)."""

import pytest
from django.urls import reverse

from repere.organisations.models import Role
from tests.allervers.factories import campagne
from tests.organisations.factories import membre

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role,voit", [(Role.OBSERVATEUR, False), (Role.PROFESSIONNEL, True)])
def test_accueil_saisir_un_contact_selon_le_role(client, role, voit):
    c = campagne()
    user = membre(c.organisation, role)
    client.force_login(user)
    page = client.get(reverse("allervers:accueil")).content.decode()
    url = reverse("allervers:saisie", args=[c.pk])
    assert (url in page) is voit
    assert client.get(url).status_code == (200 if voit else 404)


def test_benevole_de_l_equipe_voit_saisir(client):
    c = campagne()
    benevole = membre(c.organisation, Role.BENEVOLE)
    c.equipe.add(benevole)
    client.force_login(benevole)
    assert reverse("allervers:saisie", args=[c.pk]) in client.get(reverse("allervers:accueil")).content.decode()
