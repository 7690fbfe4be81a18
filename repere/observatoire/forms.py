from django import forms
from django.conf import settings

from repere.observatoire import selectors
from repere.observatoire.geographie import geographie
from repere.observatoire.models import Niveau

METHODES = [
    ("quantiles", "Quantiles (autant de territoires par classe)"),
    ("seuils_naturels", "Seuils naturels (Jenks)"),
]
NIVEAUX_CARTE = [(n, Niveau(n).label) for n in selectors.NIVEAUX_CARTE]


def _lieu(texte: str, champ: str):
    jeton = (texte or "").split()
    if not jeton:
        return None
    niveau, _, code = jeton[-1].partition(":")
    lieu = geographie().lieu(niveau, code)
    if lieu is None:
        raise forms.ValidationError(f"Territoire inconnu : « {texte} ».", code=champ)
    return lieu


def perimetres() -> list[tuple[str, str]]:
    """The régions of the deployment, their départements, then France."""
    geo = geographie()
    choix = []
    for region in settings.REPERE_REGIONS:
        lieu = geo.lieu(Niveau.REGION, region)
        if lieu is None:
            continue
        choix.append((f"region:{region}", f"Région {lieu.nom}"))
        for code in sorted(geo.codes(Niveau.DEPARTEMENT)):
            dep = geo.lieu(Niveau.DEPARTEMENT, code)
            if dep.parents.get(Niveau.REGION) == region:
                choix.append((f"departement:{code}", f"{dep.nom} ({code})"))
    choix.append(("france:FR", "France entière"))
    return choix


class CarteForm(forms.Form):
    indicateur = forms.ChoiceField(label="Indicateur")
    periode = forms.CharField(label="Période", required=False)
    niveau = forms.ChoiceField(label="Découpage", choices=NIVEAUX_CARTE, initial=Niveau.COMMUNE, required=False)
    perimetre = forms.ChoiceField(label="Territoire couvert", required=False)
    methode = forms.ChoiceField(label="Classes", choices=METHODES, initial="quantiles", required=False)
    classes = forms.TypedChoiceField(
        label="Nombre de classes",
        choices=[(n, str(n)) for n in range(3, 7)],
        coerce=int,
        initial=5,
        required=False,
        empty_value=5,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self._indicateurs = {i.code: i for i in selectors.indicateurs_visibles(user)}
        self.fields["indicateur"].choices = [(code, i.libelle) for code, i in self._indicateurs.items()]
        self.fields["perimetre"].choices = perimetres()
        self.fields["perimetre"].initial = self.fields["perimetre"].choices[0][0]

    def clean(self):
        d = super().clean()
        d["niveau"] = d.get("niveau") or Niveau.COMMUNE
        d["methode"] = d.get("methode") or "quantiles"
        d["classes"] = d.get("classes") or 5
        indicateur = self._indicateurs.get(d.get("indicateur"))
        if indicateur is None:
            return d
        try:
            d["perimetre_lieu"] = _lieu(d.get("perimetre") or self.fields["perimetre"].initial, "perimetre")
        except forms.ValidationError as e:
            self.add_error("perimetre", e)
            return d
        if not indicateur.est_public and not selectors.peut_voir_activite(self.user, d["perimetre_lieu"]):
            self.add_error("indicateur", "Cet indicateur d'activité n'est visible que des équipes de ce territoire.")
            return d
        periodes = selectors.periodes(indicateur)
        if not periodes:
            self.add_error("indicateur", "Aucune valeur n'est encore chargée pour cet indicateur.")
            return d
        if not d.get("periode"):
            d["periode"] = periodes[-1]
        elif d["periode"] not in periodes:
            self.add_error("periode", f"Période « {d['periode']} » sans valeur ; disponibles : {', '.join(periodes)}.")
        d["indicateur"] = indicateur
        d["periodes"] = periodes
        return d


class BarometreForm(forms.Form):
    territoire = forms.CharField(label="Territoire", required=False, widget=forms.HiddenInput)
    du = forms.DateField(label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    par = forms.ChoiceField(
        label="Croiser les obstacles avec",
        choices=[("organisme", "l'organisme concerné"), ("type_non_recours", "le type de non-recours")],
        initial="organisme",
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        d = super().clean()
        try:
            d["territoire_lieu"] = _lieu(d.get("territoire") or "", "territoire")
        except forms.ValidationError as e:
            self.add_error("territoire", e)
        d["par"] = d.get("par") or "organisme"
        if d.get("du") and d.get("au") and d["du"] > d["au"]:
            self.add_error("au", "La fin de la période précède son début.")
        return d
