import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from repere.allervers import (
    acces,
    annuaire,
    exports,
    forms,
    referentiels,
    registre,
    selectors,
    services,
)
from repere.allervers.models import Campagne, Contact, DroitSuivi, MembreGroupeSuivi, Rappel
from repere.allervers.permissions import (
    campagnes_indicateurs,
    campagnes_visibles,
    contacts_visibles,
    organisation_active_pour,
    organisations_donnees_personnelles,
    personnes_visibles,
    peut_saisir_dans,
    role_dans_campagne,
)
from repere.journal.vues import donnees_personnelles
from repere.organisations.models import Membership, Role
from repere.organisations.permissions import ROLES_DONNEES_PERSONNELLES, a_un_role
from repere.utils.errors import ErreurMetier
from repere.utils.nombres import euros
from repere.utils.soumission import soumission_unique
from repere.utils.tableurs import reponse_tableur


def _erreur(form, e: ErreurMetier):
    champ = e.champ if e.champ in form.fields and not form.fields[e.champ].widget.is_hidden else None
    form.add_error(champ, e.message)


def _apres_conflit(classe, request, fiche, erreur, **kwargs):
    """After a concurrent edit: keep what the user typed, take the new version number (so the next
    save applies) and show the record as saved in the meantime."""
    fiche.refresh_from_db()
    donnees = request.POST.copy()
    donnees["version"] = fiche.version
    form = classe(donnees, **kwargs)
    form.is_valid()
    _erreur(form, erreur)
    return form, True


def _roles_de(user) -> list[str]:
    return list(Membership.objects.filter(user=user, is_active=True).values_list("role", flat=True))


def _campagne_visible(request, pk) -> tuple[Campagne, str]:
    campagne = get_object_or_404(Campagne, pk=pk)
    role = role_dans_campagne(request.user, campagne)
    if role is None:
        raise Http404("Campagne introuvable.")
    return campagne, role


def _personne_visible(request, pk):
    personne = (
        personnes_visibles(request.user).filter(pk=pk).select_related("organisation", "commune", "referent").first()
    )
    if personne is None:
        raise Http404("Fiche introuvable.")
    return personne, organisation_active_pour(request.user, personne)


# --- Home and campaigns --------------------------------------------------------------------------------


@login_required
def accueil(request):
    campagnes = campagnes_visibles(request.user).select_related("organisation")
    pro = bool(organisations_donnees_personnelles(request.user))
    rappels = (
        Rappel.objects.filter(personne__in=personnes_visibles(request.user), fait_le__isnull=True, auteur=request.user)
        .select_related("personne")
        .order_by("echeance")[:20]
        if pro
        else []
    )
    return render(
        request,
        "allervers/accueil.html",
        {
            "campagnes": campagnes,
            "pro": pro,
            "indicateurs": any(r != Role.BENEVOLE for r in _roles_de(request.user)),
            "rappels": rappels,
            "aujourdhui": timezone.localdate(),
        },
    )


@login_required
@soumission_unique
def notice_creer(request):
    form = forms.NoticeForm(request.POST or None, user=request.user)
    if not form.fields["organisation"].queryset.exists():
        raise Http404
    if request.method == "POST" and form.is_valid():
        try:
            services.creer_notice(**form.cleaned_data)
        except ErreurMetier as e:
            _erreur(form, e)
        else:
            messages.success(request, "La notice d'information a été enregistrée.")
            return redirect("allervers:campagne_creer")
    return render(request, "allervers/formulaire.html", {"form": form, "titre": "Nouvelle notice d'information"})


