"""Pages of the observatory: home, territory portrait, choropleth map with its table, exports,
indicator catalogue, import runs, obstacle barometer. No business logic here: selectors read."""

from __future__ import annotations

import json

from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from repere.observatoire import barometre as barometre_mod
from repere.observatoire import exports, selectors
from repere.observatoire.forms import BarometreForm, CarteForm
from repere.observatoire.geographie import geographie
from repere.observatoire.models import ImportFichier, Niveau
from repere.territoires import selectors as territoires
from repere.utils.tableurs import reponse_tableur

FORMATS = ("csv", "xlsx", "ods")
_TYPES_RECHERCHE = ["commune", "epci", "departement", "region"]


def _lieu_ou_404(niveau: str, code: str):
    lieu = geographie().lieu(niveau, code)
    if lieu is None:
        raise Http404("Territoire inconnu.")
    return lieu


def _choix_territoire(request):
    """The territory picked in the search box: the autocomplete's « type:code », else the best match of the text."""
    jeton = (request.GET.get("territoire") or "").split()
    if jeton and ":" in jeton[-1]:
        niveau, code = jeton[-1].split(":", 1)
        if geographie().lieu(niveau, code):
            return niveau, code
    q = (request.GET.get("q") or "").strip()
    if q:
        trouves = territoires.autocompleter(q=q, types=_TYPES_RECHERCHE, limite=1)
        if trouves:
            return trouves[0].type, trouves[0].code
    return None


def accueil(request):
    choix = _choix_territoire(request)
    if choix:
        return redirect("observatoire:portrait", *choix)
    indicateurs = selectors.indicateurs_visibles(request.user)
    themes: dict[str, list] = {}
    for i in indicateurs:
        themes.setdefault(i.theme or "Autres", []).append(i)
    return render(
        request,
        "observatoire/accueil.html",
        {
            "themes": themes,
            "recherche_vide": bool(request.GET.get("q")),
            "a_des_valeurs": bool(indicateurs),
            "demo": any(i.est_demo for i in indicateurs),
        },
    )


def portrait(request, niveau, code):
    lieu = _lieu_ou_404(niveau, code)
    lignes = selectors.portrait(lieu=lieu, user=request.user)
    return render(
        request,
        "observatoire/portrait.html",
        {
            "lieu": lieu,
            "chaine": selectors.comparaisons(lieu),
            "lignes": lignes,
            "activite_visible": selectors.peut_voir_activite(request.user, lieu),
            "demo": any(ligne.indicateur.est_demo for ligne in lignes),
            "imprimer": request.GET.get("imprimer") == "1",
            "niveau_carte": Niveau.COMMUNE if lieu.niveau != Niveau.COMMUNE else None,
        },
    )


def portrait_export(request, niveau, code, format):
    if format not in FORMATS:
        raise Http404("Format inconnu.")
    lieu = _lieu_ou_404(niveau, code)
    lignes = selectors.portrait(lieu=lieu, user=request.user)
    return reponse_tableur(
        exports.tableaux_portrait(lieu, lignes), format=format, nom_fichier=f"portrait-{niveau}-{code}"
    )


def _carte_demandee(request):
    form = CarteForm(request.GET or None, user=request.user)
    if not form.is_valid():
        return form, None
    d = form.cleaned_data
    c = selectors.carte(
        indicateur=d["indicateur"],
        periode=d["periode"],
        niveau=d["niveau"],
        perimetre=d["perimetre_lieu"],
        methode=d["methode"],
        classes=d["classes"],
    )
    return form, c


def carte(request):
    form, c = _carte_demandee(request)
    return render(
        request,
        "observatoire/carte.html",
        {
            "form": form,
            "carte": c,
            "legende": selectors.legende(c) if c else [],
            "url_geojson": reverse("observatoire:carte_geojson") + "?" + request.GET.urlencode() if c else "",
            "requete": request.GET.urlencode(),
        },
    )


def carte_geojson(request):
    form, c = _carte_demandee(request)
    if c is None:
        return JsonResponse({"detail": "Paramètres invalides.", "erreurs": form.errors.get_json_data()}, status=422)
    return JsonResponse(selectors.geojson(c), json_dumps_params={"ensure_ascii": False})


def carte_export(request, format):
    if format not in FORMATS:
        raise Http404("Format inconnu.")
    form, c = _carte_demandee(request)
    if c is None:
        return redirect(reverse("observatoire:carte") + "?" + request.GET.urlencode())
    return reponse_tableur(
        exports.tableaux_carte(c), format=format, nom_fichier=f"carte-{c.indicateur.code}-{c.periode}"
    )


def indicateurs(request):
    return render(
        request, "observatoire/indicateurs.html", {"indicateurs": selectors.indicateurs_visibles(request.user)}
    )


def imports(request):
    return render(request, "observatoire/imports.html", {"imports": ImportFichier.objects.all()[:100]})


def _barometre_demande(request):
    form = BarometreForm(request.GET or None, user=request.user)
    if not form.is_valid():
        return form, None
    d = form.cleaned_data
    return form, barometre_mod.barometre(
        user=request.user, territoire=d["territoire_lieu"], du=d["du"], au=d["au"], par=d["par"]
    )


def barometre(request):
    form, tableau = _barometre_demande(request)
    return render(
        request,
        "observatoire/barometre.html",
        {"form": form, "tableau": tableau, "requete": request.GET.urlencode(), "json": json},
    )


def barometre_export(request, format):
    if format not in FORMATS:
        raise Http404("Format inconnu.")
    _form, tableau = _barometre_demande(request)
    if tableau is None:
        return redirect(reverse("observatoire:barometre") + "?" + request.GET.urlencode())
    return reponse_tableur(exports.tableaux_barometre(tableau), format=format, nom_fichier="barometre-obstacles")
