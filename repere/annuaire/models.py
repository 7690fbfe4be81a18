"""The directory (data·inclusion v1 `structure` and `service`) and referrals (orientations).

Field names are those of data·inclusion v1, except the producer's `id`, stored as `identifiant`
(Django reserves `id` for the primary key); exports use the schema's names. Fields the schema lacks
(languages, age range, documents, accessibility, last verification, closures, several places) are
Repère extensions, exported in an `extension_repere` object that data·inclusion consumers ignore.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone

from repere.annuaire import taxonomies


class StatutModeration(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente de modération"
    VALIDEE = "validee", "Validée"
    REFUSEE = "refusee", "Refusée"


class Structure(models.Model):
    # data·inclusion v1
    source = models.CharField(max_length=100)
    identifiant = models.CharField("id (data·inclusion)", max_length=200)
    nom = models.CharField(max_length=150)
    date_maj = models.DateField("date de mise à jour")
    description = models.TextField(blank=True)
    lien_source = models.URLField(max_length=500, blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    commune = models.CharField(max_length=200, blank=True)
    code_postal = models.CharField(max_length=5, blank=True)
    code_insee = models.CharField(max_length=5, blank=True)
    adresse = models.CharField(max_length=300, blank=True)
    complement_adresse = models.CharField(max_length=300, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    telephone = models.CharField("téléphone", max_length=50, blank=True)
    courriel = models.EmailField(blank=True)
    site_web = models.URLField(max_length=500, blank=True)
    horaires_accueil = models.TextField("horaires d'accueil (OSM opening_hours)", blank=True)
    accessibilite_lieu = models.URLField("accessibilité du lieu (Acceslibre)", max_length=500, blank=True)
    reseaux_porteurs = models.JSONField("réseaux porteurs", default=list, blank=True)

    # Repère
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="structures",
        help_text="Organisation Repère qui gère (ou a revendiqué) cette structure",
    )
    revendiquee_par = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="structures_revendiquees",
        help_text="Organisation qui demande à gérer cette structure (en attente de modération)",
    )
    statut_moderation = models.CharField(
        max_length=20, choices=StatutModeration.choices, default=StatutModeration.VALIDEE
    )
    motif_moderation = models.TextField(blank=True)
    est_demo = models.BooleanField("donnée de démonstration", default=False)
    retiree_de_la_source_le = models.DateTimeField(null=True, blank=True)
    localisation_approximative = models.BooleanField(
        default=False, help_text="Coordonnées du centre de la commune : l'adresse n'a pas pu être localisée"
    )
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        # The identity of a row is its source's: (source, id); no source can reach another's rows.
        constraints = [
            models.UniqueConstraint(fields=["source", "identifiant"], name="structure_source_id_unique"),
            models.CheckConstraint(
                condition=~models.Q(source="") & ~models.Q(identifiant=""), name="structure_identite"
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="structure_coordonnees_ensemble",
            ),
        ]
        indexes = [models.Index(fields=["statut_moderation"]), models.Index(fields=["code_insee"])]
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    @property
    def est_visible(self) -> bool:
        return self.statut_moderation == StatutModeration.VALIDEE and self.retiree_de_la_source_le is None


class StatutService(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    PUBLIE = "publie", "Publié"
    ARCHIVE = "archive", "Archivé"


class Service(models.Model):
    # data·inclusion v1
    source = models.CharField(max_length=100)
    identifiant = models.CharField("id (data·inclusion)", max_length=200)
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="services")
    nom = models.CharField(max_length=150)
    description = models.TextField()
    lien_source = models.URLField(max_length=500, blank=True)
    date_maj = models.DateField("date de mise à jour")
    type = models.CharField(max_length=30, choices=taxonomies.CHOIX_TYPES, blank=True)
    thematiques = models.JSONField("thématiques", default=list, blank=True)
    frais = models.CharField(max_length=20, choices=taxonomies.CHOIX_FRAIS, blank=True)
    frais_precisions = models.TextField(blank=True)
    publics = models.JSONField(default=list, blank=True)
    publics_precisions = models.TextField(blank=True)
    conditions_acces = models.TextField("conditions d'accès", blank=True)
    commune = models.CharField(max_length=200, blank=True)
    code_postal = models.CharField(max_length=5, blank=True)
    code_insee = models.CharField(max_length=5, blank=True)
    adresse = models.CharField(max_length=300, blank=True)
    complement_adresse = models.CharField(max_length=300, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    telephone = models.CharField("téléphone", max_length=50, blank=True)
    courriel = models.EmailField(blank=True)
    modes_accueil = models.JSONField("modes d'accueil", default=list, blank=True)
    zone_eligibilite = models.JSONField("zone d'éligibilité", default=list, blank=True)
    contact_nom_prenom = models.CharField(max_length=200, blank=True)
    lien_mobilisation = models.URLField(max_length=500, blank=True)
    modes_mobilisation = models.JSONField(default=list, blank=True)
    mobilisable_par = models.JSONField(default=list, blank=True)
    mobilisation_precisions = models.TextField(blank=True)
    volume_horaire_hebdomadaire = models.FloatField(null=True, blank=True)
    nombre_semaines = models.PositiveIntegerField(null=True, blank=True)
    horaires_accueil = models.TextField("horaires d'accueil (OSM opening_hours)", blank=True)

    # Repère extensions
    thematiques_locales = models.JSONField("thèmes locaux", default=list, blank=True)
    langues = models.JSONField("langues parlées (codes ISO 639-1)", default=list, blank=True)
    age_min = models.PositiveSmallIntegerField("âge minimum", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField("âge maximum", null=True, blank=True)
    documents_a_fournir = models.JSONField("documents à apporter", default=list, blank=True)
    accessibilite_description = models.TextField("accessibilité (description)", blank=True)
    verifie_le = models.DateField("dernière vérification", null=True, blank=True)
    verifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verifie_par_nom = models.CharField("vérifié par", max_length=200, blank=True)
    relance_verification_le = models.DateTimeField(null=True, blank=True)
    statut = models.CharField(max_length=20, choices=StatutService.choices, default=StatutService.PUBLIE)
    est_demo = models.BooleanField("donnée de démonstration", default=False)
    retire_de_la_source_le = models.DateTimeField(null=True, blank=True)
    localisation_approximative = models.BooleanField(
        default=False, help_text="Coordonnées du centre de la commune : l'adresse n'a pas pu être localisée"
    )
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)

    # Search columns, computed by services.indexer_service (never edited by hand).
    texte_recherche = models.TextField(blank=True, editable=False)
    thematiques_cle = models.TextField(blank=True, editable=False)  # "|code|code|"
    publics_cle = models.CharField(max_length=600, blank=True, editable=False)
    zone_cle = models.CharField(max_length=2000, blank=True, editable=False)  # "" = no restriction
    a_distance = models.BooleanField(default=False, editable=False)
    en_presentiel = models.BooleanField(default=True, editable=False)
    horaires_effectifs = models.TextField(blank=True, editable=False)  # service's, else structure's
    horaires_simples = models.BooleanField(default=True, editable=False)
    creneaux = models.JSONField(default=list, blank=True, editable=False)
    quarts_ouverts = models.CharField(max_length=672, blank=True, editable=False)  # see horaires.quarts_ouverts
    recherchable = models.BooleanField(default=True, editable=False)
    # Digest of what the last import wrote for this service (its row, index rows, places, closures): a
    # re-import skips the services whose digest did not change. Emptied by every other writer
    # (services.reindexer, withdrawals, closures), so that the next import rewrites the service.
    empreinte = models.CharField(max_length=32, blank=True, default="", editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "identifiant"], name="service_source_id_unique"),
            models.CheckConstraint(condition=~models.Q(source="") & ~models.Q(identifiant=""), name="service_identite"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="service_coordonnees_ensemble",
            ),
            # a service withdrawn from its source is never searchable (search, pages and API read `recherchable`)
            models.CheckConstraint(
                condition=models.Q(recherchable=False) | models.Q(retire_de_la_source_le__isnull=True),
                name="service_retire_non_recherchable",
            ),
        ]
        # The geographic search goes through IndexRecherche: no index on the coordinates here (every
        # index slows the import of 250,000 services down).
        indexes = [models.Index(fields=["verifie_le"])]
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    @property
    def toutes_thematiques(self) -> list[str]:
        return list(self.thematiques_locales) + list(self.thematiques)


class AdresseGeocodee(models.Model):
    """Cache of the geocoder (BAN): one row per address asked, found or not, so that a re-import makes
    no new call. `cle` is a digest of the normalised address, postal code and INSEE code."""

    cle = models.CharField(max_length=40, unique=True)
    requete = models.TextField()
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    type_resultat = models.CharField(max_length=20, blank=True)  # housenumber, street, locality, municipality
    libelle = models.CharField(max_length=300, blank=True)
    code_insee = models.CharField(max_length=5, blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "adresse géocodée"

    def __str__(self):
        return self.libelle or self.requete


class SourceImport(models.Model):
    """A source of the directory fed through the import assistant: its code (the `source` of its rows),
    its label shown to people, the organisation that owns it (only its admins may import into it), and the
    column mapping of its last import (the same JSON file drives `manage.py importer_annuaire`)."""

    code = models.SlugField(max_length=100, unique=True)
    libelle = models.CharField("nom de la source", max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="sources_annuaire"
    )
    correspondance = models.JSONField("correspondance des colonnes", default=dict, blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "source d'import"
        ordering = ["libelle"]

    def __str__(self):
        return self.libelle


class StatutImport(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente du travailleur de tâches de fond"
    EN_COURS = "en_cours", "En cours : vérification et écriture"
    TERMINE = "termine", "Terminé"
    ECHEC = "echec", "Échec : rien n'a été importé"


class ImportAnnuaire(models.Model):
    """One run of the import assistant, executed by the background worker; its report is kept
    (summary, exit code, the first problems) for the person who launched it."""

    source = models.ForeignKey(SourceImport, on_delete=models.CASCADE, related_name="imports")
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    fichier = models.CharField("fichier en attente (stockage privé)", max_length=200)
    nom_fichier = models.CharField(max_length=200)
    encodage = models.CharField(max_length=20, default="utf-8")
    statut = models.CharField(max_length=20, choices=StatutImport.choices, default=StatutImport.EN_ATTENTE)
    resume = models.TextField(blank=True)
    code_sortie = models.SmallIntegerField(null=True, blank=True)
    problemes = models.JSONField(default=list, blank=True)  # the first rows of the validation table
    nombre_problemes = models.PositiveIntegerField(default=0)
    # progress, written by the worker after each batch of lines (the page polls it)
    etape = models.CharField("étape en cours", max_length=100, blank=True)
    lignes_traitees = models.PositiveIntegerField(default=0)
    lignes_total = models.PositiveIntegerField(default=0)
    cree_le = models.DateTimeField(auto_now_add=True)
    debut_le = models.DateTimeField(null=True, blank=True)
    fin_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "import de l'annuaire"
        ordering = ["-cree_le"]

    def __str__(self):
        return f"{self.nom_fichier} ({self.get_statut_display()})"


class GroupeSynonymes(models.Model):
    """Terms that mean the same thing to the people who search (« colis », « épicerie solidaire »,
    « aide alimentaire »), edited by platform administrators; a group may also match the services
    filed under some thématiques. Read by `recherche_texte` (free-text search and typo vocabulary)."""

    termes = models.TextField(help_text="Un terme par ligne (sans distinction d'accents ni de majuscules).")
    thematiques = models.JSONField(
        "thématiques",
        default=list,
        blank=True,
        help_text="Les services classés sous ces thématiques y répondent aussi.",
    )
    actif = models.BooleanField(default=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "groupe de synonymes de la recherche"
        verbose_name_plural = "synonymes de la recherche"
        ordering = ["pk"]

    def __str__(self):
        return " / ".join(self.liste_termes[:4])

    @property
    def liste_termes(self) -> list[str]:
        return [t.strip() for t in self.termes.splitlines() if t.strip()]


class LieuService(models.Model):
    """One more place where the service is delivered (the service's own address is the first)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="lieux")
    libelle = models.CharField("nom du lieu", max_length=200, blank=True)
    adresse = models.CharField(max_length=300, blank=True)
    complement_adresse = models.CharField(max_length=300, blank=True)
    code_postal = models.CharField(max_length=5, blank=True)
    commune = models.CharField(max_length=200, blank=True)
    code_insee = models.CharField(max_length=5, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    horaires_accueil = models.TextField(blank=True)

    class Meta:
        verbose_name = "lieu d'un service"

    def __str__(self):
        return self.libelle or self.adresse


class Fermeture(models.Model):
    """A temporary closure, both dates included."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="fermetures")
    debut = models.DateField("du")
    fin = models.DateField("au")
    motif = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["debut"]
        constraints = [models.CheckConstraint(condition=models.Q(fin__gte=models.F("debut")), name="fermeture_dates")]

    def __str__(self):
        return f"Fermé du {self.debut:%d/%m/%Y} au {self.fin:%d/%m/%Y}"


class IndexRecherche(models.Model):
    """One row per (service, place, thématique) — plus a '*' row — for the indexed geographic search.

    latitude is NULL for the rows of remote services (searched regardless of distance).
    The row also carries the service's normalised text and eligibility zone (copies of the Service columns,
    written with them by `services.calculer_index` / `services.ecrire_index`): the search filters the
    candidates of the box on these rows, stored in the order of the index, and reads the service row only
    for those that are left (hours, closures).
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    thematique = models.CharField(max_length=150)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    texte_recherche = models.TextField(blank=True, default="", editable=False)  # = Service.texte_recherche
    zone_cle = models.CharField(max_length=2000, blank=True, default="", editable=False)  # = Service.zone_cle

    class Meta:
        # the box is a range scan of this index; the rows it points to are read in index order (the
        # import writes them sorted), for the text and zone filters
        indexes = [
            models.Index(fields=["thematique", "latitude", "longitude", "service"], name="index_rech_geo_couvrant")
        ]

    def __str__(self):
        return f"{self.thematique} @ {self.latitude},{self.longitude}"


# -- Referrals --------------------------------------------------------------------------------


class StatutOrientation(models.TextChoices):
    ENVOYEE = "envoyee", "Envoyée, en attente de réponse"
    ACCEPTEE = "acceptee", "Acceptée"
    REFUSEE = "refusee", "Refusée"
    EXPIREE = "expiree", "Expirée sans réponse"
    CLOTUREE = "cloturee", "Clôturée"


class ResultatOrientation(models.TextChoices):
    AIDE_OBTENUE = "aide_obtenue", "La personne a été aidée"
    INJOIGNABLE = "injoignable", "La personne n'a pas pu être jointe"
    NON_ELIGIBLE = "non_eligible", "La personne n'était pas éligible"
    PAS_DE_PLACE = "pas_de_place", "Pas de place ou de capacité"
    ABANDON = "abandon", "La personne a renoncé"
    AUTRE = "autre", "Autre"


class MotifRefus(models.TextChoices):
    NON_ELIGIBLE = "non_eligible", "La personne ne correspond pas aux critères du service"
    PAS_DE_PLACE = "pas_de_place", "Plus de place ou de capacité"
    MAUVAIS_SERVICE = "mauvais_service", "Le besoin ne relève pas de ce service"
    DEJA_SUIVIE = "deja_suivie", "La personne est déjà accompagnée"
    AUTRE = "autre", "Autre (préciser)"


class BaseLegale(models.TextChoices):
    CONSENTEMENT = "consentement", "Consentement de la personne (art. 6.1.a RGPD)"
    MISSION_PUBLIQUE = "mission_publique", "Mission d'intérêt public (art. 6.1.e RGPD)"
    OBLIGATION_LEGALE = "obligation_legale", "Obligation légale (art. 6.1.c RGPD)"
    INTERET_LEGITIME = "interet_legitime", "Intérêt légitime (art. 6.1.f RGPD)"


class PreferenceContact(models.TextChoices):
    TELEPHONE = "telephone", "Par téléphone"
    COURRIEL = "courriel", "Par e-mail"
    REFERENT = "referent", "En passant par le professionnel qui oriente"
    AUTRE = "autre", "Autre"


STATUTS_OUVERTS = (StatutOrientation.ENVOYEE, StatutOrientation.ACCEPTEE)


def stockage_prive() -> FileSystemStorage:
    """Private storage of attachments: outside MEDIA_ROOT (never served as static files), read only
    through permission-checked views, readable by the application's account only (0600 files, 0700
    folders). REPERE_STOCKAGE_PRIVE overrides the default <MEDIA_ROOT>-prive."""
    racine = getattr(settings, "REPERE_STOCKAGE_PRIVE", "") or f"{str(settings.MEDIA_ROOT).rstrip('/')}-prive"
    return FileSystemStorage(
        location=f"{racine}/orientations",
        base_url=None,
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


def _chemin_piece(instance, nom):
    import secrets

    extension = nom.rsplit(".", 1)[-1].lower() if "." in nom else "bin"
    return f"{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class Orientation(models.Model):
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="orientations")
    organisation_emettrice = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="orientations_envoyees"
    )
    organisation_destinataire = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orientations_recues",
        help_text="Organisation qui gère la structure du service, au moment de l'envoi",
    )
    emetteur = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    courriel_destinataire = models.EmailField(blank=True)
    origine = models.CharField(max_length=100, blank=True, help_text="Module à l'origine, par ex. « allervers:12 »")
    # Commune of the service (else of its structure) the person is referred to, never the person's own:
    # the observatory counts referral activity per commune (services.commune_du_service).
    commune = models.ForeignKey(
        "territoires.Territoire", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The person (minimal identity)
    personne_prenom = models.CharField("prénom", max_length=100)
    personne_nom = models.CharField("nom", max_length=100)
    personne_telephone = models.CharField("téléphone", max_length=30, blank=True)
    personne_courriel = models.EmailField("e-mail", blank=True)
    personne_commune = models.CharField("commune de résidence", max_length=200, blank=True)
    preference_contact = models.CharField(max_length=20, choices=PreferenceContact.choices, blank=True)
    besoins = models.TextField("besoins et motif de l'orientation")

    # Information / consent record
    consentement_informe_par = models.CharField("personne informée par", max_length=200)
    consentement_le = models.DateTimeField("informée le")
    consentement_version_notice = models.CharField("version de la notice d'information", max_length=50)
    consentement_base_legale = models.CharField("base légale", max_length=30, choices=BaseLegale.choices)

    piece_jointe = models.FileField(storage=stockage_prive, upload_to=_chemin_piece, blank=True)
    piece_jointe_nom = models.CharField(max_length=200, blank=True)
    piece_jointe_supprimee_le = models.DateTimeField(null=True, blank=True)

    statut = models.CharField(max_length=20, choices=StatutOrientation.choices, default=StatutOrientation.ENVOYEE)
    motif_refus = models.CharField(max_length=30, choices=MotifRefus.choices, blank=True)
    resultat = models.CharField(max_length=30, choices=ResultatOrientation.choices, blank=True)
    commentaire_reponse = models.TextField(blank=True)
    nonce_lien = models.CharField(max_length=32, blank=True, help_text="Change à chaque nouveau lien signé")

    cree_le = models.DateTimeField(default=timezone.now)
    repondue_le = models.DateTimeField(null=True, blank=True)
    relance_le = models.DateTimeField(null=True, blank=True)
    cloturee_le = models.DateTimeField(null=True, blank=True)
    anonymisee_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-cree_le"]
        indexes = [models.Index(fields=["statut", "cree_le"]), models.Index(fields=["cloturee_le"])]

    def __str__(self):
        return f"Orientation n° {self.pk} vers {self.service.nom}"

    @property
    def est_ouverte(self) -> bool:
        return self.statut in STATUTS_OUVERTS


class EvenementOrientation(models.Model):
    """Every status change of a referral, never edited."""

    orientation = models.ForeignKey(Orientation, on_delete=models.CASCADE, related_name="historique")
    le = models.DateTimeField(default=timezone.now)
    statut = models.CharField(max_length=20, choices=StatutOrientation.choices)
    resultat = models.CharField(max_length=30, choices=ResultatOrientation.choices, blank=True)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    par_lien_signe = models.BooleanField(default=False)
    commentaire = models.TextField(blank=True)

    class Meta:
        ordering = ["le", "pk"]

    def __str__(self):
        return f"{self.le:%d/%m/%Y %H:%M} {self.get_statut_display()}"
