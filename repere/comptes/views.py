from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST

from repere.comptes.espace import espace_de, page_de_travail
from repere.comptes.forms import ConnexionForm, ProfilForm
from repere.organisations.selectors import memberships_of


class ConnexionView(auth_views.LoginView):
    template_name = "comptes/connexion.html"
    form_class = ConnexionForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Each role lands on its work (repere.comptes.espace), unless a `next` page was asked for."""
        return page_de_travail(self.request.user)


@login_required
def journee(request):
    """A professional's day: reminders due, people to call back, referrals received, people followed."""
    from repere.allervers.selectors import a_recontacter, mes_suivis, rappels_du_jour
    from repere.annuaire.models import StatutOrientation
    from repere.annuaire.selectors import orientations_recues

    if not espace_de(request.user).suit_des_personnes:
        return redirect(page_de_travail(request.user))
    return render(
        request,
        "comptes/journee.html",
        {
            "rappels": list(rappels_du_jour(user=request.user)),
            "recontacts": list(a_recontacter(user=request.user)),
            "orientations": list(
                orientations_recues(request.user).filter(statut=StatutOrientation.ENVOYEE).order_by("cree_le")[:30]
            ),
            "suivis": list(mes_suivis(user=request.user)[:30]),
            "aujourdhui": timezone.localdate(),
        },
    )


@login_required
def compte(request):
    if request.method == "POST":
        form = ProfilForm(request.POST, instance=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, "Vos informations ont été enregistrées.")
            return redirect("comptes:compte")
    else:
        form = ProfilForm(instance=request.user)
    return render(
        request,
        "comptes/compte.html",
        {"form": form, "memberships": memberships_of(request.user)},
    )


@login_required
@require_POST
def recontact_fait(request, pk):
    from repere.allervers.selectors import demandes_recontact
    from repere.allervers.services import marquer_recontact_fait

    demande = demandes_recontact(user=request.user).filter(pk=pk).first()
    if demande is None:
        raise Http404("Demande introuvable.")
    marquer_recontact_fait(demande=demande, par=request.user)
    messages.success(request, "Appel noté : le prénom et les coordonnées de la personne sont effacés.")
    return redirect("comptes:journee")


mot_de_passe_modifier = auth_views.PasswordChangeView.as_view(
    template_name="comptes/mot_de_passe_modifier.html", success_url=reverse_lazy("comptes:mot_de_passe_modifie")
)
mot_de_passe_modifie = auth_views.PasswordChangeDoneView.as_view(template_name="comptes/mot_de_passe_modifie.html")
mot_de_passe_oublie = auth_views.PasswordResetView.as_view(
    template_name="comptes/mot_de_passe_oublie.html",
    email_template_name="comptes/email_reinitialisation.txt",
    subject_template_name="comptes/email_reinitialisation_sujet.txt",
    success_url=reverse_lazy("comptes:mot_de_passe_oublie_envoye"),
)
mot_de_passe_oublie_envoye = auth_views.PasswordResetDoneView.as_view(
    template_name="comptes/mot_de_passe_oublie_envoye.html"
)
mot_de_passe_reinitialiser = auth_views.PasswordResetConfirmView.as_view(
    template_name="comptes/mot_de_passe_reinitialiser.html",
    success_url=reverse_lazy("comptes:mot_de_passe_reinitialise"),
)
mot_de_passe_reinitialise = auth_views.PasswordResetCompleteView.as_view(
    template_name="comptes/mot_de_passe_reinitialise.html"
)