@login_required
@soumission_unique
def campagne_creer(request):
    form = forms.CampagneForm(request.POST or None, user=request.user)
    if not form.fields["organisation"].queryset.exists():
        raise Http404
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                campagne = services.creer_campagne(
                    organisation=d["organisation"],
                    par=request.user,
                    nom=d["nom"],
                    type=d["type"],
                    territoires=d["territoires"],
                    date_debut=d["date_debut"],
                    date_fin=d["date_fin"],
                    notice=d["notice"],
                    thematiques=d["thematiques"],
                    secteurs=d["secteurs"].splitlines(),
                    partenaires=d["partenaires"],
                    equipe=d["equipe"],
                )
        except ErreurMetier as e:
            _erreur(form, e)
        else:
            messages.success(request, f"La campagne « {campagne.nom} » est créée.")
            return redirect("allervers:campagne", campagne.pk)
    return render(
        request,
        "allervers/campagne_form.html",
        {"form": form, "titre": "Nouvelle campagne", "sans_notice": not form.fields["notice"].queryset.exists()},
    )


@login_required
def campagne(request, pk):
    campagne, role = _campagne_visible(request, pk)
    contexte = {"campagne": campagne, "role": role, "aujourdhui": timezone.localdate()}
    if role == Role.BENEVOLE:
        contexte["mes_contacts"] = Contact.objects.filter(campagne=campagne, saisi_par=request.user).count()
    else:
        contexte["tdb"] = selectors.tableau_de_bord(campagne=campagne)
    contexte["peut_saisir"] = peut_saisir_dans(request.user, campagne) is not None
    return render(request, "allervers/campagne.html", contexte)


@login_required
def campagne_modifier(request, pk):
    campagne, role = _campagne_visible(request, pk)
    if role not in ROLES_DONNEES_PERSONNELLES or not a_un_role(
        request.user, campagne.organisation, ROLES_DONNEES_PERSONNELLES
    ):
        raise Http404
    initial = {
        "nom": campagne.nom,
        "secteurs": "\n".join(campagne.secteurs),
        "date_debut": campagne.date_debut,
        "date_fin": campagne.date_fin,
        "partenaires": campagne.partenaires.all(),
        "equipe": campagne.equipe.all(),
    }
    form = forms.CampagneModifierForm(request.POST or None, initial=initial, campagne=campagne)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.modifier_campagne(
                campagne=campagne, par=request.user, **{**d, "secteurs": d["secteurs"].splitlines()}
            )
        except ErreurMetier as e:
            _erreur(form, e)
        else:
            messages.success(request, "La campagne est mise à jour.")
            return redirect("allervers:campagne", campagne.pk)
    return render(request, "allervers/formulaire.html", {"form": form, "titre": f"Modifier « {campagne.nom} »"})


@login_required
def contacts(request, pk):
    campagne, role = _campagne_visible(request, pk)
    if role == Role.OBSERVATEUR:
        raise Http404
    qs = (
        contacts_visibles(request.user, campagne)
        .select_related("commune", "personne", "recontact")
        .prefetch_related("besoins", "droits")[:300]
    )
    return render(
        request,
        "allervers/contacts.html",
        {
            "campagne": campagne,
            "contacts": qs,
            "pro": role in ROLES_DONNEES_PERSONNELLES,
            "libelle": referentiels.libelle_thematique,
        },
    )


# --- Capture (phone first, offline) ------------------------------------------------------------------------


@login_required
def saisie(request, pk):
    campagne, _role = _campagne_visible(request, pk)
    if peut_saisir_dans(request.user, campagne) is None:
        raise Http404
    communes = services.communes_de_campagne(campagne)
    form = forms.ContactForm(request.POST or None, campagne=campagne, communes=communes)
    resultat = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            contact, cree = services.enregistrer_contact(
                par=request.user,
                campagne=campagne,
                cle=d["cle"],
                date=d["date"],
                canal=d["canal"],
                secteur=d["secteur"],
                commune_code=d["commune"],
                situations=d["situations"],
                besoins=d["besoins"],
                reponses=form.reponses(),
                orientation_proposee=d["orientation_proposee"],
                suivi_souhaite=d["suivi_souhaite"],
                recontact=form.recontact(),
                obstacles=d["obstacles"],
                type_non_recours=d["type_non_recours"],
                organisme=d["organisme"],
            )
        except ErreurMetier as e:
            _erreur(form, e)
        else:
            messages.success(
                request, "Contact enregistré." if cree else "Ce contact avait déjà été reçu : rien n'a été dupliqué."
            )
            return redirect("allervers:saisie", campagne.pk)
    return render(
        request,
        "allervers/saisie.html",
        {
            "campagne": campagne,
            "form": form,
            "resultat": resultat,
            "communes": communes,
            "aujourdhui": timezone.localdate(),
        },
    )


