from django.db import models

from repere.droits.menage import Activite, StatutLogement


class Composition(models.TextChoices):
    TOUTES = "toutes", "Toutes les compositions"
    PERSONNE_SEULE = "personne_seule", "Personne seule sans enfant"
    COUPLE = "couple", "Couple (avec ou sans enfant)"
    AVEC_ENFANTS = "avec_enfants", "Foyer avec enfant(s)"
    PARENT_ISOLE = "parent_isole", "Parent seul avec enfant(s)"


class PeriodeMontant(models.TextChoices):
    MENSUEL = "mensuel", "par mois"
    ANNUEL = "annuel", "par an"
    PONCTUEL = "ponctuel", "une fois"


STATUTS_LOGEMENT = [(s.value, s.value.replace("_", " ")) for s in StatutLogement]
ACTIVITES = [(a.value, a.value) for a in Activite]


class AideLocale(models.Model):
    """A local or optional aid declared by an organisation (CCAS facultative aid, departmental aid...).

    Conditions left empty do not apply. Evaluated with the national benefits by
    ``repere.droits.aides_locales.evaluer``.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="aides_locales"
    )
    nom = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    territoire = models.ForeignKey(
        "territoires.Territoire",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Commune, EPCI, département ou région où l'aide s'applique",
    )
    # Conditions
    age_min = models.PositiveSmallIntegerField("âge minimum du demandeur", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField("âge maximum du demandeur", null=True, blank=True)
    composition = models.CharField(max_length=20, choices=Composition.choices, default=Composition.TOUTES)
    enfants_min = models.PositiveSmallIntegerField("nombre minimum d'enfants", null=True, blank=True)
    quotient_familial_max = models.DecimalField(
        "quotient familial maximum (€/mois)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    rfr_max = models.DecimalField(
        "revenu fiscal de référence maximum (€/an)", max_digits=11, decimal_places=2, null=True, blank=True
    )
    prestation_requise = models.CharField(
        "percevoir (ou avoir droit à) la prestation",
        max_length=30,
        blank=True,
        help_text="Code d'une prestation nationale",
    )
    statuts_logement = models.JSONField("statuts de logement admis", default=list, blank=True)
    activites = models.JSONField("activités admises (du demandeur)", default=list, blank=True)
    # Amount
    montant = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True, help_text="Vide : « éligible » sans montant fixe"
    )
    periode = models.CharField(max_length=10, choices=PeriodeMontant.choices, default=PeriodeMontant.PONCTUEL)
    # How to apply
    comment_demander = models.TextField("comment demander")
    lien = models.URLField("lien (démarche en ligne)", blank=True)
    contact = models.CharField(max_length=200, blank=True, help_text="Téléphone, adresse ou e-mail")
    pieces = models.TextField("pièces à fournir (une par ligne)", blank=True)

    active = models.BooleanField(default=True)
    est_demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["nom"]
        verbose_name = "aide locale"
        verbose_name_plural = "aides locales"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "nom"], name="aide_locale_nom_unique_par_organisation")
        ]

    def __str__(self):
        return self.nom
