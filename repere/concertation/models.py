"""Working groups and their meetings; the regional conference, its kiosks and workshops; the workshop
fiches (one row per contribution, so that several facilitators write at once without overwriting each
other); the synthesis computed from the fiches and then edited by the steering team.

Links to the roadmap point at ``pilotage.Action``: a decision that creates or changes an action, a kiosk
presenting one, a synthesis proposal turned into one. The actions are written by ``pilotage.services``.
"""

import uuid

from django.conf import settings
from django.db import models


class GroupeTravail(models.Model):
    nom = models.CharField(max_length=200)
    theme = models.CharField("thème", max_length=300, blank=True)
    organisation_pilote = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="groupes_pilotes"
    )
    organisations = models.ManyToManyField("organisations.Organisation", blank=True, related_name="groupes_travail")
    membres = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="groupes_travail")
    pilote = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plan = models.ForeignKey("pilotage.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    est_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = "groupe de travail"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Reunion(models.Model):
    groupe = models.ForeignKey(GroupeTravail, on_delete=models.CASCADE, related_name="reunions")
    titre = models.CharField(max_length=200)
    date = models.DateTimeField()
    lieu = models.CharField(max_length=200, blank=True)
    ordre_du_jour = models.TextField("ordre du jour", blank=True)
    compte_rendu = models.TextField("compte rendu", blank=True)
    presents = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="reunions_presentes")

    class Meta:
        verbose_name = "réunion"
        ordering = ["-date"]

    def __str__(self):
        return self.titre


class NatureDecision(models.TextChoices):
    SIMPLE = "simple", "Décision sans effet sur la feuille de route"
    CREATION = "creation", "Crée une action"
    MODIFICATION = "modification", "Change une action"


class Decision(models.Model):
    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="decisions")
    texte = models.TextField()
    nature = models.CharField(max_length=20, choices=NatureDecision.choices, default=NatureDecision.SIMPLE)
    action = models.ForeignKey(
        "pilotage.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    prise_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "décision"
        ordering = ["reunion", "pk"]

    def __str__(self):
        return self.texte[:80]


class Tache(models.Model):
    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="taches")
    titre = models.CharField(max_length=300)
    responsable = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="taches_suivi")
    echeance = models.DateField("échéance")
    faite = models.BooleanField(default=False)
    rappel_envoye_le = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "tâche de suivi"
        ordering = ["echeance", "pk"]

    def __str__(self):
        return self.titre


class Evenement(models.Model):
    nom = models.CharField(max_length=200)
    date = models.DateField()
    lieu = models.CharField(max_length=200, blank=True)
    programme = models.TextField(blank=True)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        "pilotage.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="feuille de route alimentée",
    )
    source = models.CharField("source des fiches", max_length=300, blank=True)
    est_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = "événement"
        ordering = ["-date"]

    def __str__(self):
        return self.nom


class Kiosque(models.Model):
    evenement = models.ForeignKey(Evenement, on_delete=models.CASCADE, related_name="kiosques")
    thematique = models.CharField("thématique", max_length=200, blank=True)
    titre = models.CharField(max_length=200)
    structure = models.CharField("structure présentée", max_length=200, blank=True)
    structure_annuaire = models.ForeignKey(
        "annuaire.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure de l'annuaire",
    )
    action = models.ForeignKey("pilotage.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["evenement", "pk"]

    def __str__(self):
        return self.titre


class Atelier(models.Model):
    evenement = models.ForeignKey(Evenement, on_delete=models.CASCADE, related_name="ateliers")
    numero = models.PositiveSmallIntegerField("numéro")
    thematique = models.CharField("thématique", max_length=300)
    enjeu = models.TextField()
    animateurs = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="ateliers_animes")

    class Meta:
        ordering = ["evenement", "numero"]
        constraints = [models.UniqueConstraint(fields=["evenement", "numero"], name="atelier_numero_unique")]

    def __str__(self):
        return f"Atelier {self.numero} — {self.enjeu[:80]}"


class Section(models.TextChoices):
    DEFIS = "defis", "Défis prioritaires"
    PROPOSITIONS = "propositions", "Propositions d'actions ou projets à lancer"
    ACTEURS = "acteurs", "Acteurs à solliciter"
    MOYENS = "moyens", "Moyens à mobiliser"
    FACTEURS = "facteurs", "Facteurs clé de succès"
    RESTITUTION = "restitution", "Les 3 éléments à partager à la restitution"


class Contribution(models.Model):
    """One item of a fiche section. « N/A » is kept as written and flagged ``non_renseigne``."""

    atelier = models.ForeignKey(Atelier, on_delete=models.CASCADE, related_name="contributions")
    section = models.CharField(max_length=20, choices=Section.choices)
    texte = models.TextField()
    non_renseigne = models.BooleanField("« N/A »", default=False)
    ordre = models.PositiveIntegerField(default=0)
    cle = models.UUIDField(default=uuid.uuid4, unique=True, help_text="Clé d'envoi (idempotence hors connexion)")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["atelier", "section", "ordre", "pk"]

    def __str__(self):
        return self.texte[:80]


class Synthese(models.Model):
    evenement = models.OneToOneField(Evenement, on_delete=models.CASCADE, related_name="synthese")
    calculee_le = models.DateTimeField(null=True, blank=True)
    duree_calcul = models.FloatField("durée du calcul (s)", null=True, blank=True)
    methode = models.CharField("méthode", max_length=300, blank=True)
    introduction = models.TextField(blank=True)
    publiee_le = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Synthèse — {self.evenement}"


class TypeEnseignement(models.TextChoices):
    LECON = "lecon", "Enseignement d'un groupe thématique"
    TRANSVERSAL = "transversal", "Enjeu transversal"


class Enseignement(models.Model):
    synthese = models.ForeignKey(Synthese, on_delete=models.CASCADE, related_name="enseignements")
    type = models.CharField(max_length=20, choices=TypeEnseignement.choices)
    thematique = models.CharField("thématique", max_length=300, blank=True)
    titre = models.CharField(max_length=300)
    texte = models.TextField(blank=True)
    mots_cles = models.JSONField("mots-clés", default=list, blank=True)
    ordre = models.PositiveIntegerField(default=0)
    contributions = models.ManyToManyField(Contribution, related_name="enseignements")
    citations = models.JSONField(
        default=list, blank=True, help_text="Contributions représentatives, la plus proche du centre d'abord"
    )
    action = models.ForeignKey(
        "pilotage.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="enseignements"
    )

    class Meta:
        ordering = ["synthese", "type", "thematique", "ordre", "pk"]

    def __str__(self):
        return self.titre