@transaction.non_atomic_requests
@require_POST
def envoi_contact(request):
    """JSON endpoint of the capture page's offline queue (same contract as POST /api/v1/aller-vers/contacts).

    Not wrapped in the request transaction: the quick pre-screen runs before the short write
    transaction, so concurrent volunteers do not wait on each other (SQLite has one writer)."""
    from pydantic import ValidationError

    from repere.allervers.api import ContactEntree, envoyer
    from repere.utils.api_errors import erreurs_validation

    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Authentification requise."}, status=401)
    try:
        donnees = ContactEntree.model_validate_json(request.body)
    except ValidationError as e:
        erreurs = erreurs_validation(e.errors())
        return JsonResponse(
            {"detail": "Données invalides : " + "; ".join(x["message"] for x in erreurs), "erreurs": erreurs},
            status=422,
        )
    statut, corps = envoyer(request.user, donnees)
    return JsonResponse(corps, status=statut)


def service_worker(request):
    """The service worker, served under /aller-vers/ so that its scope covers the capture pages."""
    contenu = render_to_string("allervers/sw.js", {"version": registre.VERSION_CACHE})
    reponse = HttpResponse(contenu, content_type="application/javascript; charset=utf-8")
    reponse["Cache-Control"] = "no-cache"
    reponse["Service-Worker-Allowed"] = "/aller-vers/"
    return reponse


# --- People ----------------------------------------------------------------------------------------------


@login_required
@donnees_personnelles
def personnes(request):
    if not organisations_donnees_personnelles(request.user):
        raise Http404
    qs = personnes_visibles(request.user).select_related("organisation", "referent")
    # The searched name travels in the POST body, never in the URL (nor the access log)
    q = request.POST.get("q", "").strip() if request.method == "POST" else ""
    if q:
        qs = qs.filter(nom__icontains=q) | qs.filter(prenom__icontains=q)
    return render(request, "allervers/personnes.html", {"personnes": qs[:200], "q": q})


@login_required
@soumission_unique
def personne_creer(request):
    if not organisations_donnees_personnelles(request.user):
        raise Http404
    contact = None
    if request.GET.get("contact") or request.POST.get("contact"):
        contact_id = request.GET.get("contact") or request.POST.get("contact")
        contact = (
            contacts_visibles(request.user)
            .filter(pk=contact_id if str(contact_id).isdigit() else 0)
            .select_related("campagne")
            .first()
        )
        if contact is None:
            raise Http404("Contact introuvable.")
    initial = {}
    if contact:
        initial = {
            "notice": contact.campagne.notice_id,
            "organisation": contact.campagne.organisation_id,
            "referent": request.user.pk,
            **services.coordonnees_recontact(contact=contact),
        }
    form = forms.PersonneForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                personne = services.creer_personne(
                    par=request.user,
                    organisation=d["organisation"],
                    accord=d["accord"],
                    notice=d["notice"],
                    prenom=d["prenom"],
                    nom=d["nom"],
                    contact=contact,
                    date_naissance=d["date_naissance"],
                    telephone=d["telephone"],
                    email=d["email"],
                    adresse=d["adresse"],
                    commune=d["commune"],
                    referent=d["referent"],
                )
        except ErreurMetier as e:
            _erreur(form, e)
        else:
            messages.success(request, "La fiche est créée, avec l'accord de la personne enregistré.")
            return redirect("allervers:personne", personne.pk)
    return render(request, "allervers/personne_creer.html", {"form": form, "contact": contact})


