"""Two-factor backup codes: generated once and shown once, stored hashed, each usable once instead of the
application's code, regenerable (the old ones stop working), every event audited."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from repere.comptes.models import AppareilCodesSecours, CodeSecours, EvenementSecurite
from repere.organisations.models import Role
from tests.organisations.factories import MOT_DE_PASSE, membre

pytestmark = pytest.mark.django_db

MOTIF = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b")


@pytest.fixture(autouse=True)
def _double_facteur_actif(settings):
    settings.REPERE_DOUBLE_FACTEUR = True


def _code(appareil: TOTPDevice) -> str:
    appareil.refresh_from_db()
    return f"{totp(appareil.bin_key, appareil.step, appareil.t0, appareil.digits, appareil.drift):06d}"


def _connexion(client, user):
    assert client.post("/compte/connexion/", {"username": user.email, "password": MOT_DE_PASSE}).status_code == 302


def _enregistrer(client, admin) -> list[str]:
    """Registers the application: the page that confirms it shows the backup codes, once."""
    _connexion(client, admin)
    client.get("/compte/double-facteur/")
    appareil = TOTPDevice.objects.get(user=admin)
    page = client.post("/compte/double-facteur/", {"code": _code(appareil), "suivant": "/compte/"})
    assert page.status_code == 200, "la confirmation montre les codes de secours"
    codes = MOTIF.findall(page.content.decode())
    assert len(codes) == 10 == len(set(codes))
    assert "no-store" in page["Cache-Control"]
    return codes


def test_codes_generes_une_fois_montres_une_fois_et_stockes_haches(client):
    admin = membre(role=Role.ADMIN)
    codes = _enregistrer(client, admin)
    empreintes = list(CodeSecours.objects.filter(appareil__user=admin).values_list("empreinte", flat=True))
    assert len(empreintes) == 10
    for code in codes:
        assert all(code not in e and code.replace("-", "") not in e for e in empreintes)
    assert all(e.startswith("pbkdf2_sha256$") for e in empreintes)
    # never shown again: the page of the codes gives the count, not the codes
    page = client.get("/compte/codes-secours/").content.decode()
    assert "10 codes de secours" in page and not MOTIF.search(page)
    assert list(EvenementSecurite.objects.filter(user=admin).values_list("quoi", flat=True)) == ["codes_generes"]


def test_un_code_de_secours_remplace_le_code_de_l_application_une_seule_fois(client):
    admin = membre(role=Role.ADMIN)
    codes = _enregistrer(client, admin)
    client.post("/compte/deconnexion/")
    _connexion(client, admin)
    assert client.get("/compte/").status_code == 302
    page = client.get("/compte/double-facteur/").content.decode()
    assert "code de secours" in page
    reponse = client.post(
        "/compte/double-facteur/", {"code_secours": codes[0].lower().replace("-", " "), "suivant": "/compte/"}
    )
    assert reponse.status_code == 302 and reponse["Location"] == "/compte/"
    assert client.get("/compte/").status_code == 200
    assert "9 codes de secours" in client.get("/compte/codes-secours/").content.decode()
    # the same code a second time: refused
    client.post("/compte/deconnexion/")
    _connexion(client, admin)
    refus = client.post("/compte/double-facteur/", {"code_secours": codes[0], "suivant": "/compte/"})
    assert refus.status_code == 400 and "Ce code de secours n&#x27;est pas valable" in refus.content.decode()
    assert client.get("/compte/").status_code == 302
    # another one works (once the one-second back-off after the wrong one is over)
    AppareilCodesSecours.objects.get(user=admin).throttle_reset()
    assert client.post("/compte/double-facteur/", {"code_secours": codes[1]}).status_code == 302
    quoi = list(EvenementSecurite.objects.filter(user=admin).order_by("pk").values_list("quoi", flat=True))
    assert quoi == ["codes_generes", "code_secours_utilise", "code_secours_refuse", "code_secours_utilise"]


def test_regenerer_rend_les_anciens_codes_inutilisables(client):
    admin = membre(role=Role.ADMIN)
    anciens = _enregistrer(client, admin)
    page = client.post("/compte/codes-secours/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    nouveaux = MOTIF.findall(page.content.decode())
    assert len(nouveaux) == 10 and not set(nouveaux) & set(anciens)
    assert CodeSecours.objects.filter(appareil__user=admin).count() == 10
    client.post("/compte/deconnexion/")
    _connexion(client, admin)
    assert client.post("/compte/double-facteur/", {"code_secours": anciens[2]}).status_code == 400
    AppareilCodesSecours.objects.get(user=admin).throttle_reset()
    assert client.post("/compte/double-facteur/", {"code_secours": nouveaux[2]}).status_code == 302
    assert "codes_regeneres" in EvenementSecurite.objects.filter(user=admin).values_list("quoi", flat=True)


def test_essais_de_codes_de_secours_limites(client):
    admin = membre(role=Role.ADMIN)
    codes = _enregistrer(client, admin)
    client.post("/compte/deconnexion/")
    _connexion(client, admin)
    for _ in range(3):
        client.post("/compte/double-facteur/", {"code_secours": "AAAA-AAAA-AAAA"})
    reponse = client.post("/compte/double-facteur/", {"code_secours": codes[0]})
    assert reponse.status_code == 400 and "Trop de codes erronés" in reponse.content.decode()


def test_reinitialisation_supprime_aussi_les_codes(client):
    from django.core.management import call_command

    admin = membre(role=Role.ADMIN)
    _enregistrer(client, admin)
    call_command("double_facteur_reinitialiser", admin.email)
    assert not CodeSecours.objects.filter(appareil__user=admin).exists()
    assert "double_facteur_reinitialise" in EvenementSecurite.objects.filter(user=admin).values_list("quoi", flat=True)
