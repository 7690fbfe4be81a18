from django import forms
from django.core.exceptions import ValidationError

from repere.pilotage.models import (
    Action,
    Axe,
    AxeNational,
    MesureNationale,
    Plan,
    SensIndicateur,
    TypeBudget,
    TypeFinanceur,
    TypePlan,
)
from repere.territoires.forms import TerritoireField
from repere.territoires.models import Territoire, TypeTerritoire
from repere.territoires.selectors import autocompleter

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TYPES_TERRITOIRE = [TypeTerritoire.COMMUNE, TypeTerritoire.EPCI, TypeTerritoire.DEPARTEMENT, TypeTerritoire.REGION]


def territoire_par_code(code: str) -> Territoire | None:
    """Commune (5 characters), EPCI (9 digits), département (2 or 3) or région (the code alone says the level)."""
    code = (code or "").strip().upper()
    if not code:
        return None
    type_ = {9: TypeTerritoire.EPCI, 5: TypeTerritoire.COMMUNE}.get(len(code))
    if type_:
        return Territoire.objects.filter(type=type_, code=code).first()
    return (
        Territoire.objects.filter(type=TypeTerritoire.DEPARTEMENT, code=code).first()
        or Territoire.objects.filter(type=TypeTerritoire.REGION, code=code).first()
    )


class ChampTerritoire:
    """A territory typed by name with the autocomplete; the hidden code it sets wins when present."""

    def nettoyer_territoire(self, data, *, requis: bool):
        texte = (data.get("territoire_nom") or "").strip()
        territoire = territoire_par_code(data.get("territoire_code"))
        if territoire is not None and texte and not texte.lower().startswith(territoire.nom.lower()[:3]):
            territoire = None
        if territoire is None and texte:
            trouves = autocompleter(q=texte, types=TYPES_TERRITOIRE, limite=1)
            territoire = trouves[0] if trouves else None
            if territoire is None:
                self.add_error("territoire_nom", f"Territoire introuvable : « {texte} ».")
        if territoire is None and requis and not texte:
            self.add_error("territoire_nom", "Indiquez le territoire.")
        data["territoire"] = territoire
        return data


def _champs_territoire(aide: str):
    return (
        forms.CharField(
            label="Territoire",
            required=False,
            max_length=200,
            help_text=aide,
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
        ),
        forms.CharField(required=False, widget=forms.HiddenInput),
    )


class PlanForm(ChampTerritoire, forms.ModelForm):
    territoire_nom, territoire_code = _champs_territoire("Département, métropole (EPCI) ou commune, par son nom.")

    class Meta:
        model = Plan
        fields = ["nom", "type", "description", "debut", "fin", "publie"]
        widgets = {"debut": DATE, "fin": DATE}
        labels = {"type": "Type de plan"}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = TypePlan.choices
        self.fields["organisation"] = forms.ModelChoiceField(
            queryset=organisations, label="Organisation qui pilote le plan", empty_label=None
        )
        self.order_fields(["nom", "type", "organisation", "territoire_nom", "description", "debut", "fin", "publie"])

    def clean(self):
        data = super().clean()
        data = self.nettoyer_territoire(data, requis=True)
        if data.get("debut") and data.get("fin") and data["fin"] < data["debut"]:
            self.add_error("fin", "La fin est avant le début.")
        return data


