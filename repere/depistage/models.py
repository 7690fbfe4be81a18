from django.conf import settings
from django.db import models


class Statut(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours"
    TERMINE = "termine", "Terminé"
    ECHOUE = "echoue", "Échoué"
    EXPIRE = "expire", "Supprimé (durée de conservation écoulée)"


class Depistage(models.Model):
    """One screening job of an organisation: an uploaded file, its progress and its result files.

    Files live outside the public media directory (``fichiers.repertoire``) and are served by a
    permission-checked view; they are deleted after the retention period (``purger_depistages``).
    Counts and amounts are aggregates and stay after the files are deleted.
    """

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="depistages")
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    nom_fichier = models.CharField("nom du fichier", max_length=255, blank=True)
    format_entree = models.CharField(max_length=10)
    format_sortie = models.CharField(max_length=10, default="csv")
    taille_octets = models.BigIntegerField(default=0)
    mois = models.CharField("mois simulé", max_length=7)
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE)
    etape = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)
    menages_total = models.PositiveIntegerField(default=0)
    menages_faits = models.PositiveIntegerField(default=0)
    menages_calcules = models.PositiveIntegerField(default=0)
    menages_rejetes = models.PositiveIntegerField(default=0)
    lignes_rejetees = models.PositiveIntegerField(default=0)
    menages_non_recours = models.PositiveIntegerField(default=0)
    menages_droit_estime = models.PositiveIntegerField("ménages avec un droit estimé", default=0)
    menages_percu_declare = models.PositiveIntegerField("ménages déclarant un montant perçu", default=0)
    montant_mensuel_en_jeu = models.FloatField(default=0)
    tentatives = models.PositiveSmallIntegerField(default=0)
    est_demo = models.BooleanField("démo", default=False)
    cree_le = models.DateTimeField(auto_now_add=True)
    demarre_le = models.DateTimeField(null=True, blank=True)
    battement = models.DateTimeField("dernier signe de vie", null=True, blank=True)
    termine_le = models.DateTimeField(null=True, blank=True)
    supprime_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "dépistage"
        ordering = ["-cree_le"]
        indexes = [models.Index(fields=["statut", "cree_le"])]

    def __str__(self):
        return f"Dépistage n° {self.pk} ({self.organisation})"

    @property
    def non_recours_mesurable(self) -> bool:
        """Whether the file said what is received (else the figures are estimated rights, not non-take-up)."""
        from repere.depistage.rapport import non_recours_mesurable

        return non_recours_mesurable(menages_droit=self.menages_droit_estime, menages_percu=self.menages_percu_declare)

    @property
    def en_cours(self) -> bool:
        return self.statut in (Statut.EN_ATTENTE, Statut.EN_COURS)

    @property
    def pourcentage(self) -> int:
        if self.statut == Statut.TERMINE:
            return 100
        if not self.menages_total:
            return 0
        return min(99, int(100 * self.menages_faits / self.menages_total))

    @property
    def expire_le(self):
        from repere.depistage.fichiers import duree_conservation

        return self.cree_le + duree_conservation() if self.cree_le else None


class ActiviteCommune(models.Model):
    """Anonymous counts of one finished screening job for one commune (repere/depistage/activite.py):
    no household identifier, only totals. ``prestation`` empty: every benefit together (households
    screened, households with at least one right « à demander », their monthly amount); else one
    benefit (households with this right to claim, its monthly amount). The statistical secret is
    applied when the counts are read (``selectors.activite_par_commune``, ``secret.masquer``)."""

    depistage = models.ForeignKey(Depistage, on_delete=models.CASCADE, related_name="activite_communes")
    commune = models.CharField("code INSEE de la commune", max_length=5)
    prestation = models.CharField(max_length=30, blank=True)
    menages_depistes = models.PositiveIntegerField("ménages dépistés", default=0)
    menages_a_demander = models.PositiveIntegerField("ménages avec un droit à demander", default=0)
    montant_mensuel = models.FloatField("montant mensuel à demander (€)", default=0)

    class Meta:
        verbose_name = "activité du dépistage par commune"
        constraints = [
            models.UniqueConstraint(fields=["depistage", "commune", "prestation"], name="activite_depistage_unique")
        ]

    def __str__(self):
        return f"{self.depistage_id} {self.commune} {self.prestation or 'toutes'}"
