"""Observatory: indicators as data, their values per territory and period, and the import runs.

A value points at a territory by (level, code) rather than by a foreign key: the observatory holds
levels the territory table does not (IRIS, France), and a portrait or a map reads millions of rows
by these two short columns and an index.
"""

from django.conf import settings
from django.db import models


class Niveau(models.TextChoices):
    IRIS = "iris", "IRIS"
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"
    DEPARTEMENT = "departement", "Département"
    REGION = "region", "Région"
    FRANCE = "france", "France"


# From the finest to the widest; upward aggregation follows this order.
ORDRE_NIVEAUX = [Niveau.IRIS, Niveau.COMMUNE, Niveau.EPCI, Niveau.DEPARTEMENT, Niveau.REGION, Niveau.FRANCE]
CODE_FRANCE = "FR"


class Unite(models.TextChoices):
    NOMBRE = "nombre", "Nombre"
    POURCENTAGE = "pourcentage", "Pourcentage (%)"
    EUROS = "euros", "Euros"
    EUROS_MOIS = "euros_mois", "Euros par mois"
    KM = "km", "Kilomètres"
    POUR_10000 = "pour_10000", "Pour 10 000 habitants"
    JOURS = "jours", "Jours"


class Agregation(models.TextChoices):
    SOMME = "somme", "Effectif : s'additionne d'un territoire à l'autre"
    RATIO = "ratio", "Taux : recalculé depuis le numérateur et le dénominateur"
    AUCUNE = "aucune", "Ne s'agrège pas (médiane, décile, distance…)"


class Sens(models.TextChoices):
    HAUSSE = "hausse", "Plus élevé, c'est mieux"
    BAISSE = "baisse", "Plus bas, c'est mieux"
    NEUTRE = "neutre", "Ni mieux ni moins bien"


class Diffusion(models.TextChoices):
    PUBLIC = "public", "Public"
    ACTIVITE = "activite", "Activité de Repère (réservé aux équipes du territoire)"


class Statut(models.TextChoices):
    OK = "ok", "Valeur publiée"
    SECRET = "secret", "Secret statistique"
    NON_DISPONIBLE = "nd", "Non disponible"
    PROVISOIRE = "provisoire", "Provisoire"
    ESTIME = "estime", "Estimé"


class Indicateur(models.Model):
    code = models.CharField("code", max_length=60, unique=True)
    libelle = models.CharField("libellé", max_length=200)
    libelle_court = models.CharField("libellé court", max_length=80, blank=True)
    theme = models.CharField("thème", max_length=80, blank=True)
    unite = models.CharField("unité", max_length=20, choices=Unite.choices)
    definition = models.TextField("définition", blank=True)
    source = models.CharField("source", max_length=200)
    producteur = models.CharField("producteur", max_length=120)
    millesime = models.CharField("millésime", max_length=20, blank=True)
    niveaux = models.JSONField("niveaux géographiques", default=list)
    sens = models.CharField("sens", max_length=10, choices=Sens.choices, default=Sens.NEUTRE)
    precision = models.PositiveSmallIntegerField("décimales affichées", default=0)
    agregation = models.CharField("agrégation", max_length=10, choices=Agregation.choices)
    # value = facteur × numérateur / dénominateur for a ratio (100 for a percentage).
    facteur = models.FloatField("facteur du taux", default=1)
    diffusion = models.CharField("diffusion", max_length=10, choices=Diffusion.choices, default=Diffusion.PUBLIC)
    est_demo = models.BooleanField("démo", default=False)
    ordre = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["ordre", "libelle"]

    def __str__(self):
        return self.libelle

    @property
    def est_public(self) -> bool:
        return self.diffusion == Diffusion.PUBLIC


class StatutImport(models.TextChoices):
    EN_COURS = "en_cours", "En cours de validation"
    VALIDE = "valide", "Importé"
    ECHEC = "echec", "Refusé (rien n'a été écrit)"
    REMPLACE = "remplace", "Remplacé par un import plus récent"


