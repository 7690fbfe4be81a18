from django.conf import settings
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
from repere.comptes.limitation import tentative_permise
from repere.comptes.proconnect import proconnect_actif
from repere.journal.vues import donnees_personnelles
from repere.organisations.selectors import memberships_of
from repere.utils.redirections import chemin_sur


class ConnexionView(auth_views.LoginView):
    template_name = "comptes/connexion.html"
    form_class = ConnexionForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "proconnect": proconnect_actif()}

    def get_redirect_url(self):
        cible = self.request.POST.get(self.redirect_field_name, self.request.GET.get(self.redirect_field_name))
        return chemin_sur(cible, defaut="")

    def get_default_redirect_url(self):
        """Each role lands on its work (repere.comptes.espace), unless a `next` page was asked for."""
        return page_de_travail(self.request.user)


LIMITE_EQUIPE = 50


@login_required
@donnees_personnelles
def journee(request):
    """A professional's day: their reminders and the team's, follow-up tasks of working groups, people to
    call back, referrals received, people followed. Admins and professionals only; each list is scoped by
    the selector that reads it (the user's organisations, the people and groups they may see)."""
    from repere.allervers.selectors import a_recontacter, mes_suivis, rappels_de_l_equipe, rappels_du_jour
    from repere.annuaire.models import StatutOrientation
    from repere.annuaire.selectors import orientations_recues
    from repere.concertation.selectors import taches_a_faire

    if not espace_de(request.user).suit_des_personnes:
        return redirect(page_de_travail(request.user))
    taches = list(taches_a_faire(user=request.user)[:100])
    equipe = rappels_de_l_equipe(user=request.user)
    return render(
        request,
        "comptes/journee.html",
        {
            "rappels": list(rappels_du_jour(user=request.user)),
            "rappels_equipe": list(equipe[:LIMITE_EQUIPE]),
            "rappels_equipe_total": equipe.count(),
            "limite_equipe": LIMITE_EQUIPE,
            "mes_taches": [t for t in taches if t.responsable_id == request.user.pk],
            "taches_equipe": [t for t in taches if t.responsable_id != request.user.pk],
            "nb_taches": len(taches),
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


class MotDePasseOublieView(auth_views.PasswordResetView):
    """Password reset, limited per typed address and per IP address (the same answer whether the account exists)."""

    template_name = "comptes/mot_de_passe_oublie.html"
    email_template_name = "comptes/email_reinitialisation.txt"
    subject_template_name = "comptes/email_reinitialisation_sujet.txt"
    success_url = reverse_lazy("comptes:mot_de_passe_oublie_envoye")

    def form_valid(self, form):
        limite, fenetre = settings.REPERE_LIMITE_REINITIALISATION
        par_adresse = tentative_permise(
            action="reinitialisation",
            cle=form.cleaned_data["email"].strip().lower(),
            limite=limite,
            fenetre_secondes=fenetre,
        )
        par_ip = tentative_permise(
            action="reinitialisation-ip",
            cle=self.request.META.get("REMOTE_ADDR", ""),
            limite=limite * 5,
            fenetre_secondes=fenetre,
        )
        if not (par_adresse and par_ip):
            form.add_error(
                "email",
                f"Trop de demandes de réinitialisation ont été faites pour cette adresse ou depuis ce réseau. "
                f"Réessayez dans {fenetre // 60} minutes ; le dernier lien envoyé reste valable.",
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


mot_de_passe_oublie = MotDePasseOublieView.as_view()
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