@login_required
@donnees_personnelles
def personne(request, pk):
    personne, organisation = _personne_visible(request, pk)
    acces.journaliser_lecture(personne=personne, utilisateur=request.user, quoi="fiche", organisation=organisation)
    orientations = []
    try:
        orientations = list(annuaire.orientations_de(personne=personne, user=request.user))
    except ImportError:
        orientations = []
    droits = list(personne.droits.all())
    for d in droits:
        d.form = forms.EtapeDroitForm(initial={"version": d.version}, prefix=f"d{d.pk}")
    return render(
        request,
        "allervers/personne.html",
        {
            "personne": personne,
            "organisation": organisation,
            "frise": selectors.frise(personne=personne, utilisateur=request.user),
            "droits": droits,
            "orientations": orientations,
            "rappels": personne.rappels.filter(fait_le__isnull=True),
            "groupe": personne.groupe.filter(fin_le__isnull=True).select_related("organisation"),
            "entretien_form": forms.EntretienForm(),
            "rappel_form": forms.RappelForm(),
            "partage_form": forms.PartageForm(personne=personne),
            "proprietaire": organisation and organisation.pk == personne.organisation_id,
            "besoins": [referentiels.libelle_thematique(b) for b in personne.besoins],
            "derniere_simulation": personne.simulations.first(),
        },
    )


@login_required
@donnees_personnelles
def personne_modifier(request, pk):
    personne, organisation = _personne_visible(request, pk)
    initial = {c: getattr(personne, c) for c in ("prenom", "nom", "date_naissance", "telephone", "email", "adresse")}
    initial.update(
        version=personne.version,
        commune=personne.commune.code if personne.commune else "",
        referent=personne.referent_id,
    )
    form = forms.IdentiteForm(request.POST or None, initial=initial, personne=personne)
    conflit = False
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        version = d.pop("version")
        try:
            services.modifier_personne(personne=personne, par=request.user, version=version, **d)
        except ErreurMetier as e:
            form, conflit = _apres_conflit(forms.IdentiteForm, request, personne, e, personne=personne)
        else:
            messages.success(request, "La fiche est mise à jour.")
            return redirect("allervers:personne", personne.pk)
    else:
        acces.journaliser_lecture(
            personne=personne, utilisateur=request.user, quoi="modification (lecture)", organisation=organisation
        )
    return render(
        request,
        "allervers/personne_modifier.html",
        {"form": form, "personne": personne, "titre": "Identité et coordonnées", "conflit": conflit},
    )


@login_required
@donnees_personnelles
def menage(request, pk):
    from repere.allervers.simulation import formulaire_depuis_menage, menage_depuis_formulaire

    personne, organisation = _personne_visible(request, pk)
    initial = formulaire_depuis_menage(personne.menage)
    initial["version"] = personne.version
    form = forms.MenageForm(request.POST or None, initial=initial)
    conflit = False
    if request.method != "POST":
        acces.journaliser_lecture(personne=personne, utilisateur=request.user, quoi="foyer", organisation=organisation)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if not personne.commune:
                raise ErreurMetier("Indiquez d'abord la commune de la personne.", champ=None)
            if d["age"] is None and not personne.date_naissance:
                raise ErreurMetier("Indiquez l'âge (la date de naissance n'est pas connue).", champ="age")
            m = menage_depuis_formulaire(d, commune_code=personne.commune.code, date_naissance=personne.date_naissance)
            services.modifier_personne(personne=personne, par=request.user, version=d["version"], menage=m)
        except ErreurMetier as e:
            if e.champ == "version":
                form, conflit = _apres_conflit(forms.MenageForm, request, personne, e)
            else:
                _erreur(form, e)
        else:
            messages.success(request, "La composition du foyer est enregistrée.")
            return redirect("allervers:personne", personne.pk)
    return render(
        request,
        "allervers/personne_modifier.html",
        {"form": form, "personne": personne, "titre": "Composition du foyer", "conflit": conflit},
    )


