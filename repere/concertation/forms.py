from django import forms

from repere.pilotage.models import Statut

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReunionForm(forms.Form):
    titre = forms.CharField(label="Titre", max_length=200)
    date = forms.DateTimeField(label="Date et heure", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    lieu = forms.CharField(label="Lieu", max_length=200, required=False)
    ordre_du_jour = forms.CharField(label="Ordre du jour", widget=forms.Textarea(attrs={"rows": 4}), required=False)


class CompteRenduForm(forms.Form):
    compte_rendu = forms.CharField(label="Compte rendu", widget=forms.Textarea(attrs={"rows": 6}), required=False)
    presents = forms.ModelMultipleChoiceField(
        label="Présents", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, groupe, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presents"].queryset = groupe.membres.all()
        self.fields["presents"].label_from_instance = lambda u: u.get_full_name() or u.email


class DecisionForm(forms.Form):
    EFFETS = [
        ("simple", "Sans effet sur la feuille de route"),
        ("creer", "Crée une action"),
        ("changer", "Change une action"),
    ]
    texte = forms.CharField(label="Décision", widget=forms.Textarea(attrs={"rows": 2}))
    effet = forms.ChoiceField(label="Effet", choices=EFFETS, widget=forms.RadioSelect, initial="simple")
    plan = forms.ModelChoiceField(label="Plan où créer l'action", queryset=None, required=False)
    titre_action = forms.CharField(label="Titre de la nouvelle action", max_length=300, required=False)
    action = forms.ModelChoiceField(label="Action changée", queryset=None, required=False)
    statut = forms.ChoiceField(label="Nouveau statut", choices=[("", "Inchangé"), *Statut.choices], required=False)

    def __init__(self, *args, plans, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["action"].queryset = actions

    def clean(self):
        d = super().clean()
        if d.get("effet") == "creer" and not d.get("plan"):
            self.add_error("plan", "Choisissez le plan où créer l'action.")
        if d.get("effet") == "changer" and not d.get("action"):
            self.add_error("action", "Choisissez l'action changée.")
        return d


class TacheForm(forms.Form):
    titre = forms.CharField(label="Tâche", max_length=300)
    responsable = forms.ModelChoiceField(label="Confiée à", queryset=None)
    echeance = forms.DateField(label="Échéance", widget=DATE)

    def __init__(self, *args, groupe, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsable"].queryset = groupe.membres.all()
        self.fields["responsable"].label_from_instance = lambda u: u.get_full_name() or u.email


class ImportSyntheseForm(forms.Form):
    fichier = forms.FileField(
        label="Synthèse écrite (Markdown)",
        required=False,
        help_text="Vide : la synthèse 2023 jointe au projet, si elle est présente.",
    )


class RenommerForm(forms.Form):
    titre = forms.CharField(label="Titre", max_length=300)
    texte = forms.CharField(label="Texte", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class VersActionForm(forms.Form):
    plan = forms.ModelChoiceField(label="Plan de la nouvelle action", queryset=None)

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
