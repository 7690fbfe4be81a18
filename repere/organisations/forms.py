from django import forms

from repere.organisations.models import Organisation, Role
from repere.territoires.forms import TerritoiresChoixField

CHAMPS_PLATEFORME = ("type", "territoires")


class OrganisationForm(forms.ModelForm):
    """The organisation's details. ``complet=False`` (an organisation's own admin) leaves out its type and
    territories of action: they grant moderation and referral rights, only the platform admin sets them."""

    territoires = TerritoiresChoixField(label="Territoires d'action", required=False)

    class Meta:
        model = Organisation
        fields = ["nom", "type", "siret", "email", "telephone"]

    def __init__(self, *args, complet: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not complet:
            for champ in CHAMPS_PLATEFORME:
                del self.fields[champ]

    def clean_siret(self):
        siret = self.cleaned_data["siret"].replace(" ", "")
        if siret and (not siret.isdigit() or len(siret) != 14):
            raise forms.ValidationError("Le SIRET doit compter 14 chiffres.")
        return siret


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail de la personne à inviter")
    role = forms.ChoiceField(label="Rôle", choices=Role.choices, initial=Role.PROFESSIONNEL)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)


class CreationCompteForm(forms.Form):
    """Account creation when accepting an invitation (the e-mail comes from the invitation)."""

    first_name = forms.CharField(
        label="Prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password1 = forms.CharField(
        label="Mot de passe",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Au moins 10 caractères, pas uniquement des chiffres.",
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        from django.contrib.auth import password_validation

        from repere.comptes.models import User

        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif p1:
            try:
                password_validation.validate_password(
                    p1,
                    User(email=self.email, first_name=data.get("first_name", ""), last_name=data.get("last_name", "")),
                )
            except forms.ValidationError as e:
                self.add_error("password1", e)
        return data