@login_required
@require_POST
def simuler(request, pk):
    personne, _organisation = _personne_visible(request, pk)
    if not personne.menage:
        messages.error(request, "Renseignez d'abord la composition du foyer.")
        return redirect("allervers:menage", personne.pk)
    from repere.allervers.simulation import simulation_complete

    try:
        simulation = services.enregistrer_simulation(
            personne=personne, par=request.user, resultat=simulation_complete(personne.menage)
        )
    except ErreurMetier as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request, f"Simulation complète enregistrée : {euros(simulation.total_mensuel)} par mois d'aides probables."
        )
    return redirect("allervers:personne", personne.pk)


@login_required
@donnees_personnelles
def simulation(request, pk, simulation_id):
    personne, organisation = _personne_visible(request, pk)
    sim = get_object_or_404(personne.simulations, pk=simulation_id)
    acces.journaliser_lecture(personne=personne, utilisateur=request.user, quoi="simulation", organisation=organisation)
    return render(request, "allervers/simulation.html", {"personne": personne, "simulation": sim})


@login_required
@require_POST
def droit_etape(request, pk, droit_id):
    personne, _organisation = _personne_visible(request, pk)
    droit = get_object_or_404(DroitSuivi, pk=droit_id, personne=personne)
    form = forms.EtapeDroitForm(request.POST, prefix=f"d{droit.pk}")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.changer_statut_droit(
                droit=droit,
                par=request.user,
                version=d["version"],
                statut=d["statut"],
                date=d["date"],
                montant_confirme=d["montant_confirme"],
                motif=d["motif"],
                obstacles=d["obstacles"],
                type_non_recours=d["type_non_recours"],
                organisme=d["organisme"],
            )
        except ErreurMetier as e:
            messages.error(request, f"{droit.libelle} : {e.message}")
        else:
            messages.success(
                request, f"{droit.libelle} : étape « {dict(form.fields['statut'].choices)[d['statut']]} » enregistrée."
            )
    else:
        erreurs = "; ".join(
            f"{form.fields[c].label if c in form.fields else ''} : {' '.join(m)}" for c, m in form.errors.items()
        )
        messages.error(request, f"{droit.libelle} : {erreurs}")
    return redirect(reverse("allervers:personne", args=[personne.pk]) + "#droits")


def _vers_fiche(personne, onglet: str = "", *, fait: bool = True):
    """Back to the person page, on the tab of the form just sent when it worked (#suivi, #entretien…);
    on a refusal, at the top of the page, where the message says why."""
    return redirect(reverse("allervers:personne", args=[personne.pk]) + (f"#{onglet}" if onglet and fait else ""))


def _appliquer_formulaire(request, form, *, action, succes, echec: str) -> bool:
    """Small POST forms of the person page: validate, call the service, report the outcome as a message.

    The caller redirects to the person page whatever happens; nothing is written when the form is invalid.
    True when it was written.
    """
    if not form.is_valid():
        messages.error(request, f"{echec} : " + "; ".join(" ".join(m) for m in form.errors.values()))
        return False
    try:
        action(form.cleaned_data)
    except ErreurMetier as e:
        messages.error(request, e.message)
        return False
    messages.success(request, succes(form.cleaned_data))
    return True


@login_required
@require_POST
@soumission_unique
def entretien_ajouter(request, pk):
    personne, organisation = _personne_visible(request, pk)
    fait = _appliquer_formulaire(
        request,
        forms.EntretienForm(request.POST),
        action=lambda donnees: services.ajouter_entretien(
            personne=personne, par=request.user, organisation=organisation, **donnees
        ),
        succes=lambda donnees: "Entretien enregistré.",
        echec="Entretien non enregistré",
    )
    return _vers_fiche(personne, "entretien", fait=fait)


