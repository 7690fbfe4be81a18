"""The import assistant: any file of structures and services, in four steps (file, columns, check, import).

Organisation admins and territory moderators (admins too) import into the sources their organisation
owns (`SourceImport`); the mapping of the last import is saved with the source and can be downloaded to
drive `manage.py importer_annuaire`. The uploaded file waits in private storage (never served), named
by a random token kept in the session, and is deleted once imported. Logic lives in
`importation.correspondance` and the shared pipeline; these views only ask and show.
"""

import json
import secrets
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from repere.annuaire import taxonomies
from repere.annuaire.importation import ErreurFichier, assistant, correspondance, fichiers
from repere.annuaire.models import ImportAnnuaire, Service, SourceImport, StatutImport, Structure
from repere.organisations.permissions import ROLES_GESTION, organisations_de
from repere.utils.errors import ErreurMetier
from repere.utils.tableurs import reponse_tableur

CLE_SESSION = "annuaire_imports"
TAILLE_MAX = 50 * 1024 * 1024
APERCU_LIGNES = 5
TABLE_MAX = 500
SOURCES_RESERVEES = {"repere", "france-services", "repere-demo", "repere-demo-mairies"}


def _organisations(user):
    return organisations_de(user, ROLES_GESTION)


def _peut_importer(user) -> bool:
    return getattr(user, "is_platform_admin", False) or _organisations(user).exists()


def _sources(user):
    qs = SourceImport.objects.select_related("organisation")
    return qs if getattr(user, "is_platform_admin", False) else qs.filter(organisation__in=_organisations(user))


def _import(request, jeton: str) -> tuple[dict, SourceImport, Path]:
    """The pending import of this session (404 otherwise: a token is only valid for who uploaded). A new
    source is not saved before the last step: until then it is the unsaved object of the session's data,
    and the mapping being made waits in the session too (``_correspondance``)."""
    donnees = request.session.get(CLE_SESSION, {}).get(jeton)
    if not donnees:
        raise Http404("Import introuvable ou terminé.")
    if nouvelle := donnees.get("nouvelle_source"):
        organisation = get_object_or_404(_organisations(request.user), pk=nouvelle["organisation"])
        source = SourceImport(code=nouvelle["code"], libelle=nouvelle["libelle"], organisation=organisation)
    else:
        source = get_object_or_404(_sources(request.user), pk=donnees["source"])
    chemin = assistant.dossier_prive() / donnees["fichier"]
    if not chemin.exists():
        raise Http404("Le fichier de cet import n'est plus disponible : déposez-le à nouveau.")
    return donnees, source, chemin


class DepotForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier des structures et services",
        help_text="CSV, XLSX (Excel), ODS (LibreOffice) ou JSON ; 50 Mo au plus.",
    )
    encodage = forms.ChoiceField(
        label="Encodage du fichier CSV",
        choices=list(fichiers.ENCODAGES.items()),
        initial="utf-8",
        help_text="Si le fichier vient d'Excel sous Windows et que les accents sont illisibles, choisissez Windows-1252.",
    )
    source = forms.ChoiceField(label="Source")
    libelle = forms.CharField(
        label="Nom de la nouvelle source",
        max_length=200,
        required=False,
        help_text="Par ex. « Annuaire des services du département (2019) ».",
    )
    organisation = forms.ChoiceField(label="Organisation propriétaire de la nouvelle source", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["source"].choices = [("", "Nouvelle source…")] + [(str(s.pk), s.libelle) for s in _sources(user)]
        self.fields["source"].required = False
        self.fields["organisation"].choices = [(str(o.pk), o.nom) for o in _organisations(user)]

    def clean_fichier(self):
        f = self.cleaned_data["fichier"]
        if f.size > TAILLE_MAX:
            raise forms.ValidationError("Le fichier dépasse 50 Mo.")
        if fichiers.format_de(f.name) not in ("csv", "xlsx", "ods", "json"):
            raise forms.ValidationError("Format non pris en charge : CSV, XLSX, ODS ou JSON attendu.")
        return f

    def clean(self):
        donnees = super().clean()
        if donnees.get("source"):
            donnees["source_objet"] = _sources(self.user).get(pk=donnees["source"])
            return donnees
        libelle = (donnees.get("libelle") or "").strip()
        if not libelle:
            self.add_error("libelle", "Donnez un nom à la nouvelle source.")
            return donnees
        code = slugify(libelle)[:100].strip("-")
        if len(code) < 2:
            self.add_error("libelle", "Ce nom est trop court pour une source.")
            return donnees
        pris = (
            code in SOURCES_RESERVEES
            or SourceImport.objects.filter(code=code).exists()
            or Structure.objects.filter(source=code).exists()
            or Service.objects.filter(source=code).exists()
        )
        if pris:
            self.add_error(
                "libelle",
                f"Le code de source « {code} » est déjà utilisé par une autre source : choisissez un autre nom.",
            )
        organisation = _organisations(self.user).filter(pk=donnees.get("organisation") or 0).first()
        if organisation is None:
            self.add_error("organisation", "Choisissez l'organisation propriétaire de la source.")
        donnees["code"], donnees["organisation_objet"] = code, organisation
        return donnees


@login_required
def depot(request):
    if not _peut_importer(request.user):
        raise Http404("Réservé aux administrateurs d'organisation.")
    form = DepotForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["fichier"]
        octets = f.read()
        try:
            tableau = fichiers.lire(octets, nom=f.name, encodage=form.cleaned_data["encodage"])
        except ErreurFichier as exc:
            form.add_error("fichier", str(exc))
        else:
            existante = form.cleaned_data.get("source_objet")
            jeton = secrets.token_urlsafe(16)
            nom_stocke = f"{jeton}.{fichiers.format_de(f.name)}"
            assistant.deposer(nom=nom_stocke, octets=octets)
            imports = request.session.get(CLE_SESSION, {})
            imports[jeton] = {
                "fichier": nom_stocke,
                "nom": Path(f.name).name[:200],
                "source": existante.pk if existante else None,
                "nouvelle_source": None
                if existante
                else {
                    "code": form.cleaned_data["code"],
                    "libelle": form.cleaned_data["libelle"].strip(),
                    "organisation": form.cleaned_data["organisation_objet"].pk,
                },
                "encodage": form.cleaned_data["encodage"],
                "lignes": len(tableau.lignes),
            }
            request.session[CLE_SESSION] = imports
            return redirect("annuaire:import_correspondance", jeton)
    recents = ImportAnnuaire.objects.filter(source__in=_sources(request.user)).select_related("source")[:10]
    return render(
        request, "annuaire/import/depot.html", {"form": form, "sources": _sources(request.user), "recents": recents}
    )


def _choix_thematiques():
    return [(code, taxonomies.libelle(code)) for code in sorted(taxonomies.CODES_THEMATIQUES, key=taxonomies.libelle)]


@login_required
def correspondance_colonnes(request, jeton):
    donnees, source, chemin = _import(request, jeton)
    tableau = fichiers.lire(chemin, nom=donnees["nom"], encodage=donnees["encodage"])
    precedente = _correspondance(donnees, source)
    attributions = dict(precedente.get("colonnes") or {}) or correspondance.suggerer(tableau.colonnes)
    attributions = {
        k: v for k, v in attributions.items() if (v.get("colonne") if isinstance(v, dict) else v) in tableau.colonnes
    }
    constantes = dict(precedente.get("constantes") or {})
    par_valeur = dict(precedente.get("thematiques_par_valeur") or {})
    problemes = []
    if request.method == "POST":
        attributions, constantes, par_valeur = _lire_formulaire(request.POST, tableau)
    if request.method == "POST" and request.POST.get("action") != "afficher":  # « Afficher ses valeurs » re-shows
        nouvelle = {
            "format": correspondance.FORMAT,
            "version": 1,
            "source": source.code,
            "libelle": source.libelle,
            "encodage": donnees["encodage"],
            "colonnes": attributions,
            "constantes": constantes,
            **({"thematiques_par_valeur": par_valeur} if par_valeur else {}),
        }
        problemes = correspondance.verifier(nouvelle, tableau.colonnes)
        if not problemes:
            _garder(request, jeton, {**donnees, "correspondance": nouvelle})
            return redirect("annuaire:import_apercu", jeton)
    champs = []
    for cible in correspondance.CIBLES:
        regle = attributions.get(cible.code)
        champs.append(
            {
                "cible": cible,
                "colonne": regle.get("colonne") if isinstance(regle, dict) else (regle or ""),
                "extraire": regle.get("extraire", "") if isinstance(regle, dict) else "",
                "exemple": _exemple(tableau, regle),
            }
        )
    colonne_type = par_valeur.get("colonne") or ""
    valeurs_type = []
    if colonne_type in tableau.colonnes:
        choisies = par_valeur.get("valeurs") or {}
        valeurs_type = [(i, v, choisies.get(v, [])) for i, v in enumerate(_valeurs_distinctes(tableau, colonne_type))]
    return render(
        request,
        "annuaire/import/correspondance.html",
        {
            "jeton": jeton,
            "import": donnees,
            "source": source,
            "colonnes": tableau.colonnes,
            "champs": champs,
            "extractions": correspondance.EXTRACTIONS,
            "constantes": constantes,
            "problemes": problemes,
            "thematiques": _choix_thematiques(),
            "modes_accueil": [(c, taxonomies.libelle(c)) for c in (taxonomies.EN_PRESENTIEL, taxonomies.A_DISTANCE)],
            "frais": taxonomies.CHOIX_FRAIS,
            "publics": taxonomies.CHOIX_PUBLICS,
            "colonne_type": colonne_type,
            "valeurs_type": valeurs_type,
        },
    )


def _lire_formulaire(q, tableau) -> tuple[dict, dict, dict]:
    attributions, constantes = {}, {}
    for cible in correspondance.CIBLES:
        colonne = q.get(f"colonne-{cible.code}") or ""
        extraire = q.get(f"extraire-{cible.code}") or ""
        if colonne:
            attributions[cible.code] = {"colonne": colonne, "extraire": extraire} if extraire else colonne
    for champ in ("date_maj", "description", "frais"):
        if valeur := (q.get(f"constante-{champ}") or "").strip():
            constantes[champ] = valeur
    for champ in ("modes_accueil", "thematiques", "publics"):
        if valeurs := [v for v in q.getlist(f"constante-{champ}") if v]:
            constantes[champ] = valeurs
    colonne_type = q.get("par-valeur-colonne") or ""
    par_valeur = {}
    if colonne_type:
        valeurs = {}
        for i, valeur in enumerate(_valeurs_distinctes(tableau, colonne_type)):
            if codes := [c for c in q.getlist(f"par-valeur-{i}") if c]:
                valeurs[valeur] = codes
        par_valeur = {"colonne": colonne_type, "valeurs": valeurs}
    return attributions, constantes, par_valeur


def _valeurs_distinctes(tableau, colonne: str, limite: int = 40) -> list[str]:
    vues = []
    for _n, ligne in tableau.lignes:
        v = str(ligne.get(colonne) or "").strip()
        if v and v not in vues:
            vues.append(v)
            if len(vues) >= limite:
                break
    return vues


def _exemple(tableau, regle) -> str:
    if not regle:
        return ""
    for _n, ligne in tableau.lignes[:20]:
        v = correspondance._valeur(ligne, regle)
        if v not in (None, ""):
            return str(v)[:80]
    return ""


def _correspondance(donnees: dict, source: SourceImport) -> dict:
    """The mapping of the pending import: the one made in this session, else the source's last one."""
    return donnees.get("correspondance") or source.correspondance or {}


def _garder(request, jeton: str, donnees: dict) -> None:
    imports = request.session.get(CLE_SESSION, {})
    imports[jeton] = donnees
    request.session[CLE_SESSION] = imports


def _verifier(donnees, source, chemin, *, ecrire: bool):
    return correspondance.importer_fichier(
        chemin,
        nom=donnees["nom"],
        correspondance={**_correspondance(donnees, source), "encodage": donnees["encodage"]},
        ecrire=ecrire,
    )


@login_required
def apercu(request, jeton):
    donnees, source, chemin = _import(request, jeton)
    if not donnees.get("correspondance"):
        return redirect("annuaire:import_correspondance", jeton)
    try:
        rapport, _structures, services = _verifier(donnees, source, chemin, ecrire=False)
    except ErreurFichier as exc:
        messages.error(request, str(exc))
        return redirect("annuaire:import_correspondance", jeton)
    format_ = request.GET.get("format")
    if format_ in ("csv", "xlsx", "ods"):
        return reponse_tableur([rapport.tableau_rejets()], format=format_, nom_fichier=f"validation-{source.code}")
    titre, entetes, lignes = rapport.tableau_rejets()
    exemples = [
        {
            "ligne": numero,
            "nom": s.get("nom"),
            "adresse": " ".join(str(s.get(k) or "") for k in ("adresse", "code_postal", "commune")).strip(),
            "telephone": s.get("telephone") or "",
            "courriel": s.get("courriel") or "",
            "thematiques": [taxonomies.libelle(t) for t in s.get("thematiques") or []],
        }
        for numero, s in services.lignes[:APERCU_LIGNES]
    ]
    return render(
        request,
        "annuaire/import/apercu.html",
        {
            "jeton": jeton,
            "import": donnees,
            "source": source,
            "rapport": rapport,
            "entetes": entetes,
            "lignes": lignes[:TABLE_MAX],
            "tronque": len(lignes) > TABLE_MAX,
            "nombre_problemes": len(lignes),
            "exemples": exemples,
            "telechargeable": True,
        },
    )


@login_required
def telecharger_correspondance(request, jeton):
    _donnees, source, _chemin = _import(request, jeton)
    reponse = HttpResponse(
        json.dumps(_correspondance(_donnees, source), ensure_ascii=False, indent=1), content_type="application/json"
    )
    reponse["Content-Disposition"] = f'attachment; filename="correspondance-{source.code}.json"'
    return reponse


@login_required
@require_POST
def executer(request, jeton):
    """Queue the import for the background worker (large files take a minute), then follow it."""
    donnees, source, _chemin = _import(request, jeton)
    if not donnees.get("correspondance"):
        return redirect("annuaire:import_correspondance", jeton)
    try:
        source = assistant.enregistrer_source(source=source, correspondance=donnees["correspondance"])
    except ErreurMetier as exc:
        messages.error(request, str(exc))
        return redirect("annuaire:import_depot")
    run = assistant.lancer_import(
        source=source,
        fichier=donnees["fichier"],
        nom_fichier=donnees["nom"],
        encodage=donnees["encodage"],
        par=request.user,
    )
    imports = request.session.get(CLE_SESSION, {})
    imports.pop(jeton, None)
    request.session[CLE_SESSION] = imports
    return redirect("annuaire:import_suivi", run.pk)


@login_required
def suivi(request, pk):
    run = get_object_or_404(ImportAnnuaire.objects.select_related("source"), pk=pk, source__in=_sources(request.user))
    _titre, entetes, _lignes = ("", ["fichier", "ligne", "id", "champ", "valeur", "raison", "règle", "gravité"], [])
    return render(
        request,
        "annuaire/import/resultat.html",
        {
            "run": run,
            "source": run.source,
            "fini": run.statut in (StatutImport.TERMINE, StatutImport.ECHEC),
            "entetes": entetes,
            "lignes": run.problemes,
            "tronque": run.nombre_problemes > len(run.problemes),
            "progression": assistant.progression(run=run),
        },
    )
