"""Aller-vers et suivi: campaigns, anonymous contacts, identified people (only with agreement),
their follow-up (interviews, simulations, rights pipeline, reminders, shared group), the RGPD
journals (reads and writes) and the anonymised statistics tables that keep indicators true
after retention.

Every field of every model here is classified in ``repere/allervers/anonymisation.py``; a test
fails when a new field is not (tests/allervers/test_couverture_anonymisation.py).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class TypeCampagne(models.TextChoices):
    PORTE_A_PORTE = "porte_a_porte", "Porte-à-porte"
    STAND = "stand", "Stand / permanence"
    BUS = "bus", "Bus itinérant"
    VISITE_ENERGIE = "visite_energie", "Visite à domicile (énergie)"
    APPELS = "appels", "Appels sortants"
    AUTRE = "autre", "Autre"


class Canal(models.TextChoices):
    PORTE = "porte", "À la porte"
    STAND = "stand", "Sur le stand"
    BUS = "bus", "Au bus"
    DOMICILE = "domicile", "Au domicile"
    TELEPHONE = "telephone", "Par téléphone"
    AUTRE = "autre", "Autre"


class NoticeInformation(models.Model):
    """A version of the information notice (art. 13/14 RGPD) read to people during a campaign."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    version = models.CharField("version", max_length=30)
    titre = models.CharField("titre", max_length=200)
    texte = models.TextField("texte lu ou remis à la personne")
    base_legale = models.CharField("base légale", max_length=200)
    en_vigueur_le = models.DateField("en vigueur le", default=timezone.localdate)

    class Meta:
        verbose_name = "notice d'information"
        ordering = ["organisation", "-en_vigueur_le"]
        constraints = [models.UniqueConstraint(fields=["organisation", "version"], name="notice_version_unique")]

    def __str__(self):
        return f"{self.titre} (v{self.version})"


class Campagne(models.Model):
    nom = models.CharField("nom", max_length=200)
    type = models.CharField("type", max_length=20, choices=TypeCampagne.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="campagnes_portees",
        verbose_name="organisation porteuse",
    )
    partenaires = models.ManyToManyField(
        "organisations.Organisation", related_name="campagnes_partenaires", blank=True, verbose_name="partenaires"
    )
    equipe = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="campagnes", verbose_name="équipe")
    territoires = models.ManyToManyField("territoires.Territoire", related_name="+", verbose_name="territoire")
    secteurs = models.JSONField("secteurs", default=list, blank=True)
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin")
    notice = models.ForeignKey(NoticeInformation, on_delete=models.PROTECT, verbose_name="notice d'information")
    thematiques = models.JSONField("besoins suivis (thématiques data·inclusion)", default=list)
    est_demo = models.BooleanField("démo", default=False)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date_debut", "nom"]

    def __str__(self):
        return self.nom

    def est_ouverte_le(self, jour) -> bool:
        return self.date_debut <= jour <= self.date_fin