@login_required
@require_POST
@soumission_unique
def rappel_ajouter(request, pk):
    personne, _organisation = _personne_visible(request, pk)
    fait = _appliquer_formulaire(
        request,
        forms.RappelForm(request.POST),
        action=lambda donnees: services.ajouter_rappel(personne=personne, par=request.user, **donnees),
        succes=lambda donnees: "Rappel enregistré.",
        echec="Rappel non enregistré",
    )
    return _vers_fiche(personne, "suivi", fait=fait)


@login_required
@require_POST
def rappel_fait(request, pk, rappel_id):
    personne, _organisation = _personne_visible(request, pk)
    services.marquer_rappel_fait(rappel=get_object_or_404(Rappel, pk=rappel_id, personne=personne), par=request.user)
    return _vers_fiche(personne, "suivi")


@login_required
@require_POST
@soumission_unique
def partage_ajouter(request, pk):
    personne, organisation = _personne_visible(request, pk)
    if organisation is None or organisation.pk != personne.organisation_id:
        raise Http404
    fait = _appliquer_formulaire(
        request,
        forms.PartageForm(request.POST, personne=personne),
        action=lambda donnees: services.partager_suivi(personne=personne, par=request.user, **donnees),
        succes=lambda donnees: f"Suivi partagé avec {donnees['organisation']}.",
        echec="Partage non enregistré",
    )
    return _vers_fiche(personne, "suivi", fait=fait)


@login_required
@require_POST
def partage_retirer(request, pk, membre_id):
    personne, organisation = _personne_visible(request, pk)
    if organisation is None or organisation.pk != personne.organisation_id:
        raise Http404
    services.retirer_partage(
        membre=get_object_or_404(MembreGroupeSuivi, pk=membre_id, personne=personne), par=request.user
    )
    messages.success(request, "Le partage est terminé.")
    return _vers_fiche(personne, "suivi")


@login_required
@donnees_personnelles
@soumission_unique
def orienter(request, pk):
    personne, organisation = _personne_visible(request, pk)
    besoins = request.POST.getlist("besoins") or request.GET.getlist("besoins") or personne.besoins
    texte = (request.POST.get("q") or request.GET.get("q") or "").strip()
    resultats = annuaire.services_proposes(personne=personne, thematiques=besoins, texte=texte) if besoins else []
    erreur = None
    if request.method == "POST":
        try:
            service_id = int(request.POST.get("service", "0"))
        except ValueError:
            service_id = 0
        try:
            with transaction.atomic():
                annuaire.orienter(
                    personne=personne,
                    par=request.user,
                    organisation=organisation,
                    service_id=service_id,
                    besoins=besoins,
                    base_legale=request.POST.get("base_legale", ""),
                    message=request.POST.get("message", ""),
                )
        except ErreurMetier as e:
            erreur = e.message
        else:
            messages.success(request, "Orientation envoyée au service par l'annuaire.")
            return redirect("allervers:personne", personne.pk)
    from repere.annuaire.models import BaseLegale

    return render(
        request,
        "allervers/orienter.html",
        {
            "personne": personne,
            "resultats": resultats,
            "besoins": besoins,
            "choix_besoins": list(referentiels.thematiques().items()),
            "bases": BaseLegale.choices,
            "base_preset": request.POST.get("base_legale")
            or annuaire.base_legale_preset(personne=personne, organisation=organisation),
            "texte": texte,
            "message": request.POST.get("message", ""),
            "erreur": erreur,
        },
    )


# --- RGPD: access, erasure, journal, registre -------------------------------------------------------------


