import re

import pytest
from django.conf import settings
from django.core import mail

from tests.organisations.factories import MOT_DE_PASSE, UserFactory

pytestmark = pytest.mark.django_db


def test_connexion_par_email_insensible_a_la_casse(client):
    UserFactory(email="camille@exemple.fr")
    r = client.post("/compte/connexion/", {"username": "Camille@Exemple.FR", "password": MOT_DE_PASSE})
    assert r.status_code == 302 and r["Location"] == "/compte/"
    assert client.get("/compte/").status_code == 200


def test_mauvais_mot_de_passe_message_clair(client):
    UserFactory(email="camille@exemple.fr")
    r = client.post("/compte/connexion/", {"username": "camille@exemple.fr", "password": "faux"})
    assert r.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in r.content.decode()


def test_verrouillage_apres_cinq_echecs(client):
    UserFactory(email="camille@exemple.fr")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/compte/connexion/", {"username": "camille@exemple.fr", "password": "faux"})
    r = client.post("/compte/connexion/", {"username": "camille@exemple.fr", "password": MOT_DE_PASSE})
    assert r.status_code == 429
    assert "temporairement bloquée" in r.content.decode()


def test_hachage_argon2_en_production():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_reinitialisation_du_mot_de_passe_par_email(client):
    user = UserFactory(email="camille@exemple.fr")
    r = client.post("/compte/mot-de-passe-oublie/", {"email": "camille@exemple.fr"})
    assert r.status_code == 302
    assert len(mail.outbox) == 1
    lien = re.search(r"https?://[^/\s]+(/compte/reinitialiser/\S+/)", mail.outbox[0].body).group(1)
    r = client.get(lien, follow=True)
    assert r.status_code == 200
    formulaire = r.redirect_chain[-1][0]
    r = client.post(formulaire, {"new_password1": "nouveau-mot-de-passe-1", "new_password2": "nouveau-mot-de-passe-1"})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.check_password("nouveau-mot-de-passe-1")
    # the link is single-use
    r = client.get(lien, follow=True)
    assert "est plus valable" in r.content.decode()


def test_adresse_inconnue_ne_revele_rien(client):
    r = client.post("/compte/mot-de-passe-oublie/", {"email": "inconnu@exemple.fr"})
    assert r.status_code == 302 and len(mail.outbox) == 0


def test_modifier_son_profil(client):
    user = UserFactory()
    client.force_login(user)
    client.post("/compte/", {"first_name": "Léa", "last_name": "Martin"})
    user.refresh_from_db()
    assert user.get_full_name() == "Léa Martin"
