"""« Ma journée » (issue 12, item 2: a professional lands on their day): their reminders and the team's,
the follow-up tasks of their working groups, scoped by role and organisation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from repere.allervers import services
from repere.allervers.models import Rappel
from repere.concertation.models import GroupeTravail, Reunion, Tache
from repere.organisations.models import Role
from tests.allervers.factories import NoticeFactory
from tests.organisations.factories import OrganisationFactory, UserFactory, membre

pytestmark = pytest.mark.django_db

JOUR = datetime.timedelta(days=1)


def _personne(org, par, **kw):
    return services.creer_personne(par=par, organisation=org, accord=True, notice=NoticeFactory(organisation=org), **kw)


@pytest.fixture
def equipe():
    aujourdhui = timezone.localdate()
    ccas, autre = OrganisationFactory(nom="CCAS de Chemillé"), OrganisationFactory(nom="CCAS de Cholet")
    moi = membre(ccas, Role.PROFESSIONNEL, first_name="Camille", last_name="Moi")
    collegue = membre(ccas, Role.PROFESSIONNEL, first_name="Sami", last_name="Collègue")
    admin = membre(ccas, Role.ADMIN, first_name="Ada", last_name="Admin")
    benevole = membre(ccas, Role.BENEVOLE)
    ailleurs = membre(autre, Role.PROFESSIONNEL)
    lea = _personne(ccas, moi, prenom="Léa", nom="Martin", referent=collegue)
    paul = _personne(ccas, collegue, prenom="Paul", nom="Durand", referent=moi)
    zoe = _personne(autre, ailleurs, prenom="Zoé", nom="Autre")
    r = {
        "mien": Rappel.objects.create(personne=lea, auteur=moi, echeance=aujourdhui, objet="Appeler Léa"),
        "collegue": Rappel.objects.create(
            personne=lea, auteur=collegue, echeance=aujourdhui + JOUR, objet="Dossier APL"
        ),
        "parti": Rappel.objects.create(personne=lea, auteur=None, echeance=aujourdhui - JOUR, objet="Relance CAF"),
        "referent": Rappel.objects.create(personne=paul, auteur=collegue, echeance=aujourdhui, objet="Visite Paul"),
        "loin": Rappel.objects.create(personne=lea, auteur=collegue, echeance=aujourdhui + 30 * JOUR, objet="Bilan"),
        "fait": Rappel.objects.create(
            personne=lea, auteur=collegue, echeance=aujourdhui, objet="Déjà fait", fait_le=timezone.now()
        ),
        "autre_org": Rappel.objects.create(personne=zoe, auteur=ailleurs, echeance=aujourdhui, objet="Zoé CSS"),
    }
    groupe = GroupeTravail.objects.create(nom="Mobilité solidaire", organisation_pilote=ccas)
    reunion = Reunion.objects.create(groupe=groupe, titre="Réunion de lancement", date=timezone.now())
    t = {
        "ma_tache": Tache.objects.create(
            reunion=reunion, titre="Lister les transporteurs", responsable=moi, echeance=aujourdhui + 2 * JOUR
        ),
        "tache_collegue": Tache.objects.create(
            reunion=reunion, titre="Écrire au Département", responsable=collegue, echeance=aujourdhui - JOUR
        ),
        "tache_faite": Tache.objects.create(
            reunion=reunion, titre="Réserver la salle", responsable=moi, echeance=aujourdhui, faite=True
        ),
    }
    return {"moi": moi, "collegue": collegue, "admin": admin, "benevole": benevole, "ailleurs": ailleurs, **r, **t}


def _section(html: str, titre_id: str) -> str:
    debut = html.index(f'id="{titre_id}"')
    return " ".join(html[debut : html.index("</section>", debut)].split())  # whitespace as rendered


def test_ma_journee_montre_mes_rappels_et_ceux_de_l_equipe(client, equipe):
    client.force_login(equipe["moi"])
    html = client.get(reverse("comptes:journee")).content.decode()
    miens, equipe_html = _section(html, "titre-rappels"), _section(html, "titre-rappels-equipe")
    # mine: those I wrote, and those on the people I am the referent of
    assert "Appeler Léa" in miens and "Visite Paul" in miens
    assert "Dossier APL" not in miens
    # the team's: a colleague's, one whose author has left; with who wrote it and the person's referent
    assert "Dossier APL" in equipe_html and "noté par Sami Collègue" in equipe_html
    assert "Relance CAF" in equipe_html and "un ancien membre" in equipe_html
    assert "Appeler Léa" not in equipe_html and "Visite Paul" not in equipe_html
    # never: beyond seven days, done, another organisation's people
    for objet in ("Bilan", "Déjà fait", "Zoé CSS"):
        assert objet not in html, objet


def test_ma_journee_montre_les_taches_des_groupes_de_travail(client, equipe):
    client.force_login(equipe["moi"])
    taches = _section(client.get(reverse("comptes:journee")).content.decode(), "titre-taches")
    assert "Lister les transporteurs" in taches
    assert reverse("concertation:reunion", args=[equipe["ma_tache"].reunion_id]) in taches
    # the group is led by my organisation: the others' tasks are shown too, with whom they are given to
    assert "Écrire au Département" in taches and "confiée à Sami Collègue" in taches and "en retard" in taches
    assert "Réserver la salle" not in taches
    # the link opens (no 403 or 404 from « Ma journée »)
    assert client.get(reverse("concertation:reunion", args=[equipe["ma_tache"].reunion_id])).status_code == 200


def test_ma_journee_limitee_a_l_organisation_et_au_role(client, equipe):
    # a professional of another organisation sees none of this team's reminders or tasks
    client.force_login(equipe["ailleurs"])
    html = client.get(reverse("comptes:journee")).content.decode()
    assert "Zoé CSS" in html
    for objet in ("Appeler Léa", "Dossier APL", "Relance CAF", "Lister les transporteurs", "Écrire au Département"):
        assert objet not in html, objet
    # an admin of the organisation sees its reminders as the team's
    client.force_login(equipe["admin"])
    equipe_html = _section(client.get(reverse("comptes:journee")).content.decode(), "titre-rappels-equipe")
    assert all(o in equipe_html for o in ("Appeler Léa", "Dossier APL", "Relance CAF", "Visite Paul"))
    # a volunteer never gets the page (no person record for them): sent to their own work
    client.force_login(equipe["benevole"])
    r = client.get(reverse("comptes:journee"))
    assert r.status_code == 302 and r.url == reverse("allervers:accueil")
    # and a person added to the team later, in no organisation, has nothing either
    client.force_login(UserFactory())
    assert client.get(reverse("comptes:journee")).status_code == 302


def test_ma_journee_ecrit_le_premier_du_mois(client, equipe, monkeypatch):
    # défaut 12 de l'essai : « Mardi 1 décembre 2026 » au lieu de « Mardi 1er décembre 2026 »
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 12, 1))
    client.force_login(equipe["moi"])
    html = client.get(reverse("comptes:journee")).content.decode()
    assert "Mardi\u00a01er\u00a0décembre\u00a02026" in html
