"""Steering of the Pacte des solidarités: the national frame, territorial plans, their axes and actions.

Modelled on Territoires en Transitions (plans → axes → action sheets with steps, budgets per year and type
with funders, indicators) and Decidim accountability (progress rolled up from actions to axes and plans).
Every write goes through ``services.py``, which keeps the history of each change (``Historique``).
"""

from django.conf import settings
from django.db import models


class CadreNational(models.Model):
    """A national frame (the Pacte des solidarités), loaded from a versioned data file."""

    code = models.SlugField(max_length=60, unique=True)
    nom = models.CharField(max_length=200)
    periode = models.CharField("période", max_length=20, blank=True)
    version = models.CharField(max_length=40)
    source = models.CharField(max_length=300, blank=True)
    charge_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "cadre national"
        verbose_name_plural = "cadres nationaux"

    def __str__(self):
        return f"{self.nom} {self.periode}".strip()


class AxeNational(models.Model):
    cadre = models.ForeignKey(CadreNational, on_delete=models.CASCADE, related_name="axes")
    numero = models.PositiveSmallIntegerField("numéro")
    titre = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["cadre", "numero"]
        constraints = [models.UniqueConstraint(fields=["cadre", "numero"], name="axe_national_unique")]

    def __str__(self):
        return f"Axe {self.numero} — {self.titre}"


class TypeMesure(models.TextChoices):
    ACTION_NOUVELLE = "action_nouvelle", "Action nouvelle"
    ACTION_CONTRACTUALISEE = "action_contractualisee", "Action contractualisée"
    ENJEU_COMPLEMENTAIRE = "enjeu_complementaire", "Enjeu complémentaire"


class MesureNationale(models.Model):
    axe = models.ForeignKey(AxeNational, on_delete=models.CASCADE, related_name="mesures")
    code = models.CharField(max_length=20)
    type = models.CharField(max_length=30, choices=TypeMesure.choices)
    numeros = models.CharField("numéros", max_length=20, blank=True)
    libelle = models.CharField("libellé", max_length=400)
    details = models.JSONField("précisions", default=list, blank=True)
    ordre = models.PositiveSmallIntegerField(default=0)
    retiree = models.BooleanField("retirée du cadre", default=False)

    class Meta:
        verbose_name = "mesure nationale"
        ordering = ["axe__numero", "ordre"]
        constraints = [models.UniqueConstraint(fields=["axe", "code"], name="mesure_nationale_unique")]

    def __str__(self):
        return f"Axe {self.axe.numero} · {self.intitule_type} : {self.libelle}"

    @property
    def intitule_type(self) -> str:
        """« Action nouvelle n°1 », « Actions nouvelles n°2 et 3 », « Action contractualisée »…"""
        if self.type != TypeMesure.ACTION_NOUVELLE or not self.numeros:
            return self.get_type_display()
        pluriel = any(sep in self.numeros for sep in (",", " et "))
        return f"{'Actions nouvelles' if pluriel else 'Action nouvelle'} n°{self.numeros}"


class TypePlan(models.TextChoices):
    FEUILLE_DE_ROUTE = "feuille_de_route", "Feuille de route régionale"
    PACTE_LOCAL = "pacte_local", "Pacte local des solidarités"
    PLAN_LOCAL = "plan_local", "Plan local (TZNR, projet de territoire…)"


class Plan(models.Model):
    nom = models.CharField(max_length=200)
    type = models.CharField(max_length=30, choices=TypePlan.choices)
    cadre = models.ForeignKey(CadreNational, on_delete=models.PROTECT, related_name="plans", null=True, blank=True)
    territoire = models.ForeignKey("territoires.Territoire", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="plans_pilotage",
        verbose_name="organisation qui pilote le plan",
    )
    description = models.TextField(blank=True)
    debut = models.DateField("début", null=True, blank=True)
    fin = models.DateField(null=True, blank=True)
    publie = models.BooleanField("feuille de route publiée", default=False)
    est_demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["type", "nom"]

    def __str__(self):
        return self.nom


