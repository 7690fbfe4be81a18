from datetime import date

import pytest

from repere.concertation import services as concertation
from repere.concertation import synthese
from repere.concertation.models import Atelier
from repere.organisations.models import Role
from repere.pilotage import services
from tests.concertation.factories import FICHE_COURTE, evenement
from tests.organisations.factories import OrganisationFactory, membre
from tests.pilotage.factories import action, axe, plan

pytestmark = pytest.mark.django_db


def _donnees():
    org = OrganisationFactory(nom="Département test")
    user = membre(org, Role.PROFESSIONNEL)
    p = plan(organisation=org, publie=True)
    a = action(
        p, axe=axe(p), titre="Maraudes", date_debut=date(2024, 1, 1), date_fin_prevue=date(2026, 1, 1), publique=True
    )
    services.enregistrer_ligne_budget(
        action=a, par=None, annee=2025, type="fonctionnement", financeur_nom="CAF", prevu=100
    )
    return org, user, p, a


def test_toutes_les_pages_de_pilotage_repondent(client):
    org, user, p, a = _donnees()
    client.force_login(user)
    for url in [
        "/pilotage/",
        "/pilotage/cadre-national/",
        f"/pilotage/plans/{p.pk}/",
        f"/pilotage/plans/{p.pk}/actions/nouvelle/",
        f"/pilotage/plans/{p.pk}/axes/nouveau/",
        f"/pilotage/plans/{p.pk}/import/",
        "/pilotage/plans/nouveau/",
        f"/pilotage/actions/{a.pk}/",
        f"/pilotage/actions/{a.pk}/modifier/",
        "/pilotage/actions/?statut=en_retard",
        "/pilotage/chronologie/",
        "/pilotage/tableau-de-bord/",
        f"/pilotage/comparaison/?plans={p.pk}",
        "/pilotage/rapport/?date=2025-06-30",
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
    assert "Maraudes" in client.get("/pilotage/actions/?q=Mara").content.decode()
    r = client.get("/pilotage/rapport/?date=2025-06-30&format=pdf")
    assert r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert client.get(f"/pilotage/plans/{p.pk}/export.xlsx").status_code == 200
    assert "Maraudes" in client.get(f"/pilotage/plans/{p.pk}/export.csv").content.decode("utf-8-sig")
    assert client.get(f"/pilotage/plans/{p.pk}/export.exe").status_code == 404


def test_une_autre_organisation_ne_voit_rien_et_le_public_voit_ce_qui_est_publie(client):
    org, user, p, a = _donnees()
    client.force_login(membre(OrganisationFactory(), Role.ADMIN))
    assert client.get(f"/pilotage/plans/{p.pk}/").status_code == 404
    assert client.get(f"/pilotage/actions/{a.pk}/").status_code == 404
    client.logout()
    assert "Maraudes" in client.get(f"/pilotage/feuilles-de-route/{p.pk}/").content.decode()
    assert client.get("/pilotage/").status_code == 302


def test_saisie_par_formulaire_avec_erreur_en_francais(client):
    org, user, p, a = _donnees()
    client.force_login(user)
    r = client.post(
        f"/pilotage/actions/{a.pk}/",
        {
            "quoi": "budget",
            "budget-annee": 2025,
            "budget-type": "investissement",
            "budget-financeur": "État",
            "budget-type_financeur": "etat_pacte",
            "budget-prevu": "100",
            "budget-engage": "200",
            "budget-paye": "0",
        },
    )
    assert r.status_code == 200
    assert "dépasse le prévu" in r.content.decode()
    r = client.post(
        f"/pilotage/actions/{a.pk}/",
        {"quoi": "note", "note-date": "2025-01-01", "note-texte": "Point d'étape"},
    )
    assert r.status_code == 302 and a.notes.count() == 1
    r = client.post(
        f"/pilotage/plans/{p.pk}/actions/nouvelle/",
        {
            "titre": "Nouvelle",
            "statut": "a_venir",
            "priorite": "moyenne",
            "territoire_nom": "Chemillé-en-Anjou",
            "date_debut": "2025-02-01",
            "date_fin_prevue": "2025-01-01",
        },
    )
    assert r.status_code == 200 and "est avant la date de début" in r.content.decode()


def test_pages_de_concertation(client):
    org, user, p, a = _donnees()
    ev = evenement(org)
    concertation.importer_synthese(texte=FICHE_COURTE, evenement=ev)
    synthese.calculer_synthese(evenement=ev)
    client.force_login(user)
    atelier = Atelier.objects.filter(evenement=ev).first()
    for url in [
        "/concertation/",
        f"/concertation/evenements/{ev.pk}/",
        f"/concertation/ateliers/{atelier.pk}/saisie/",
        f"/concertation/ateliers/{atelier.pk}/fiche/",
        f"/concertation/evenements/{ev.pk}/synthese/",
        "/concertation/sw.js",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get(f"/concertation/evenements/{ev.pk}/synthese.pdf").content.startswith(b"%PDF")
    assert client.get(f"/concertation/evenements/{ev.pk}/synthese.odt").content[:2] == b"PK"
    r = client.post(f"/concertation/ateliers/{atelier.pk}/saisie/", {"section": "defis", "texte": "Sans JavaScript"})
    assert r.status_code == 302 and atelier.contributions.filter(texte="Sans JavaScript").exists()
