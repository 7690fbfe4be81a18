"""Who sees what in the outreach module (RGPD scoping).

- A campaign belongs to its organisation and its partner organisations. Professionals, admins and
  observers of those organisations see it; a volunteer sees it only when they are in its team.
- Contacts are anonymous. A volunteer sees only the contacts they entered; professionals and admins
  see the contacts of their organisations' campaigns; observers see aggregates only.
- People: professionals and admins see their organisation's people, and the people whose follow-up
  is shared with their organisation (with the person's agreement). Volunteers and observers never
  see a person record (404, as for any object of another organisation).
"""

from django.db.models import Q, QuerySet

from repere.allervers.models import Campagne, Contact, Personne
from repere.organisations.models import Role
from repere.organisations.permissions import ROLES_DONNEES_PERSONNELLES, ROLES_SAISIE, adhesions_actives


def _roles(user) -> dict[int, str]:
    return dict(adhesions_actives(user).values_list("organisation_id", "role"))


def organisations_de_campagne(campagne: Campagne) -> set[int]:
    return {campagne.organisation_id, *campagne.partenaires.values_list("pk", flat=True)}


def campagnes_visibles(user) -> QuerySet[Campagne]:
    roles = _roles(user)
    non_benevole = [o for o, r in roles.items() if r != Role.BENEVOLE]
    benevole = [o for o, r in roles.items() if r == Role.BENEVOLE]
    return Campagne.objects.filter(
        Q(organisation_id__in=non_benevole)
        | Q(partenaires__in=non_benevole)
        | ((Q(organisation_id__in=benevole) | Q(partenaires__in=benevole)) & Q(equipe=user))
    ).distinct()


def campagnes_indicateurs(user) -> QuerySet[Campagne]:
    """Campaigns whose aggregated indicators the user may read: admins, professionals and observers
    of the campaign's organisations (volunteers see only their own contacts)."""
    orgs = [o for o, r in _roles(user).items() if r != Role.BENEVOLE]
    return Campagne.objects.filter(Q(organisation_id__in=orgs) | Q(partenaires__in=orgs)).distinct()


def role_dans_campagne(user, campagne: Campagne) -> str | None:
    """The user's strongest role among the campaign's organisations (None if not visible)."""
    roles = _roles(user)
    orgs = organisations_de_campagne(campagne)
    ordre = [Role.ADMIN, Role.PROFESSIONNEL, Role.OBSERVATEUR, Role.BENEVOLE]
    presents = [roles[o] for o in orgs if o in roles]
    for r in ordre:
        if r in presents:
            if r == Role.BENEVOLE and not campagne.equipe.filter(pk=user.pk).exists():
                return None
            return r
    return None


def peut_saisir_dans(user, campagne: Campagne):
    """The organisation a contact entered by `user` in `campagne` belongs to, or None."""
    roles = _roles(user)
    dans_equipe = campagne.equipe.filter(pk=user.pk).exists() if roles else False
    for org_id in [campagne.organisation_id, *campagne.partenaires.values_list("pk", flat=True)]:
        role = roles.get(org_id)
        if role in ROLES_DONNEES_PERSONNELLES or (role in ROLES_SAISIE and dans_equipe):
            return campagne.organisation if org_id == campagne.organisation_id else campagne.partenaires.get(pk=org_id)
    return None


def contacts_visibles(user, campagne: Campagne | None = None) -> QuerySet[Contact]:
    roles = _roles(user)
    pros = [o for o, r in roles.items() if r in ROLES_DONNEES_PERSONNELLES]
    qs = Contact.objects.filter(
        Q(saisi_par=user, campagne__in=campagnes_visibles(user))
        | Q(campagne__organisation_id__in=pros)
        | Q(campagne__partenaires__in=pros)
    ).distinct()
    if campagne is not None:
        qs = qs.filter(campagne=campagne)
    return qs


def note_privee_pour(entretien, utilisateur) -> str:
    """An interview's private note is shown to its author only: pages, exports and the right of access."""
    if entretien.auteur_id is not None and entretien.auteur_id == getattr(utilisateur, "pk", None):
        return entretien.note_privee
    return ""


def organisations_donnees_personnelles(user) -> list[int]:
    return [o for o, r in _roles(user).items() if r in ROLES_DONNEES_PERSONNELLES]


def personnes_visibles(user) -> QuerySet[Personne]:
    orgs = organisations_donnees_personnelles(user)
    if not orgs:
        return Personne.objects.none()
    partagees = Personne.objects.filter(groupe__organisation_id__in=orgs, groupe__fin_le__isnull=True).values("pk")
    return Personne.objects.filter(Q(organisation_id__in=orgs) | Q(pk__in=partagees))


def organisation_active_pour(user, personne: Personne):
    """The user's organisation through which they see `personne` (owner first)."""
    orgs = organisations_donnees_personnelles(user)
    if personne.organisation_id in orgs:
        return personne.organisation
    membre = (
        personne.groupe.filter(organisation_id__in=orgs, fin_le__isnull=True).select_related("organisation").first()
    )
    return membre.organisation if membre else None