class AxeForm(forms.ModelForm):
    class Meta:
        model = Axe
        fields = ["titre", "axe_national", "mesures"]
        labels = {"axe_national": "Axe du Pacte auquel il répond", "mesures": "Mesures nationales"}
        widgets = {"mesures": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axe_national"].queryset = AxeNational.objects.all()
        self.fields["mesures"].queryset = MesureNationale.objects.filter(retiree=False).select_related("axe")


class ActionForm(ChampTerritoire, forms.ModelForm):
    territoire_nom, territoire_code = _champs_territoire("Vide : le territoire du plan.")

    class Meta:
        model = Action
        fields = [
            "titre",
            "axe",
            "mesures",
            "description",
            "objectifs",
            "publics",
            "organisation_pilote",
            "pilotes",
            "partenaires",
            "statut",
            "priorite",
            "date_debut",
            "date_fin_prevue",
            "avancement_saisi",
            "publique",
        ]
        widgets = {
            "date_debut": DATE,
            "date_fin_prevue": DATE,
            "mesures": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "objectifs": forms.Textarea(attrs={"rows": 3}),
            "partenaires": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"mesures": "Mesures nationales du Pacte"}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["axe"].queryset = plan.axes.all()
        self.fields["mesures"].queryset = MesureNationale.objects.filter(retiree=False).select_related("axe")
        from repere.organisations.models import Organisation

        self.fields["organisation_pilote"].queryset = Organisation.objects.all()
        if self.instance.pk and self.instance.territoire_id:
            self.fields["territoire_nom"].initial = self.instance.territoire.nom
            self.fields["territoire_code"].initial = self.instance.territoire.code
        self.order_fields(["titre", "axe", "mesures", "description", "objectifs", "publics", "territoire_nom"])

    def clean(self):
        data = super().clean()
        return self.nettoyer_territoire(data, requis=False)

    def champs_action(self) -> dict:
        champs = {c: self.cleaned_data.get(c) for c in self.Meta.fields if c != "mesures"}
        champs["territoire"] = self.cleaned_data.get("territoire")
        return champs


class EtapeForm(forms.Form):
    titre = forms.CharField(label="Étape", max_length=300)
    echeance = forms.DateField(label="Échéance", required=False, widget=DATE)


class LigneBudgetForm(forms.Form):
    annee = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    type = forms.ChoiceField(label="Type de dépense", choices=TypeBudget.choices)
    financeur = forms.CharField(
        label="Financeur", max_length=200, help_text="Par exemple « État — Pacte des solidarités », « CAF »."
    )
    type_financeur = forms.ChoiceField(label="Catégorie du financeur", choices=TypeFinanceur.choices)
    prevu = forms.DecimalField(label="Prévu (€)", min_value=0, max_digits=14, decimal_places=2)
    engage = forms.DecimalField(label="Engagé (€)", min_value=0, max_digits=14, decimal_places=2, required=False)
    paye = forms.DecimalField(label="Payé (€)", min_value=0, max_digits=14, decimal_places=2, required=False)
    date_effet = forms.DateField(
        label="Date du changement",
        widget=DATE,
        help_text="Le jour où ces montants ont été décidés, engagés ou payés (aujourd'hui par défaut).",
        required=False,
    )


class IndicateurForm(forms.Form):
    nom = forms.CharField(label="Indicateur", max_length=200)
    unite = forms.CharField(label="Unité", max_length=40, required=False)
    sens = forms.ChoiceField(label="Sens souhaité", choices=SensIndicateur.choices)
    valeur_initiale = forms.DecimalField(label="Valeur initiale", max_digits=16, decimal_places=2)
    date_initiale = forms.DateField(label="Date de la valeur initiale", widget=DATE)
    cible = forms.DecimalField(label="Cible", max_digits=16, decimal_places=2)
    date_cible = forms.DateField(label="Date de la cible", widget=DATE)


class LienObservatoireForm(forms.Form):
    """Link an action's indicator to an indicator of the observatory for one territory."""

    reference_observatoire = forms.ChoiceField(label="Indicateur de l'observatoire")
    territoire = TerritoireField(label="Territoire observé", types=TYPES_TERRITOIRE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from repere.observatoire.selectors import indicateurs_visibles

        choix = sorted(((i.code, i.libelle) for i in indicateurs_visibles(user)), key=lambda c: c[1])
        self.fields["reference_observatoire"].choices = [("", "— choisir —"), *choix]


class BudgetAuForm(forms.Form):
    budget_au = forms.DateField(label="Totaux du budget au", widget=DATE, required=False)


class ValeurForm(forms.Form):
    date = forms.DateField(label="Date", widget=DATE)
    valeur = forms.DecimalField(label="Valeur", max_digits=16, decimal_places=2)


class NoteForm(forms.Form):
    date = forms.DateField(label="Date", widget=DATE)
    texte = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(forms.Form):
    fichier = forms.FileField(label="Fichier CSV ou XLSX", help_text="Les colonnes de l'export ; 5 Mo au plus.")

    def clean_fichier(self):
        f = self.cleaned_data["fichier"]
        if f.size > 5 * 1024 * 1024:
            raise ValidationError(f"Le fichier pèse {f.size // 1024} Ko : 5 Mo au plus.")
        return f


def appliquer_erreurs(form, erreur: ValidationError) -> None:
    """Show a service's French errors on the form fields they name (the others above the form)."""
    for champ, messages in erreur.message_dict.items():
        form.add_error(champ if champ in form.fields else None, messages)


class DocumentForm(forms.Form):
    titre = forms.CharField(label="Titre du document", max_length=200)
    fichier = forms.FileField(label="Fichier (PDF, image, tableur ; 10 Mo au plus)")

    EXTENSIONS = {"pdf", "png", "jpg", "jpeg", "odt", "ods", "xlsx", "docx", "csv"}

    def clean_fichier(self):
        f = self.cleaned_data["fichier"]
        extension = f.name.rsplit(".", 1)[-1].lower() if "." in f.name else ""
        if extension not in self.EXTENSIONS:
            raise ValidationError(f"Type de fichier refusé : « .{extension} » ({', '.join(sorted(self.EXTENSIONS))}).")
        if f.size > 10 * 1024 * 1024:
            raise ValidationError(f"Le fichier pèse {f.size // (1024 * 1024)} Mo : 10 Mo au plus.")
        return f
