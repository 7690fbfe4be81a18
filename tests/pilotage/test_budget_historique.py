"""Budget lines keep a dated history (planned / committed / paid, date and author); totals as of a date."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from repere.organisations.models import Role
from repere.pilotage import selectors, services
from tests.organisations.factories import OrganisationFactory, membre
from tests.pilotage.factories import action, plan
from tests.rendu import espaces

pytestmark = pytest.mark.django_db


def _ligne(a, user, le, prevu, engage=0, paye=0, financeur="CAF"):
    return services.enregistrer_ligne_budget(
        action=a,
        par=user,
        annee=2025,
        type="fonctionnement",
        financeur_nom=financeur,
        prevu=prevu,
        engage=engage,
        paye=paye,
        date_effet=le,
    )


@pytest.fixture
def contexte():
    org = OrganisationFactory()
    user = membre(org, Role.ADMIN)
    return user, action(plan(organisation=org), titre="Maraudes")


def test_chaque_changement_d_une_ligne_est_garde_avec_sa_date_et_son_auteur(contexte):
    user, a = contexte
    _ligne(a, user, date(2025, 1, 10), 10000)
    _ligne(a, user, date(2025, 3, 1), 10000, 6000)
    _ligne(a, user, date(2025, 6, 30), 12000, 8000, 2500)
    _ligne(a, user, date(2025, 2, 1), 5000, financeur="Département")
    mouvements = selectors.historique_budget(a)
    assert [(m.date_effet, m.prevu, m.engage, m.paye) for m in mouvements] == [
        (date(2025, 6, 30), Decimal(12000), Decimal(8000), Decimal(2500)),
        (date(2025, 3, 1), Decimal(10000), Decimal(6000), Decimal(0)),
        (date(2025, 2, 1), Decimal(5000), Decimal(0), Decimal(0)),
        (date(2025, 1, 10), Decimal(10000), Decimal(0), Decimal(0)),
    ]
    assert all(m.par == user for m in mouvements)
    assert mouvements[0].prevu_avant == Decimal(10000) and mouvements[0].engage_avant == Decimal(6000)


def test_totaux_a_une_date(contexte):
    user, a = contexte
    _ligne(a, user, date(2025, 1, 10), 10000)
    _ligne(a, user, date(2025, 3, 1), 10000, 6000)
    _ligne(a, user, date(2025, 6, 30), 12000, 8000, 2500)
    _ligne(a, user, date(2025, 2, 1), 5000, financeur="Département")
    assert selectors.budget_au([a.pk], jour=date(2024, 12, 31)) == (0, 0, 0)
    assert selectors.budget_au([a.pk], jour=date(2025, 2, 15)) == (Decimal(15000), 0, 0)
    assert selectors.budget_au([a.pk], jour=date(2025, 3, 1)) == (Decimal(15000), Decimal(6000), 0)
    assert selectors.budget_au([a.pk], jour=date(2025, 7, 1)) == (Decimal(17000), Decimal(8000), Decimal(2500))
    a.refresh_from_db()
    assert (a.budget_prevu, a.budget_engage, a.budget_paye) == (Decimal(17000), Decimal(8000), Decimal(2500))


def test_une_date_future_ou_une_ligne_invalide_n_ecrit_rien(contexte):
    user, a = contexte
    with pytest.raises(ValidationError) as e:
        _ligne(a, user, date(2099, 1, 1), 100)
    assert "date_effet" in e.value.message_dict
    with pytest.raises(ValidationError):
        _ligne(a, user, date(2025, 1, 1), 100, engage=200)
    assert not selectors.historique_budget(a)


def test_la_page_montre_l_historique_et_les_totaux_a_une_date(client, contexte):
    user, a = contexte
    _ligne(a, user, date(2025, 1, 10), 10000)
    _ligne(a, user, date(2025, 6, 30), 12000, 8000, 2500)
    client.force_login(user)
    html = espaces(client.get(f"/pilotage/actions/{a.pk}/?budget_au=2025-03-01").content)
    assert "Historique du budget" in html
    assert "10/01/2025" in html and "30/06/2025" in html
    assert "Au 01/03/2025 : 10\u202f000\u00a0€ prévus, 0\u00a0€ engagés, 0\u00a0€ payés" in html


def test_le_rapport_copil_a_une_date_passee_lit_le_budget_a_cette_date(client, contexte):
    user, a = contexte
    _ligne(a, user, date(2025, 1, 10), 10000)
    _ligne(a, user, date(2025, 6, 30), 12000, 8000, 2500)
    client.force_login(user)
    html = client.get("/pilotage/rapport/?date=2025-03-01").content.decode()
    assert "n'est pas historisé" not in html
    assert "10\u202f000\u00a0€" in html and "12\u202f000\u00a0€" not in html