class Contact(models.Model):
    """One anonymous contact: codes only, no identity, no free text."""

    cle = models.UUIDField("clé d'envoi", unique=True, default=uuid.uuid4)
    campagne = models.ForeignKey(Campagne, on_delete=models.CASCADE, related_name="contacts")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    saisi_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    date = models.DateField("date")
    commune = models.ForeignKey(
        "territoires.Territoire", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    secteur = models.CharField("secteur", max_length=100, blank=True)
    canal = models.CharField("canal", max_length=20, choices=Canal.choices)
    situations = models.JSONField("situation", default=list, blank=True)
    reponses = models.JSONField("réponses au pré-repérage", default=dict, blank=True)
    version_moteur = models.CharField(max_length=250, blank=True)
    orientation_proposee = models.CharField("orientation proposée", max_length=40, blank=True)
    suivi_souhaite = models.BooleanField("suivi souhaité", default=False)
    personne = models.ForeignKey("Personne", null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts")
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-cree_le"]
        # Covering index: the dashboard and indicator aggregates read only the index.
        indexes = [
            models.Index(
                fields=["campagne", "date", "secteur", "commune", "suivi_souhaite", "orientation_proposee", "personne"],
                name="contact_indicateurs",
            )
        ]

    def __str__(self):
        return f"Contact du {self.date:%d/%m/%Y}"


class DemandeRecontact(models.Model):
    """Who to call back, for an anonymous contact whose person asked to be contacted again: a first name
    and a phone number or an e-mail, recorded with the sentence of agreement read to the person. Kept
    apart from the anonymous contact, seen only by professionals, deleted once a record is created from
    the contact or the call is done, and at the latest after REPERE_ALLERVERS_RECONTACT_JOURS."""

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="recontact")
    prenom = models.CharField("prénom", max_length=100)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    courriel = models.EmailField("e-mail", blank=True)
    phrase_accord = models.TextField("phrase d'accord lue à la personne")
    accord_le = models.DateTimeField("accord donné le", default=timezone.now)
    traitee_le = models.DateTimeField("rappel fait le", null=True, blank=True)

    class Meta:
        verbose_name = "demande de recontact"

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"


class ContactBesoin(models.Model):
    """One need of a contact; campaign, date and commune are copied from the contact so that the
    indicators filter and count on this table's covering index alone."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="besoins")
    campagne = models.ForeignKey(Campagne, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    commune = models.ForeignKey(
        "territoires.Territoire", null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    thematique = models.CharField(max_length=120)

    class Meta:
        indexes = [models.Index(fields=["campagne", "thematique", "date", "commune"], name="besoin_indicateurs")]

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"

    @property
    def libelle(self) -> str:
        from repere.allervers.referentiels import libelle_thematique

        return libelle_thematique(self.thematique)


class ContactDroit(models.Model):
    """A right spotted by the quick pre-screen of a contact."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="droits")
    campagne = models.ForeignKey(Campagne, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    commune = models.ForeignKey(
        "territoires.Territoire", null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    prestation = models.CharField(max_length=60)
    libelle = models.CharField(max_length=200)
    certitude = models.CharField(max_length=20)
    montant_mensuel = models.DecimalField(max_digits=10, decimal_places=2, null=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["campagne", "prestation", "certitude", "date", "commune", "montant_mensuel"],
                name="contactdroit_indicateurs",
            )
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"


class Personne(models.Model):
    """An identified person, created only with their recorded agreement."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    campagne = models.ForeignKey(Campagne, null=True, blank=True, on_delete=models.SET_NULL, related_name="personnes")
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prenom = models.CharField("prénom", max_length=100)
    nom = models.CharField("nom", max_length=100)
    date_naissance = models.DateField("date de naissance", null=True, blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    adresse = models.CharField("adresse", max_length=250, blank=True)
    commune = models.ForeignKey(
        "territoires.Territoire", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    menage = models.JSONField("composition du foyer (modèle de ménage du simulateur)", default=dict, blank=True)
    besoins = models.JSONField("besoins", default=list, blank=True)
    derniere_interaction_le = models.DateField("dernier contact", default=timezone.localdate)
    avis_retention_le = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["nom", "prenom"]
        indexes = [models.Index(fields=["organisation", "derniere_interaction_le"], name="personne_org_derniere")]

    def __str__(self):
        return f"{self.prenom} {self.nom}"

    @property
    def reference(self) -> str:
        return f"P-{self.pk:06d}"


class Finalite(models.TextChoices):
    SUIVI = "suivi", "Accompagnement dans l'accès aux droits (fiche nominative)"
    PARTAGE = "partage", "Partage du suivi avec d'autres organisations"


class Consentement(models.Model):
    personne = models.ForeignKey(Personne, on_delete=models.CASCADE, related_name="consentements")
    finalite = models.CharField("finalité", max_length=20, choices=Finalite.choices)
    recueilli_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recueilli_le = models.DateTimeField("recueilli le", default=timezone.now)
    notice = models.ForeignKey(NoticeInformation, on_delete=models.PROTECT, related_name="+")
    organisations = models.ManyToManyField("organisations.Organisation", blank=True, related_name="+")
    retire_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recueilli_le"]

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"


class Entretien(models.Model):
    personne = models.ForeignKey(Personne, on_delete=models.CASCADE, related_name="entretiens")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("date", default=timezone.localdate)
    canal = models.CharField("canal", max_length=20, choices=Canal.choices)
    besoins = models.JSONField("besoins abordés", default=list, blank=True)
    resume = models.TextField("résumé partagé", blank=True)
    note_privee = models.TextField("note privée (visible par vous seul)", blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-cree_le"]

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"


class Simulation(models.Model):
    personne = models.ForeignKey(Personne, on_delete=models.CASCADE, related_name="simulations")
    lancee_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    lancee_le = models.DateTimeField(default=timezone.now)
    mode = models.CharField(max_length=20, default="complet")
    version_moteur = models.CharField(max_length=250)
    menage = models.JSONField()
    resultats = models.JSONField()
    total_mensuel = models.DecimalField(max_digits=10, decimal_places=2, default=0)

    class Meta:
        ordering = ["-lancee_le"]

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"


class StatutDroit(models.TextChoices):
    DETECTE = "detecte", "Détecté"
    DEMARCHE = "demarche", "Démarche engagée"
    DEPOSE = "depose", "Dossier déposé"
    OUVERT = "ouvert", "Droit ouvert"
    REFUSE = "refuse", "Refusé"
    ABANDONNE = "abandonne", "Abandonné"


class DroitSuivi(models.Model):
    """One benefit in a person's rights pipeline."""

    personne = models.ForeignKey(Personne, on_delete=models.CASCADE, related_name="droits")
    prestation = models.CharField("prestation", max_length=60)
    libelle = models.CharField("prestation", max_length=200)
    statut = models.CharField("étape", max_length=20, choices=StatutDroit.choices, default=StatutDroit.DETECTE)
    montant_estime = models.DecimalField("montant estimé (€/mois)", max_digits=10, decimal_places=2, null=True)
    montant_confirme = models.DecimalField(
        "montant confirmé (€/mois)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    motif_refus = models.CharField("motif du refus", max_length=300, blank=True)
    detecte_le = models.DateField(default=timezone.localdate)
    demarche_le = models.DateField(null=True, blank=True)
    depose_le = models.DateField(null=True, blank=True)
    ouvert_le = models.DateField("droit ouvert le", null=True, blank=True)
    cloture_le = models.DateField(null=True, blank=True)
    simulation = models.ForeignKey(Simulation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["personne", "libelle"]
        constraints = [models.UniqueConstraint(fields=["personne", "prestation"], name="droitsuivi_unique")]

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"


class Rappel(models.Model):
    personne = models.ForeignKey(Personne, on_delete=models.CASCADE, related_name="rappels")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    echeance = models.DateField("à recontacter le")
    objet = models.CharField("objet", max_length=200)
    fait_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["echeance"]

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"


class MembreGroupeSuivi(models.Model):
    """An organisation that shares the person's follow-up, under a 'partage' agreement."""

    personne = models.ForeignKey(Personne, on_delete=models.CASCADE, related_name="groupe")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    consentement = models.ForeignKey(Consentement, on_delete=models.PROTECT, related_name="+")
    ajoute_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    ajoute_le = models.DateTimeField(default=timezone.now)
    fin_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["personne", "organisation"], name="groupe_membre_unique")]

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"


class OrientationPersonne(models.Model):
    """A referral made through the directory (annuaire) from a person's record."""

    personne = models.ForeignKey(Personne, on_delete=models.CASCADE, related_name="orientations")
    orientation_id = models.BigIntegerField()
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["orientation_id"], name="orientation_personne_unique")]

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"


class JournalAcces(models.Model):
    """Every read of a person's record: who, when, what. No personal data beyond the link."""

    personne = models.ForeignKey(Personne, null=True, on_delete=models.SET_NULL, related_name="+")
    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    quand = models.DateTimeField(default=timezone.now, db_index=True)
    quoi = models.CharField(max_length=60)

    class Meta:
        ordering = ["-quand"]

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"


class Historique(models.Model):
    """Every write on a person's record: the fields changed (before/after)."""

    personne = models.ForeignKey(Personne, null=True, on_delete=models.SET_NULL, related_name="+")
    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    quand = models.DateTimeField(default=timezone.now)
    objet = models.CharField(max_length=60)
    action = models.CharField(max_length=60)
    changements = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-quand"]

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"


class PersonneAnonymisee(models.Model):
    """Statistics kept for an anonymised or erased person: codes, months and counts only."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    campagne = models.ForeignKey(Campagne, null=True, on_delete=models.SET_NULL, related_name="+")
    commune_code = models.CharField(max_length=5, blank=True)
    cree_mois = models.DateField()
    tranche_age = models.CharField(max_length=20, blank=True)
    besoins = models.JSONField(default=list)
    nb_entretiens = models.PositiveIntegerField(default=0)
    nb_orientations = models.PositiveIntegerField(default=0)
    motif = models.CharField(max_length=20)
    anonymise_le = models.DateField(default=timezone.localdate)

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"


class DroitAnonymise(models.Model):
    personne = models.ForeignKey(PersonneAnonymisee, on_delete=models.CASCADE, related_name="droits")
    prestation = models.CharField(max_length=60)
    libelle = models.CharField(max_length=200)
    statut = models.CharField(max_length=20, choices=StatutDroit.choices)
    montant_estime = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    montant_confirme = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    detecte_le = models.DateField()
    demarche_le = models.DateField(null=True)
    depose_le = models.DateField(null=True)
    ouvert_le = models.DateField(null=True)
    cloture_le = models.DateField(null=True)

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"


class ObstacleRencontre(models.Model):
    """An obstacle met on the way to a right, recorded for the barometer without any identity:
    codes, a commune and a month only (repere/allervers/obstacles.py holds the taxonomy)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    campagne = models.ForeignKey(Campagne, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    commune = models.ForeignKey(
        "territoires.Territoire", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mois = models.DateField("mois")
    source = models.CharField("recueilli lors de", max_length=12)
    obstacle = models.CharField("obstacle", max_length=30)
    type_non_recours = models.CharField("type de non-recours", max_length=20, blank=True)
    organisme = models.CharField("organisme concerné", max_length=20, blank=True)
    prestation = models.CharField("prestation", max_length=60, blank=True)
    est_demo = models.BooleanField("démo", default=False)

    class Meta:
        indexes = [models.Index(fields=["mois", "organisme", "obstacle"], name="obstacle_barometre")]

    def __str__(self):
        return f"{self._meta.verbose_name} n° {self.pk}"


class CompteurJour(models.Model):
    """Daily counters of a campaign's anonymous contacts, kept up to date in the transaction that
    stores each contact (and rebuilt from the rows by ``manage.py allervers_recalculer_compteurs``):
    the dashboard and the indicators without a territory filter read these few rows instead of
    scanning every contact. Keys: ``contacts``, ``suivi``, ``secteur:<s>``, ``orientation:<code>``,
    ``besoin:<thématique>``, ``droit:<prestation>:<certitude>`` (with the summed monthly amount)."""

    campagne = models.ForeignKey(Campagne, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    cle = models.CharField(max_length=200)
    n = models.PositiveIntegerField(default=0)
    montant = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campagne", "date", "cle"], name="compteurjour_unique")]

    def __str__(self):
        return f"{self.campagne_id} {self.date} {self.cle} = {self.n}"
