"""Optional ProConnect login for agents (OpenID Connect, mozilla-django-oidc).

ProConnect authenticates; Repère keeps the roles: an agent logs into the EXISTING active account that has the
e-mail address given by ProConnect (created by invitation); no account is created from ProConnect. Enabled when
``PROCONNECT_URL`` (the issuer, e.g. https://auth.agentconnect.gouv.fr/api/v2) is set; the endpoints are the
issuer's ``/authorize``, ``/token``, ``/userinfo`` and ``/jwks``. ID token and userinfo are signed JWTs (RS256),
checked against the issuer's keys, its ``iss`` and our ``aud``; state and nonce are checked by the library.
"""

import jwt
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from repere.comptes.models import User


def proconnect_actif() -> bool:
    return bool(settings.PROCONNECT_URL and settings.OIDC_RP_CLIENT_ID)


class ProConnectBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if not proconnect_actif():
            return None
        return super().authenticate(request, **kwargs)

    def get_payload_data(self, token, key):
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.PROCONNECT_URL,
            )
        except jwt.PyJWTError as erreur:
            raise SuspiciousOperation(f"Jeton ProConnect refusé : {type(erreur).__name__}") from erreur

    def verify_claims(self, claims):
        return bool(claims.get("email"))

    def filter_users_by_claims(self, claims):
        return User.objects.filter(email__iexact=claims["email"].strip(), is_active=True)

    def create_user(self, claims):  # accounts are created by invitation only
        return None

    def update_user(self, user, claims):
        champs = {"first_name": claims.get("given_name") or "", "last_name": claims.get("usual_name") or ""}
        modifies = [c for c, v in champs.items() if v and getattr(user, c) != v[:150]]
        for champ in modifies:
            setattr(user, champ, champs[champ][:150])
        if modifies:
            user.save(update_fields=modifies)
        return user


class ConnexionProConnect(OIDCAuthenticationRequestView):
    def get(self, request):
        if not proconnect_actif():
            raise Http404("ProConnect n'est pas configuré sur cette instance.")
        return super().get(request)


class RetourProConnect(OIDCAuthenticationCallbackView):
    def login_failure(self):
        messages.error(
            self.request,
            "La connexion par ProConnect n'a pas abouti. Si c'est votre première connexion, demandez d'abord une "
            "invitation à l'administrateur de votre organisation : votre compte Repère doit avoir la même adresse "
            "e-mail que votre compte ProConnect.",
        )
        return super().login_failure()
