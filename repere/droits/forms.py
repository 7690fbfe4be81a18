"""Forms of the public questionnaire (one per step) and of the local aids admin."""

from django import forms

from repere.droits.menage import Activite, NiveauScolaire, StatutLogement, choix, niveau_plausible
from repere.droits.models import AideLocale, Composition
from repere.territoires.forms import TerritoireField
from repere.territoires.models import Territoire, TypeTerritoire
from repere.territoires.selectors import autocompleter
from repere.utils.champs import ChampMontant
from repere.utils.nombres import euros
from repere.utils.text import normalise

OUI_NON = [("non", "Non"), ("oui", "Oui")]


def _euros(label, aide="", requis=False):
    return ChampMontant(
        label=label,
        required=requis,
        min_value=0,
        max_value=100_000,
        decimal_places=2,
        help_text=aide,
        error_messages={
            "invalid": "« %(value)s » n'est pas un montant en euros : écrivez par exemple 850 ou 850,50.",
            "max_decimal_places": "Au plus 2 chiffres après la virgule (les centimes).",
            "min_value": "Le montant ne peut pas être négatif.",
            "max_value": f"Ce montant semble trop élevé (plus de {euros(100_000)} par mois).",
        },
    )


def _age(label, requis=True, min_value=0, max_value=120, message_max="L'âge ne peut pas dépasser 120 ans."):
    return forms.IntegerField(
        label=label,
        required=requis,
        min_value=min_value,
        max_value=max_value,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": str(min_value), "max": str(max_value)}),
        error_messages={
            "invalid": "Indiquez un âge en années (un nombre entier).",
            "min_value": f"L'âge doit être d'au moins {min_value} ans."
            if min_value
            else "L'âge ne peut pas être négatif.",
            "max_value": message_max,
            "required": "Indiquez l'âge.",
        },
    )


