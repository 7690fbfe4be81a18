"""JSON API of the outreach module (session authentication, CSRF): the capture form and its offline
queue post contacts here. A second submission with the same key returns the stored contact (200)
instead of creating a duplicate (201)."""

import datetime
import uuid

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.security import django_auth
from pydantic import Field

from repere.allervers import prereperage, services
from repere.allervers.models import Campagne
from repere.allervers.permissions import peut_saisir_dans
from repere.utils.errors import ErreurMetier

router = Router(auth=django_auth)


class ContactEntree(Schema):
    cle: uuid.UUID = Field(description="Clé d'envoi générée sur l'appareil (UUID) : rend l'envoi idempotent")
    campagne: int
    date: datetime.date
    canal: str
    secteur: str = ""
    commune: str = ""
    situations: list[str] = Field(default_factory=list, max_length=20)
    besoins: list[str] = Field(default_factory=list, max_length=30)
    reponses: dict = Field(default_factory=dict, description="Réponses au pré-repérage (facultatives)")
    orientation_proposee: str = ""
    suivi_souhaite: bool = False
    recontact: dict = Field(
        default_factory=dict,
        description="Si la personne souhaite être recontactée (et seulement alors) : prenom, telephone et/ou "
        "courriel, accord (true après lecture de la phrase d'accord)",
    )
    obstacles: list[str] = Field(default_factory=list, max_length=15, description="Obstacles rencontrés (baromètre)")
    type_non_recours: str = ""
    organisme: str = ""


class DroitRepere(Schema):
    prestation: str
    libelle: str
    certitude: str
    montant_mensuel: float | None
    raisons: list[str] = []


class ContactSortie(Schema):
    id: int
    cle: uuid.UUID
    deja_recu: bool
    droits: list[DroitRepere]
    version_moteur: str


class Erreur(Schema):
    detail: str
    erreurs: list[dict] = []


class PrereperageEntree(Schema):
    campagne: int
    commune: str = ""
    date: datetime.date | None = None
    reponses: dict


class PrereperageSortie(Schema):
    droits: list[DroitRepere]
    incertitude: str
    hypotheses: list[str]
    version_moteur: str


def _refus(e: ErreurMetier) -> tuple[int, dict]:
    return 422, {
        "detail": e.message,
        "erreurs": [{"champ": e.champ or "requête", "message": e.message, "code": "metier"}],
    }


def _campagne(request, pk) -> Campagne:
    campagne = get_object_or_404(Campagne, pk=pk)
    if peut_saisir_dans(request.user, campagne) is None:
        raise Http404("Campagne introuvable.")
    return campagne


def envoyer(user, donnees: ContactEntree) -> tuple[int, dict]:
    """Shared by the API and the capture page's queue: (status, body)."""
    campagne = Campagne.objects.filter(pk=donnees.campagne).first()
    if campagne is None or peut_saisir_dans(user, campagne) is None:
        return 404, {"detail": "Campagne introuvable.", "erreurs": []}
    try:
        contact, cree = services.enregistrer_contact(
            par=user,
            campagne=campagne,
            cle=donnees.cle,
            date=donnees.date,
            canal=donnees.canal,
            secteur=donnees.secteur,
            commune_code=donnees.commune,
            situations=donnees.situations,
            besoins=donnees.besoins,
            reponses=donnees.reponses,
            orientation_proposee=donnees.orientation_proposee,
            suivi_souhaite=donnees.suivi_souhaite,
            recontact=donnees.recontact,
            obstacles=donnees.obstacles,
            type_non_recours=donnees.type_non_recours,
            organisme=donnees.organisme,
        )
    except ErreurMetier as e:
        return _refus(e)
    droits = [
        {
            "prestation": d.prestation,
            "libelle": d.libelle,
            "certitude": d.certitude,
            "montant_mensuel": float(d.montant_mensuel) if d.montant_mensuel is not None else None,
        }
        for d in contact.droits.all()
    ]
    return (201 if cree else 200), {
        "id": contact.pk,
        "cle": str(contact.cle),
        "deja_recu": not cree,
        "droits": droits,
        "version_moteur": contact.version_moteur,
    }


@router.post(
    "/contacts",
    response={200: ContactSortie, 201: ContactSortie, 404: Erreur, 422: Erreur},
    summary="Enregistrer un contact (idempotent)",
)
def envoyer_contact(request, donnees: ContactEntree):
    return Status(*envoyer(request.user, donnees))


@router.post(
    "/prereperage", response={200: PrereperageSortie, 422: Erreur}, summary="Pré-repérage des droits (mode rapide)"
)
def prereperer(request, donnees: PrereperageEntree):
    campagne = _campagne(request, donnees.campagne)
    try:
        reponses = prereperage.valider_reponses(donnees.reponses)
        commune = services.commune_de_contact(campagne, donnees.commune)
        resultat = prereperage.prereperer(
            reponses, commune_code=commune.code if commune else "", jour=donnees.date or timezone.localdate()
        )
    except ErreurMetier as e:
        return Status(*_refus(e))
    return Status(200, resultat)
