"""Professional space of the batch screening: upload, live progress, scoped downloads."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from repere.depistage import fichiers, modele, selectors, services
from repere.depistage.colonnes import COLONNES
from repere.depistage.forms import DepistageForm
from repere.depistage.models import Depistage, Statut
from repere.journal.vues import donnees_personnelles
from repere.organisations.permissions import ROLES_DONNEES_PERSONNELLES, organisation_requise
from repere.utils.errors import ErreurMetier
from repere.utils.soumission import soumission_unique


def accueil(request):
    """Presentation, the file format and the template; the user's organisations when logged in."""
    organisations = selectors.organisations_autorisees(request.user) if request.user.is_authenticated else []
    if request.user.is_authenticated and len(organisations) == 1:
        return redirect("depistage:organisation", organisations[0].pk)
    return render(
        request,
        "depistage/accueil.html",
        {"organisations": organisations, "colonnes": COLONNES, "conservation": fichiers.duree_conservation().days},
    )


def modele_fichier(request, format):
    """The downloadable template (no personal data: two fictitious households)."""
    if format == "csv":
        return HttpResponse(
            modele.modele_csv(),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="modele-depistage.csv"'},
        )
    if format == "xlsx":
        return HttpResponse(
            modele.modele_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": 'attachment; filename="modele-depistage.xlsx"'},
        )
    raise Http404("Format de modèle inconnu.")


@organisation_requise(ROLES_DONNEES_PERSONNELLES)
@soumission_unique(taille_max=fichiers.taille_max_octets)
def organisation(request, organisation_id):
    taille_max = fichiers.taille_max_octets()
    if request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0) > taille_max + 1024 * 1024:
        # Refused before the body is read: a 2 GB upload is not stored, even temporarily.
        form = DepistageForm(data={"format_sortie": "csv"}, files={})
        form.is_valid()
        form.errors["fichier"] = form.error_class([services.message_fichier_trop_gros()])
    else:
        form = DepistageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            depistage = services.creer_depistage(
                organisation=request.organisation,
                user=request.user,
                fichier=form.cleaned_data["fichier"],
                format_sortie=form.cleaned_data["format_sortie"],
                mois=form.cleaned_data["mois"],
            )
        except ErreurMetier as exc:
            form.add_error(exc.champ if exc.champ in form.fields else None, exc.message)
        else:
            messages.success(request, f"Fichier déposé : le repérage n° {depistage.pk} est lancé.")
            return redirect("depistage:detail", request.organisation.pk, depistage.pk)
    return render(
        request,
        "depistage/organisation.html",
        {
            "organisation": request.organisation,
            "form": form,
            "depistages": selectors.depistages_de(organisation=request.organisation)[:50],
            "colonnes": COLONNES,
            "conservation": fichiers.duree_conservation().days,
            "taille_max_mo": taille_max // (1024 * 1024),
        },
        status=422 if form.errors else 200,
    )


def _depistage(request, pk) -> Depistage:
    return get_object_or_404(Depistage, pk=pk, organisation=request.organisation)


@organisation_requise(ROLES_DONNEES_PERSONNELLES)
def detail(request, organisation_id, pk):
    return render(
        request, "depistage/detail.html", {"organisation": request.organisation, "depistage": _depistage(request, pk)}
    )


@organisation_requise(ROLES_DONNEES_PERSONNELLES)
def progression(request, organisation_id, pk):
    """Fragment polled by htmx while the job runs (it stops polling once the job is over)."""
    return render(
        request,
        "depistage/_progression.html",
        {"organisation": request.organisation, "depistage": _depistage(request, pk)},
    )


_FICHIERS = {
    "resultats": (fichiers.resultats, "resultats-depistage-{pk}.{ext}", True),
    "erreurs": (fichiers.erreurs, "lignes-rejetees-depistage-{pk}.{ext}", True),
    "rapport": (fichiers.rapport, "rapport-depistage-{pk}.html", False),
}


@organisation_requise(ROLES_DONNEES_PERSONNELLES)
@donnees_personnelles
def telecharger(request, organisation_id, pk, quoi):
    depistage = _depistage(request, pk)
    if quoi not in _FICHIERS or depistage.statut != Statut.TERMINE:
        raise Http404("Fichier introuvable.")
    chemin_de, nom, piece_jointe = _FICHIERS[quoi]
    chemin = chemin_de(depistage)
    if not chemin.exists():
        raise Http404("Fichier introuvable (supprimé après la durée de conservation ?).")
    reponse = FileResponse(
        open(chemin, "rb"),  # noqa: SIM115 - closed by FileResponse
        as_attachment=piece_jointe,
        filename=nom.format(pk=depistage.pk, ext=depistage.format_sortie),
    )
    reponse["Cache-Control"] = "no-store, private"
    reponse["X-Content-Type-Options"] = "nosniff"
    if quoi == "rapport":
        reponse["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return reponse


@require_POST
@organisation_requise(ROLES_DONNEES_PERSONNELLES)
def supprimer(request, organisation_id, pk):
    depistage = _depistage(request, pk)
    if depistage.en_cours:
        messages.error(request, "Un repérage en cours ne peut pas être supprimé : attendez la fin du calcul.")
        return redirect("depistage:detail", request.organisation.pk, depistage.pk)
    services.supprimer_depistage(depistage=depistage)
    messages.success(request, f"Le repérage n° {pk} et ses fichiers ont été supprimés.")
    return redirect("depistage:organisation", request.organisation.pk)
