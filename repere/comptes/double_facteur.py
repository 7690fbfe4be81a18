"""Two-factor authentication (TOTP, django-otp) required for organisation admins and the platform admin.

After the password, such an account must give the 6-digit code of its authenticator application before any
page (first time: it scans a QR code to register the application). ``DoubleFacteurMiddleware`` enforces it
for every request; ``REPERE_DOUBLE_FACTEUR`` (True by default) turns it off only in the test settings, where
tests/comptes/test_double_facteur.py turns it on.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from repere.organisations.models import Membership, Role

CHEMINS_LIBRES = ("/compte/double-facteur/", "/compte/deconnexion/", "/static/", "/sante/", "/csp-rapport/")
NOM_APPAREIL = "Application d'authentification"


def double_facteur_exige(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role=Role.ADMIN, is_active=True).exists()


def appareil_confirme(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def appareil_a_enregistrer(user) -> TOTPDevice:
    """The unconfirmed device being registered (one, created on first call)."""
    appareil = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return appareil or TOTPDevice.objects.create(user=user, name=NOM_APPAREIL, confirmed=False)


class DoubleFacteurMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.REPERE_DOUBLE_FACTEUR
            and not request.path.startswith(CHEMINS_LIBRES)
            and double_facteur_exige(user)
            and not user.is_verified()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Code de vérification en deux étapes requis : connectez-vous dans l'application."},
                    status=403,
                )
            suivant = request.get_full_path() if request.method == "GET" else "/compte/"
            return redirect(f"{reverse('comptes:double_facteur')}?{urlencode({'suivant': suivant})}")
        return self.get_response(request)
