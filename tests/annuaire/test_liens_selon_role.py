"""Défaut 3 de l'essai : aucun lien vers une page interdite au rôle (la règle de la vue sert au gabarit)."""

import pytest
from django.urls import reverse

from repere.organisations.models import Role
from tests.organisations.factories import OrganisationFactory, UserFactory, membre

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.BENEVOLE, Role.OBSERVATEUR, None])
def test_annuaire_sans_lien_vers_les_orientations_interdites(client, role):
    user = membre(OrganisationFactory(), role) if role else UserFactory()
    client.force_login(user)
    page = client.get(reverse("annuaire:recherche")).content.decode()
    for sens in ("envoyees", "recues"):
        url = reverse("annuaire:tableau", args=[sens])
        assert url not in page
        assert client.get(url).status_code == 404
        assert client.get(reverse("annuaire:tableau_csv", args=[sens])).status_code == 404


@pytest.mark.parametrize("role", [Role.PROFESSIONNEL, Role.ADMIN])
def test_annuaire_lien_vers_les_orientations_pour_les_pros(client, role):
    client.force_login(membre(OrganisationFactory(), role))
    page = client.get(reverse("annuaire:recherche")).content.decode()
    for sens in ("envoyees", "recues"):
        url = reverse("annuaire:tableau", args=[sens])
        assert url in page
        assert client.get(url).status_code == 200
