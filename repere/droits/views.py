"""Views of the rights simulator: public questionnaire, results, printable summary, income curve,
and the local aids admin (organisation admins)."""

from __future__ import annotations

import json

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from repere.droits import a_demander
from repere.droits import questionnaire as q
from repere.droits.courbe import SALAIRE_MAX, courbe
from repere.droits.forms import AideLocaleForm, ImportForm
from repere.droits.menage import valider_menage
from repere.droits.models import AideLocale
from repere.droits.selectors import aides_locales_gerees, exporter_catalogue, organisations_gerees, simuler_complet
from repere.droits.services import (
    ErreurImport,
    creer_aide_locale,
    importer_catalogue,
    modifier_aide_locale,
    supprimer_aide_locale,
)
from repere.droits.textes import liste
from repere.organisations.permissions import ROLES_GESTION, exiger_role
from repere.utils.api_errors import erreurs_validation
from repere.utils.errors import ErreurMetier
from repere.utils.soumission import soumission_unique

# --- public questionnaire ------------------------------------------------------------------------------


def accueil(request):
    rep = q.reponses(request.session)
    return render(
        request,
        "droits/accueil.html",
        {"etapes": q.ETAPES, "en_cours": bool(rep), "reprendre": q.premiere_incomplete(rep) if rep else None},
    )


def etape(request, code):
    if code not in q.PAR_CODE:
        raise Http404("Étape inconnue.")
    rep = q.reponses(request.session)
    actives = [e.code for e in q.etapes_actives(rep)]
    if code not in actives:
        return redirect("droits:etape", code=actives[0])
    precedente, suivante = q.voisines(rep, code)
    if request.method == "POST":
        form = q.formulaire(code, rep, request.POST)
        brutes = q.donnees_brutes(form, request.POST)
        valide = form.is_valid()
        if code == "foyer" and valide:
            brutes["commune_code"] = form.cleaned_data["commune_code"]
            brutes["commune"] = form.cleaned_data["commune"]
        if request.POST.get("direction") == "precedent" and precedente:
            q.enregistrer(request.session, code, {**brutes, "_valide": valide})
            return redirect("droits:etape", code=precedente)
        if valide:
            q.enregistrer(request.session, code, {**brutes, "_valide": True})
            rep = q.reponses(request.session)
            precedente, suivante = q.voisines(rep, code)
            return redirect("droits:etape", code=suivante) if suivante else redirect("droits:resultats")
    else:
        form = q.formulaire(code, rep)
    actives = q.etapes_actives(rep)
    numero = [e.code for e in actives].index(code) + 1
    return render(
        request,
        f"droits/etape_{code}.html",
        {
            "form": form,
            "etape": q.PAR_CODE[code],
            "etapes": actives,
            "numero": numero,
            "total": len(actives),
            "precedente": precedente,
            "suivante": suivante,
            "couple": q.en_couple(rep),
        },
    )


def _menage_ou_redirection(request):
    rep = q.reponses(request.session)
    manquante = q.premiere_incomplete(rep)
    if manquante:
        if rep:
            messages.warning(request, "Quelques réponses manquent encore : reprenons à cette étape.")
        return None, redirect("droits:etape", code=manquante)
    menage, erreurs = valider_menage(q.menage_depuis_reponses(rep))
    if erreurs:
        for e in erreurs:
            messages.error(request, e["message"])
        return None, redirect("droits:etape", code=q.etape_du_champ(erreurs[0]["champ"], couple=q.en_couple(rep)))
    return menage, None


def resultats(request):
    menage, redirection = _menage_ou_redirection(request)
    if redirection:
        return redirection
    resultat = simuler_complet(menage=menage)
    return render(request, "droits/resultats.html", _contexte_resultats(request, menage, resultat))


def imprimer(request):
    menage, redirection = _menage_ou_redirection(request)
    if redirection:
        return redirection
    resultat = simuler_complet(menage=menage)
    return render(request, "droits/imprimer.html", _contexte_resultats(request, menage, resultat))


CLE_LECTURE = "droits_lecture_facile"


