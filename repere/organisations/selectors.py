from django.db.models import QuerySet

from repere.organisations.models import Invitation, Membership, Organisation
from repere.organisations.permissions import organisations_de


def memberships_of(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, is_active=True).select_related("organisation")


def organisations_visibles(user) -> QuerySet[Organisation]:
    if getattr(user, "is_platform_admin", False):
        return Organisation.objects.all()
    return organisations_de(user)


def membres(organisation: Organisation) -> QuerySet[Membership]:
    return (
        organisation.memberships.filter(is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__email")
    )


def invitations_en_attente(organisation: Organisation) -> list[Invitation]:
    return [i for i in organisation.invitations.filter(acceptee_le=None, annulee_le=None) if i.est_en_attente]


def invitation_par_jeton(jeton: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation").filter(jeton=jeton).first()
