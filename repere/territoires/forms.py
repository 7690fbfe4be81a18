import re

from django import forms

from repere.territoires.models import Territoire, TypeTerritoire

_SEPARATEURS = re.compile(r"[\s,;]+")


_JETON = re.compile(
    r"(?:(?:commune|epci|departement|region|commune_deleguee|commune_associee|arrondissement):[0-9AB]+|\d{9}|[0-9AB]{5}|[0-9AB]{2,3})",
    re.IGNORECASE,
)
TOUS_LES_TYPES = (TypeTerritoire.COMMUNE, TypeTerritoire.EPCI, TypeTerritoire.DEPARTEMENT, TypeTerritoire.REGION)


class TerritoiresField(forms.CharField):
    """A list of territories, one per line, each typed by its name (« Chemillé-en-Anjou », « Mauges
    Communauté », « Maine-et-Loire ») or chosen in the page's autocomplete; `type:code` tokens (what the
    autocomplete fills in) and bare codes are accepted too. Shown back by name."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            "Un territoire par ligne : tapez son nom (commune, intercommunalité, département ou région) ou "
            "utilisez le champ de recherche pour le trouver.",
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        from repere.territoires.api import libelle

        if isinstance(value, str) or value is None:
            return value
        return "\n".join(libelle(t) if isinstance(t, Territoire) else str(t) for t in value)

    def to_python(self, value):
        texte = super().to_python(value) or ""
        territoires, erreurs = [], []
        for ligne in re.split(r"[\n;]+", texte):
            ligne = ligne.strip()
            if not ligne:
                continue
            jetons = [j for j in _SEPARATEURS.split(ligne) if j]
            if all(_JETON.fullmatch(j) for j in jetons):
                trouves = [self._par_code(j, erreurs) for j in jetons]
            else:
                try:
                    trouves = [trouver_territoire(ligne, types=TOUS_LES_TYPES)]
                except forms.ValidationError as e:
                    erreurs.extend(e.messages)
                    continue
            for t in trouves:
                if t is not None and t not in territoires:
                    territoires.append(t)
        if erreurs:
            raise forms.ValidationError(erreurs)
        return territoires

    @staticmethod
    def _par_code(jeton: str, erreurs: list) -> Territoire | None:
        if ":" in jeton:
            type_, code = jeton.split(":", 1)
            type_, code = type_.lower(), code.upper()
        elif jeton.isdigit() and len(jeton) == 9:
            type_, code = TypeTerritoire.EPCI, jeton
        elif len(jeton) == 5:
            type_, code = TypeTerritoire.COMMUNE, jeton.upper()
        else:
            type_, code = TypeTerritoire.DEPARTEMENT, jeton.upper()
        territoire = Territoire.objects.filter(type=type_, code=code).first()
        if territoire is None:
            erreurs.append(f"Territoire inconnu : {jeton}.")
        return territoire


# -- Pickers: a territory typed by its name, chosen in the autocomplete -------------------------------------

# what the list shows after a name: « (49120) », « — EPCI », « (49) — département », « — commune déléguée »
_SUFFIXE_LIBELLE = re.compile(r"\s*(?:—[^—()]*|\([^()]*\))\s*$")


def trouver_territoire(texte: str, *, types, code: str = "") -> Territoire:
    """The territory meant by what was typed: the code chosen in the list when the text still matches it,
    else a code typed by hand, else the name (one clear match). French message naming the value otherwise."""
    from repere.territoires.api import libelle
    from repere.territoires.selectors import autocompleter
    from repere.utils.text import normalise

    texte = (texte or "").strip()
    if code:
        t = Territoire.objects.filter(type__in=types, code=code.strip().upper()).first()
        if t is not None and (not texte or normalise(texte) in (normalise(t.nom), normalise(libelle(t)))):
            return t
    compact = texte.replace(" ", "").upper()
    if ":" in compact:
        type_, _, valeur = compact.partition(":")
        t = Territoire.objects.filter(type=type_.lower(), code=valeur, type__in=types).first()
        if t is not None:
            return t
    if compact.isdigit() or (len(compact) in (2, 3) and compact[:2].isdigit()):
        t = Territoire.objects.filter(type__in=types, code=compact).order_by("type").first()
        if t is not None:
            return t
    cherches = list(types)
    if TypeTerritoire.COMMUNE in cherches:  # « Chemillé », commune déléguée, means Chemillé-en-Anjou
        cherches += [TypeTerritoire.COMMUNE_DELEGUEE, TypeTerritoire.COMMUNE_ASSOCIEE]
    nom = _SUFFIXE_LIBELLE.sub("", _SUFFIXE_LIBELLE.sub("", texte)).strip() or texte
    trouves = autocompleter(q=nom, types=cherches, limite=8)
    exacts = [t for t in trouves if normalise(t.nom) == normalise(texte) or normalise(libelle(t)) == normalise(texte)]
    exacts = list(dict.fromkeys(_commune_actuelle(t) for t in exacts))
    trouves = list(dict.fromkeys(_commune_actuelle(t) for t in trouves))
    if len(exacts) == 1 or (len(trouves) == 1 and not exacts):
        return (exacts or trouves)[0]
    if not trouves:
        quoi = "Aucune commune" if list(types) == [TypeTerritoire.COMMUNE] else "Aucun territoire"
        raise forms.ValidationError(f"{quoi} ne correspond à « {texte[:80]} » : vérifiez l'orthographe.")
    noms = ", ".join(libelle(t) for t in (exacts or trouves)[:5])
    raise forms.ValidationError(
        f"Plusieurs territoires correspondent à « {texte[:80]} » ({noms}) : choisissez dans la liste."
    )


def _commune_actuelle(t: Territoire) -> Territoire:
    if t.type in (TypeTerritoire.COMMUNE_DELEGUEE, TypeTerritoire.COMMUNE_ASSOCIEE) and t.commune_parente_id:
        return t.commune_parente
    return t


class TerritoireAutocomplete(forms.TextInput):
    """A text input with the territory autocomplete (static/js/autocomplete.js); the code of the territory
    chosen in the list goes into the hidden input ``<name>_code``. Without JavaScript, the name typed is
    enough (see ``trouver_territoire``)."""

    template_name = "territoires/widgets/autocomplete.html"

    def __init__(self, *, types, attrs=None):
        self.types = list(types)
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        from repere.territoires.api import libelle

        if isinstance(value, Territoire):
            return libelle(value)
        if isinstance(value, tuple):
            return value[0]
        return super().format_value(value)

    def value_from_datadict(self, data, files, name):
        return (data.get(name, ""), data.get(f"{name}_code", ""))

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def get_context(self, name, value, attrs):
        from django.urls import reverse

        contexte = super().get_context(name, value, attrs)
        code = value.code if isinstance(value, Territoire) else (value[1] if isinstance(value, tuple) else "")
        contexte["widget"].update(code=code, types=",".join(self.types), url=reverse("api:recherche"))
        return contexte


class TerritoireField(forms.Field):
    """One territory (a commune by default), chosen by its name; cleaned to a ``Territoire``."""

    def __init__(self, *, types=(TypeTerritoire.COMMUNE,), **kwargs):
        self.types = list(types)
        kwargs.setdefault("widget", TerritoireAutocomplete(types=self.types))
        kwargs.setdefault("help_text", "Tapez le nom ou le code postal, puis choisissez dans la liste.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, str) and value and not isinstance(value, tuple):
            t = Territoire.objects.filter(type__in=self.types, code=value).first()
            return t or value
        if isinstance(value, int):
            return Territoire.objects.filter(pk=value).first()
        return value

    def to_python(self, value):
        if isinstance(value, Territoire):
            return value
        texte, code = value if isinstance(value, tuple) else (value or "", "")
        if not (texte or "").strip():
            return None
        return trouver_territoire(texte, types=self.types, code=code)


# -- Several territories, each chosen by its name ------------------------------------------------------------

_JETON_TYPE_CODE = re.compile(r"[a-z_]+:[0-9AB]+", re.IGNORECASE)
LONGUEUR_SAISIE_MAX = 2000


class TerritoiresAutocomplete(forms.Widget):
    """The territories chosen, as checked boxes named by their names (untick to remove one), and a text
    input with the territory autocomplete to add one more: the choice appends a checked box (keyboard:
    arrows, Enter). Without JavaScript, names typed in the input (several separated by « ; ») are read
    when the form is sent (see ``trouver_territoire``). Posts ``<name>`` (one ``type:code`` per box, never
    shown) and ``<name>_ajout`` (the text typed)."""

    template_name = "territoires/widgets/autocomplete_multiple.html"

    def __init__(self, *, types, attrs=None):
        self.types = list(types)
        super().__init__(attrs={"autocomplete": "off", "maxlength": LONGUEUR_SAISIE_MAX, **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        jetons = data.getlist(name) if hasattr(data, "getlist") else list(data.get(name) or [])
        if isinstance(jetons, str):
            jetons = [jetons]
        return (list(jetons), data.get(f"{name}_ajout", ""))

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_ajout" not in data

    def get_context(self, name, value, attrs):
        from django.urls import reverse

        from repere.territoires.api import libelle

        contexte = super().get_context(name, value, attrs)
        choisis, texte = [], ""
        if isinstance(value, tuple):
            jetons, texte = value
            restes = []
            for jeton in jetons:
                t = None
                if _JETON_TYPE_CODE.fullmatch(jeton.strip()):
                    type_, code = jeton.strip().split(":", 1)
                    t = Territoire.objects.filter(type=type_.lower(), code=code.upper()).first()
                (choisis.append(t) if t is not None else restes.append(jeton.strip()))
            texte = " ; ".join([r for r in restes if r] + ([texte.strip()] if texte.strip() else []))
        elif isinstance(value, str):
            texte = value
        elif value:
            choisis = [t for t in value if isinstance(t, Territoire)]
        identifiant = contexte["widget"]["attrs"].get("id") or f"id_{name}"
        contexte["widget"].update(
            choisis=[
                {"jeton": f"{t.type}:{t.code}", "libelle": libelle(t), "id": f"{identifiant}_choix_{i}"}
                for i, t in enumerate(dict.fromkeys(choisis))
            ],
            texte=texte,
            liste=f"{identifiant}_choisis",
            types=",".join(self.types),
            url=reverse("api:recherche"),
        )
        return contexte


class TerritoiresChoixField(forms.Field):
    """Several territories of the given types, chosen with the autocomplete (``TerritoiresAutocomplete``),
    cleaned to a list of ``Territoire``. A bad value gives a French message naming the field and the value."""

    def __init__(self, *, types=TOUS_LES_TYPES, **kwargs):
        self.types = list(types)
        kwargs.setdefault("widget", TerritoiresAutocomplete(types=self.types))
        kwargs.setdefault(
            "help_text",
            "Tapez un nom ou un code postal, puis choisissez dans la liste : chaque territoire choisi s'ajoute "
            "aux cases cochées (décochez pour en retirer un). Plusieurs noms à la fois : séparez-les par « ; ».",
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, (tuple, str)) or value is None:
            return value
        return list(value)

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, str):
            jetons, texte = [], value
        elif isinstance(value, tuple):
            jetons, texte = value
        else:
            return [t for t in value if isinstance(t, Territoire)]
        texte = texte or ""
        nom = self.label or "Territoires"
        if len(texte) > LONGUEUR_SAISIE_MAX:
            raise forms.ValidationError(f"{nom} : le texte saisi dépasse {LONGUEUR_SAISIE_MAX} caractères.")
        territoires, erreurs = [], []
        morceaux = [m.strip() for bloc in [*jetons, texte] for m in re.split(r"[\n;]+", bloc or "")]
        for morceau in filter(None, morceaux):
            t = None
            if _JETON_TYPE_CODE.fullmatch(morceau):
                type_, code = morceau.split(":", 1)
                t = Territoire.objects.filter(type=type_.lower(), code=code.upper(), type__in=self.types).first()
                if t is None:
                    erreurs.append(f"{nom} : territoire inconnu ou d'un autre type : « {morceau[:80]} ».")
                    continue
            else:
                try:
                    t = trouver_territoire(morceau, types=self.types)
                except forms.ValidationError as e:
                    erreurs.extend(f"{nom} : {m[0].lower()}{m[1:]}" for m in e.messages)
                    continue
            if t not in territoires:
                territoires.append(t)
        if erreurs:
            raise forms.ValidationError(erreurs)
        return territoires
