import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django_otp import login as otp_login

from repere.comptes.double_facteur import appareil_a_enregistrer, appareil_confirme
from repere.utils.redirections import chemin_sur


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code à 6 chiffres de votre application d'authentification",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}),
        error_messages={"min_length": "Le code a 6 chiffres.", "max_length": "Le code a 6 chiffres."},
    )


def _suivant(request) -> str:
    return chemin_sur(request.GET.get("suivant") or request.POST.get("suivant"), defaut="/compte/")


def _demo(user) -> bool:
    from repere.organisations.demo import DOMAINE

    return settings.REPERE_DEMO and user.email.endswith("@" + DOMAINE)


@login_required
def double_facteur(request):
    """Verify the code of the registered application, or register one (QR code) on first use."""
    appareil = appareil_confirme(request.user)
    enregistrement = appareil is None
    if enregistrement:
        appareil = appareil_a_enregistrer(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        permis, _ = appareil.verify_is_allowed()
        if not permis:
            form.add_error("code", "Trop de codes erronés : attendez une minute avant de réessayer.")
        elif appareil.verify_token(form.cleaned_data["code"].strip()):
            if enregistrement:
                appareil.confirmed = True
                appareil.save(update_fields=["confirmed"])
            otp_login(request, appareil)
            return redirect(_suivant(request))
        else:
            form.add_error("code", "Ce code n'est pas le bon ou a expiré : saisissez le code affiché maintenant.")
    contexte = {"form": form, "enregistrement": enregistrement, "suivant": _suivant(request)}
    if enregistrement:
        contexte["qr_svg"] = segno.make(appareil.config_url, error="m").svg_inline(scale=4, title="QR code à scanner")
        contexte["secret"] = _base32(appareil.bin_key)
    if _demo(request.user):
        contexte["code_demo"] = _code_actuel(appareil)
    return render(request, "comptes/double_facteur.html", contexte, status=400 if form.errors else 200)


def _base32(cle: bytes) -> str:
    import base64

    texte = base64.b32encode(cle).decode().rstrip("=")
    return " ".join(texte[i : i + 4] for i in range(0, len(texte), 4))


def _code_actuel(appareil) -> str:
    """Demo instance only: the current code, shown so that anyone can try the demo admin accounts."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(appareil.bin_key, appareil.step, appareil.t0, appareil.digits, appareil.drift)
    totp.time = time.time()
    return f"{totp.token():0{appareil.digits}d}"