class Axe(models.Model):
    """An axis of a territorial plan, linked to the national measures it answers."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="axes")
    titre = models.CharField(max_length=300)
    ordre = models.PositiveSmallIntegerField(default=0)
    axe_national = models.ForeignKey(
        AxeNational, on_delete=models.PROTECT, null=True, blank=True, related_name="axes_territoriaux"
    )
    mesures = models.ManyToManyField(MesureNationale, blank=True, related_name="axes_territoriaux")

    class Meta:
        ordering = ["plan", "ordre", "pk"]

    def __str__(self):
        return self.titre


class Statut(models.TextChoices):
    A_VENIR = "a_venir", "À venir"
    EN_COURS = "en_cours", "En cours"
    REALISE = "realise", "Réalisé"
    EN_PAUSE = "en_pause", "En pause"
    ABANDONNE = "abandonne", "Abandonné"
    BLOQUE = "bloque", "Bloqué"


STATUTS_CLOS = (Statut.REALISE, Statut.ABANDONNE)
LIBELLE_EN_RETARD = "En retard"


class Priorite(models.TextChoices):
    ELEVEE = "elevee", "Élevée"
    MOYENNE = "moyenne", "Moyenne"
    BASSE = "basse", "Basse"


class Action(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    axe = models.ForeignKey(Axe, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    mesures = models.ManyToManyField(MesureNationale, blank=True, related_name="actions")
    titre = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    objectifs = models.TextField(blank=True)
    publics = models.CharField("publics visés", max_length=300, blank=True)
    territoire = models.ForeignKey(
        "territoires.Territoire", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    organisation_pilote = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions_pilotees",
        verbose_name="organisation pilote",
    )
    pilotes = models.CharField("pilotes (personnes)", max_length=300, blank=True)
    partenaires = models.TextField(blank=True)
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.A_VENIR)
    priorite = models.CharField("priorité", max_length=10, choices=Priorite.choices, default=Priorite.MOYENNE)
    date_debut = models.DateField("date de début", null=True, blank=True)
    date_fin_prevue = models.DateField("date de fin prévue", null=True, blank=True)
    avancement_saisi = models.PositiveSmallIntegerField(
        "avancement saisi (%)", null=True, blank=True, help_text="Utilisé quand l'action n'a pas d'étapes."
    )
    publique = models.BooleanField("visible sur la feuille de route publique", default=False)
    est_demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)
    # Totals of the steps and budget lines, kept by services.recalculer_cumuls after each of their writes, so
    # that the COPIL dashboard reads one row per action.
    nb_etapes = models.PositiveIntegerField(default=0, editable=False)
    nb_etapes_faites = models.PositiveIntegerField(default=0, editable=False)
    echeance_etape_ouverte = models.DateField(null=True, blank=True, editable=False)
    budget_prevu = models.DecimalField(max_digits=16, decimal_places=2, default=0, editable=False)
    budget_engage = models.DecimalField(max_digits=16, decimal_places=2, default=0, editable=False)
    budget_paye = models.DecimalField(max_digits=16, decimal_places=2, default=0, editable=False)

    class Meta:
        ordering = ["plan", "axe__ordre", "pk"]
        indexes = [models.Index(fields=["plan", "statut"]), models.Index(fields=["date_fin_prevue"])]

    def __str__(self):
        return self.titre


class Etape(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="etapes")
    titre = models.CharField(max_length=300)
    echeance = models.DateField("échéance", null=True, blank=True)
    faite = models.BooleanField(default=False)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["action", "ordre", "pk"]

    def __str__(self):
        return self.titre


class TypeFinanceur(models.TextChoices):
    ETAT_PACTE = "etat_pacte", "État — crédits du Pacte"
    ETAT_AUTRE = "etat_autre", "État — autres crédits"
    DEPARTEMENT = "departement", "Département"
    CAF = "caf", "CAF"
    COLLECTIVITE = "collectivite", "Commune / EPCI / Région"
    AUTRE = "autre", "Autre financeur"


class Financeur(models.Model):
    nom = models.CharField(max_length=200, unique=True)
    type = models.CharField(max_length=20, choices=TypeFinanceur.choices)

    class Meta:
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class TypeBudget(models.TextChoices):
    FONCTIONNEMENT = "fonctionnement", "Fonctionnement"
    INVESTISSEMENT = "investissement", "Investissement"


class LigneBudget(models.Model):
    """One year × type × funder of an action's budget: planned, committed and paid amounts in euros."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="lignes_budget")
    annee = models.PositiveSmallIntegerField("année")
    type = models.CharField(max_length=20, choices=TypeBudget.choices)
    financeur = models.ForeignKey(Financeur, on_delete=models.PROTECT, related_name="lignes")
    prevu = models.DecimalField("prévu (€)", max_digits=14, decimal_places=2, default=0)
    engage = models.DecimalField("engagé (€)", max_digits=14, decimal_places=2, default=0)
    paye = models.DecimalField("payé (€)", max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["action", "annee", "type", "financeur__nom"]
        constraints = [
            models.UniqueConstraint(fields=["action", "annee", "type", "financeur"], name="ligne_budget_unique")
        ]

    def __str__(self):
        from repere.utils.nombres import euros_centimes

        return f"{self.annee} {self.get_type_display()} — {euros_centimes(self.prevu)} prévus"


class MouvementBudget(models.Model):
    """One dated change of a budget line: the planned, committed and paid amounts from ``date_effet`` on,
    who entered them and when. The line's own amounts are the latest state; the totals at a past date are
    read from these rows (``selectors.budget_au``)."""

    ligne = models.ForeignKey(LigneBudget, on_delete=models.CASCADE, related_name="mouvements")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="mouvements_budget")
    date_effet = models.DateField("date du changement")
    prevu = models.DecimalField("prévu (€)", max_digits=14, decimal_places=2)
    engage = models.DecimalField("engagé (€)", max_digits=14, decimal_places=2)
    paye = models.DecimalField("payé (€)", max_digits=14, decimal_places=2)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    le = models.DateTimeField("saisi le", auto_now_add=True)

    class Meta:
        verbose_name = "changement de budget"
        ordering = ["action", "-date_effet", "-pk"]
        indexes = [models.Index(fields=["action", "date_effet"]), models.Index(fields=["ligne", "date_effet"])]

    def __str__(self):
        return f"{self.ligne} au {self.date_effet:%d/%m/%Y}"


