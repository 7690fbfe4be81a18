"""Two-factor authentication (TOTP) is required for organisation admins and the platform admin."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from repere.organisations.models import Role
from tests.organisations.factories import MOT_DE_PASSE, OrganisationFactory, UserFactory, membre
from tests.rendu import espaces

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _double_facteur_actif(settings):
    settings.REPERE_DOUBLE_FACTEUR = True


def _code(appareil: TOTPDevice) -> str:
    appareil.refresh_from_db()
    return f"{totp(appareil.bin_key, appareil.step, appareil.t0, appareil.digits, appareil.drift):06d}"


def _connexion(client, user):
    reponse = client.post("/compte/connexion/", {"username": user.email, "password": MOT_DE_PASSE})
    assert reponse.status_code == 302


def test_administrateur_doit_enregistrer_puis_saisir_un_code(client):
    org = OrganisationFactory()
    admin = membre(org, role=Role.ADMIN)
    _connexion(client, admin)

    reponse = client.get(f"/organisations/{org.pk}/")
    assert reponse.status_code == 302
    assert reponse["Location"] == f"/compte/double-facteur/?suivant=%2Forganisations%2F{org.pk}%2F"
    page = client.get(reponse["Location"])
    texte = page.content.decode()
    assert "scannez ce QR code" in texte and "<svg" in texte
    appareil = TOTPDevice.objects.get(user=admin, confirmed=False)

    erreur = client.post("/compte/double-facteur/", {"code": "000000", "suivant": f"/organisations/{org.pk}/"})
    assert erreur.status_code == 400 and "Ce code n&#x27;est pas le bon" in erreur.content.decode()
    assert client.get(f"/organisations/{org.pk}/").status_code == 302

    appareil.throttle_reset()
    bon = client.post("/compte/double-facteur/", {"code": _code(appareil), "suivant": f"/organisations/{org.pk}/"})
    # registered: the backup codes are shown this once (tests/comptes/test_codes_secours.py), then onwards
    assert bon.status_code == 200 and "ne seront plus jamais affichés" in bon.content.decode()
    assert f'href="/organisations/{org.pk}/"' in bon.content.decode()
    assert client.get(f"/organisations/{org.pk}/").status_code == 200
    appareil.refresh_from_db()
    assert appareil.confirmed

    # next login: the code is asked again, no new QR code
    client.post("/compte/deconnexion/")
    _connexion(client, admin)
    reponse = client.get("/compte/", follow=True)
    texte = reponse.content.decode()
    assert "Saisissez le code à 6 chiffres affiché" in texte and "<svg" not in texte
    assert TOTPDevice.objects.filter(user=admin).count() == 1


def test_administrateur_de_la_plateforme_aussi(client):
    plateforme = UserFactory(is_superuser=True, is_staff=True)
    _connexion(client, plateforme)
    assert client.get("/admin/").url.startswith("/compte/double-facteur/")
    assert client.get("/organisations/").status_code == 302


def test_api_refusee_tant_que_le_code_n_est_pas_saisi(client):
    admin = membre(role=Role.ADMIN)
    client.force_login(admin)
    reponse = client.get("/api/v1/territoires/recherche?q=chemille")
    assert reponse.status_code == 403
    assert "deux étapes" in reponse.json()["detail"]


def test_professionnel_sans_double_facteur(client):
    pro = membre(role=Role.PROFESSIONNEL)
    _connexion(client, pro)
    assert client.get("/aller-vers/").status_code == 200


def test_trop_de_codes_errones_bloque_un_moment(client):
    admin = membre(role=Role.ADMIN)
    _connexion(client, admin)
    for _ in range(3):
        client.post("/compte/double-facteur/", {"code": "000000"})
    appareil = TOTPDevice.objects.get(user=admin)
    reponse = client.post("/compte/double-facteur/", {"code": _code(appareil)})
    assert reponse.status_code == 400
    assert "Trop de codes erronés" in reponse.content.decode()


def test_suivant_seulement_vers_le_site(client):
    admin = membre(role=Role.ADMIN)
    _connexion(client, admin)
    client.get("/compte/double-facteur/")
    appareil = TOTPDevice.objects.get(user=admin)
    reponse = client.post("/compte/double-facteur/", {"code": _code(appareil), "suivant": "https://pirate.exemple/"})
    # enrolment confirmed: the backup codes are shown once, then « continuer » leads to the site only
    texte = reponse.content.decode()
    assert 'href="/compte/">J\'ai noté mes codes, continuer' in texte
    assert "pirate.exemple" not in texte


def test_demo_affiche_le_code_des_seuls_comptes_de_demo(client, settings):
    settings.REPERE_DEMO = True
    demo = membre(role=Role.ADMIN, email="admin.essai@demo.repere.localhost")
    _connexion(client, demo)
    texte = espaces(client.get("/compte/double-facteur/").content)
    appareil = TOTPDevice.objects.get(user=demo)
    assert f"le code actuel de ce compte de démonstration est <strong>{_code(appareil)}</strong>" in texte
    client.post("/compte/deconnexion/")
    vrai = membre(role=Role.ADMIN, email="vraie.personne@exemple.fr")
    _connexion(client, vrai)
    assert "code actuel" not in client.get("/compte/double-facteur/").content.decode()


def test_reinitialisation_par_commande(client):
    from django.core.management import call_command

    admin = membre(role=Role.ADMIN)
    TOTPDevice.objects.create(user=admin, name="x", confirmed=True)
    call_command("double_facteur_reinitialiser", admin.email)
    assert not TOTPDevice.objects.filter(user=admin).exists()


def test_demo_le_code_affiche_est_accepte_meme_apres_usage(client, settings):
    # défaut 17 de l'essai : le code affiché avait déjà servi dans la même fenêtre de 30 s, refusé
    settings.REPERE_DEMO = True
    demo = membre(role=Role.ADMIN, email="admin.essai@demo.repere.localhost")
    _connexion(client, demo)
    client.get("/compte/double-facteur/")
    appareil = TOTPDevice.objects.get(user=demo)
    enregistre = client.post("/compte/double-facteur/", {"code": _code(appareil)})
    assert enregistre.status_code == 200 and "codes de secours" in enregistre.content.decode().lower()
    client.post("/compte/deconnexion/")
    _connexion(client, demo)
    texte = espaces(client.get("/compte/double-facteur/").content)
    montre = texte.split("compte de démonstration est <strong>", 1)[1][:6]
    assert client.post("/compte/double-facteur/", {"code": montre}).status_code == 302


def test_page_sans_ligne_de_commande(client):
    # défaut 11 : « (manage.py double_facteur_reinitialiser ADRESSE) » sur la page
    _connexion(client, membre(role=Role.ADMIN))
    html = client.get("/compte/double-facteur/").content.decode()
    assert "manage.py" not in html and "réinitialiser" in html
