"""Issue 11: a double submission creates nothing twice (one form token, one decorator, every create form)."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from repere.allervers.models import Entretien, Personne
from repere.annuaire.models import Orientation
from repere.utils.soumission import CHAMP
from tests.annuaire.factories import ServiceFactory, StructureFactory
from tests.organisations.factories import UserFactory

from .test_journal_lectures import _motifs

pytestmark = pytest.mark.django_db

CREATIONS = {
    "organisations:creer",
    "organisations:inviter",
    "allervers:notice_creer",
    "allervers:campagne_creer",
    "allervers:personne_creer",
    "allervers:entretien_ajouter",
    "allervers:rappel_ajouter",
    "allervers:partage_ajouter",
    "allervers:orienter",
    "annuaire:orienter",
    "annuaire:structure_creer",
    "annuaire:service_creer",
    "annuaire:fermeture_ajouter",
    "droits:aide_creer",
    "depistage:organisation",
    "pilotage:plan_creer",
    "pilotage:axe_creer",
    "pilotage:action_creer",
    "pilotage:action",
}


@pytest.fixture(autouse=True)
def _cache_vide():
    cache.clear()


def test_chaque_action_de_creation_est_idempotente():
    vues = dict(_motifs())
    assert not [nom for nom in CREATIONS if not getattr(vues[nom], "soumission_unique", False)]


def _jeton(page) -> str:
    return re.search(rf'name="{CHAMP}" value="([^"]+)"', page.content.decode()).group(1)


def _deux_fois(client, url, donnees):
    premiere, seconde = client.post(url, donnees), client.post(url, donnees)
    assert premiere.status_code == 302 and seconde.status_code == 302
    assert seconde["Location"] == premiere["Location"]
    return seconde


def test_double_entretien_fiche_et_orientation(client, dossier, django_capture_on_commit_callbacks):
    p = dossier.personne
    client.force_login(dossier.auteur)
    jeton = _jeton(client.get(reverse("allervers:personne", args=[p.pk])))
    avant = Entretien.objects.count()
    seconde = _deux_fois(
        client,
        reverse("allervers:entretien_ajouter", args=[p.pk]),
        {CHAMP: jeton, "date": timezone.localdate().isoformat(), "canal": "telephone", "resume": "Appel"},
    )
    assert Entretien.objects.count() == avant + 1
    assert "déjà été envoyé" in client.get(seconde["Location"]).content.decode()

    page = client.get(reverse("allervers:personne_creer"))
    donnees = {
        CHAMP: _jeton(page),
        "accord": "on",
        "notice": page.context["form"].fields["notice"].queryset.first().pk,
        "organisation": dossier.org.pk,
        "prenom": "Doublon",
        "nom": "Deuxfois",
    }
    _deux_fois(client, reverse("allervers:personne_creer"), donnees)
    assert Personne.objects.filter(nom="Deuxfois").count() == 1

    service = ServiceFactory(
        structure=StructureFactory(organisation=dossier.org_recepteur),
        thematiques=["logement-hebergement--se-maintenir-dans-le-logement"],
    )
    url = reverse("allervers:orienter", args=[p.pk])
    jeton = _jeton(client.get(url, {"besoins": ["logement-hebergement"]}))
    mail.outbox.clear()
    avant = Orientation.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        _deux_fois(
            client,
            url,
            {CHAMP: jeton, "service": service.pk, "besoins": ["logement-hebergement"], "base_legale": "consentement"},
        )
    assert Orientation.objects.count() == avant + 1 and len(mail.outbox) == 1


def test_formulaire_invalide_libere_le_jeton(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    jeton = _jeton(client.get(reverse("organisations:creer")))
    assert client.post(reverse("organisations:creer"), {CHAMP: jeton, "nom": ""}).status_code == 200
    r = client.post(reverse("organisations:creer"), {CHAMP: jeton, "nom": "CCAS corrigé", "type": "ccas"})
    assert r.status_code == 302
