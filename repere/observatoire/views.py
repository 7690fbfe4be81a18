"""Pages of the observatory: home, territory portrait, choropleth map with its table, exports,
indicator catalogue, import runs, obstacle barometer. No business logic here: selectors read."""

from __future__ import annotations

import json
import tempfile
import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from repere.observatoire import barometre as barometre_mod
from repere.observatoire import exports, selectors, services
from repere.observatoire.forms import BarometreForm, CarteForm, CorrespondanceForm, ImportForm
from repere.observatoire.geographie import geographie
from repere.observatoire.importation import caf, filosofi, generique
from repere.observatoire.importation.commun import ErreurImport, Fichier
from repere.observatoire.models import ImportFichier, Niveau
from repere.organisations import permissions
from repere.organisations.permissions import ROLES_GESTION
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
            "niveau_carte": Niveau.COMMUNE if lieu.niveau not in (Niveau.COMMUNE, Niveau.IRIS) else None,
            "carte_iris": lieu.niveau == Niveau.COMMUNE and bool(geographie().iris_de(lieu.code)),
        },
    )


def portrait_pdf(request, niveau, code):
    """The portrait as a printable A4 PDF, made on the server (WeasyPrint), tagged for screen readers."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    lieu = _lieu_ou_404(niveau, code)
    lignes = selectors.portrait(lieu=lieu, user=request.user)
    html = render_to_string(
        "observatoire/portrait_pdf.html",
        {
            "lieu": lieu,
            "chaine": selectors.comparaisons(lieu),
            "lignes": lignes,
            "activite_visible": selectors.peut_voir_activite(request.user, lieu),
            "demo": any(ligne.indicateur.est_demo for ligne in lignes),
            "le": timezone.localdate(),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(pdf_tags=True)
    reponse = HttpResponse(pdf, content_type="application/pdf")
    reponse["Content-Disposition"] = f'attachment; filename="portrait-{niveau}-{code}.pdf"'
    return reponse


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
            "url_zoom_iris": _url_zoom_iris(request, c) if c and c.zoom_iris else "",
            "requete": request.GET.urlencode(),
        },
    )


def _url_zoom_iris(request, c) -> str:
    """The same map by IRIS, for one commune (« CODE » replaced by the map's script)."""
    q = request.GET.copy()
    q["indicateur"], q["periode"] = c.indicateur.code, c.periode
    q["niveau"], q["perimetre"] = Niveau.IRIS, "commune:CODE"
    return reverse("observatoire:carte") + "?" + q.urlencode(safe=":")


def carte_geojson(request):
    form, c = _carte_demandee(request)
    if c is None:
        return JsonResponse({"detail": "Paramètres invalides.", "erreurs": form.errors.get_json_data()}, status=422)
    return HttpResponse(selectors.geojson_texte(c), content_type="application/geo+json; charset=utf-8")


def carte_export(request, format):
    if format not in FORMATS:
        raise Http404("Format inconnu.")
    form, c = _carte_demandee(request)
    if c is None:
        return redirect(reverse("observatoire:carte") + "?" + request.GET.urlencode())
    return reponse_tableur(
        exports.tableaux_carte(c), format=format, nom_fichier=f"carte-{c.indicateur.code}-{c.periode}"
    )


def _lieux_compares(request) -> list:
    geo = geographie()
    lieux = []
    for jeton in " ".join(request.GET.getlist("t")).split():
        niveau, _, code = jeton.partition(":")
        lieu = geo.lieu(niveau, code)
        if lieu is not None and lieu not in lieux:
            lieux.append(lieu)
    return lieux[:8]


def comparer(request):
    lieux = _lieux_compares(request)
    lignes = selectors.comparer(lieux=lieux, user=request.user) if lieux else []
    return render(
        request,
        "observatoire/comparer.html",
        {
            "lieux": lieux,
            "lignes": lignes,
            "jetons": "\n".join(f"{lieu.niveau}:{lieu.code}" for lieu in lieux),
            "requete": request.GET.urlencode(),
            "demo": any(ligne.indicateur.est_demo for ligne in lignes),
        },
    )


def comparer_export(request, format):
    if format not in FORMATS:
        raise Http404("Format inconnu.")
    lieux = _lieux_compares(request)
    lignes = selectors.comparer(lieux=lieux, user=request.user) if lieux else []
    return reponse_tableur(exports.tableaux_comparaison(lieux, lignes), format=format, nom_fichier="comparaison")


def indicateurs(request):
    return render(
        request, "observatoire/indicateurs.html", {"indicateurs": selectors.indicateurs_visibles(request.user)}
    )


def imports(request):
    return render(
        request,
        "observatoire/imports.html",
        {"imports": ImportFichier.objects.all()[:100], "peut_importer": _peut_importer(request.user)},
    )


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


# --- Import assistant -------------------------------------------------------------------------------------

_DOSSIER_IMPORTS = Path(tempfile.gettempdir()) / "repere-observatoire-imports"


def _peut_importer(user) -> bool:
    return user.is_authenticated and (user.is_staff or permissions.organisations_de(user, ROLES_GESTION).exists())


def _exiger_importateur(request):
    if not _peut_importer(request.user):
        raise PermissionDenied("L'import de fichiers est réservé aux administrateurs d'une organisation.")


def _resultat(request, fichier, lire):
    try:
        run = services.enregistrer_import(lecture=lire(fichier), fichier=fichier, par=request.user)
    except ErreurImport as e:
        return render(request, "observatoire/import_resultat.html", {"erreur": e, "run": e.import_fichier}, status=422)
    return render(request, "observatoire/import_resultat.html", {"run": run})


@login_required
def importer(request):
    _exiger_importateur(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fichier = Fichier(nom=d["fichier"].name, contenu=d["fichier"].read(), date=timezone.now())
        if d["source"] == "filosofi":
            return _resultat(request, fichier, lambda f: filosofi.lire(f, ignorer_inconnus=d["ignorer_inconnus"]))
        if d["source"] == "caf":
            return _resultat(request, fichier, lambda f: caf.lire(f, ignorer_inconnus=d["ignorer_inconnus"]))
        try:
            generique.entetes(fichier)
        except ErreurImport as e:
            return render(request, "observatoire/import_resultat.html", {"erreur": e}, status=422)
        jeton = uuid.uuid4().hex
        _DOSSIER_IMPORTS.mkdir(parents=True, exist_ok=True)
        (_DOSSIER_IMPORTS / jeton).write_bytes(fichier.contenu)
        request.session["observatoire_import"] = {"jeton": jeton, "nom": fichier.nom, "ignorer": d["ignorer_inconnus"]}
        return redirect("observatoire:import_correspondance")
    return render(request, "observatoire/import.html", {"form": form})


@login_required
def import_correspondance(request):
    _exiger_importateur(request)
    attente = request.session.get("observatoire_import")
    chemin = _DOSSIER_IMPORTS / attente["jeton"] if attente else None
    if not chemin or not chemin.is_file():
        messages.error(request, "Aucun fichier en attente : déposez-le de nouveau.")
        return redirect("observatoire:importer")
    fichier = Fichier(nom=attente["nom"], contenu=chemin.read_bytes(), date=timezone.now())
    colonnes = generique.entetes(fichier)
    form = CorrespondanceForm(request.POST or None, colonnes=colonnes)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        c = generique.Correspondance(
            code_indicateur=d["code_indicateur"],
            libelle=d["libelle"],
            unite=d["unite"],
            agregation=d["agregation"],
            facteur=d["facteur"],
            niveau=d["niveau"],
            colonne_code=d["colonne_code"],
            colonne_valeur=d["colonne_valeur"],
            colonne_periode=d["colonne_periode"],
            periode=d["periode"],
            colonne_numerateur=d["colonne_numerateur"],
            colonne_denominateur=d["colonne_denominateur"],
            colonne_statut=d["colonne_statut"],
            source=d["source_donnees"],
            producteur=d["producteur"],
            diffusion=d["diffusion"],
        )
        reponse = _resultat(
            request, fichier, lambda f: generique.lire(f, correspondance=c, ignorer_inconnus=attente["ignorer"])
        )
        if reponse.status_code == 200:
            chemin.unlink(missing_ok=True)
            request.session.pop("observatoire_import", None)
        return reponse
    apercu = generique.apercu(fichier)
    return render(
        request,
        "observatoire/import_correspondance.html",
        {"form": form, "nom": attente["nom"], "colonnes": colonnes, "apercu": apercu},
    )
