"""JSON API of the concertation module: the workshop capture page and its offline queue post each item of a
fiche here. The key made on the device makes a second submission return the stored item (200) instead of a
duplicate (201)."""

import uuid

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import Field

from repere.concertation import selectors, services
from repere.concertation.models import Atelier

router = Router(auth=django_auth)


class ContributionEntree(Schema):
    cle: uuid.UUID = Field(description="Clé d'envoi générée sur l'appareil (UUID)")
    atelier: int
    section: str = Field(description="defis, propositions, acteurs, moyens, facteurs ou restitution")
    texte: str = Field(max_length=2000)


class ContributionSortie(Schema):
    id: int
    cle: uuid.UUID
    section: str
    texte: str
    non_renseigne: bool
    deja_recue: bool


@router.post(
    "/contributions",
    response={200: ContributionSortie, 201: ContributionSortie},
    summary="Ajouter un élément à une fiche d'atelier",
)
def contribuer(request, entree: ContributionEntree):
    atelier = get_object_or_404(Atelier.objects.select_related("evenement"), pk=entree.atelier)
    if not selectors.peut_animer(request.user, atelier):
        raise HttpError(404, "Atelier introuvable.")
    try:
        c, creee = services.ajouter_contribution(
            atelier=atelier, section=entree.section, texte=entree.texte, cle=entree.cle, par=request.user
        )
    except ValidationError as e:
        raise HttpError(422, " ".join(e.messages)) from e
    corps = {
        "id": c.pk,
        "cle": c.cle,
        "section": c.section,
        "texte": c.texte,
        "non_renseigne": c.non_renseigne,
        "deja_recue": not creee,
    }
    return Status(201 if creee else 200, corps)
