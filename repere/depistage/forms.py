import re

from django import forms

from repere.depistage.assemblage import mois_courant
from repere.droits.menage import MOIS_MAX, MOIS_MIN


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
        mois = (self.cleaned_data.get("mois") or "").strip()
        if not mois:
            return mois_courant()
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", mois):
            raise forms.ValidationError("Indiquez le mois au format AAAA-MM, par exemple 2026-11.")
        if not (MOIS_MIN <= mois <= MOIS_MAX):
            raise forms.ValidationError(f"Le mois doit être compris entre {MOIS_MIN} et {MOIS_MAX}.")
        return mois
