"""Form fields shared by the apps: amounts typed the French way (« 850,50 »).

A ``type="number"`` input is not used for amounts: browsers read « 85,50 » differently depending on
their language (some drop the comma and send 8550). The field is a text input with a decimal
keyboard, and the server reads it with ``repere.utils.saisie.lire_nombre`` (the one reader).
"""

from __future__ import annotations

from django import forms

from repere.utils.saisie import lire_nombre


class ChampMontant(forms.DecimalField):
    """A ``DecimalField`` that accepts « 850,50 », « 850.50 » and « 1 200,50 € »."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # No min/max/step: they belong to number inputs and would make the browser refuse « 85,50 ».
        return forms.Field.widget_attrs(self, widget)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            valeur = lire_nombre(value)
        except ValueError:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": str(value)[:30]}
            ) from None
        return valeur
