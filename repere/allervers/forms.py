from django import forms
from django.utils import timezone

from repere.allervers import obstacles as obstacles_ref
from repere.allervers import referentiels
from repere.allervers.models import Canal, NoticeInformation, StatutDroit, TypeCampagne
from repere.allervers.prereperage import LIBELLES_ACTIVITE, LIBELLES_LOGEMENT
from repere.comptes.models import User
from repere.organisations.models import Organisation
from repere.organisations.permissions import ROLES_DONNEES_PERSONNELLES, organisations_de
from repere.territoires.forms import TerritoireField, TerritoiresChoixField
from repere.territoires.models import TypeTerritoire

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choix_thematiques():
    return list(referentiels.thematiques().items())


def champs_obstacles():
    """The barometer's three optional fields (obstacles met, non-take-up type, body): new instances for each
    form that asks them (capture, interview, change of a right's step)."""
    return (
        forms.MultipleChoiceField(
            label="Obstacles rencontrés",
            choices=obstacles_ref.OBSTACLES,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        ),
        forms.ChoiceField(
            label="Type de non-recours", choices=[("", "—")] + obstacles_ref.TYPES_NON_RECOURS, required=False
        ),
        forms.ChoiceField(label="Organisme concerné", choices=[("", "—")] + obstacles_ref.ORGANISMES, required=False),
    )


