from django import template

from repere.utils import nombres

register = template.Library()


@register.filter
def decrire(field):
    """Render a field's widget tied to its help text and errors (aria-describedby, aria-invalid)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_aide")
    if field.errors:
        ids.append(f"{field.auto_id}_erreur")
    attrs = {}
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def euros(valeur):
    """Rounded to the euro, for the public (delegates to the one helper, repere.utils.nombres)."""
    return nombres.euros(valeur)
