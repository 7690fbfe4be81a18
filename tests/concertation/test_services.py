import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from repere.concertation import services
from repere.concertation.models import Atelier, Contribution, GroupeTravail, NatureDecision
from repere.organisations.models import Role
from repere.pilotage.models import Action, Statut
from tests.concertation.factories import evenement
from tests.organisations.factories import OrganisationFactory, membre
from tests.pilotage.factories import action, plan

pytestmark = pytest.mark.django_db


def _atelier(org=None):
    return Atelier.objects.create(evenement=evenement(org), numero=1, thematique="T", enjeu="E")


def test_une_contribution_envoyee_deux_fois_n_est_enregistree_qu_une_fois():
    a = _atelier()
    cle = uuid.uuid4()
    c1, cree1 = services.ajouter_contribution(atelier=a, section="defis", texte="Réduire le non-recours", cle=cle)
    c2, cree2 = services.ajouter_contribution(atelier=a, section="defis", texte="Réduire le non-recours", cle=cle)
    assert cree1 and not cree2 and c1.pk == c2.pk
    assert Contribution.objects.count() == 1


def test_api_de_saisie_par_deux_animateurs(client):
    org = OrganisationFactory()
    a = _atelier(org)
    anim1, anim2 = membre(org, Role.PROFESSIONNEL), membre(OrganisationFactory(), Role.BENEVOLE)
    a.animateurs.add(anim2)
    for user, texte in [(anim1, "Aller vers"), (anim2, "Guichet unique")]:
        client.force_login(user)
        r = client.post(
            "/api/v1/concertation/contributions",
            {"cle": str(uuid.uuid4()), "atelier": a.pk, "section": "propositions", "texte": texte},
            content_type="application/json",
        )
        assert r.status_code == 201, r.content
    assert set(a.contributions.values_list("texte", flat=True)) == {"Aller vers", "Guichet unique"}
    r = client.post(
        "/api/v1/concertation/contributions",
        {"cle": str(uuid.uuid4()), "atelier": a.pk, "section": "inconnue", "texte": "x"},
        content_type="application/json",
    )
    assert r.status_code == 422 and "Rubrique inconnue" in r.json()["detail"]
    client.force_login(membre(OrganisationFactory(), Role.PROFESSIONNEL))
    r = client.post(
        "/api/v1/concertation/contributions",
        {"cle": str(uuid.uuid4()), "atelier": a.pk, "section": "defis", "texte": "x"},
        content_type="application/json",
    )
    assert r.status_code == 404


def _groupe():
    org = OrganisationFactory()
    g = GroupeTravail.objects.create(nom="GT accès aux droits", organisation_pilote=org)
    u = membre(org, Role.PROFESSIONNEL)
    g.membres.add(u)
    r = services.creer_reunion(groupe=g, titre="Lancement", date=timezone.now())
    return org, g, u, r


def test_une_decision_cree_ou_change_une_action_en_gardant_le_lien():
    org, g, u, r = _groupe()
    p = plan(organisation=org)
    d = services.prendre_decision(reunion=r, texte="Lancer des permanences itinérantes", par=u, plan=p)
    assert d.nature == NatureDecision.CREATION and d.action.plan == p
    assert "Lancement" in d.action.description
    a = action(p, titre="Existante")
    d2 = services.prendre_decision(reunion=r, texte="Suspendre", par=u, action=a, statut=Statut.EN_PAUSE)
    a.refresh_from_db()
    assert d2.nature == NatureDecision.MODIFICATION and a.statut == Statut.EN_PAUSE
    assert a.decisions.get() == d2 and a.notes.filter(texte__contains="Suspendre").exists()
    assert Action.objects.count() == 2


def test_taches_et_rappels():
    org, g, u, r = _groupe()
    t = services.creer_tache(
        reunion=r, titre="Recenser les cas", responsable=u, echeance=timezone.localdate() + timedelta(days=2)
    )
    with pytest.raises(Exception, match="membre du groupe"):
        services.creer_tache(reunion=r, titre="x", responsable=membre(org), echeance=timezone.localdate())
    assert services.envoyer_rappels(jour=timezone.localdate()) == 1
    assert services.envoyer_rappels(jour=timezone.localdate()) == 0
    assert "Recenser les cas" in mail.outbox[0].subject
    t.refresh_from_db()
    assert t.rappel_envoye_le == timezone.localdate()