class EtapeFoyer(forms.Form):
    commune = forms.CharField(
        label="Commune de résidence",
        max_length=120,
        help_text="Nom de la commune ou code postal, par exemple « Angers » ou « 49100 ».",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Indiquez votre commune."},
    )
    commune_code = forms.CharField(required=False, widget=forms.HiddenInput)
    age_demandeur = _age("Votre âge", min_value=15)
    en_couple = forms.ChoiceField(
        label="Vivez-vous en couple ?", choices=OUI_NON, widget=forms.RadioSelect, initial="non"
    )
    age_conjoint = _age("Âge de votre conjoint(e)", requis=False, min_value=15)
    nb_enfants = forms.IntegerField(
        label="Nombre d'enfants à charge vivant avec vous",
        min_value=0,
        max_value=15,
        initial=0,
        help_text="Enfants de moins de 25 ans dont vous vous occupez.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0", "max": "15"}),
        error_messages={
            "required": "Indiquez le nombre d'enfants à charge (0 si aucun).",
            "invalid": "Indiquez le nombre d'enfants en chiffres, par exemple 0, 1 ou 2.",
            "max_value": "Au plus 15 enfants.",
            "min_value": "Le nombre ne peut pas être négatif.",
        },
    )
    enceinte = forms.BooleanField(label="Vous (ou votre conjointe) attendez un enfant", required=False)
    isolement_recent = forms.BooleanField(
        label="Vous vivez seul(e) depuis moins de 18 mois (séparation, veuvage)", required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("en_couple") == "oui" and data.get("age_conjoint") is None:
            self.add_error("age_conjoint", "Indiquez l'âge de votre conjoint(e).")
        texte = (data.get("commune") or "").strip()
        code = (data.get("commune_code") or "").strip()
        commune = None
        if code:
            commune = Territoire.objects.filter(type=TypeTerritoire.COMMUNE, code=code).first()
            # The hidden code is set by the autocomplete; ignore it if the text was changed since.
            change = texte and not normalise(texte).startswith(normalise(commune.nom)) if commune else False
            if change and texte.upper() != commune.code:
                commune = None
        if commune is None and texte:
            if len(texte) == 5 and texte[:2].isalnum():
                commune = Territoire.objects.filter(type=TypeTerritoire.COMMUNE, code=texte.upper()).first()
            if commune is None:
                trouvees = autocompleter(q=texte, types=[TypeTerritoire.COMMUNE], limite=1)
                commune = trouvees[0] if trouvees else None
        if texte and commune is None:
            self.add_error(
                "commune", f"Commune « {texte[:60]} » introuvable : vérifiez l'orthographe ou indiquez le code postal."
            )
        elif commune is not None:
            data["commune_code"] = commune.code
            data["commune"] = commune.nom
            self.commune = commune
        return data


NIVEAUX = choix(NiveauScolaire)


class EtapeEnfants(forms.Form):
    def __init__(self, *args, nb_enfants: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.nb_enfants = nb_enfants
        for i in range(nb_enfants):
            self.fields[f"age_{i}"] = _age(
                f"Âge de l'enfant {i + 1}",
                max_value=25,
                message_max="Un enfant à charge a au plus 25 ans (au-delà, il ne compte plus à charge).",
            )
            self.fields[f"niveau_{i}"] = forms.ChoiceField(label=f"Scolarité de l'enfant {i + 1}", choices=NIVEAUX)

    def clean(self):
        data = super().clean()
        for i in range(self.nb_enfants):
            age, niveau = data.get(f"age_{i}"), data.get(f"niveau_{i}")
            if age is not None and niveau and not niveau_plausible(age=age, niveau=niveau):
                libelle = dict(NIVEAUX)[niveau]
                self.add_error(
                    f"niveau_{i}",
                    f"Enfant {i + 1} : « {libelle} » à {age} ans ? Vérifiez l'âge ou la scolarité.",
                )
        return data

    def lignes(self):
        return [(self[f"age_{i}"], self[f"niveau_{i}"], i + 1) for i in range(self.nb_enfants)]


ACTIVITES = choix(Activite)
TAUX = [
    ("0", "Aucun taux reconnu"),
    ("40", "Moins de 50 %"),
    ("50", "De 50 à 79 %"),
    ("80", "80 % ou plus"),
]


class _Personne(forms.Form):
    # Radio buttons, not a list: on a phone a list cuts the longer labels (« Salarié(e) (CDI, CDD, appr »).
    activite = forms.ChoiceField(
        label="Situation",
        choices=ACTIVITES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez la situation (salarié(e), sans emploi, retraité(e)…)."},
    )
    salaire = _euros("Salaire net mensuel", "Montant « net à payer » du bulletin de salaire (moyenne si variable).")
    salaire_m1 = _euros("Salaire net du mois dernier", "Facultatif : si votre salaire varie.")
    salaire_m2 = _euros("Salaire net il y a 2 mois")
    salaire_m3 = _euros("Salaire net il y a 3 mois")
    independant = _euros("Revenu mensuel d'activité indépendante")
    chomage = _euros("Allocation chômage (ARE) par mois")
    retraite = _euros("Retraites (base et complémentaires) par mois, montant net")
    pension_invalidite = _euros("Pension d'invalidité par mois")
    autres = _euros("Autres revenus par mois", "Rentes, revenus de location...")
    taux_incapacite = forms.ChoiceField(
        label="Taux d'incapacité reconnu par la MDPH", choices=TAUX, initial="0", required=False
    )
    restriction_emploi = forms.BooleanField(
        label="La MDPH a reconnu une restriction substantielle et durable d'accès à l'emploi", required=False
    )

    def clean(self):
        data = super().clean()
        mois = [data.get(f"salaire_m{i}") for i in (1, 2, 3)]
        if any(m is not None for m in mois) and not all(m is not None for m in mois):
            self.add_error("salaire_m1", "Indiquez les 3 derniers salaires, ou seulement le salaire mensuel.")
        return data


class EtapeActivite(forms.Form):
    """Demandeur (prefix d) and conjoint (prefix c) sub-forms, plus household incomes."""

    pension_alimentaire_recue = _euros("Pension alimentaire reçue par mois")
    pension_alimentaire_versee = _euros("Pension alimentaire versée par mois")
    rfr_n2 = ChampMontant(
        label="Revenu fiscal de référence (avis d'impôt de l'an dernier)",
        required=False,
        min_value=0,
        max_value=5_000_000,
        decimal_places=0,
        help_text="Facultatif. Sur la 1re page de l'avis d'impôt. Sinon, il est estimé à partir de vos revenus.",
        error_messages={
            "invalid": "« %(value)s » n'est pas un montant : indiquez un montant entier en euros.",
            "max_decimal_places": "Indiquez un montant entier en euros, sans centimes.",
            "min_value": "Le montant ne peut pas être négatif.",
        },
    )


class EtapeLogement(forms.Form):
    statut = forms.ChoiceField(
        label="Votre logement",
        widget=forms.RadioSelect,
        choices=choix(StatutLogement),
        error_messages={"required": "Choisissez votre situation de logement."},
    )
    loyer = _euros("Loyer mensuel hors charges (ou mensualité d'emprunt)")
    charges = _euros("Charges locatives mensuelles")
    logement_social = forms.BooleanField(label="Logement social (HLM) ou conventionné APL", required=False)
    colocation = forms.BooleanField(label="Colocation", required=False)
    meuble = forms.BooleanField(label="Logement meublé", required=False)

    def clean(self):
        data = super().clean()
        statut = data.get("statut")
        loyer = data.get("loyer") or 0
        if statut in (StatutLogement.LOCATAIRE.value, StatutLogement.FOYER.value) and loyer <= 0:
            self.add_error("loyer", "Indiquez le loyer mensuel (un locataire paie un loyer).")
        if statut in (StatutLogement.HEBERGE_GRATUITEMENT.value, StatutLogement.SANS_DOMICILE.value) and loyer > 0:
            self.add_error("loyer", "Sans loyer à payer, laissez ce champ vide.")
        return data


PRESTATIONS_RECUES = [
    ("rsa", "RSA"),
    ("ppa", "Prime d'activité"),
    ("aide_logement", "Aide au logement (APL, ALF, ALS)"),
    ("af", "Allocations familiales"),
    ("cf", "Complément familial"),
    ("asf", "Allocation de soutien familial"),
    ("paje", "Prestation d'accueil du jeune enfant (PAJE)"),
    ("aah", "Allocation aux adultes handicapés"),
    ("aspa", "Minimum vieillesse (ASPA)"),
    ("ass", "Allocation de solidarité spécifique (ASS)"),
]


class EtapePrestations(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, libelle in PRESTATIONS_RECUES:
            self.fields[f"recu_{code}"] = _euros(f"{libelle} : montant mensuel perçu")
        self.fields["recu_css"] = forms.BooleanField(
            label="Vous avez déjà la complémentaire santé solidaire", required=False
        )


# --- local aids admin -------------------------------------------------------------------------------------


class AideLocaleForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label="Organisation")
    nom = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    territoire = TerritoireField(
        label="Territoire où l'aide s'applique",
        types=(TypeTerritoire.COMMUNE, TypeTerritoire.EPCI, TypeTerritoire.DEPARTEMENT, TypeTerritoire.REGION),
        help_text="Une commune, une intercommunalité, un département ou une région : tapez son nom puis "
        "choisissez dans la liste.",
    )
    age_min = forms.IntegerField(label="Âge minimum du demandeur", min_value=0, max_value=120, required=False)
    age_max = forms.IntegerField(label="Âge maximum du demandeur", min_value=0, max_value=120, required=False)
    composition = forms.ChoiceField(choices=Composition.choices, initial=Composition.TOUTES)
    enfants_min = forms.IntegerField(label="Nombre minimum d'enfants", min_value=0, max_value=20, required=False)
    quotient_familial_max = ChampMontant(
        label="Quotient familial maximum (€/mois)", min_value=0, required=False, decimal_places=2
    )
    rfr_max = ChampMontant(label="Revenu fiscal de référence maximum (€/an)", min_value=0, required=False)
    prestation_requise = forms.ChoiceField(
        label="Réservée aux bénéficiaires de", required=False, choices=[("", "— aucune condition —")]
    )
    statuts_logement = forms.MultipleChoiceField(
        label="Situations de logement admises (aucune cochée : toutes)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=choix(StatutLogement),
    )
    activites = forms.MultipleChoiceField(
        label="Situations du demandeur admises (aucune cochée : toutes)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=ACTIVITES,
    )
    montant = ChampMontant(min_value=0, required=False, help_text="Vide : « éligible » sans montant fixe.")
    periode = forms.ChoiceField(choices=[("ponctuel", "une fois"), ("mensuel", "par mois"), ("annuel", "par an")])
    comment_demander = forms.CharField(label="Comment demander", widget=forms.Textarea(attrs={"rows": 3}))
    lien = forms.URLField(label="Lien vers la démarche en ligne", required=False, assume_scheme="https")
    contact = forms.CharField(max_length=200, required=False)
    pieces = forms.CharField(
        label="Pièces à fournir (une par ligne)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    active = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        from repere.droits.aides_locales import CODES_PRESTATION_REQUISE
        from repere.droits.prestations import PAR_CODE

        self.fields["organisation"].queryset = organisations
        self.fields["prestation_requise"].choices = [("", "— aucune condition —")] + [
            (c, PAR_CODE[c].libelle if c in PAR_CODE else "Complémentaire santé solidaire")
            for c in CODES_PRESTATION_REQUISE
        ]

    def donnees(self):
        """Cleaned data -> the exchange schema (same validation as the import)."""
        from repere.droits.aides_locales import AideLocaleDonnees

        d = self.cleaned_data
        type_, code = d["territoire"].type, d["territoire"].code
        return AideLocaleDonnees.model_validate(
            {
                "nom": d["nom"],
                "description": d["description"],
                "territoire": {"type": type_, "code": code},
                "conditions": {
                    "age_min": d["age_min"],
                    "age_max": d["age_max"],
                    "composition": d["composition"],
                    "enfants_min": d["enfants_min"],
                    "quotient_familial_max": float(d["quotient_familial_max"])
                    if d["quotient_familial_max"] is not None
                    else None,
                    "rfr_max": float(d["rfr_max"]) if d["rfr_max"] is not None else None,
                    "prestation_requise": d["prestation_requise"] or None,
                    "statuts_logement": d["statuts_logement"],
                    "activites": d["activites"],
                },
                "montant": float(d["montant"]) if d["montant"] is not None else None,
                "periode": d["periode"],
                "comment_demander": d["comment_demander"],
                "lien": d["lien"] or None,
                "contact": d["contact"],
                "pieces": [x.strip() for x in d["pieces"].splitlines() if x.strip()],
                "active": d["active"],
            }
        )

    @staticmethod
    def initial_depuis(aide: AideLocale) -> dict:
        return {
            "organisation": aide.organisation_id,
            "nom": aide.nom,
            "description": aide.description,
            "territoire": aide.territoire,
            "age_min": aide.age_min,
            "age_max": aide.age_max,
            "composition": aide.composition,
            "enfants_min": aide.enfants_min,
            "quotient_familial_max": aide.quotient_familial_max,
            "rfr_max": aide.rfr_max,
            "prestation_requise": aide.prestation_requise,
            "statuts_logement": aide.statuts_logement,
            "activites": aide.activites,
            "montant": aide.montant,
            "periode": aide.periode,
            "comment_demander": aide.comment_demander,
            "lien": aide.lien,
            "contact": aide.contact,
            "pieces": aide.pieces,
            "active": aide.active,
        }


class ImportForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label="Organisation")
    fichier = forms.FileField(
        label="Fichier YAML ou JSON", help_text="Au plus 1 Mo. Voir le format dans la documentation."
    )
    remplacer = forms.BooleanField(label="Supprimer les aides de l'organisation absentes du fichier", required=False)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_fichier(self):
        f = self.cleaned_data["fichier"]
        if f.size > 1_000_000:
            raise forms.ValidationError("Le fichier dépasse 1 Mo.")
        nom = f.name.lower()
        if nom.endswith((".yaml", ".yml")):
            self.format = "yaml"
        elif nom.endswith(".json"):
            self.format = "json"
        else:
            raise forms.ValidationError("Le fichier doit être au format .yaml, .yml ou .json.")
        return f
