from django.http import Http404
from django.shortcuts import render

from repere.territoires import selectors
from repere.territoires.models import TypeTerritoire


def recherche(request):
    q = request.GET.get("q", "").strip()
    erreur = None
    resultats = []
    if q:
        if len(q) < 2:
            erreur = "Tapez au moins 2 caractères."
        elif len(q) > 100:
            erreur = "La recherche est limitée à 100 caractères."
        else:
            resultats = selectors.autocompleter(q=q, limite=20)
    return render(
        request,
        "territoires/recherche.html",
        {"q": q, "resultats": resultats, "erreur": erreur},
        status=400 if erreur else 200,
    )


def detail(request, type, code):
    if type not in TypeTerritoire.values:
        raise Http404("Type de territoire inconnu.")
    territoire = selectors.get_territoire(type=type, code=code)
    if territoire is None:
        raise Http404("Territoire introuvable.")
    communes = None
    if type in (TypeTerritoire.EPCI, TypeTerritoire.DEPARTEMENT):
        communes = selectors.communes_de(territoire).order_by("nom").only("type", "code", "nom", "population")
    rattachees = territoire.communes_rattachees.order_by("nom") if type == TypeTerritoire.COMMUNE else None
    contour = None
    if territoire.geometrie:
        contour = {"type": "Feature", "geometry": territoire.geometrie, "properties": {"nom": territoire.nom}}
    return render(
        request,
        "territoires/detail.html",
        {"territoire": territoire, "communes": communes, "rattachees": rattachees, "contour": contour},
    )