class NoticeForm(forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label="Organisation", empty_label=None)
    version = forms.CharField(label="Version", max_length=30, help_text="Par exemple 2026-01.")
    titre = forms.CharField(label="Titre", max_length=200)
    texte = forms.CharField(label="Texte lu ou remis à la personne", widget=forms.Textarea(attrs={"rows": 8}))
    base_legale = forms.CharField(
        label="Base légale",
        max_length=200,
        help_text="Par exemple : mission d'intérêt public (art. 6.1.e RGPD) pour un CCAS, consentement pour une association.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_de(user, ROLES_DONNEES_PERSONNELLES)


class CampagneForm(forms.Form):
    nom = forms.CharField(label="Nom de la campagne", max_length=200)
    type = forms.ChoiceField(label="Type", choices=TypeCampagne.choices)
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label="Organisation porteuse", empty_label=None)
    partenaires = forms.ModelMultipleChoiceField(
        Organisation.objects.all(), label="Organisations partenaires", required=False
    )
    territoires = TerritoiresChoixField(
        label="Territoire (communes ou EPCI)",
        types=(TypeTerritoire.COMMUNE, TypeTerritoire.EPCI),
        help_text="Tapez le nom ou le code postal d'une commune ou d'une intercommunalité, puis choisissez dans la "
        "liste : elle s'ajoute aux cases cochées (décochez pour en retirer une). Plusieurs noms à la fois : "
        "séparez-les par « ; ».",
    )
    secteurs = forms.CharField(
        label="Secteurs (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Un secteur par ligne : rue, quartier, IRIS…",
    )
    date_debut = forms.DateField(label="Début", widget=DATE)
    date_fin = forms.DateField(label="Fin", widget=DATE)
    notice = forms.ModelChoiceField(
        NoticeInformation.objects.none(),
        label="Notice d'information lue aux personnes",
        empty_label="Choisissez la notice lue",
    )
    thematiques = forms.MultipleChoiceField(
        label="Besoins suivis (thématiques de l'annuaire)",
        choices=_choix_thematiques,
        initial=referentiels.THEMATIQUES_PAR_DEFAUT,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    equipe = forms.ModelMultipleChoiceField(User.objects.none(), label="Équipe", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = organisations_de(user, ROLES_DONNEES_PERSONNELLES)
        self.fields["organisation"].queryset = orgs
        self.fields["notice"].queryset = NoticeInformation.objects.filter(organisation__in=orgs)
        self.fields["equipe"].queryset = User.objects.filter(
            memberships__organisation__in=orgs, memberships__is_active=True, is_active=True
        ).distinct()

    def clean(self):
        donnees = super().clean()
        if donnees.get("date_debut") and donnees.get("date_fin") and donnees["date_fin"] < donnees["date_debut"]:
            self.add_error("date_fin", "La date de fin précède la date de début.")
        return donnees


class ContactForm(forms.Form):
    """The capture form. The same field names are sent as JSON by the offline queue."""

    cle = forms.UUIDField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(label="Date", widget=DATE, initial=timezone.localdate)
    commune = forms.ChoiceField(label="Commune", required=False)
    secteur = forms.ChoiceField(label="Secteur", required=False)
    canal = forms.ChoiceField(label="Canal", choices=Canal.choices)
    situations = forms.MultipleChoiceField(
        label="Situation", choices=referentiels.SITUATIONS, required=False, widget=forms.CheckboxSelectMultiple
    )
    besoins = forms.MultipleChoiceField(label="Besoins", required=False, widget=forms.CheckboxSelectMultiple)
    orientation_proposee = forms.ChoiceField(
        label="Orientation proposée", choices=referentiels.ORIENTATIONS, required=False
    )
    suivi_souhaite = forms.BooleanField(label="La personne souhaite être recontactée", required=False)
    # Who to call back: asked only when the person wants to be contacted again (see services.verifier_recontact)
    recontact_accord = forms.BooleanField(
        label="La personne a entendu cette phrase et elle est d'accord", required=False
    )
    recontact_prenom = forms.CharField(
        label="Prénom", max_length=100, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    recontact_telephone = forms.CharField(
        label="Téléphone",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "inputmode": "tel"}),
    )
    recontact_courriel = forms.CharField(
        label="E-mail (si pas de téléphone)",
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off", "inputmode": "email"}),
    )
    obstacles, type_non_recours, organisme = champs_obstacles()
    # Pre-screen (optional)
    pr_age = forms.IntegerField(label="Âge", min_value=16, max_value=110, required=False)
    pr_en_couple = forms.BooleanField(label="En couple", required=False)
    pr_enfants = forms.IntegerField(label="Enfants à charge", min_value=0, max_value=10, required=False, initial=0)
    pr_logement = forms.ChoiceField(
        label="Logement", choices=[("", "—")] + list(LIBELLES_LOGEMENT.items()), required=False
    )
    pr_loyer = forms.IntegerField(label="Loyer mensuel (€)", min_value=0, max_value=5000, required=False)
    pr_revenus = forms.IntegerField(
        label="Revenus nets du foyer par mois (€)", min_value=0, max_value=20000, required=False
    )
    pr_activite = forms.ChoiceField(
        label="Activité", choices=[("", "—")] + list(LIBELLES_ACTIVITE.items()), required=False
    )
    pr_handicap = forms.BooleanField(label="Handicap reconnu (taux ≥ 80 %)", required=False)

    def __init__(self, *args, campagne, communes, **kwargs):
        super().__init__(*args, **kwargs)
        from repere.allervers.services import phrase_accord_recontact

        self.phrase_accord = phrase_accord_recontact(organisation=campagne.organisation)
        self.fields["commune"].choices = [(c.code, c.nom) for c in communes]
        if len(communes) > 1:
            self.fields["commune"].choices.insert(0, ("", "— choisir —"))
        self.fields["secteur"].choices = [("", "—")] + [(s, s) for s in campagne.secteurs]
        self.fields["besoins"].choices = [(c, referentiels.libelle_thematique(c)) for c in campagne.thematiques]
        type_canal = {
            "porte_a_porte": "porte",
            "stand": "stand",
            "bus": "bus",
            "visite_energie": "domicile",
            "appels": "telephone",
        }
        self.fields["canal"].initial = type_canal.get(campagne.type, "autre")

    def recontact(self) -> dict:
        d = self.cleaned_data
        return {
            "prenom": d.get("recontact_prenom", ""),
            "telephone": d.get("recontact_telephone", ""),
            "courriel": d.get("recontact_courriel", ""),
            "accord": d.get("recontact_accord", False),
        }

    def reponses(self) -> dict:
        d = self.cleaned_data
        cles = ["age", "en_couple", "enfants", "logement", "loyer", "revenus", "activite", "handicap"]
        if (
            d.get("pr_age") is None
            and not d.get("pr_logement")
            and d.get("pr_revenus") is None
            and not d.get("pr_activite")
        ):
            return {}
        return {k: d.get(f"pr_{k}") for k in cles if d.get(f"pr_{k}") not in (None, "")}


class PersonneForm(forms.Form):
    accord = forms.BooleanField(
        label="La personne a été informée (notice lue) et donne son accord pour la création d'une fiche à son nom",
        required=False,
    )
    notice = forms.ModelChoiceField(
        NoticeInformation.objects.none(), label="Notice d'information lue", empty_label="Choisissez la notice lue"
    )
    organisation = forms.ModelChoiceField(
        Organisation.objects.none(), label="Organisation qui suit la personne", empty_label=None
    )
    prenom = forms.CharField(label="Prénom", max_length=100)
    nom = forms.CharField(label="Nom", max_length=100)
    date_naissance = forms.DateField(label="Date de naissance", required=False, widget=DATE)
    telephone = forms.CharField(
        label="Téléphone",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label="E-mail", required=False)
    adresse = forms.CharField(label="Adresse", max_length=250, required=False)
    commune = TerritoireField(
        label="Commune",
        required=False,
        help_text="Tapez le nom ou le code postal, puis choisissez dans la liste ; reprise du contact si elle est vide.",
    )
    referent = forms.ModelChoiceField(User.objects.none(), label="Professionnel référent", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = organisations_de(user, ROLES_DONNEES_PERSONNELLES)
        self.fields["organisation"].queryset = orgs
        self.fields["notice"].queryset = NoticeInformation.objects.filter(organisation__in=orgs)
        self.fields["referent"].queryset = User.objects.filter(
            memberships__organisation__in=orgs,
            memberships__role__in=list(ROLES_DONNEES_PERSONNELLES),
            memberships__is_active=True,
        ).distinct()

    def clean_accord(self):
        if not self.cleaned_data.get("accord"):
            raise forms.ValidationError(
                "Sans l'accord de la personne, aucune fiche nominative ne peut être créée : le contact reste anonyme."
            )
        return True


class IdentiteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    prenom = forms.CharField(label="Prénom", max_length=100)
    nom = forms.CharField(label="Nom", max_length=100)
    date_naissance = forms.DateField(label="Date de naissance", required=False, widget=DATE)
    telephone = forms.CharField(label="Téléphone", max_length=30, required=False)
    email = forms.EmailField(label="E-mail", required=False)
    adresse = forms.CharField(label="Adresse", max_length=250, required=False)
    commune = TerritoireField(label="Commune", required=False)
    referent = forms.ModelChoiceField(User.objects.none(), label="Professionnel référent", required=False)

    def __init__(self, *args, personne, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = User.objects.filter(
            memberships__organisation_id=personne.organisation_id,
            memberships__role__in=list(ROLES_DONNEES_PERSONNELLES),
            memberships__is_active=True,
        ).distinct()


ACTIVITES = [
    ("salarie", "Salarié·e"),
    ("independant", "Indépendant·e"),
    ("chomeur", "Demandeur·se d'emploi"),
    ("etudiant", "Étudiant·e"),
    ("retraite", "Retraité·e"),
    ("inapte", "Invalidité / inaptitude"),
    ("autre", "Autre / au foyer"),
]
LOGEMENTS = [
    ("locataire", "Locataire"),
    ("proprietaire", "Propriétaire"),
    ("accedant", "Accédant à la propriété"),
    ("heberge_gratuitement", "Hébergé·e gratuitement"),
    ("foyer", "Foyer, résidence sociale"),
    ("sans_domicile", "Sans domicile"),
]


class MenageForm(forms.Form):
    """The person's household, mapped onto the simulator's household model."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    age = forms.IntegerField(
        label="Âge (si la date de naissance n'est pas connue)", min_value=15, max_value=120, required=False
    )
    activite = forms.ChoiceField(label="Activité", choices=ACTIVITES)
    revenu = forms.DecimalField(label="Revenu net mensuel (€)", min_value=0, max_value=100000, required=False)
    taux_incapacite = forms.IntegerField(
        label="Taux d'incapacité reconnu (%)", min_value=0, max_value=100, required=False
    )
    conjoint = forms.BooleanField(label="Vit en couple", required=False)
    age_conjoint = forms.IntegerField(label="Âge du conjoint", min_value=15, max_value=120, required=False)
    activite_conjoint = forms.ChoiceField(label="Activité du conjoint", choices=ACTIVITES, required=False)
    revenu_conjoint = forms.DecimalField(
        label="Revenu net mensuel du conjoint (€)", min_value=0, max_value=100000, required=False
    )
    ages_enfants = forms.CharField(
        label="Âges des enfants à charge", required=False, help_text="Séparés par des virgules, par exemple : 4, 9, 15"
    )
    logement = forms.ChoiceField(label="Logement", choices=LOGEMENTS)
    loyer = forms.DecimalField(label="Loyer mensuel hors charges (€)", min_value=0, max_value=10000, required=False)
    charges = forms.DecimalField(label="Charges mensuelles (€)", min_value=0, max_value=5000, required=False)
    logement_social = forms.BooleanField(label="Logement social (HLM)", required=False)
    rfr_n2 = forms.DecimalField(label="Revenu fiscal de référence N-2 (€/an, si connu)", min_value=0, required=False)
    recu_rsa = forms.DecimalField(label="RSA perçu (€/mois)", min_value=0, required=False)
    recu_aide_logement = forms.DecimalField(label="Aide au logement perçue (€/mois)", min_value=0, required=False)
    recu_af = forms.DecimalField(label="Allocations familiales perçues (€/mois)", min_value=0, required=False)
    recu_ppa = forms.DecimalField(label="Prime d'activité perçue (€/mois)", min_value=0, required=False)
    recu_aah = forms.DecimalField(label="AAH perçue (€/mois)", min_value=0, required=False)
    recu_aspa = forms.DecimalField(label="ASPA perçue (€/mois)", min_value=0, required=False)

    def clean_ages_enfants(self):
        texte = self.cleaned_data.get("ages_enfants") or ""
        ages = []
        for morceau in [m.strip() for m in texte.replace(";", ",").split(",") if m.strip()]:
            if not morceau.isdigit() or int(morceau) > 25:
                raise forms.ValidationError(f"« {morceau} » n'est pas un âge d'enfant à charge (0 à 25 ans).")
            ages.append(int(morceau))
        if len(ages) > 15:
            raise forms.ValidationError("Au plus 15 enfants.")
        return ages


class EntretienForm(forms.Form):
    date = forms.DateField(label="Date", widget=DATE, initial=timezone.localdate)
    canal = forms.ChoiceField(label="Canal", choices=Canal.choices, initial=Canal.DOMICILE)
    besoins = forms.MultipleChoiceField(
        label="Besoins abordés",
        choices=_choix_thematiques,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    resume = forms.CharField(
        label="Résumé partagé",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Visible par les professionnels qui suivent la personne. Pas de donnée de santé : utilisez les catégories de besoins.",
    )
    note_privee = forms.CharField(
        label="Note privée",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Visible par vous seul.",
    )
    obstacles, type_non_recours, organisme = champs_obstacles()


class EtapeDroitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    statut = forms.ChoiceField(label="Nouvelle étape", choices=[c for c in StatutDroit.choices if c[0] != "detecte"])
    date = forms.DateField(label="Date", widget=DATE, initial=timezone.localdate)
    montant_confirme = forms.DecimalField(label="Montant mensuel confirmé (€)", min_value=0, required=False)
    motif = forms.CharField(label="Motif (refus ou abandon)", max_length=300, required=False)
    obstacles, type_non_recours, organisme = champs_obstacles()


class RappelForm(forms.Form):
    echeance = forms.DateField(label="À recontacter le", widget=DATE)
    objet = forms.CharField(label="Objet", max_length=200)


class PartageForm(forms.Form):
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(), label="Organisation", empty_label="Choisissez l'organisation"
    )
    accord = forms.BooleanField(label="La personne a donné son accord pour ce partage", required=False)
    notice = forms.ModelChoiceField(
        NoticeInformation.objects.none(), label="Notice d'information lue", empty_label="Choisissez la notice lue"
    )

    def __init__(self, *args, personne, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(pk=personne.organisation_id)
        self.fields["notice"].queryset = NoticeInformation.objects.filter(organisation_id=personne.organisation_id)

    def clean_accord(self):
        if not self.cleaned_data.get("accord"):
            raise forms.ValidationError("Le suivi ne peut être partagé qu'avec l'accord de la personne.")
        return True


class IndicateursForm(forms.Form):
    campagne = forms.ModelChoiceField(None, label="Campagne", required=False, empty_label="Toutes mes campagnes")
    territoire = TerritoireField(
        label="Territoire",
        types=("commune", "epci", "departement"),
        required=False,
        help_text="Une commune, une intercommunalité ou un département : tapez son nom puis choisissez dans la liste.",
    )
    du = forms.DateField(label="Du", widget=DATE, required=False)
    au = forms.DateField(label="Au", widget=DATE, required=False)

    def __init__(self, *args, campagnes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campagne"].queryset = campagnes

    def clean(self):
        d = super().clean()
        if d.get("du") and d.get("au") and d["au"] < d["du"]:
            self.add_error("au", "La fin de la période précède son début.")
        return d


class CampagneModifierForm(forms.Form):
    nom = forms.CharField(label="Nom de la campagne", max_length=200)
    secteurs = forms.CharField(
        label="Secteurs", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Un secteur par ligne."
    )
    date_debut = forms.DateField(label="Début", widget=DATE)
    date_fin = forms.DateField(label="Fin", widget=DATE, help_text="Avancez la date de fin pour clore la campagne.")
    partenaires = forms.ModelMultipleChoiceField(
        Organisation.objects.all(), label="Organisations partenaires", required=False
    )
    equipe = forms.ModelMultipleChoiceField(User.objects.none(), label="Équipe", required=False)

    def __init__(self, *args, campagne, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = [campagne.organisation_id, *campagne.partenaires.values_list("pk", flat=True)]
        self.fields["equipe"].queryset = User.objects.filter(
            memberships__organisation__in=orgs, memberships__is_active=True, is_active=True
        ).distinct()
