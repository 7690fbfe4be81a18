"""Write operations on organisations, members and invitations."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from repere.comptes.limitation import tentative_permise
from repere.organisations.models import Invitation, Membership, Organisation, Role
from repere.utils.errors import ErreurMetier

User = get_user_model()


@transaction.atomic
def creer_organisation(
    *, nom: str, type: str, territoires=(), siret: str = "", email: str = "", est_demo=False
) -> Organisation:
    organisation = Organisation.objects.create(nom=nom, type=type, siret=siret, email=email, est_demo=est_demo)
    organisation.territoires.set(territoires)
    return organisation


CHAMPS_MODIFIABLES = ("nom", "type", "siret", "email", "telephone")


@transaction.atomic
def modifier_organisation(*, organisation: Organisation, par, donnees: dict, territoires=None) -> Organisation:
    """Update the organisation's details. Its type and territories of action decide who moderates the
    directory and receives referrals: only the platform admin changes them (ErreurMetier otherwise)."""
    plateforme = getattr(par, "is_platform_admin", False)
    change_type = "type" in donnees and donnees["type"] != organisation.type
    change_territoires = territoires is not None and set(territoires) != set(organisation.territoires.all())
    if (change_type or change_territoires) and not plateforme:
        raise ErreurMetier(
            "Seul l'administrateur de la plateforme change le type et les territoires d'action d'une organisation.",
            champ="type" if change_type else "territoires",
        )
    for champ in CHAMPS_MODIFIABLES:
        if champ in donnees:
            setattr(organisation, champ, donnees[champ])
    organisation.save()
    if territoires is not None:
        organisation.territoires.set(territoires)
    return organisation


def _refuser_plateforme(user=None, *, email: str = "") -> None:
    """The platform admin manages organisations but never holds personal data: no membership for it."""
    if user is None and email:
        user = User.objects.filter(email__iexact=email).first()
    if user is not None and getattr(user, "is_platform_admin", False):
        raise ErreurMetier(
            "Un compte administrateur de la plateforme ne peut pas devenir membre d'une organisation : "
            "il n'a pas accès aux données personnelles. Invitez une autre adresse.",
            champ="email",
        )


@transaction.atomic
def ajouter_membre(*, organisation: Organisation, user, role: str) -> Membership:
    _refuser_plateforme(user)
    membership, _ = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role, "is_active": True}
    )
    return membership


def _envoyer_invitation(invitation: Invitation) -> None:
    # the token goes in the fragment: browsers never send it, so no server or proxy log records it
    lien = settings.SITE_URL.rstrip("/") + reverse("organisations:invitation") + "#" + invitation.jeton
    contexte = {"invitation": invitation, "lien": lien, "instance": settings.REPERE_INSTANCE_NAME}
    send_mail(
        subject=f"Invitation à rejoindre {invitation.organisation.nom} sur {settings.REPERE_INSTANCE_NAME}",
        message=render_to_string("organisations/email_invitation.txt", contexte),
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def inviter(*, organisation: Organisation, email: str, role: str, par) -> Invitation:
    """Invite `email` to join with `role`; a pending invitation to the same address is replaced."""
    email = email.strip().lower()
    if role not in Role.values:
        raise ErreurMetier("Rôle inconnu.", champ="role")
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email, is_active=True).exists():
        raise ErreurMetier("Cette personne est déjà membre de l'organisation.", champ="email")
    _refuser_plateforme(email=email)
    _limiter_invitations(organisation=organisation, email=email, par=par)
    maintenant = timezone.now()
    organisation.invitations.filter(email__iexact=email, acceptee_le=None, annulee_le=None).update(
        annulee_le=maintenant
    )
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invite_par=par,
        cree_le=maintenant,
        expire_le=maintenant + timedelta(days=Invitation.DUREE_VALIDITE_JOURS),
    )
    transaction.on_commit(lambda: _envoyer_invitation(invitation))
    return invitation


def _limiter_invitations(*, organisation: Organisation, email: str, par) -> None:
    """An e-mail is sent for each invitation: limited per inviting account and per invited address."""
    limite_compte, limite_adresse, fenetre = settings.REPERE_LIMITE_INVITATIONS
    if not tentative_permise(
        action="invitation-adresse", cle=f"{organisation.pk}:{email}", limite=limite_adresse, fenetre_secondes=fenetre
    ):
        raise ErreurMetier(
            f"{email} a déjà reçu {limite_adresse} invitations récemment : réessayez demain.", champ="email"
        )
    if par is not None and not tentative_permise(
        action="invitation-compte", cle=str(par.pk), limite=limite_compte, fenetre_secondes=fenetre
    ):
        raise ErreurMetier(f"Vous avez envoyé {limite_compte} invitations aujourd'hui : réessayez demain.")


@transaction.atomic
def annuler_invitation(*, invitation: Invitation) -> None:
    if not invitation.est_en_attente:
        raise ErreurMetier("Cette invitation n'est plus en attente.")
    invitation.annulee_le = timezone.now()
    invitation.save(update_fields=["annulee_le"])


def verifier_invitation(invitation: Invitation | None) -> Invitation:
    """Raise a clear error if the invitation link cannot be used (unknown, used, cancelled, expired)."""
    if invitation is None:
        raise ErreurMetier("Ce lien d'invitation n'existe pas. Vérifiez qu'il a été copié en entier.")
    if invitation.acceptee_le is not None:
        raise ErreurMetier("Ce lien d'invitation a déjà été utilisé. Connectez-vous avec votre compte.")
    if invitation.annulee_le is not None:
        raise ErreurMetier("Cette invitation a été annulée ou remplacée par une invitation plus récente.")
    if invitation.expire_le <= timezone.now():
        raise ErreurMetier(
            "Ce lien d'invitation a expiré. Demandez à l'administrateur de l'organisation de vous inviter à nouveau."
        )
    return invitation


@transaction.atomic
def accepter_invitation(*, invitation: Invitation, user=None, prenom="", nom="", mot_de_passe=None) -> Membership:
    """Accept with an existing account (`user`, whose e-mail must match) or create one."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    verifier_invitation(invitation)
    if user is not None and user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            raise ErreurMetier(
                "Cette invitation a été envoyée à une autre adresse e-mail que celle de votre compte. "
                "Déconnectez-vous puis rouvrez le lien."
            )
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ErreurMetier("Un compte existe déjà pour cette adresse : connectez-vous, puis rouvrez le lien.")
        if not mot_de_passe:
            raise ErreurMetier("Choisissez un mot de passe.", champ="password1")
        user = User.objects.create_user(email=invitation.email, password=mot_de_passe, first_name=prenom, last_name=nom)
    membership = ajouter_membre(organisation=invitation.organisation, user=user, role=invitation.role)
    invitation.acceptee_le = timezone.now()
    invitation.save(update_fields=["acceptee_le"])
    return membership


def _reste_un_admin(organisation: Organisation, sauf: Membership) -> bool:
    return (
        organisation.memberships.filter(role=Role.ADMIN, is_active=True, user__is_active=True)
        .exclude(pk=sauf.pk)
        .exists()
    )


@transaction.atomic
def changer_role(*, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ErreurMetier("Rôle inconnu.", champ="role")
    if (
        membership.role == Role.ADMIN
        and role != Role.ADMIN
        and not _reste_un_admin(membership.organisation, membership)
    ):
        raise ErreurMetier("L'organisation doit garder au moins un administrateur.")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def retirer_membre(*, membership: Membership) -> None:
    if membership.role == Role.ADMIN and not _reste_un_admin(membership.organisation, membership):
        raise ErreurMetier("L'organisation doit garder au moins un administrateur.")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
