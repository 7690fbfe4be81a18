"""Organisation- and role-scoped access: the helpers every module uses to scope its data.

Rules:
- a user sees an organisation's data only through an active membership of that organisation;
- what they may do there depends on their role (see the ROLES_* sets below);
- a platform admin manages organisations and members, but gets no implicit access to the
  personal data an organisation holds (``filtrer_par_organisation`` ignores that role).
Views answer 404, not 403, for another organisation's objects: their existence is not revealed.
"""

from collections.abc import Iterable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from repere.organisations.models import Membership, Organisation, Role

TOUS_LES_ROLES = frozenset(Role.values)
ROLES_GESTION = frozenset({Role.ADMIN})
ROLES_DONNEES_PERSONNELLES = frozenset({Role.ADMIN, Role.PROFESSIONNEL})
ROLES_SAISIE = frozenset({Role.ADMIN, Role.PROFESSIONNEL, Role.BENEVOLE})
ROLES_LECTURE = TOUS_LES_ROLES


def adhesions_actives(user) -> QuerySet[Membership]:
    """The memberships that give the user access to an organisation's data. A platform admin has none,
    even through a membership made before it became one: it manages organisations, never their data."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or getattr(user, "is_platform_admin", False):
        return Membership.objects.none()
    return Membership.objects.filter(user=user, is_active=True)


def role_dans(user, organisation: Organisation | int) -> str | None:
    org_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    return adhesions_actives(user).filter(organisation_id=org_id).values_list("role", flat=True).first()


def a_un_role(user, organisation: Organisation | int, roles: Iterable[str] = TOUS_LES_ROLES) -> bool:
    return role_dans(user, organisation) in set(roles)


def organisations_de(user, roles: Iterable[str] = TOUS_LES_ROLES) -> QuerySet[Organisation]:
    """Organisations where the user has one of `roles` through an active membership."""
    ids = adhesions_actives(user).filter(role__in=list(roles)).values("organisation_id")
    return Organisation.objects.filter(pk__in=ids)


def filtrer_par_organisation(
    queryset: QuerySet, user, *, champ: str = "organisation", roles: Iterable[str] = TOUS_LES_ROLES
) -> QuerySet:
    """Keep the rows whose `champ` (a path to an Organisation) is one of the user's organisations."""
    ids = list(organisations_de(user, roles).values_list("pk", flat=True))
    return queryset.filter(**{f"{champ}__in": ids})


def peut_gerer(user, organisation: Organisation) -> bool:
    """Manage the organisation itself: its details, members and invitations."""
    return getattr(user, "is_platform_admin", False) or a_un_role(user, organisation, ROLES_GESTION)


def peut_voir(user, organisation: Organisation) -> bool:
    return getattr(user, "is_platform_admin", False) or a_un_role(user, organisation)


def exiger_role(user, organisation: Organisation, roles: Iterable[str]) -> str:
    """Return the user's role, or raise 404 if they have none of `roles` there."""
    role = role_dans(user, organisation)
    if role not in set(roles):
        raise Http404("Organisation introuvable.")
    return role


def organisation_requise(roles: Iterable[str] = TOUS_LES_ROLES, *, kwarg: str = "organisation_id"):
    """View decorator: log-in required, then `request.organisation` and `request.role` set, else 404."""
    roles = frozenset(roles)

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            organisation = get_object_or_404(Organisation, pk=kwargs[kwarg])
            request.role = exiger_role(request.user, organisation, roles)
            request.organisation = organisation
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
