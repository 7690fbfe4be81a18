import pytest
from django.core.management import call_command

from repere.concertation.models import Evenement, GroupeTravail
from repere.concertation.services import chemin_seed
from repere.organisations.models import Role
from repere.pilotage.demo import NOM_PACTE
from repere.pilotage.models import Plan
from tests.organisations.factories import OrganisationFactory, membre
from tests.pilotage.factories import action, plan

pytestmark = pytest.mark.django_db


def test_charger_demo_charge_le_cadre_et_un_pacte_local_etiquete_demo():
    call_command("charger_demo")
    p = Plan.objects.get(nom=NOM_PACTE)
    assert p.est_demo and "(démo)" in p.nom and p.axes.count() == 4
    assert p.actions.filter(est_demo=True).count() == p.actions.count() >= 3
    assert GroupeTravail.objects.filter(est_demo=True).count() == 4
    ev = Evenement.objects.get()
    assert ev.kiosques.count() == 10
    if chemin_seed().exists():
        assert ev.ateliers.count() == 20 and ev.synthese.enseignements.exists()
    call_command("charger_demo")  # idempotent
    assert Plan.objects.filter(nom=NOM_PACTE).count() == 1


def test_api_du_pilotage(client):
    org = OrganisationFactory()
    user = membre(org, Role.OBSERVATEUR)
    p = plan(organisation=org)
    action(p, titre="Maraudes", avancement_saisi=30)
    assert len(client.get("/api/v1/pilotage/cadre-national").json()["axes"]) == 4
    assert client.get("/api/v1/pilotage/plans").status_code == 401
    client.force_login(user)
    assert [x["nom"] for x in client.get("/api/v1/pilotage/plans").json()] == [p.nom]
    (a,) = client.get(f"/api/v1/pilotage/plans/{p.pk}/actions").json()
    assert a["titre"] == "Maraudes" and a["avancement"] == 30 and a["statut_affiche"] == "À venir"
    assert client.get("/api/v1/pilotage/tableau-de-bord").json()["total"]["nb_actions"] == 1
    client.force_login(membre(OrganisationFactory()))
    assert client.get(f"/api/v1/pilotage/plans/{p.pk}/actions").status_code == 404


def test_la_version_du_cadre_national_est_une_date_en_mots(client):
    """The national frame's version is the date of its text: shown in words, not « 2023-11-07 »."""
    call_command("charger_cadre_national")
    html = client.get("/pilotage/cadre-national/").content.decode()
    assert "2023-11-07" not in html
    assert "7\u00a0novembre\u00a02023" in html