@login_required
@donnees_personnelles
def export_json(request, pk):
    personne, organisation = _personne_visible(request, pk)
    acces.journaliser_lecture(
        personne=personne, utilisateur=request.user, quoi="droit d'accès (JSON)", organisation=organisation
    )
    donnees = acces.donnees_de(personne=personne, lecteur=request.user)
    reponse = HttpResponse(
        json.dumps(donnees, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    reponse["Content-Disposition"] = f'attachment; filename="donnees-{personne.reference}.json"'
    return reponse


@login_required
@donnees_personnelles
def export_imprimable(request, pk):
    personne, organisation = _personne_visible(request, pk)
    acces.journaliser_lecture(
        personne=personne, utilisateur=request.user, quoi="droit d'accès (imprimable)", organisation=organisation
    )
    return render(
        request,
        "allervers/acces.html",
        {"personne": personne, "donnees": acces.donnees_de(personne=personne, lecteur=request.user)},
    )


@login_required
@donnees_personnelles
def effacer(request, pk):
    personne, organisation = _personne_visible(request, pk)
    if organisation is None or organisation.pk != personne.organisation_id:
        raise Http404
    if request.method == "POST":
        if request.POST.get("confirmation") != personne.reference:
            messages.error(request, f"Recopiez la référence {personne.reference} pour confirmer l'effacement.")
        else:
            from repere.allervers.anonymisation import anonymiser_personne

            with transaction.atomic():
                anonymiser_personne(personne=personne, motif="effacement", par=request.user)
            messages.success(
                request, "Les données de la personne sont effacées ; seules des statistiques anonymes sont conservées."
            )
            return redirect("allervers:personnes")
    return render(request, "allervers/effacer.html", {"personne": personne})


@login_required
@donnees_personnelles
def journal(request, pk):
    personne, organisation = _personne_visible(request, pk)
    if organisation is None or organisation.pk != personne.organisation_id:
        raise Http404
    return render(
        request,
        "allervers/journal.html",
        {
            "personne": personne,
            "lectures": acces.lectures(personne=personne)[:300],
            "ecritures": acces.ecritures(personne=personne)[:300],
        },
    )


def page_registre(request):
    return render(request, "allervers/registre.html", {"registre": registre.registre()})


# --- Indicators ------------------------------------------------------------------------------------------


def _indicateurs_du_formulaire(request):
    if not any(r != Role.BENEVOLE for r in _roles_de(request.user)):
        raise Http404
    campagnes = campagnes_indicateurs(request.user)
    form = forms.IndicateursForm(request.GET or None, campagnes=campagnes)
    filtres = {"campagnes": list(campagnes.values_list("pk", flat=True))}
    if form.is_valid():
        d = form.cleaned_data
        if d["campagne"]:
            filtres["campagnes"] = [d["campagne"].pk]
        filtres.update(territoire=d["territoire"], du=d["du"], au=d["au"])
    return form, filtres


@login_required
def indicateurs(request):
    form, filtres = _indicateurs_du_formulaire(request)
    ind = selectors.indicateurs(**filtres) if not form.errors else None
    return render(
        request,
        "allervers/indicateurs.html",
        {
            "form": form,
            "ind": ind,
            "graphiques": json.dumps(exports.donnees_graphiques(ind), cls=DjangoJSONEncoder) if ind else "{}",
            "requete": request.GET.urlencode(),
        },
    )


@login_required
def indicateurs_export(request, format):
    form, filtres = _indicateurs_du_formulaire(request)
    if form.errors:
        # Export links carry the page's filters: show the page with the errors next to their fields.
        return render(
            request, "allervers/indicateurs.html", {"form": form, "ind": None, "graphiques": "{}"}, status=422
        )
    ind = selectors.indicateurs(**filtres)
    titre = exports.titre_rapport(form.cleaned_data if form.is_bound else {})
    if format not in ("csv", "xlsx", "ods"):
        raise Http404("Format inconnu (csv, xlsx ou ods).")
    return reponse_tableur(exports.tableaux_rapport(ind, titre), format=format, nom_fichier="indicateurs-aller-vers")
