from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from repere.organisations import selectors, services
from repere.organisations.forms import CreationCompteForm, InvitationForm, OrganisationForm, RoleForm
from repere.organisations.models import Invitation, Membership, Organisation
from repere.organisations.permissions import peut_gerer, peut_voir, role_dans
from repere.utils.errors import ErreurMetier
from repere.utils.soumission import soumission_unique


def _organisation_visible(request, pk) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not peut_voir(request.user, organisation):
        raise Http404("Organisation introuvable.")
    return organisation


def _organisation_geree(request, pk) -> Organisation:
    organisation = _organisation_visible(request, pk)
    if not peut_gerer(request.user, organisation):
        raise Http404("Organisation introuvable.")
    return organisation


@login_required
def liste(request):
    organisations = selectors.organisations_visibles(request.user).prefetch_related("territoires")
    if organisations.count() == 1 and not request.user.is_platform_admin:
        return redirect("organisations:detail", organisations.first().pk)
    return render(request, "organisations/liste.html", {"organisations": organisations})


@login_required
@soumission_unique
def creer(request):
    if not request.user.is_platform_admin:
        raise Http404
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.creer_organisation(
            **{k: form.cleaned_data[k] for k in ("nom", "type", "siret", "email")},
            territoires=form.cleaned_data["territoires"],
        )
        messages.success(
            request, f"L'organisation « {organisation.nom} » a été créée. Invitez son premier administrateur."
        )
        return redirect("organisations:detail", organisation.pk)
    return render(request, "organisations/formulaire.html", {"form": form, "titre": "Nouvelle organisation"})


@login_required
def detail(request, pk):
    organisation = _organisation_visible(request, pk)
    gestion = peut_gerer(request.user, organisation)
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "role": role_dans(request.user, organisation),
            "gestion": gestion,
            "membres": selectors.membres(organisation),
            "invitations": selectors.invitations_en_attente(organisation) if gestion else [],
            "invitation_form": InvitationForm() if gestion else None,
            "role_choices": RoleForm.base_fields["role"].choices,
        },
    )


@login_required
def modifier(request, pk):
    organisation = _organisation_geree(request, pk)
    complet = request.user.is_platform_admin
    initial = {"territoires": organisation.territoires.all()}
    form = OrganisationForm(
        request.POST or None, instance=Organisation.objects.get(pk=pk), initial=initial, complet=complet
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.modifier_organisation(
                organisation=organisation,
                par=request.user,
                donnees={k: v for k, v in form.cleaned_data.items() if k != "territoires"},
                territoires=form.cleaned_data.get("territoires") if complet else None,
            )
        except ErreurMetier as e:
            form.add_error(e.champ if e.champ in form.fields else None, e.message)
        else:
            messages.success(request, "L'organisation a été mise à jour.")
            return redirect("organisations:detail", organisation.pk)
    return render(
        request,
        "organisations/formulaire.html",
        {
            "form": form,
            "titre": f"Modifier {organisation.nom}",
            "organisation": organisation,
            "complet": complet,
            "territoires": organisation.territoires.all(),
        },
    )


@login_required
@require_POST
@soumission_unique
def inviter(request, pk):
    organisation = _organisation_geree(request, pk)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.inviter(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                par=request.user,
            )
        except ErreurMetier as e:
            form.add_error("email" if e.champ == "email" else None, e.message)
        else:
            messages.success(request, f"Invitation envoyée à {invitation.email}.")
            return redirect("organisations:detail", organisation.pk)
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "role": role_dans(request.user, organisation),
            "gestion": True,
            "membres": selectors.membres(organisation),
            "invitations": selectors.invitations_en_attente(organisation),
            "invitation_form": form,
            "role_choices": RoleForm.base_fields["role"].choices,
        },
        status=400,
    )


@login_required
@require_POST
def annuler_invitation(request, pk, invitation_id):
    organisation = _organisation_geree(request, pk)
    invitation = get_object_or_404(Invitation, pk=invitation_id, organisation=organisation)
    try:
        services.annuler_invitation(invitation=invitation)
        messages.success(request, "Invitation annulée.")
    except ErreurMetier as e:
        messages.error(request, e.message)
    return redirect("organisations:detail", organisation.pk)


@login_required
@require_POST
def changer_role(request, pk, membership_id):
    organisation = _organisation_geree(request, pk)
    membership = get_object_or_404(Membership, pk=membership_id, organisation=organisation, is_active=True)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Rôle inconnu.")
    else:
        try:
            services.changer_role(membership=membership, role=form.cleaned_data["role"])
            messages.success(request, f"Rôle de {membership.user} : {membership.get_role_display()}.")
        except ErreurMetier as e:
            messages.error(request, e.message)
    return redirect("organisations:detail", organisation.pk)


@login_required
@require_POST
def retirer(request, pk, membership_id):
    organisation = _organisation_geree(request, pk)
    membership = get_object_or_404(Membership, pk=membership_id, organisation=organisation, is_active=True)
    try:
        services.retirer_membre(membership=membership)
        messages.success(request, f"{membership.user} ne fait plus partie de l'organisation.")
    except ErreurMetier as e:
        messages.error(request, e.message)
    return redirect("organisations:detail", organisation.pk)


SESSION_INVITATION = "invitation_jeton"


def invitation_ancienne(request, jeton):
    """Links sent before tokens moved to the fragment: the token leaves the path at once."""
    return redirect(reverse("organisations:invitation") + "#" + jeton)


def invitation(request):
    """The invitation link ``/organisations/invitation/#<token>``: the opening page posts the fragment
    (never sent by browsers, so never in an access log), the token then stays in the session. Shows a
    clear page when the invitation cannot be used, and changes nothing then."""
    jeton = request.POST.get("jeton", "").strip()
    if jeton:
        request.session[SESSION_INVITATION] = jeton
        return redirect("organisations:invitation")
    jeton = request.session.get(SESSION_INVITATION, "")
    if not jeton:
        return render(request, "organisations/invitation_ouverture.html")
    invitation = selectors.invitation_par_jeton(jeton)
    try:
        services.verifier_invitation(invitation)
    except ErreurMetier as e:
        return render(
            request, "organisations/invitation_invalide.html", {"message": e.message}, status=410 if invitation else 404
        )

    if request.user.is_authenticated:
        form = None
        if request.method == "POST":
            try:
                services.accepter_invitation(invitation=invitation, user=request.user)
            except ErreurMetier as e:
                messages.error(request, e.message)
            else:
                request.session.pop(SESSION_INVITATION, None)
                messages.success(request, f"Vous avez rejoint {invitation.organisation.nom}.")
                return redirect("organisations:detail", invitation.organisation.pk)
    else:
        form = CreationCompteForm(request.POST or None, email=invitation.email)
        if request.method == "POST" and form.is_valid():
            try:
                membership = services.accepter_invitation(
                    invitation=invitation,
                    prenom=form.cleaned_data["first_name"],
                    nom=form.cleaned_data["last_name"],
                    mot_de_passe=form.cleaned_data["password1"],
                )
            except ErreurMetier as e:
                form.add_error(None, e.message)
            else:
                request.session.pop(SESSION_INVITATION, None)
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, f"Bienvenue ! Vous avez rejoint {invitation.organisation.nom}.")
                return redirect("organisations:detail", invitation.organisation.pk)
    return render(request, "organisations/invitation.html", {"invitation": invitation, "form": form})
