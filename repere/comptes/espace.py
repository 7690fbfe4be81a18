"""Where each user works: the page they land on after logging in, and the links their roles may open.

One place for both, so that a menu never shows a link that would end on a 403 or a 404:
- an organisation admin lands on their organisation;
- a professional of a département or a State service (the analysts) lands on the batch screening;
- any other professional lands on « Ma journée » (reminders due, people to call back, referrals received);
- a volunteer lands on their campaigns; an observer on the outreach indicators;
- the platform admin on the list of organisations; someone without any membership on their account.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from repere.organisations.models import Membership, Role, TypeOrganisation

TYPES_PILOTAGE = frozenset({TypeOrganisation.DEPARTEMENT, TypeOrganisation.ETAT})


@dataclass
class Espace:
    """The user's memberships, read once per request."""

    roles: dict[int, str] = field(default_factory=dict)  # organisation id → role
    types: dict[int, str] = field(default_factory=dict)  # organisation id → organisation type
    plateforme: bool = False

    def orgs(self, *roles: str) -> list[int]:
        return [o for o, r in self.roles.items() if r in roles]

    @property
    def administre(self) -> list[int]:
        return self.orgs(Role.ADMIN)

    @property
    def suit_des_personnes(self) -> bool:
        """Admins and professionals: person records, referrals, batch screening."""
        return bool(self.orgs(Role.ADMIN, Role.PROFESSIONNEL))

    @property
    def voit_les_campagnes(self) -> bool:
        return bool(self.roles)

    @property
    def voit_les_indicateurs(self) -> bool:
        return bool(self.orgs(Role.ADMIN, Role.PROFESSIONNEL, Role.OBSERVATEUR))

    @property
    def analyse(self) -> list[int]:
        """Organisations where the user screens files as an analyst (professional of a steering body)."""
        return [o for o in self.orgs(Role.PROFESSIONNEL) if self.types.get(o) in TYPES_PILOTAGE]


def espace_de(user) -> Espace:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Espace()
    lignes = Membership.objects.filter(user=user, is_active=True).values_list(
        "organisation_id", "role", "organisation__type"
    )
    roles, types = {}, {}
    for org, role, type_ in lignes.order_by("organisation__nom"):
        roles[org], types[org] = role, type_
    return Espace(roles=roles, types=types, plateforme=bool(getattr(user, "is_platform_admin", False)))


def _url(nom: str, *args) -> str | None:
    try:
        return reverse(nom, args=args)
    except NoReverseMatch:
        return None


def page_de_travail(user) -> str:
    """The URL a user lands on after logging in."""
    e = espace_de(user)
    if e.administre:
        return reverse("organisations:detail", args=[e.administre[0]])
    if e.analyse:
        return reverse("depistage:organisation", args=[e.analyse[0]])
    if e.suit_des_personnes:
        return reverse("comptes:journee")
    if e.orgs(Role.BENEVOLE):
        return reverse("allervers:accueil")
    if e.orgs(Role.OBSERVATEUR):
        return reverse("allervers:indicateurs")
    if e.plateforme:
        return reverse("organisations:liste")
    return reverse("comptes:compte")


def liens_de_travail(user, *, espace: Espace | None = None) -> list[dict]:
    """The links of the « Mon espace » menu, only those the user may open (``espace``: already read)."""
    e = espace if espace is not None else espace_de(user)
    liens = []

    def ajouter(libelle, url):
        if url and all(lien["url"] != url for lien in liens):
            liens.append({"libelle": libelle, "url": url})

    if e.suit_des_personnes:
        ajouter("Ma journée", _url("comptes:journee"))
        ajouter("Personnes suivies", _url("allervers:personnes"))
        ajouter("Orientations reçues", _url("annuaire:tableau", "recues"))
    if e.voit_les_campagnes:
        ajouter("Campagnes", _url("allervers:accueil"))
    if e.voit_les_indicateurs:
        ajouter("Indicateurs", _url("allervers:indicateurs"))
    if e.suit_des_personnes:
        orgs = e.analyse or e.orgs(Role.ADMIN, Role.PROFESSIONNEL)
        ajouter(
            "Mes repérages",  # the main menu has « Repérage par fichier » (the public page): not twice
            _url("depistage:organisation", orgs[0]) if len(orgs) == 1 else _url("depistage:accueil"),
        )
    if e.administre:
        ajouter("Mon organisation", _url("organisations:detail", e.administre[0]) if len(e.administre) == 1 else None)
        ajouter("Aides locales", _url("droits:aides_locales"))
    if e.plateforme:
        ajouter("Organisations", _url("organisations:liste"))
    return liens