def _lecture_facile(request) -> bool:
    """« Facile à lire » mode, switched on the page (``?lecture=facile`` / ``?lecture=normale``),
    remembered in the session."""
    choix = request.GET.get("lecture")
    if choix in ("facile", "normale"):
        request.session[CLE_LECTURE] = choix == "facile"
    return bool(request.session.get(CLE_LECTURE, False))


def _contexte_resultats(request, menage, resultat):
    from repere.droits import facile
    from repere.territoires.selectors import get_commune

    probables = [p for p in resultat.prestations if p.eligible == "oui"]
    incertaines = [p for p in resultat.prestations if p.eligible == "incertain"]
    # Subsidiary benefits due today but not once the other benefits are obtained (RSA before the AAH).
    en_attendant = [p for p in resultat.prestations if p.eligible == "non" and (p.montant_mensuel_aujourdhui or 0) > 0]
    non = [p for p in resultat.prestations if p.eligible == "non" and p not in en_attendant]
    lecture_facile = _lecture_facile(request)

    def cartes(liste):
        return [facile.Carte.de(p) for p in liste] if lecture_facile else []

    totaux = a_demander.totaux_par_periode(resultat.prestations)
    totaux["annuel"]["noms"] = liste(totaux["annuel"]["libelles"])
    return {
        "totaux": totaux,
        "courbe_salaire_max": SALAIRE_MAX,
        "cartes_probables": cartes(probables),
        "cartes_incertaines": cartes(incertaines),
        "cartes_en_attendant": cartes(en_attendant),
        "menage": menage,
        "commune": get_commune(menage.commune),
        "resultat": resultat,
        "probables": probables,
        "incertaines": incertaines,
        "en_attendant": en_attendant,
        "non": non,
        "date": timezone.localdate(),
        "facile": lecture_facile,
        "glossaire": facile.GLOSSAIRE,
        "nb_enfants": len(menage.enfants),
    }


def courbe_page(request):
    """Accessible table of the income curve (also the no-JS fallback of the chart)."""
    menage, redirection = _menage_ou_redirection(request)
    if redirection:
        return redirection
    donnees = courbe(menage)
    lignes = []
    for i, s in enumerate(donnees["salaires"]):
        lignes.append(
            {
                "salaire": s,
                "montants": [p["montants_mensuels"][i] for p in donnees["prestations"]],
                "total": donnees["total"][i],
            }
        )
    return render(request, "droits/courbe.html", {"courbe": donnees, "lignes": lignes})


def courbe_json(request):
    menage, redirection = _menage_ou_redirection(request)
    if redirection:
        return JsonResponse({"detail": "Questionnaire incomplet."}, status=409)
    return JsonResponse(courbe(menage))


@require_POST
def recommencer(request):
    if request.POST.get("confirme") != "oui":
        return render(
            request,
            "_confirmer.html",
            {
                "titre": "Effacer toutes vos réponses ?",
                "message": "Toutes les réponses du questionnaire seront effacées : il faudra tout recommencer.",
                "action": reverse("droits:recommencer"),
                "bouton": "Oui, effacer mes réponses",
                "annuler": reverse("droits:resultats") if q.reponses(request.session) else reverse("droits:accueil"),
                "annuler_libelle": "Non, garder mes réponses",
            },
        )
    q.effacer(request.session)
    messages.success(request, "Vos réponses ont été effacées.")
    return redirect("droits:accueil")


# --- local aids admin --------------------------------------------------------------------------------------


@login_required
def aides_locales(request):
    organisations = organisations_gerees(user=request.user)
    if not organisations.exists():
        raise Http404("Aucune organisation que vous administrez.")
    return render(
        request,
        "droits/aides_locales/liste.html",
        {
            "aides": aides_locales_gerees(user=request.user).order_by("organisation__nom", "nom"),
            "organisations": organisations,
            "import_form": ImportForm(organisations=organisations),
        },
    )


def _aide_geree(request, pk) -> AideLocale:
    return get_object_or_404(aides_locales_gerees(user=request.user), pk=pk)


