"""Défaut 6 de l'essai, sur téléphone (390 px) : la liste des membres garde ses mots (« Changer ») et ses rôles
entiers (règle des tableaux qui défilent dans leur boîte, repere.css)."""

import pytest

from repere.organisations.models import Role
from tests.annuaire.test_navigateur import connecter
from tests.annuaire.test_tableaux_telephone import verifier_cellules
from tests.organisations.factories import OrganisationFactory, membre

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_membres_d_une_organisation_sur_telephone(live_server, page_mobile):
    organisation = OrganisationFactory(nom="CCAS de Chemillé-en-Anjou")
    admin = membre(organisation, Role.ADMIN, first_name="Camille", last_name="Administratrice")
    membre(organisation, Role.OBSERVATEUR, email="observateur.ccas-chemille@demo.repere.localhost")
    connecter(page_mobile, live_server, admin)
    page_mobile.goto(live_server.url + f"/organisations/{organisation.pk}/")
    page_mobile.get_by_role("table").wait_for()
    verifier_cellules(page_mobile)
