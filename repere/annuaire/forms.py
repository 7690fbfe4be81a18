import re
from datetime import datetime

from django import forms
from django.utils import timezone

from repere.annuaire import horaires, taxonomies
from repere.annuaire.models import (
    BaseLegale,
    Fermeture,
    MotifRefus,
    PreferenceContact,
    ResultatOrientation,
    Service,
    StatutOrientation,
    Structure,
)
from repere.annuaire.selectors import RAYON_DEFAUT_KM, RAYON_MAX_KM, Criteres
from repere.territoires.forms import TerritoiresField
from repere.territoires.selectors import get_commune

CHOIX_RAYONS = [(5, "5 km"), (10, "10 km"), (20, "20 km"), (30, "30 km"), (50, "50 km"), (100, "100 km")]


class RechercheForm(forms.Form):
    commune_nom = forms.CharField(
        label="Commune", required=False, help_text="Tapez le nom ou le code postal puis choisissez dans la liste."
    )
    commune = forms.CharField(required=False, widget=forms.HiddenInput)
    adresse = forms.CharField(
        label="Votre adresse (facultatif)",
        required=False,
        max_length=200,
        help_text="Numéro et rue, pour des distances depuis chez vous plutôt que depuis le centre de la commune. "
        "Elle n'est pas enregistrée.",
    )
    rayon = forms.TypedChoiceField(
        label="Distance maximale", choices=CHOIX_RAYONS, coerce=int, initial=RAYON_DEFAUT_KM, required=False
    )
    q = forms.CharField(
        label="Mots-clés",
        required=False,
        max_length=100,
        help_text="Par exemple « colis alimentaire », « CAF », « France Services » ; les fautes de frappe sont tolérées.",
    )
    besoins = forms.MultipleChoiceField(
        label="Besoin", required=False, choices=taxonomies.choix_besoins(), widget=forms.CheckboxSelectMultiple
    )
    thematiques = forms.MultipleChoiceField(label="Affiner par thématique", required=False)
    publics = forms.MultipleChoiceField(
        label="Publics", required=False, choices=taxonomies.CHOIX_PUBLICS, widget=forms.CheckboxSelectMultiple
    )
    frais = forms.MultipleChoiceField(
        label="Frais", required=False, choices=taxonomies.CHOIX_FRAIS, widget=forms.CheckboxSelectMultiple
    )
    modes_accueil = forms.MultipleChoiceField(
        label="Accueil", required=False, choices=taxonomies.CHOIX_MODES_ACCUEIL, widget=forms.CheckboxSelectMultiple
    )
    ouvert_maintenant = forms.BooleanField(label="Ouvert maintenant", required=False)
    ouvert_le = forms.DateField(
        label="Ouvert le", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get("rayon"):
            # a link without a distance searches within the default one: the list shows it (not its first choice)
            self.data = self.data.copy()
            self.data["rayon"] = str(RAYON_DEFAUT_KM)
        # fine thématiques, shown behind each need; catégories still accepted (links made before)
        self.fields["thematiques"].choices = taxonomies.choix_categories() + [
            choix for _groupe, choix in taxonomies.choix_thematiques_groupees() for choix in choix
        ]

    def clean(self):
        donnees = super().clean()
        code = (donnees.get("commune") or "").strip()
        nom = (donnees.get("commune_nom") or "").strip()
        donnees["territoire"] = None
        if code:
            territoire = get_commune(code)
            if territoire is None:
                self.add_error("commune_nom", "Commune inconnue : choisissez-la dans la liste proposée.")
            donnees["territoire"] = territoire
        elif nom:
            from repere.territoires.selectors import autocompleter

            trouvees = autocompleter(q=nom, types=["commune"], limite=2)
            if not trouvees:
                self.add_error("commune_nom", f"Aucune commune ne correspond à « {nom} ».")
            else:
                donnees["territoire"] = trouvees[0]
        return donnees

    def criteres(self) -> Criteres:
        d = self.cleaned_data
        return Criteres(
            commune=d.get("territoire"),
            rayon_km=min(d.get("rayon") or RAYON_DEFAUT_KM, RAYON_MAX_KM),
            thematiques=d.get("thematiques") or [],
            besoins=d.get("besoins") or [],
            publics=d.get("publics") or [],
            frais=d.get("frais") or [],
            modes_accueil=d.get("modes_accueil") or [],
            texte=d.get("q") or "",
            ouvert_maintenant=bool(d.get("ouvert_maintenant")),
            ouvert_le=d.get("ouvert_le"),
        )


class OrientationForm(forms.Form):
    organisation = forms.ModelChoiceField(label="Vous orientez au nom de", queryset=None, empty_label=None)
    prenom = forms.CharField(label="Prénom de la personne", max_length=100)
    nom = forms.CharField(label="Nom de la personne", max_length=100)
    telephone = forms.CharField(label="Téléphone", max_length=30, required=False)
    courriel = forms.EmailField(label="E-mail", required=False)
    commune = forms.CharField(label="Commune de résidence", max_length=200, required=False)
    preference_contact = forms.ChoiceField(
        label="Comment la structure doit-elle contacter la personne ?",
        choices=PreferenceContact.choices,
        widget=forms.RadioSelect,
    )
    besoins = forms.CharField(
        label="Besoins et motif de l'orientation",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Le strict nécessaire pour que la structure prépare l'accueil. Pas de donnée de santé inutile.",
    )
    informe_par = forms.CharField(label="Personne informée par", max_length=200)
    informee_le = forms.DateTimeField(
        label="Informée le",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )
    version_notice = forms.CharField(
        label="Version de la notice d'information remise", max_length=50, initial="2026-01"
    )
    base_legale = forms.ChoiceField(label="Base légale du traitement", choices=BaseLegale.choices)
    engagement = forms.BooleanField(
        label="J'ai informé la personne de cette orientation et de la transmission de ses données à la structure."
    )
    piece_jointe = forms.FileField(
        label="Pièce jointe (facultatif)", required=False, help_text="PDF, PNG ou JPEG, 5 Mo au plus."
    )

    def __init__(self, *args, organisations=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if user is not None and not self.is_bound:
            self.initial["informe_par"] = user.get_full_name() or user.email
            self.initial["informee_le"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class ReponseForm(forms.Form):
    decision = forms.ChoiceField(
        label="Votre réponse",
        choices=[("accepter", "J'accepte l'orientation"), ("refuser", "Je refuse l'orientation")],
        widget=forms.RadioSelect,
    )
    motif_refus = forms.ChoiceField(label="Motif du refus", choices=[("", "—")] + MotifRefus.choices, required=False)
    commentaire = forms.CharField(label="Commentaire", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        d = super().clean()
        if d.get("decision") == "refuser" and not d.get("motif_refus"):
            self.add_error("motif_refus", "Choisissez le motif du refus.")
        if d.get("motif_refus") == MotifRefus.AUTRE and not (d.get("commentaire") or "").strip():
            self.add_error("commentaire", "Précisez le motif du refus.")
        return d


class ResultatForm(forms.Form):
    resultat = forms.ChoiceField(
        label="Résultat de l'orientation", choices=ResultatOrientation.choices, widget=forms.RadioSelect
    )
    commentaire = forms.CharField(label="Commentaire", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        d = super().clean()
        if d.get("resultat") == ResultatOrientation.AUTRE and not (d.get("commentaire") or "").strip():
            self.add_error("commentaire", "Précisez le résultat.")
        return d


class FiltreOrientationsForm(forms.Form):
    statut = forms.ChoiceField(label="Statut", choices=[("", "Tous")] + StatutOrientation.choices, required=False)
    resultat = forms.ChoiceField(label="Résultat", choices=[("", "Tous")] + ResultatOrientation.choices, required=False)
    depuis = forms.DateField(label="Envoyées depuis le", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    jusqua = forms.DateField(label="Jusqu'au", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label="Service ou structure", required=False, max_length=100)


def _liste_lignes(texte: str) -> list[str]:
    return [ligne.strip() for ligne in (texte or "").splitlines() if ligne.strip()]


MODE_GRILLE, MODE_AVANCE = "grille", "avance"
_JOUR_MOIS = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*$")
_JOURS_PAR_MOIS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def _lire_jour_mois(texte: str, nom: str) -> tuple[int, int] | None:
    texte = (texte or "").strip()
    if not texte:
        return None
    m = _JOUR_MOIS.match(texte)
    if not m or not (1 <= int(m[2]) <= 12 and 1 <= int(m[1]) <= _JOURS_PAR_MOIS[int(m[2]) - 1]):
        raise forms.ValidationError(f"{nom} « {texte} » : indiquez le jour et le mois, par exemple 01/08.")
    return int(m[2]), int(m[1])


class LieuEtHorairesMixin:
    """The guided part of the structure and service forms: no code, no coordinates, no OSM syntax.

    - Commune: typed by name (territory autocomplete fills the hidden INSEE code; without JavaScript the
      name is looked up the same way); the address suggestions (geocoder route) fill the address, postal
      code, commune and point; the point can be placed on the map; without any point, the commune's
      centre is used and the form says so.
    - Opening hours: one field per weekday (« 9h-12h, 14h-17h30 »; the script turns it into time
      pickers), public holidays, a yearly closure; written as OSM `opening_hours` for the user, read
      back from it. What the grid cannot say (seasons…) stays in the « avancé » field, as it was typed.
    """

    champs_lieu = ["adresse", "complement_adresse", "commune", "code_postal"]
    champs_horaires_grille = [f"horaires_{i}" for i in range(7)] + [
        "horaires_feries_fermes",
        "horaires_fermeture_du",
        "horaires_fermeture_au",
    ]

    @property
    def champs_groupes(self) -> list[str]:
        return [*self.champs_lieu, *self.champs_horaires_grille, "horaires_mode", "horaires_accueil"]

    @property
    def jours_horaires(self):
        return [self[f"horaires_{i}"] for i in range(7)]

    def _preparer_lieu_et_horaires(self, *, aide_vide: str):
        for nom in ("code_insee", "latitude", "longitude"):
            self.fields[nom].widget = forms.HiddenInput()
        self.fields["commune"].help_text = "Tapez le nom ou le code postal puis choisissez dans la liste."
        self.fields[
            "adresse"
        ].help_text = "Numéro et voie ; choisissez l'adresse proposée pour placer le lieu sur la carte."
        expression = self.instance.horaires_accueil if self.instance.pk else ""
        grille = horaires.vers_grille(expression)
        self.fields["horaires_mode"] = forms.ChoiceField(
            label="Comment saisir les horaires",
            choices=[(MODE_GRILLE, "Jour par jour"), (MODE_AVANCE, "Au format OpenStreetMap (avancé)")],
            widget=forms.RadioSelect,
            initial=MODE_GRILLE if grille is not None else MODE_AVANCE,
            required=False,
        )
        grille = grille or horaires.Grille()
        for i, jour in enumerate(horaires.JOURS_FR):
            self.fields[f"horaires_{i}"] = forms.CharField(
                label=jour.capitalize(), required=False, initial=horaires.ecrire_plages(grille.jours[i]), max_length=100
            )
        self.fields["horaires_feries_fermes"] = forms.BooleanField(
            label="Fermé les jours fériés", required=False, initial=grille.feries_fermes
        )
        du, au = grille.fermeture_annuelle or (None, None)
        self.fields["horaires_fermeture_du"] = forms.CharField(
            label="Fermeture chaque année du (jour/mois)",
            required=False,
            initial=f"{du[1]:02d}/{du[0]:02d}" if du else "",
            max_length=5,
        )
        self.fields["horaires_fermeture_au"] = forms.CharField(
            label="au (jour/mois)", required=False, initial=f"{au[1]:02d}/{au[0]:02d}" if au else "", max_length=5
        )
        self.fields["horaires_accueil"].label = "Horaires au format OpenStreetMap"
        self.fields["horaires_accueil"].help_text = "Par exemple « Mo-Fr 09:00-12:00; PH off ». " + aide_vide
        self.aide_horaires_vides = aide_vide

    def clean_horaires_accueil(self):
        return self.cleaned_data.get("horaires_accueil") or ""

    def _nettoyer_horaires(self, d: dict) -> None:
        if (d.get("horaires_mode") or MODE_GRILLE) == MODE_AVANCE:
            try:
                d["horaires_accueil"] = horaires.valider(d.get("horaires_accueil") or "")
            except horaires.HorairesInvalides as exc:
                self.add_error("horaires_accueil", f"{str(exc)[0].upper()}{str(exc)[1:]}.")
            return
        grille = horaires.Grille(feries_fermes=bool(d.get("horaires_feries_fermes")))
        for i, jour in enumerate(horaires.JOURS_FR):
            try:
                grille.jours[i] = horaires.lire_plages(d.get(f"horaires_{i}") or "")
            except horaires.HorairesInvalides as exc:
                self.add_error(f"horaires_{i}", f"{jour.capitalize()} : {exc}.")
        try:
            du = _lire_jour_mois(d.get("horaires_fermeture_du"), "Début de la fermeture")
            au = _lire_jour_mois(d.get("horaires_fermeture_au"), "Fin de la fermeture")
            if (du is None) != (au is None):
                raise forms.ValidationError("Indiquez le début et la fin de la fermeture annuelle.")
            grille.fermeture_annuelle = (du, au) if du else None
        except forms.ValidationError as exc:
            self.add_error("horaires_fermeture_du", exc)
        if not self.errors:
            d["horaires_accueil"] = horaires.depuis_grille(grille)

    def _nettoyer_lieu(self, d: dict) -> None:
        from repere.territoires.selectors import autocompleter
        from repere.utils.text import normalise

        nom = (d.get("commune") or "").strip()
        code = (d.get("code_insee") or "").strip()
        territoire = get_commune(code) if code else None
        if territoire is not None and nom and not normalise(nom).startswith(normalise(territoire.nom)):
            territoire = None  # the name was changed after choosing: look the new one up
        if territoire is None and nom:
            trouvees = autocompleter(q=nom.split("(")[0], types=["commune"], limite=1)
            if not trouvees:
                self.add_error("commune", f"Aucune commune ne correspond à « {nom} » : choisissez-la dans la liste.")
                return
            territoire = trouvees[0]
        if territoire is None:
            d["code_insee"] = ""
            return
        d["commune"], d["code_insee"] = territoire.nom, territoire.code
        if not d.get("code_postal") and len(territoire.liste_codes_postaux) == 1:
            d["code_postal"] = territoire.liste_codes_postaux[0]
        if (d.get("latitude") is None) != (d.get("longitude") is None):
            d["latitude"] = d["longitude"] = None
        if d.get("latitude") is not None:
            if not (-90 <= d["latitude"] <= 90 and -180 <= d["longitude"] <= 180):
                self.add_error("adresse", "Le point placé sur la carte est hors des limites : placez-le de nouveau.")
            self.instance.localisation_approximative = False
            return
        position = self._geocoder(d, territoire)
        if position is not None:
            d["latitude"], d["longitude"] = position.latitude, position.longitude
            self.instance.localisation_approximative = False
        elif territoire.latitude is not None:
            d["latitude"], d["longitude"] = territoire.latitude, territoire.longitude
            self.instance.localisation_approximative = True
            self.position_approximative = True

    @staticmethod
    def _geocoder(d: dict, territoire):
        """The address typed without choosing a suggestion, through the geocoder (cached; nothing asked
        when the deployment has none): its point when precise and in the chosen commune."""
        from repere.annuaire import geocodage

        if not d.get("adresse") or not geocodage.actif():
            return None
        demande = geocodage.AdresseAGeocoder(d["adresse"], d.get("code_postal") or "", territoire.nom, territoire.code)
        position = geocodage.geocoder([demande]).get(demande.cle)
        if position is not None and position.precise and position.code_insee == territoire.code:
            return position
        return None


class StructureForm(LieuEtHorairesMixin, forms.ModelForm):
    class Meta:
        model = Structure
        fields = [
            "nom",
            "description",
            "siret",
            "adresse",
            "complement_adresse",
            "code_postal",
            "commune",
            "code_insee",
            "latitude",
            "longitude",
            "telephone",
            "courriel",
            "site_web",
            "horaires_accueil",
            "accessibilite_lieu",
            "reseaux_porteurs",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "horaires_accueil": forms.TextInput()}

    reseaux_porteurs = forms.MultipleChoiceField(
        label="Réseaux porteurs", choices=taxonomies.CHOIX_RESEAUX_PORTEURS, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._preparer_lieu_et_horaires(aide_vide="Vide : horaires non renseignés.")

    def clean_nom(self):
        nom = self.cleaned_data["nom"].strip()
        if len(nom) < 3:
            raise forms.ValidationError("Le nom doit compter au moins 3 caractères.")
        return nom

    def clean(self):
        d = super().clean()
        self._nettoyer_lieu(d)
        self._nettoyer_horaires(d)
        return d


class ServiceForm(LieuEtHorairesMixin, forms.ModelForm):
    thematiques = forms.MultipleChoiceField(label="Thématiques", required=False)
    publics = forms.MultipleChoiceField(
        label="Publics", choices=taxonomies.CHOIX_PUBLICS, widget=forms.CheckboxSelectMultiple
    )
    modes_accueil = forms.MultipleChoiceField(
        label="Modes d'accueil", choices=taxonomies.CHOIX_MODES_ACCUEIL, widget=forms.CheckboxSelectMultiple
    )
    modes_mobilisation = forms.MultipleChoiceField(
        label="Comment mobiliser le service",
        choices=taxonomies.CHOIX_MODES_MOBILISATION,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    mobilisable_par = forms.MultipleChoiceField(
        label="Mobilisable par",
        choices=taxonomies.CHOIX_MOBILISABLE_PAR,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    zone_eligibilite_texte = TerritoiresField(
        label="Zone d'éligibilité",
        required=False,
        help_text="Les communes, EPCI ou départements dont les habitants peuvent en bénéficier : cherchez-les par "
        "leur nom dans le champ suivant. Vide : sans restriction.",
    )
    langues_texte = forms.MultipleChoiceField(
        label="Langues parlées", required=False, widget=forms.CheckboxSelectMultiple
    )
    documents_texte = forms.CharField(
        label="Documents à apporter",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Un par ligne.",
    )

    class Meta:
        model = Service
        fields = [
            "nom",
            "description",
            "type",
            "thematiques",
            "frais",
            "frais_precisions",
            "publics",
            "publics_precisions",
            "age_min",
            "age_max",
            "conditions_acces",
            "adresse",
            "complement_adresse",
            "code_postal",
            "commune",
            "code_insee",
            "latitude",
            "longitude",
            "telephone",
            "courriel",
            "modes_accueil",
            "modes_mobilisation",
            "mobilisable_par",
            "mobilisation_precisions",
            "lien_mobilisation",
            "horaires_accueil",
            "accessibilite_description",
            "statut",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "conditions_acces": forms.Textarea(attrs={"rows": 3}),
            "horaires_accueil": forms.TextInput(),
            "frais_precisions": forms.TextInput(),
            "publics_precisions": forms.TextInput(),
            "mobilisation_precisions": forms.TextInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._preparer_lieu_et_horaires(aide_vide="Vide : les horaires de la structure s'appliquent.")
        self.fields["thematiques"].choices = taxonomies.choix_thematiques_groupees()
        self.fields["langues_texte"].choices = choix_langues(self.instance.langues or [])
        if self.instance.pk:
            self.initial["thematiques"] = self.instance.toutes_thematiques
            # the territories themselves: TerritoiresField shows them by name, one per line
            self.initial["zone_eligibilite_texte"] = territoires_de_zone(self.instance.zone_eligibilite or [])
            self.initial["langues_texte"] = list(self.instance.langues or [])
            self.initial["documents_texte"] = "\n".join(self.instance.documents_a_fournir or [])

    def clean_zone_eligibilite_texte(self):
        """Territories → data·inclusion codes; a région is its départements (data·inclusion's rule)."""
        from repere.territoires.models import Territoire, TypeTerritoire

        codes = []
        for t in self.cleaned_data["zone_eligibilite_texte"] or []:
            if t.type == TypeTerritoire.REGION:
                codes += Territoire.objects.filter(type=TypeTerritoire.DEPARTEMENT, region=t).values_list(
                    "code", flat=True
                )
            elif t.type in (TypeTerritoire.COMMUNE, TypeTerritoire.EPCI, TypeTerritoire.DEPARTEMENT):
                codes.append(t.code)
            else:
                raise forms.ValidationError(f"« {t.nom} » : choisissez sa commune, son EPCI ou son département.")
        return list(dict.fromkeys(codes))

    def clean(self):
        d = super().clean()
        if d.get("age_min") is not None and d.get("age_max") is not None and d["age_min"] > d["age_max"]:
            self.add_error("age_max", "L'âge maximum doit être supérieur à l'âge minimum.")
        self._nettoyer_lieu(d)
        self._nettoyer_horaires(d)
        if len((d.get("description") or "").strip()) < 5:
            self.add_error("description", "La description doit compter au moins 5 caractères.")
        publics = d.get("publics") or []
        if taxonomies.TOUS_PUBLICS in publics and len(publics) > 1:
            self.add_error("publics", "« Tous publics » ne se combine pas avec un autre public.")
        return d

    def save(self, commit=True):
        service = super().save(commit=False)
        codes = self.cleaned_data.get("thematiques") or []
        service.thematiques = sorted(c for c in codes if c not in taxonomies.THEMATIQUES_LOCALES)
        service.thematiques_locales = sorted(c for c in codes if c in taxonomies.THEMATIQUES_LOCALES)
        service.zone_eligibilite = self.cleaned_data["zone_eligibilite_texte"]
        service.langues = list(self.cleaned_data["langues_texte"])
        service.documents_a_fournir = _liste_lignes(self.cleaned_data["documents_texte"])
        return service


# Languages most often spoken in reception desks (ISO 639-1), named in French by babel.
LANGUES_COURANTES = ["fr", "en", "ar", "es", "pt", "it", "de", "ro", "tr", "ru", "uk", "fa", "ps", "zh", "vi", "ta"]


def choix_langues(deja: list[str]) -> list[tuple[str, str]]:
    from babel import Locale

    noms = Locale("fr").languages
    return [(c, noms.get(c, c)) for c in dict.fromkeys([*LANGUES_COURANTES, *deja])]


def territoires_de_zone(codes: list[str]) -> list:
    """The territories of stored data·inclusion eligibility codes (« france » = no restriction: none),
    in their order; an unknown code is kept as typed text so that the form shows it, never drops it."""
    from repere.territoires.models import Territoire, TypeTerritoire

    zone = []
    for code in codes:
        if code == "france":
            continue
        type_ = (
            TypeTerritoire.EPCI
            if code.isdigit() and len(code) == 9
            else TypeTerritoire.COMMUNE
            if len(code) == 5
            else TypeTerritoire.DEPARTEMENT
        )
        zone.append(Territoire.objects.filter(type=type_, code=code).first() or code)
    return zone


class FermetureForm(forms.ModelForm):
    class Meta:
        model = Fermeture
        fields = ["debut", "fin", "motif"]
        widgets = {"debut": forms.DateInput(attrs={"type": "date"}), "fin": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        d = super().clean()
        if d.get("debut") and d.get("fin") and d["fin"] < d["debut"]:
            self.add_error("fin", "La date de fin précède la date de début.")
        return d


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision", choices=[("validee", "Valider"), ("refusee", "Refuser")], widget=forms.RadioSelect
    )
    motif = forms.CharField(label="Motif (obligatoire en cas de refus)", required=False)


def maintenant_local() -> datetime:
    return timezone.localtime()
