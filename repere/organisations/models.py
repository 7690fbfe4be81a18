import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class TypeOrganisation(models.TextChoices):
    CCAS = "ccas", "CCAS / CIAS"
    DEPARTEMENT = "departement", "Conseil départemental"
    ASSOCIATION = "association", "Association"
    FRANCE_SERVICES = "france_services", "France Services"
    ORGANISME_SOCIAL = "organisme_social", "CAF / MSA / CPAM"
    ETAT = "etat", "Service de l'État"
    COLLECTIVITE = "collectivite", "EPCI / commune"
    AUTRE = "autre", "Autre"


class Role(models.TextChoices):
    ADMIN = "admin", "Administrateur de l'organisation"
    PROFESSIONNEL = "professionnel", "Professionnel"
    BENEVOLE = "benevole", "Bénévole"
    OBSERVATEUR = "observateur", "Observateur"


class Organisation(models.Model):
    nom = models.CharField(max_length=200)
    type = models.CharField(max_length=30, choices=TypeOrganisation.choices)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    email = models.EmailField("e-mail de contact", blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    territoires = models.ManyToManyField(
        "territoires.Territoire",
        verbose_name="territoires d'action",
        related_name="organisations",
        blank=True,
    )
    est_demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    is_active = models.BooleanField("actif", default=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "membre"
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


def _nouveau_jeton():
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An e-mail invitation to join an organisation; the link holds a random token, nothing personal."""

    DUREE_VALIDITE_JOURS = 14

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("adresse e-mail")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    jeton = models.CharField(max_length=64, unique=True, default=_nouveau_jeton, editable=False)
    invite_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cree_le = models.DateTimeField(default=timezone.now)
    expire_le = models.DateTimeField()
    acceptee_le = models.DateTimeField(null=True, blank=True)
    annulee_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-cree_le"]

    def __str__(self):
        return f"Invitation de {self.email} dans {self.organisation}"

    @property
    def est_en_attente(self) -> bool:
        return self.acceptee_le is None and self.annulee_le is None and self.expire_le > timezone.now()
