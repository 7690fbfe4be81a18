"""ProConnect login (OpenID Connect, authorization code) against a small provider started by the test on 127.0.0.1.

The provider signs the ID token and the userinfo (as ProConnect: both are JWTs, RS256) with a key made here,
and publishes it at /jwks; the app exchanges the code at /token over HTTP, as in production. No network.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from repere.organisations.models import Role
from tests.organisations.factories import membre

pytestmark = pytest.mark.django_db
CLIENT_ID = "repere-essai"


class Fournisseur:
    """A minimal OpenID provider: /token, /userinfo, /jwks; the codes are registered by the test."""

    def __init__(self):
        self.cle = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes: dict[str, dict] = {}
        self.demandes_jeton: list[dict] = []
        fournisseur = self

        class Gestionnaire(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _repondre(self, statut, corps, type_="application/json"):
                donnees = corps.encode() if isinstance(corps, str) else json.dumps(corps).encode()
                self.send_response(statut)
                self.send_header("Content-Type", type_)
                self.send_header("Content-Length", str(len(donnees)))
                self.end_headers()
                self.wfile.write(donnees)

            def do_GET(self):
                if self.path == "/jwks":
                    cle = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(fournisseur.cle.public_key()))
                    return self._repondre(200, {"keys": [{**cle, "kid": "cle-1", "alg": "RS256", "use": "sig"}]})
                if self.path == "/userinfo":
                    jeton = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    code = next((c for c, d in fournisseur.codes.items() if d["acces"] == jeton), None)
                    if code is None:
                        return self._repondre(401, {"error": "invalid_token"})
                    donnees = fournisseur.codes[code]
                    return self._repondre(200, fournisseur.signer(donnees["claims"]), "application/jwt; charset=utf-8")
                return self._repondre(404, {})

            def do_POST(self):
                longueur = int(self.headers.get("Content-Length", 0))
                formulaire = {k: v[0] for k, v in parse_qs(self.rfile.read(longueur).decode()).items()}
                fournisseur.demandes_jeton.append(formulaire)
                donnees = fournisseur.codes.get(formulaire.get("code"))
                if self.path != "/token" or donnees is None or formulaire.get("client_secret") != "secret-essai":
                    return self._repondre(400, {"error": "invalid_grant"})
                id_token = fournisseur.signer({"sub": donnees["claims"]["sub"], "nonce": donnees["nonce"]})
                return self._repondre(
                    200, {"access_token": donnees["acces"], "id_token": id_token, "token_type": "Bearer"}
                )

        self.serveur = ThreadingHTTPServer(("127.0.0.1", 0), Gestionnaire)
        self.url = f"http://127.0.0.1:{self.serveur.server_address[1]}"
        self.emetteur = self.url
        threading.Thread(target=self.serveur.serve_forever, daemon=True).start()

    def signer(self, claims: dict) -> str:
        maintenant = int(time.time())
        contenu = {"iss": self.emetteur, "aud": CLIENT_ID, "iat": maintenant, "exp": maintenant + 60, **claims}
        return jwt.encode(contenu, self.cle, algorithm="RS256", headers={"kid": "cle-1"})

    def authentifier(self, *, code: str, nonce: str, email: str, **claims):
        """What the provider does when the agent logs in on its pages: a code for this nonce and identity."""
        self.codes[code] = {
            "nonce": nonce,
            "acces": f"acces-{code}",
            "claims": {"sub": f"sub-{email}", "email": email, **claims},
        }


@pytest.fixture
def fournisseur(settings, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    f = Fournisseur()
    settings.PROCONNECT_URL = f.url
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "secret-essai"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{f.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{f.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{f.url}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{f.url}/jwks"
    yield f
    f.serveur.shutdown()
    f.serveur.server_close()  # the listening socket too (else a ResourceWarning, an error under "error")


def _demarrer(client):
    reponse = client.get("/compte/proconnect/connexion/")
    assert reponse.status_code == 302
    adresse = urlsplit(reponse["Location"])
    parametres = {k: v[0] for k, v in parse_qs(adresse.query).items()}
    return adresse, parametres


def test_connexion_par_proconnect_d_un_compte_existant(client, fournisseur):
    agent = membre(role=Role.PROFESSIONNEL, email="agent.public@exemple.fr", first_name="", last_name="")
    assert "Se connecter avec ProConnect" in client.get("/compte/connexion/").content.decode()

    adresse, p = _demarrer(client)
    assert f"{adresse.scheme}://{adresse.netloc}{adresse.path}" == f"{fournisseur.url}/authorize"
    assert p["client_id"] == CLIENT_ID and p["response_type"] == "code" and p["acr_values"] == "eidas1"
    assert p["redirect_uri"] == "http://testserver/compte/proconnect/retour/"
    assert len(p["state"]) >= 32 and len(p["nonce"]) >= 32
    assert "email" in p["scope"].split() and "openid" in p["scope"].split()

    fournisseur.authentifier(
        code="code-1", nonce=p["nonce"], email="Agent.Public@exemple.fr", given_name="Camille", usual_name="Martin"
    )
    retour = client.get("/compte/proconnect/retour/", {"code": "code-1", "state": p["state"]})
    assert retour.status_code == 302 and retour["Location"] == "/compte/"
    assert int(client.session["_auth_user_id"]) == agent.pk
    agent.refresh_from_db()
    assert (agent.first_name, agent.last_name) == ("Camille", "Martin")
    assert fournisseur.demandes_jeton[-1]["redirect_uri"] == "http://testserver/compte/proconnect/retour/"


def test_aucun_compte_n_est_cree_par_proconnect(client, fournisseur):
    from repere.comptes.models import User

    _, p = _demarrer(client)
    fournisseur.authentifier(code="code-2", nonce=p["nonce"], email="inconnu@exemple.fr")
    retour = client.get("/compte/proconnect/retour/", {"code": "code-2", "state": p["state"]}, follow=True)
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="inconnu@exemple.fr").exists()
    assert "demandez d&#x27;abord une invitation" in retour.content.decode()


def test_nonce_ou_etat_falsifies_refuses(client, fournisseur):
    membre(email="agent2@exemple.fr")
    _, p = _demarrer(client)
    fournisseur.authentifier(code="code-3", nonce="un-autre-nonce-" + "x" * 30, email="agent2@exemple.fr")
    client.get("/compte/proconnect/retour/", {"code": "code-3", "state": p["state"]})
    assert "_auth_user_id" not in client.session

    _, p = _demarrer(client)
    fournisseur.authentifier(code="code-4", nonce=p["nonce"], email="agent2@exemple.fr")
    client.get("/compte/proconnect/retour/", {"code": "code-4", "state": "etat-falsifie-" + "y" * 30})
    assert "_auth_user_id" not in client.session


def test_jeton_d_un_autre_emetteur_refuse(client, fournisseur, settings):
    membre(email="agent3@exemple.fr")
    _, p = _demarrer(client)
    fournisseur.emetteur = "https://faux-emetteur.exemple"
    fournisseur.authentifier(code="code-5", nonce=p["nonce"], email="agent3@exemple.fr")
    client.get("/compte/proconnect/retour/", {"code": "code-5", "state": p["state"]})
    assert "_auth_user_id" not in client.session


def test_sans_configuration_pas_de_proconnect(client, settings):
    settings.PROCONNECT_URL = ""
    assert "ProConnect" not in client.get("/compte/connexion/").content.decode()
    assert client.get("/compte/proconnect/connexion/").status_code == 404