class ImportFichier(models.Model):
    """One run of an importer: the file, its date and checksum, what it wrote or why it was refused."""

    source = models.CharField("source", max_length=60)
    fichier = models.CharField("fichier", max_length=255)
    taille = models.PositiveBigIntegerField("taille (octets)", default=0)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    date_fichier = models.DateTimeField("date du fichier", null=True, blank=True)
    importe_le = models.DateTimeField("importé le", auto_now_add=True)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    statut = models.CharField("statut", max_length=10, choices=StatutImport.choices, default=StatutImport.EN_COURS)
    lignes = models.PositiveIntegerField("lignes lues", default=0)
    valeurs = models.PositiveIntegerField("valeurs écrites", default=0)
    avertissements = models.JSONField("avertissements", default=list, blank=True)
    erreurs = models.JSONField("erreurs", default=list, blank=True)
    est_demo = models.BooleanField("démo", default=False)

    class Meta:
        ordering = ["-importe_le"]
        verbose_name = "import de fichier"

    def __str__(self):
        return f"{self.fichier} ({self.get_statut_display()})"


class Valeur(models.Model):
    """The value of an indicator for one territory and one period.

    ``statut`` is the source's (INSEE ``s`` → secret, ``nd`` → non disponible, never zero);
    ``masque`` is Repère's statistical secret (repere.observatoire.secret), applied once for every
    reader (pages, maps, exports, API) by ``services.publier``.
    """

    # No index of their own: the unique index starts with the indicator, and each index costs every one of
    # the millions of rows a national import writes (issue 13, bench). An import run is never deleted
    # from the application (its values are replaced by the next import of the source).
    indicateur = models.ForeignKey(Indicateur, on_delete=models.CASCADE, related_name="valeurs", db_index=False)
    niveau = models.CharField(max_length=12, choices=Niveau.choices)
    code = models.CharField(max_length=12)
    periode = models.CharField("période", max_length=10)
    valeur = models.FloatField(null=True, blank=True)
    numerateur = models.FloatField(null=True, blank=True)
    denominateur = models.FloatField(null=True, blank=True)
    statut = models.CharField(max_length=12, choices=Statut.choices, default=Statut.OK)
    masque = models.BooleanField("masqué (secret statistique)", default=False)
    calculee = models.BooleanField("agrégée par Repère", default=False)
    import_fichier = models.ForeignKey(
        ImportFichier, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicateur", "periode", "niveau", "code"], name="valeur_unique"),
        ]
        # Portrait: every indicator of a few territories. The map reads the unique index above.
        indexes = [models.Index(fields=["niveau", "code", "indicateur", "periode"], name="valeur_territoire")]

    def __str__(self):
        return f"{self.indicateur_id} {self.niveau}:{self.code} {self.periode} = {self.valeur}"

    @property
    def visible(self) -> bool:
        return not self.masque and self.statut != Statut.SECRET and self.valeur is not None


class ContourIris(models.Model):
    """The outline of one IRIS, loaded from IGN's CONTOURS-IRIS (GeoJSON export in WGS 84).

    The territory reference (repere.territoires) stops at the commune; the observatory holds the IRIS it
    maps, with the commune they belong to, so that a map zooms from a région to the IRIS of a commune.
    """

    code = models.CharField("code IRIS", max_length=9, unique=True)
    nom = models.CharField("nom de l'IRIS", max_length=200)
    commune = models.CharField("code de la commune", max_length=5, db_index=True)
    type_iris = models.CharField("type d'IRIS", max_length=1, blank=True, help_text="H, A, D ou Z (IGN)")
    geometrie = models.JSONField("contour (GeoJSON simplifié, WGS 84)")
    import_fichier = models.ForeignKey(
        ImportFichier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "contour d'IRIS"

    def __str__(self):
        return f"{self.nom} ({self.code})"