def _enregistrer_aide(request, form, aide=None):
    try:
        donnees = form.donnees()
    except ValidationError as exc:
        for e in erreurs_validation(exc.errors()):
            form.add_error(None, e["message"])
        return None
    organisation = form.cleaned_data["organisation"]
    exiger_role(request.user, organisation, ROLES_GESTION)
    try:
        if aide is None:
            return creer_aide_locale(organisation=organisation, donnees=donnees)
        if aide.organisation_id != organisation.pk:
            aide.organisation = organisation
        return modifier_aide_locale(aide=aide, donnees=donnees)
    except ErreurMetier as exc:
        form.add_error(exc.champ if exc.champ in form.fields else None, exc.message)
        return None


@login_required
@soumission_unique
def aide_creer(request):
    organisations = organisations_gerees(user=request.user)
    if not organisations.exists():
        raise Http404("Aucune organisation que vous administrez.")
    form = AideLocaleForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        aide = _enregistrer_aide(request, form)
        if aide:
            messages.success(request, f"Aide « {aide.nom} » créée.")
            return redirect("droits:aides_locales")
    return render(request, "droits/aides_locales/formulaire.html", {"form": form, "aide": None})


@login_required
def aide_modifier(request, pk):
    aide = _aide_geree(request, pk)
    organisations = organisations_gerees(user=request.user)
    form = AideLocaleForm(
        request.POST or None, organisations=organisations, initial=AideLocaleForm.initial_depuis(aide)
    )
    if request.method == "POST" and form.is_valid() and _enregistrer_aide(request, form, aide):
        messages.success(request, f"Aide « {aide.nom} » modifiée.")
        return redirect("droits:aides_locales")
    return render(request, "droits/aides_locales/formulaire.html", {"form": form, "aide": aide})


@login_required
def aide_supprimer(request, pk):
    aide = _aide_geree(request, pk)
    if request.method == "POST":
        nom = aide.nom
        supprimer_aide_locale(aide=aide)
        messages.success(request, f"Aide « {nom} » supprimée.")
        return redirect("droits:aides_locales")
    return render(request, "droits/aides_locales/supprimer.html", {"aide": aide})


@login_required
def aides_exporter(request, organisation_id, format):
    if format not in ("json", "yaml"):
        raise Http404("Format inconnu (json ou yaml).")
    organisation = get_object_or_404(organisations_gerees(user=request.user), pk=organisation_id)
    donnees = exporter_catalogue(organisation=organisation)
    nom = f"aides-locales-{organisation.pk}-{timezone.localdate():%Y%m%d}.{format}"
    if format == "json":
        contenu, type_ = json.dumps(donnees, ensure_ascii=False, indent=2), "application/json"
    else:
        contenu = yaml.safe_dump(donnees, allow_unicode=True, sort_keys=False)
        type_ = "application/yaml"
    reponse = HttpResponse(contenu, content_type=f"{type_}; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse


@login_required
@require_POST
def aides_importer(request):
    organisations = organisations_gerees(user=request.user)
    if not organisations.exists():
        raise Http404("Aucune organisation que vous administrez.")
    form = ImportForm(request.POST, request.FILES, organisations=organisations)
    if form.is_valid():
        try:
            bilan = importer_catalogue(
                organisation=form.cleaned_data["organisation"],
                contenu=form.cleaned_data["fichier"].read(),
                format=form.format,
                remplacer=form.cleaned_data["remplacer"],
            )
        except ErreurImport as exc:
            for e in exc.erreurs[:20]:
                messages.error(request, e)
            messages.error(request, "Import refusé : aucune aide n'a été modifiée.")
        else:
            messages.success(
                request,
                f"Import réussi : {bilan['creees']} créée(s), {bilan['modifiees']} modifiée(s), "
                f"{bilan['supprimees']} supprimée(s).",
            )
        return redirect(reverse("droits:aides_locales"))
    return render(
        request,
        "droits/aides_locales/liste.html",
        {
            "aides": aides_locales_gerees(user=request.user).order_by("organisation__nom", "nom"),
            "organisations": organisations,
            "import_form": form,
        },
        status=422,
    )
