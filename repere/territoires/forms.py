import re

from django import forms

from repere.territoires.models import Territoire, TypeTerritoire

_SEPARATEURS = re.compile(r"[\s,;]+")


class TerritoiresField(forms.CharField):
    """A list of territories typed as `type:code` tokens (one per line), or bare codes.

    A bare code of 5 characters is a commune, 9 digits an EPCI (SIREN), 2 or 3 characters a
    département; régions need `region:52`. The page's autocomplete fills tokens in.
    """

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            "Un territoire par ligne, sous la forme commune:49092, epci:200060010, departement:49 ou region:52. "
            "Utilisez le champ de recherche ci-dessous pour les trouver par leur nom.",
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, str) or value is None:
            return value
        return "\n".join(f"{t.type}:{t.code}" for t in value)

    def to_python(self, value):
        texte = super().to_python(value) or ""
        territoires, inconnus = [], []
        for jeton in _SEPARATEURS.split(texte.strip()):
            if not jeton:
                continue
            if ":" in jeton:
                type_, code = jeton.split(":", 1)
            elif jeton.isdigit() and len(jeton) == 9:
                type_, code = TypeTerritoire.EPCI, jeton
            elif len(jeton) == 5:
                type_, code = TypeTerritoire.COMMUNE, jeton.upper()
            elif len(jeton) in (2, 3):
                type_, code = TypeTerritoire.DEPARTEMENT, jeton.upper()
            else:
                inconnus.append(jeton)
                continue
            territoire = Territoire.objects.filter(type=type_, code=code).first()
            if territoire is None:
                inconnus.append(jeton)
            elif territoire not in territoires:
                territoires.append(territoire)
        if inconnus:
            raise forms.ValidationError(f"Territoire inconnu : {', '.join(inconnus)}.")
        return territoires