class SensIndicateur(models.TextChoices):
    HAUSSE = "hausse", "Plus c'est haut, mieux c'est"
    BAISSE = "baisse", "Plus c'est bas, mieux c'est"


class Indicateur(models.Model):
    """An action-specific indicator: baseline, target with its date, values over time.

    An indicator may be linked to an indicator of the observatory (``reference_observatoire``, the code of
    ``observatoire.Indicateur``) for one territory (``territoire_observatoire``): its values are then read
    through ``repere.observatoire.selectors`` (statistical secret applied there) and the visible ones copied
    here as the indicator's values, with their source (``services.relire_observatoire``).
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicateurs")
    nom = models.CharField(max_length=200)
    unite = models.CharField("unité", max_length=40, blank=True)
    sens = models.CharField(max_length=10, choices=SensIndicateur.choices, default=SensIndicateur.HAUSSE)
    valeur_initiale = models.DecimalField("valeur initiale", max_digits=16, decimal_places=2)
    date_initiale = models.DateField("date de la valeur initiale")
    cible = models.DecimalField(max_digits=16, decimal_places=2)
    date_cible = models.DateField("date de la cible")
    reference_observatoire = models.CharField("indicateur de l'observatoire", max_length=100, blank=True)
    territoire_observatoire = models.ForeignKey(
        "territoires.Territoire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="territoire lu dans l'observatoire",
    )
    # The latest value, kept by services.enregistrer_valeur so that the dashboard reads one row per indicator.
    derniere_valeur = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True, editable=False)
    derniere_date = models.DateField(null=True, blank=True, editable=False)
    hors_trajectoire = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["action", "nom"]

    def __str__(self):
        return self.nom


class ValeurIndicateur(models.Model):
    indicateur = models.ForeignKey(Indicateur, on_delete=models.CASCADE, related_name="valeurs")
    date = models.DateField()
    valeur = models.DecimalField(max_digits=16, decimal_places=2)
    source = models.CharField(max_length=300, blank=True, help_text="Vide quand la valeur est saisie par l'équipe.")

    class Meta:
        ordering = ["indicateur", "date"]
        constraints = [models.UniqueConstraint(fields=["indicateur", "date"], name="valeur_indicateur_unique")]
        indexes = [models.Index(fields=["indicateur", "-date"])]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} : {self.valeur}"


class Note(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField()
    texte = models.TextField()
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["action", "-date", "-pk"]

    def __str__(self):
        return f"Note du {self.date:%d/%m/%Y}"


class Document(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="documents")
    titre = models.CharField(max_length=200)
    fichier = models.FileField(upload_to="pilotage/documents/%Y/")
    ajoute_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "-ajoute_le"]

    def __str__(self):
        return self.titre


class Historique(models.Model):
    """One change of an action (a field, a step, a budget line, an indicator value, a note…)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="historique")
    le = models.DateTimeField(auto_now_add=True)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    objet = models.CharField(max_length=60)
    champ = models.CharField(max_length=60, blank=True)
    avant = models.TextField(blank=True)
    apres = models.TextField(blank=True)

    class Meta:
        ordering = ["action", "-le", "-pk"]

    def __str__(self):
        return f"{self.objet} {self.champ}".strip()
