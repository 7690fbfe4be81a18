from django import forms
from django.conf import settings

from repere.observatoire import selectors
from repere.observatoire.geographie import geographie
from repere.observatoire.models import Agregation, Diffusion, Niveau, Unite

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
        self.fields["perimetre"].choices = perimetres() + [
            (f"{n}:{c}", f"Votre territoire : {geographie().lieu(n, c).nom}")
            for n, c in sorted(selectors.territoires_autorises(user))
            if geographie().lieu(n, c) and n != Niveau.COMMUNE
        ]
        self.fields["perimetre"].initial = self.fields["perimetre"].choices[0][0]
        # A commune whose IRIS outlines are loaded can be a map's whole territory (zoom to its IRIS).
        niveau, _, code = str(self.data.get("perimetre") or "").partition(":")
        commune = geographie().lieu(niveau, code) if niveau == Niveau.COMMUNE else None
        if commune and geographie().iris_de(code):
            self.fields["perimetre"].choices += [(f"commune:{code}", f"{commune.nom} (par IRIS)")]

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
        if d["niveau"] == Niveau.IRIS and not selectors.codes_du_perimetre(Niveau.IRIS, d["perimetre_lieu"]):
            self.add_error(
                "niveau",
                f"Aucun contour d'IRIS n'est chargé pour « {d['perimetre_lieu'].nom} » "
                "(manage.py observatoire_importer_iris, voir le README).",
            )
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


class ImportForm(forms.Form):
    SOURCES = [
        ("filosofi", "INSEE Filosofi (FILO2021_DISP_COM.csv, _EPCI, _DEP, _REG, IRIS)"),
        ("caf", "CAF, allocataires par commune (data.caf.fr)"),
        ("autre", "Autre fichier d'indicateur CSV ou XLSX (choix des colonnes à l'étape suivante)"),
    ]
    source = forms.ChoiceField(label="Type de fichier", choices=SOURCES, widget=forms.RadioSelect)
    fichier = forms.FileField(label="Fichier (CSV ou XLSX, 100 Mo au plus)")
    ignorer_inconnus = forms.BooleanField(
        label="Ignorer (avec un avertissement) les codes de territoire inconnus du COG", required=False
    )

    def clean_fichier(self):
        f = self.cleaned_data["fichier"]
        if f.size > 100 * 1024 * 1024:
            raise forms.ValidationError(f"Fichier trop gros ({f.size // (1024 * 1024)} Mo) : 100 Mo au plus.")
        return f


class CorrespondanceForm(forms.Form):
    code_indicateur = forms.RegexField(
        label="Code de l'indicateur",
        regex=r"^[a-z0-9_]{2,60}$",
        help_text="Lettres minuscules, chiffres et _ (ex. msa_beneficiaires_rsa)",
        error_messages={"invalid": "2 à 60 caractères parmi a-z, 0-9 et _."},
    )
    libelle = forms.CharField(label="Libellé", max_length=200)
    unite = forms.ChoiceField(label="Unité", choices=Unite.choices)
    agregation = forms.ChoiceField(
        label="Agrégation vers le haut", choices=Agregation.choices, initial=Agregation.AUCUNE
    )
    facteur = forms.FloatField(label="Facteur du taux (100 pour un pourcentage)", initial=1, min_value=0.000001)
    niveau = forms.ChoiceField(label="Niveau géographique", choices=Niveau.choices, initial=Niveau.COMMUNE)
    colonne_code = forms.ChoiceField(label="Colonne du code du territoire")
    colonne_valeur = forms.ChoiceField(label="Colonne de la valeur", required=False)
    colonne_periode = forms.ChoiceField(label="Colonne de la période", required=False)
    periode = forms.CharField(label="…ou période fixe (AAAA, AAAA-MM)", required=False, max_length=10)
    colonne_numerateur = forms.ChoiceField(label="Colonne du numérateur", required=False)
    colonne_denominateur = forms.ChoiceField(label="Colonne du dénominateur", required=False)
    colonne_statut = forms.ChoiceField(label="Colonne du statut (secret, nd, provisoire…)", required=False)
    source_donnees = forms.CharField(label="Source", max_length=200, required=False)
    producteur = forms.CharField(label="Producteur", max_length=120, required=False)
    diffusion = forms.ChoiceField(label="Diffusion", choices=Diffusion.choices, initial=Diffusion.PUBLIC)

    def __init__(self, *args, colonnes, **kwargs):
        super().__init__(*args, **kwargs)
        choix = [(c, c) for c in colonnes]
        self.fields["colonne_code"].choices = choix
        for nom in (
            "colonne_valeur",
            "colonne_periode",
            "colonne_numerateur",
            "colonne_denominateur",
            "colonne_statut",
        ):
            self.fields[nom].choices = [("", "— aucune —"), *choix]
