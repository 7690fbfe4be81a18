from django import forms

from repere.depistage.assemblage import lire_mois


class DepistageForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier des ménages",
        help_text="CSV (UTF-8 ou Windows-1252, séparateur ; ou ,), XLSX ou Parquet ; une ligne par personne. "
        "Téléchargez le modèle de fichier proposé sur cette page.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.parquet"}),
    )
    format_sortie = forms.ChoiceField(
        label="Format des résultats",
        choices=[("csv", "CSV (tableur, séparateur ;)"), ("xlsx", "Excel (XLSX)"), ("parquet", "Parquet")],
        initial="csv",
    )
    mois = forms.CharField(
        label="Mois simulé",
        required=False,
        max_length=7,
        help_text="AAAA-MM ; par défaut le mois en cours.",
        widget=forms.TextInput(attrs={"placeholder": "AAAA-MM", "inputmode": "numeric"}),
    )

    def clean_mois(self):
        try:
            return lire_mois(self.cleaned_data.get("mois"))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
