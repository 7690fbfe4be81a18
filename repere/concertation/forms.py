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


class EvenementForm(forms.Form):
    nom = forms.CharField(label="Nom", max_length=200)
    date = forms.DateField(label="Date", widget=DATE)
    lieu = forms.CharField(label="Lieu", max_length=200, required=False)
    programme = forms.CharField(label="Programme", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    organisation = forms.ModelChoiceField(label="Organisation qui l'organise", queryset=None, empty_label=None)
    plan = forms.ModelChoiceField(label="Feuille de route alimentée", queryset=None, required=False)

    def __init__(self, *args, organisations, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["plan"].queryset = plans


class AtelierForm(forms.Form):
    thematique = forms.CharField(label="Thématique", max_length=300)
    enjeu = forms.CharField(label="Enjeu", widget=forms.Textarea(attrs={"rows": 2}))


class AnimateurForm(forms.Form):
    atelier = forms.ModelChoiceField(label="Atelier", queryset=None)
    email = forms.EmailField(label="E-mail de l'animateur (compte existant)")

    def __init__(self, *args, evenement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["atelier"].queryset = evenement.ateliers.all()
        self.fields["atelier"].label_from_instance = lambda a: f"n°{a.numero} — {a.enjeu[:60]}"


class KiosqueForm(forms.Form):
    thematique = forms.CharField(label="Thématique", max_length=200, required=False)
    titre = forms.CharField(label="Projet présenté", max_length=200)
    structure = forms.CharField(
        label="Structure de l'annuaire",
        max_length=150,
        required=False,
        help_text="Son nom, tel qu'il figure dans l'annuaire.",
    )
    action = forms.ModelChoiceField(label="Action de la feuille de route", queryset=None, required=False)

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = actions

    def clean_structure(self):
        from repere.annuaire.models import Structure

        nom = self.cleaned_data["structure"].strip()
        if not nom:
            return None
        trouvees = list(Structure.objects.filter(nom__icontains=nom)[:2])
        if not trouvees:
            raise forms.ValidationError(f"Aucune structure de l'annuaire ne s'appelle « {nom} ».")
        exacte = [s for s in trouvees if s.nom.lower() == nom.lower()]
        if len(trouvees) > 1 and not exacte:
            raise forms.ValidationError(f"Plusieurs structures correspondent à « {nom} » : précisez le nom.")
        return (exacte or trouvees)[0]


class GroupeForm(forms.Form):
    nom = forms.CharField(label="Nom", max_length=200)
    theme = forms.CharField(label="Thème", max_length=300, required=False)
    organisation_pilote = forms.ModelChoiceField(label="Organisation pilote", queryset=None, empty_label=None)
    plan = forms.ModelChoiceField(label="Feuille de route suivie", queryset=None, required=False)

    def __init__(self, *args, organisations, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation_pilote"].queryset = organisations
        self.fields["plan"].queryset = plans


class MembreForm(forms.Form):
    email = forms.EmailField(label="E-mail du membre (compte existant)")
