"""Action indicators linked to the observatory: the values are read from repere.observatoire (its
selectors), with their period, source and the statistical secret; nothing is written in its tables."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from repere.observatoire.models import Valeur
from repere.organisations.models import Role
from repere.pilotage import selectors, services
from repere.pilotage.models import ValeurIndicateur
from repere.territoires.models import Territoire, TypeTerritoire
from tests.observatoire.factories import IndicateurFactory, ValeurFactory
from tests.organisations.factories import OrganisationFactory, membre
from tests.pilotage.factories import action, plan

pytestmark = pytest.mark.django_db


def _chemille():
    return Territoire.objects.get(type=TypeTerritoire.COMMUNE, code="49092")


def _indicateur_action(a, user):
    return services.ajouter_indicateur(
        action=a,
        par=user,
        nom="Foyers allocataires du RSA",
        valeur_initiale=Decimal(200),
        date_initiale=date(2020, 1, 1),
        cible=Decimal(150),
        date_cible=date(2027, 12, 31),
        sens="baisse",
    )


@pytest.fixture
def contexte():
    org = OrganisationFactory()
    user = membre(org, Role.ADMIN)
    a = action(plan(organisation=org), titre="Accès aux droits")
    obs = IndicateurFactory(
        code="foyers_rsa", libelle="Foyers allocataires du RSA", source="CAF — données communales", millesime="2022"
    )
    ValeurFactory(indicateur=obs, code="49092", periode="2021", valeur=230.0)
    ValeurFactory(indicateur=obs, code="49092", periode="2022", valeur=215.0)
    ValeurFactory(indicateur=obs, code="49092", periode="2023", valeur=7.0, masque=True)
    return user, a, obs


def test_un_indicateur_d_action_lit_ses_valeurs_dans_l_observatoire(contexte):
    user, a, obs = contexte
    ind = _indicateur_action(a, user)
    avant = Valeur.objects.count()
    services.relier_observatoire(indicateur=ind, par=user, code="foyers_rsa", territoire=_chemille())
    assert Valeur.objects.count() == avant  # the observatory's tables are only read
    ind.refresh_from_db()
    assert ind.reference_observatoire == "foyers_rsa" and ind.territoire_observatoire == _chemille()
    lu = selectors.valeurs_observatoire(ind, user=user)
    assert lu.libelle == "Foyers allocataires du RSA" and "CAF" in lu.source and lu.territoire == "Chemillé-en-Anjou"
    assert [(v.periode, v.texte, v.secret) for v in lu.serie] == [
        ("2021", "230", False),
        ("2022", "215", False),
        ("2023", "secret statistique", True),
    ]
    # The visible values become the indicator's values (period end), the secret one is not copied.
    assert list(ValeurIndicateur.objects.filter(indicateur=ind).values_list("date", "valeur", "source")) == [
        (date(2021, 12, 31), Decimal(230), "Observatoire — CAF — données communales, 2021"),
        (date(2022, 12, 31), Decimal(215), "Observatoire — CAF — données communales, 2022"),
    ]
    ind.refresh_from_db()
    assert ind.derniere_valeur == Decimal(215)
    assert a.historique.filter(objet="indicateur", champ__contains="observatoire").exists()


def test_relier_a_un_indicateur_ou_un_territoire_inconnu_est_refuse_en_francais(contexte):
    user, a, obs = contexte
    ind = _indicateur_action(a, user)
    with pytest.raises(ValidationError) as e:
        services.relier_observatoire(indicateur=ind, par=user, code="inconnu", territoire=_chemille())
    assert "« inconnu »" in str(e.value.message_dict["reference_observatoire"])
    with pytest.raises(ValidationError) as e:
        services.relier_observatoire(indicateur=ind, par=user, code="foyers_rsa", territoire=None)
    assert "territoire" in e.value.message_dict
    ind.refresh_from_db()
    assert ind.reference_observatoire == "" and not ind.valeurs.exists()


def test_la_page_de_l_action_montre_periode_source_et_secret(client, contexte):
    user, a, obs = contexte
    ind = _indicateur_action(a, user)
    services.relier_observatoire(indicateur=ind, par=user, code="foyers_rsa", territoire=_chemille())
    client.force_login(user)
    html = client.get(f"/pilotage/actions/{a.pk}/").content.decode()
    assert "Valeurs lues dans l'observatoire" in html and "CAF — données communales" in html
    assert "secret statistique" in html and "2023" in html and "Chemillé-en-Anjou" in html
    assert "foyers_rsa" not in html.replace('value="foyers_rsa"', "")  # people see names, not codes


def test_relier_depuis_le_formulaire_de_la_page(client, contexte):
    user, a, obs = contexte
    ind = _indicateur_action(a, user)
    client.force_login(user)
    r = client.post(
        f"/pilotage/actions/{a.pk}/",
        {
            "quoi": "observatoire",
            "indicateur": ind.pk,
            "observatoire-reference_observatoire": "foyers_rsa",
            "observatoire-territoire": "Chemillé-en-Anjou",
            "observatoire-territoire_code": "49092",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    ind.refresh_from_db()
    assert ind.reference_observatoire == "foyers_rsa" and ind.valeurs.count() == 2


def test_chaque_nuit_une_nouvelle_periode_de_l_observatoire_rejoint_l_indicateur(contexte):
    from repere.pilotage.tasks import relire_indicateurs_observatoire

    user, a, obs = contexte
    ind = _indicateur_action(a, user)
    services.relier_observatoire(indicateur=ind, par=user, code="foyers_rsa", territoire=_chemille())
    ValeurFactory(indicateur=obs, code="49092", periode="2024", valeur=190.0)
    relire_indicateurs_observatoire.call_local()
    ind.refresh_from_db()
    assert ind.derniere_valeur == Decimal(190) and ind.derniere_date == date(2024, 12, 31)
