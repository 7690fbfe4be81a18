from django import template
from django.utils.html import format_html

from repere.utils.soumission import CHAMP, nouveau_jeton

register = template.Library()


@register.simple_tag
def jeton_soumission():
    """The form's one-time token (idempotent create actions, repere.utils.soumission)."""
    return format_html('<input type="hidden" name="{}" value="{}">', CHAMP, nouveau_jeton())
