"""Euros through repere.utils.nombres everywhere (messages, history, exports); demo labelled once."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from repere.organisations.models import Role
from repere.pilotage import services
from repere.pilotage.demo import NOM_PACTE
from repere.pilotage.models import Plan
from tests.organisations.factories import OrganisationFactory, membre
from tests.pilotage.factories import action, plan

pytestmark = pytest.mark.django_db

EUROS_BRUTS = re.compile(r"\d\.\d\d €|\d{4,} €")  # « 12000.00 € », « 12000 € »: not French


def test_messages_et_historique_du_budget_en_euros_francais():
    org = OrganisationFactory()
    user = membre(org, Role.ADMIN)
    a = action(plan(organisation=org))
    with pytest.raises(ValidationError) as e:
        services.enregistrer_ligne_budget(
            action=a, par=user, annee=2025, type="fonctionnement", financeur_nom="CAF", prevu="12000", engage="15000.5"
        )
    texte = " ".join(e.value.messages)
    assert "15\u202f000,50\u00a0€" in texte and "12\u202f000\u00a0€" in texte and not EUROS_BRUTS.search(texte)
    services.enregistrer_ligne_budget(
        action=a, par=user, annee=2025, type="fonctionnement", financeur_nom="CAF", prevu="12000", engage="5000"
    )
    h = a.historique.get(objet="budget")
    assert "12\u202f000\u00a0€" in h.apres and not EUROS_BRUTS.search(h.apres)
    assert not EUROS_BRUTS.search(str(a.lignes_budget.get()))


def test_aucun_euro_formate_a_la_main_dans_le_pilotage_et_la_concertation():
    from pathlib import Path

    racine = Path(__file__).resolve().parents[2] / "repere"
    fautifs = []
    for dossier in ("pilotage", "concertation", "templates/pilotage", "templates/concertation"):
        for f in (racine / dossier).rglob("*"):
            if f.suffix in (".py", ".html") and "migrations" not in f.parts:
                for n, ligne in enumerate(f.read_text().splitlines(), 1):
                    if re.search(r"\}\s*(€|&nbsp;€)|\}}\s*(€|&nbsp;€)", ligne):
                        fautifs.append(f"{f.relative_to(racine)}:{n}")
    assert not fautifs


def test_la_demo_est_etiquetee_une_seule_fois(client, capsys):
    call_command("charger_demo")
    sortie = capsys.readouterr().out
    assert "(démo) (démo)" not in sortie
    p = Plan.objects.get(nom=NOM_PACTE)
    user = membre(p.organisation, Role.ADMIN)
    client.force_login(user)
    a = p.actions.first()
    double = re.compile(r"\(démo\)\s*(</?\w[^>]*>\s*)*\(?démo")
    for url in (
        "/pilotage/",
        f"/pilotage/plans/{p.pk}/",
        f"/pilotage/actions/{a.pk}/",
        "/pilotage/tableau-de-bord/",
        "/pilotage/actions/",
        "/pilotage/feuilles-de-route/",
        f"/pilotage/feuilles-de-route/{p.pk}/",
        "/pilotage/rapport/",
        "/concertation/",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        assert not double.search(r.content.decode()), url
    assert date.today()  # the demo loads for any day
