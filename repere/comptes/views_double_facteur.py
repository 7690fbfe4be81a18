import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django_otp import login as otp_login

from repere.comptes import codes_secours
from repere.comptes.double_facteur import appareil_a_enregistrer, appareil_confirme, double_facteur_exige
from repere.utils.redirections import chemin_sur


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code à 6 chiffres de votre application d'authentification",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}),
        error_messages={"min_length": "Le code a 6 chiffres.", "max_length": "Le code a 6 chiffres."},
    )


class CodeSecoursForm(forms.Form):
    code_secours = forms.CharField(
        label="Code de secours (12 caractères, par exemple ABCD-EFGH-JKMN)",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


def _sans_cache(reponse):
    reponse["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    return reponse


def _afficher_codes(request, codes: list[str], suivant: str):
    """The codes, in clear, in this one response (never stored, never cached)."""
    return _sans_cache(render(request, "comptes/codes_secours.html", {"codes": codes, "suivant": suivant}))


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
    secours = appareil is not None and not enregistrement and codes_secours.appareil_de(request.user)
    par_code_secours = bool(secours) and request.method == "POST" and "code_secours" in request.POST
    form = CodeForm(request.POST if request.method == "POST" and not par_code_secours else None)
    form_secours = CodeSecoursForm(request.POST if par_code_secours else None) if secours else None
    if par_code_secours and form_secours.is_valid():
        permis, _ = secours.verify_is_allowed()
        if not permis:
            form_secours.add_error("code_secours", "Trop de codes erronés : attendez une minute avant de réessayer.")
        elif secours.verify_token(form_secours.cleaned_data["code_secours"]):
            secours.throttle_reset()
            otp_login(request, secours)
            return redirect(_suivant(request))
        else:
            secours.throttle_increment()
            form_secours.add_error(
                "code_secours",
                "Ce code de secours n'est pas valable : il a déjà servi, a été remplacé, ou est mal recopié.",
            )
    elif request.method == "POST" and form.is_valid():
        permis, _ = appareil.verify_is_allowed()
        if not permis:
            form.add_error("code", "Trop de codes erronés : attendez une minute avant de réessayer.")
        elif appareil.verify_token(form.cleaned_data["code"].strip()):
            otp_login(request, appareil)
            if enregistrement:
                appareil.confirmed = True
                appareil.save(update_fields=["confirmed"])
                # the application is registered: the backup codes, shown this once
                return _afficher_codes(request, codes_secours.generer(user=request.user), _suivant(request))
            return redirect(_suivant(request))
        else:
            form.add_error("code", "Ce code n'est pas le bon ou a expiré : saisissez le code affiché maintenant.")
    contexte = {
        "form": form,
        "form_secours": form_secours,
        "enregistrement": enregistrement,
        "suivant": _suivant(request),
    }
    erreurs = form.errors or (form_secours is not None and form_secours.errors)
    if enregistrement:
        contexte["qr_svg"] = segno.make(appareil.config_url, error="m").svg_inline(scale=4, title="QR code à scanner")
        contexte["secret"] = _base32(appareil.bin_key)
    if _demo(request.user):
        contexte["code_demo"] = _code_actuel(appareil)
    return render(request, "comptes/double_facteur.html", contexte, status=400 if erreurs else 200)


@login_required
def codes_de_secours(request):
    """How many backup codes are left; POST: new codes (the old ones stop working), shown once."""
    if not (double_facteur_exige(request.user) or appareil_confirme(request.user)):
        return render(request, "comptes/codes_secours.html", {"sans_double_facteur": True})
    if request.method == "POST":
        return _afficher_codes(request, codes_secours.generer(user=request.user), "/compte/")
    appareil = codes_secours.appareil_de(request.user)
    contexte = {"restants": codes_secours.restants(request.user), "appareil": appareil}
    return _sans_cache(render(request, "comptes/codes_secours.html", contexte))


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
    if appareil.last_t is not None and totp.t() <= appareil.last_t:
        # this window's code has been used already (a code serves once): show the next one, which the
        # verification accepts now (tolerance of one step) — else the shown code is refused for up to 30 s
        totp.time += (appareil.last_t + 1 - totp.t()) * appareil.step
    return f"{totp.token():0{appareil.digits}d}"
