from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from repere.annuaire import geocodage, horaires, selectors, services, taxonomies
from repere.annuaire.forms import (
    FermetureForm,
    FiltreOrientationsForm,
    ModerationForm,
    OrientationForm,
    RechercheForm,
    ReponseForm,
    ResultatForm,
    ServiceForm,
    StructureForm,
)
from repere.annuaire.models import Fermeture, Orientation, Service, Structure
from repere.journal.vues import donnees_personnelles, sans_lecture
from repere.organisations.permissions import ROLES_DONNEES_PERSONNELLES, ROLES_GESTION, ROLES_SAISIE, organisations_de
from repere.territoires.models import Territoire
from repere.utils.errors import ErreurMetier
from repere.utils.redirections import chemin_sur
from repere.utils.soumission import soumission_unique
from repere.utils.tableurs import reponse_tableur

PAR_PAGE = 20


def _contours(commune: Territoire | None) -> list[dict]:
    """GeoJSON outlines of the searched commune and its EPCI, drawn on the map (no tile server needed)."""
    if commune is None:
        return []
    contours = []
    for t, role in ((commune.epci, "epci"), (commune, "commune")):
        if t is not None:
            geometrie = Territoire.objects.filter(pk=t.pk).values_list("geometrie", flat=True).first()
            if geometrie:
                contours.append({"nom": t.nom, "role": role, "geometrie": geometrie})
    return contours


CLE_SESSION_COMMUNE = "annuaire_commune"
CLE_SESSION_POINT = "annuaire_point"  # the point of the address typed by the person (never the address)


def _rayons_plus_grands(rayon: float) -> list[int]:
    from repere.annuaire.forms import CHOIX_RAYONS

    return [r for r, _ in CHOIX_RAYONS if r > rayon][:3]


def recherche(request):
    """The public search. The chosen commune is kept in the session (never anything else about the
    person), so that coming back to the directory from a service page finds it again."""
    donnees = request.GET or None
    initial = {}
    if donnees is None and request.session.get(CLE_SESSION_COMMUNE):
        commune = Territoire.objects.filter(type="commune", code=request.session[CLE_SESSION_COMMUNE]).first()
        if commune is not None:
            initial = {"commune": commune.code, "commune_nom": commune.nom}
    form = RechercheForm(donnees, initial=initial)
    resultats, page, criteres, contours = [], None, None, []
    proches, generalistes, rayons = [], [], []
    origine = None
    if form.is_bound and form.is_valid():
        criteres = form.criteres()
        if criteres.commune is not None:
            request.session[CLE_SESSION_COMMUNE] = criteres.commune.code
        if form.cleaned_data.get("adresse") and criteres.commune is not None:
            # the person's address: located once, its point kept in the session only, then out of the URL
            position, pourquoi = geocodage.localiser_une_adresse(
                adresse=form.cleaned_data["adresse"], commune=criteres.commune.nom, code_insee=criteres.commune.code
            )
            request.session[CLE_SESSION_POINT] = {
                "commune": criteres.commune.code,
                "latitude": position.latitude if position else None,
                "longitude": position.longitude if position else None,
                "pourquoi": pourquoi,
            }
            return redirect(f"{reverse('annuaire:recherche')}?{_sans(request.GET, 'adresse')}")
        origine = _origine_des_distances(request, criteres)
        tous = selectors.rechercher(criteres)
        paginator = Paginator(tous, PAR_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        resultats = selectors.charger_services(list(page.object_list))
        contours = _contours(criteres.commune)
        if not tous and criteres.commune is not None:
            rayons = _rayons_plus_grands(criteres.rayon_km)
            proches = selectors.plus_proches(criteres)
            generalistes = selectors.lieux_generalistes(criteres)
    points = [
        {
            "id": r.service.pk,
            "nom": r.service.nom,
            "structure": r.service.structure.nom,
            "lat": r.latitude,
            "lon": r.longitude,
            "url": reverse("annuaire:service", args=[r.service.pk]),
            "distance": round(r.distance_km, 1) if r.distance_km is not None else None,
        }
        for r in [*resultats, *proches, *generalistes]
        if r.latitude is not None
    ]
    carte = {
        "points": points,
        "contours": contours,
        "tuiles": getattr(settings, "REPERE_TUILES_URL", ""),
        "attribution": getattr(settings, "REPERE_TUILES_ATTRIBUTION", ""),
        "centre": [criteres.commune.latitude, criteres.commune.longitude]
        if criteres and criteres.commune and criteres.commune.latitude
        else None,
    }
    params = request.GET.copy()
    params.pop("page", None)
    choisies = set(form["thematiques"].value() or [])
    return render(
        request,
        "annuaire/recherche.html",
        {
            "form": form,
            "resultats": resultats,
            "page": page,
            "criteres": criteres,
            "carte": carte,
            "params": params.urlencode(),
            "libelle": taxonomies.libelle,
            "besoins": [{**b, "coche": b["code"] in set(form["besoins"].value() or [])} for b in taxonomies.BESOINS],
            "fines": [
                (b, [(code, nom, code in choisies) for code, nom in choix])
                for b, choix in taxonomies.thematiques_par_besoin()
            ],
            "proches": proches,
            "generalistes": generalistes,
            "rayons": rayons,
            "params_sans_rayon": _sans(request.GET, "page", "rayon"),
            "origine": origine,
        },
    )


def _origine_des_distances(request, criteres) -> dict | None:
    """Where the distances start from, said on the page: the person's address (located earlier in this
    session, for this commune), else the commune's centre, with the reason when an address was given.
    « Oublier mon adresse » (?sans_adresse=1) drops it."""
    if criteres.commune is None:
        return None
    point = request.session.get(CLE_SESSION_POINT)
    if request.GET.get("sans_adresse"):
        request.session.pop(CLE_SESSION_POINT, None)
        point = None
    if point and point.get("commune") == criteres.commune.code:
        if point.get("latitude") is not None:
            criteres.latitude, criteres.longitude = point["latitude"], point["longitude"]
            return {"adresse": True}
        return {"adresse": False, "pourquoi": point.get("pourquoi") or ""}
    return {"adresse": False, "pourquoi": ""}


def _sans(parametres, *cles) -> str:
    copie = parametres.copy()
    for cle in cles:
        copie.pop(cle, None)
    return copie.urlencode()


@login_required
@require_POST
def revendiquer(request, pk):
    structure = get_object_or_404(Structure, pk=pk, statut_moderation="validee")
    organisation = organisations_de(request.user, ROLES_GESTION).filter(pk=request.POST.get("organisation")).first()
    if organisation is None:
        raise Http404("Organisation introuvable.")
    try:
        services.revendiquer_structure(structure=structure, organisation=organisation, par=request.user)
        messages.success(request, "Votre demande est envoyée aux modérateurs du territoire.")
    except ErreurMetier as exc:
        messages.error(request, exc.message)
    service = structure.services.filter(recherchable=True).first()
    return redirect("annuaire:service", service.pk) if service else redirect("annuaire:recherche")


def _nom_langue(code: str) -> str:
    from babel import Locale

    return Locale("fr").languages.get(code, code)


def service(request, pk):
    objet = selectors.service_public(pk)
    if objet is None:
        raise Http404("Service introuvable.")
    aujourdhui = timezone.localdate()
    lundi = aujourdhui - timedelta(days=aujourdhui.weekday())
    fermetures = selectors.fermetures_a_venir(objet, aujourdhui=aujourdhui)
    ferme_aujourdhui = any(f.debut <= aujourdhui <= f.fin for f in fermetures)
    moment = timezone.localtime().replace(tzinfo=None)
    ouvert = (
        horaires.est_ouvert(objet.horaires_effectifs, moment, [(f.debut, f.fin) for f in fermetures])
        if objet.horaires_effectifs
        else None
    )
    peut_orienter = (
        request.user.is_authenticated and organisations_de(request.user, ROLES_DONNEES_PERSONNELLES).exists()
    )
    return render(
        request,
        "annuaire/service.html",
        {
            "service": objet,
            "structure": objet.structure,
            "semaine": horaires.semaine(objet.horaires_effectifs, lundi) if objet.horaires_effectifs else [],
            "horaires_phrases": horaires.en_phrases(objet.horaires_effectifs, aujourdhui=aujourdhui),
            "zones": selectors.zones_par_nom(objet.zone_eligibilite),
            "langues": [_nom_langue(code) for code in objet.langues or []],
            "source": taxonomies.libelle_source(objet.source),
            "aujourdhui": aujourdhui,
            "fermetures": fermetures,
            "ferme_aujourdhui": ferme_aujourdhui,
            "ouvert": ouvert,
            "lieux": [
                {
                    "lieu": lieu,
                    "semaine": horaires.semaine(lieu.horaires_accueil, lundi) if lieu.horaires_accueil else [],
                    "phrases": horaires.en_phrases(lieu.horaires_accueil, aujourdhui=aujourdhui),
                }
                for lieu in objet.lieux.all()
            ],
            "thematiques": [taxonomies.libelle(t) for t in objet.toutes_thematiques],
            "publics": [taxonomies.libelle(p) for p in objet.publics],
            "modes_accueil": [taxonomies.libelle(m) for m in objet.modes_accueil],
            "modes_mobilisation": [taxonomies.libelle(m) for m in objet.modes_mobilisation],
            "peut_orienter": peut_orienter,
            "organisations_gerees": organisations_de(request.user, ROLES_GESTION)
            if request.user.is_authenticated
            and not objet.structure.organisation_id
            and not objet.structure.revendiquee_par_id
            else [],
            "peut_modifier": request.user.is_authenticated
            and selectors.peut_modifier_structure(request.user, objet.structure),
        },
    )


# -- Referrals ----------------------------------------------------------------------------------


@login_required
@soumission_unique
def orienter(request, pk):
    objet = selectors.service_public(pk)
    if objet is None:
        raise Http404("Service introuvable.")
    organisations = organisations_de(request.user, ROLES_DONNEES_PERSONNELLES)
    if not organisations.exists():
        raise Http404("Service introuvable.")
    form = OrientationForm(request.POST or None, request.FILES or None, organisations=organisations, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            orientation = services.creer_orientation(
                emetteur=request.user,
                organisation_emettrice=d["organisation"],
                service=objet,
                personne={k: d[k] for k in ("prenom", "nom", "telephone", "courriel", "commune", "preference_contact")},
                besoins=d["besoins"],
                consentement={
                    "informe_par": d["informe_par"],
                    "le": d["informee_le"],
                    "version_notice": d["version_notice"],
                    "base_legale": d["base_legale"],
                },
                piece_jointe=d.get("piece_jointe"),
            )
        except ErreurMetier as exc:
            champ = exc.champ if exc.champ in form.fields else None
            if exc.champ == "informee_le":
                champ = "informee_le"
            form.add_error(champ, exc.message)
        else:
            messages.success(request, "L'orientation a été envoyée. La structure a été prévenue par e-mail.")
            return redirect("annuaire:orientation", orientation.pk)
    return render(request, "annuaire/orienter.html", {"form": form, "service": objet})


def _contexte_orientation(orientation: Orientation, **extra) -> dict:
    return {
        "orientation": orientation,
        "historique": orientation.historique.select_related("par").all(),
        "reponse_form": ReponseForm(),
        "resultat_form": ResultatForm(),
        **extra,
    }


@login_required
@donnees_personnelles
def orientation(request, pk):
    objet = selectors.orientation_visible(request.user, pk)
    if objet is None:
        raise Http404("Orientation introuvable.")
    recepteur = services.peut_repondre(request.user, objet)
    return render(request, "annuaire/orientation.html", _contexte_orientation(objet, recepteur=recepteur))


def _traiter_reponse(request, objet, *, par_lien: bool):
    """POST of the answer or outcome form, from the app or the signed link. Returns an error context or None."""
    action = request.POST.get("action")
    if action == "reponse":
        form = ReponseForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.repondre_orientation(
                    orientation=objet,
                    acceptee=d["decision"] == "accepter",
                    motif_refus=d.get("motif_refus") or "",
                    commentaire=d.get("commentaire") or "",
                    par=request.user,
                    par_lien=par_lien,
                )
                return None
            except ErreurMetier as exc:
                form.add_error(exc.champ if exc.champ in form.fields else None, exc.message)
        return {"reponse_form": form}
    if action == "resultat":
        form = ResultatForm(request.POST)
        if form.is_valid():
            try:
                services.enregistrer_resultat(
                    orientation=objet,
                    resultat=form.cleaned_data["resultat"],
                    commentaire=form.cleaned_data.get("commentaire") or "",
                    par=request.user,
                    par_lien=par_lien,
                )
                return None
            except ErreurMetier as exc:
                form.add_error(exc.champ if exc.champ in form.fields else None, exc.message)
        return {"resultat_form": form}
    return {"erreur": "Action inconnue."}


@login_required
@require_POST
@donnees_personnelles
def repondre(request, pk):
    objet = selectors.orientation_visible(request.user, pk)
    if objet is None or not services.peut_repondre(request.user, objet):
        raise Http404("Orientation introuvable.")
    erreurs = _traiter_reponse(request, objet, par_lien=False)
    if erreurs is None:
        messages.success(request, "Votre réponse a été enregistrée ; l'émetteur est prévenu.")
        return redirect("annuaire:orientation", pk)
    contexte = _contexte_orientation(objet, recepteur=True, **erreurs)
    return render(request, "annuaire/orientation.html", contexte, status=400)


SESSION_LIENS = "liens_orientations"


def _jeton_du_lien(request, pk) -> str:
    """The signed link's token: posted by the opening page (read from the link's #fragment, so it never
    reaches a URL or an access log), then kept in the session for the following pages."""
    jeton = request.POST.get("jeton", "").strip()
    if jeton:
        liens = request.session.get(SESSION_LIENS, {})
        liens[str(pk)] = jeton
        request.session[SESSION_LIENS] = liens
        return jeton
    return request.session.get(SESSION_LIENS, {}).get(str(pk), "")


@donnees_personnelles(lien_signe=True)
def reponse_lien(request, pk):
    """Answer through the signed link (no account): valid 8 days, bound to this referral. The e-mail's
    link is ``…/reponse/#<token>``: this page posts the fragment (lien-signe.js), or the user pastes it."""
    jeton = _jeton_du_lien(request, pk)
    if not jeton:
        return sans_lecture(render(request, "annuaire/lien_ouverture.html", {"pk": pk}))
    try:
        objet = services.verifier_jeton(orientation_id=pk, jeton=jeton)
    except ErreurMetier as exc:
        request.session.get(SESSION_LIENS, {}).pop(str(pk), None)
        request.session.modified = True
        return render(request, "annuaire/lien_invalide.html", {"message": exc.message}, status=403)
    contexte = _contexte_orientation(objet, recepteur=True, par_lien=True)
    if request.method == "POST" and request.POST.get("action"):
        erreurs = _traiter_reponse(request, objet, par_lien=True)
        if erreurs is None:
            objet.refresh_from_db()
            if objet.est_ouverte:
                messages.success(
                    request,
                    "Votre réponse a été enregistrée. Vous pourrez indiquer le résultat plus tard avec ce même lien.",
                )
                return redirect("annuaire:reponse_lien", pk)
            return render(request, "annuaire/lien_merci.html", {"orientation": objet})
        contexte.update(erreurs)
        return render(request, "annuaire/orientation.html", contexte, status=400)
    if request.method == "POST":
        return redirect("annuaire:reponse_lien", pk)  # the token is now in the session: a plain address
    response = render(request, "annuaire/orientation.html", contexte)
    response["Cache-Control"] = "no-store"
    return response


def reponse_lien_ancien(request, pk, jeton):
    """Links sent before tokens moved to the fragment: the token leaves the path at once."""
    return redirect(reverse("annuaire:reponse_lien", args=[pk]) + "#" + jeton)


@login_required
@require_POST
def renouveler_lien(request, pk):
    objet = selectors.orientation_visible(request.user, pk)
    if objet is None or objet.organisation_emettrice_id not in set(
        organisations_de(request.user, ROLES_DONNEES_PERSONNELLES).values_list("pk", flat=True)
    ):
        raise Http404("Orientation introuvable.")
    try:
        services.renouveler_lien(orientation=objet)
        messages.success(request, "Un nouveau lien a été envoyé à la structure.")
    except ErreurMetier as exc:
        messages.error(request, exc.message)
    return redirect("annuaire:orientation", pk)


@login_required
@donnees_personnelles
def piece_jointe(request, pk):
    objet = selectors.orientation_visible(request.user, pk)
    if objet is None or not objet.piece_jointe:
        raise Http404("Pièce jointe introuvable.")
    return _servir_piece(objet)


@donnees_personnelles(lien_signe=True)
def piece_jointe_lien(request, pk):
    try:
        objet = services.verifier_jeton(orientation_id=pk, jeton=_jeton_du_lien(request, pk))
    except ErreurMetier as exc:
        return render(request, "annuaire/lien_invalide.html", {"message": exc.message}, status=403)
    if not objet.piece_jointe:
        raise Http404("Pièce jointe introuvable.")
    return _servir_piece(objet)


def _servir_piece(objet):
    reponse = FileResponse(
        objet.piece_jointe.open("rb"), as_attachment=True, filename=objet.piece_jointe_nom or "piece-jointe"
    )
    reponse["Cache-Control"] = "no-store"
    reponse["X-Content-Type-Options"] = "nosniff"
    return reponse


def _tableau(request, sens: str):
    qs = (
        selectors.orientations_envoyees(request.user)
        if sens == "envoyees"
        else selectors.orientations_recues(request.user)
    )
    form = FiltreOrientationsForm(request.GET or None)
    if form.is_valid():
        qs = selectors.filtrer_orientations(qs, **form.cleaned_data)
    return qs, form


@login_required
def tableau(request, sens):
    if sens not in ("envoyees", "recues"):
        raise Http404
    if not selectors.peut_suivre_orientations(request.user):
        raise Http404("Page introuvable.")
    qs, form = _tableau(request, sens)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "annuaire/tableau.html",
        {"page": page, "form": form, "sens": sens, "params": params.urlencode(), "total": qs.count()},
    )


@login_required
def tableau_csv(request, sens):
    if sens not in ("envoyees", "recues"):
        raise Http404
    if not selectors.peut_suivre_orientations(request.user):
        raise Http404("Page introuvable.")
    qs, _form = _tableau(request, sens)

    def date(d):
        return timezone.localtime(d).strftime("%Y-%m-%d %H:%M") if d else ""

    entetes = ["numero", "envoyee_le", "organisation_emettrice", "service", "structure", "statut"]
    entetes += ["motif_refus", "resultat", "repondue_le", "cloturee_le"]
    lignes = (
        [
            o.pk,
            date(o.cree_le),
            o.organisation_emettrice.nom,
            o.service.nom,
            o.service.structure.nom,
            o.get_statut_display(),
            o.get_motif_refus_display() if o.motif_refus else "",
            o.get_resultat_display() if o.resultat else "",
            date(o.repondue_le),
            date(o.cloturee_le),
        ]
        for o in qs
    )
    return reponse_tableur(
        [("Orientations", entetes, lignes)],
        format="csv",
        nom_fichier=f"orientations-{sens}-{timezone.localdate():%Y-%m-%d}",
    )


# -- Structure space ----------------------------------------------------------------------------


def _structure_modifiable(request, pk) -> Structure:
    structure = get_object_or_404(Structure, pk=pk)
    if not selectors.peut_modifier_structure(request.user, structure):
        raise Http404("Structure introuvable.")
    return structure


@login_required
def mes_structures(request):
    structures = selectors.structures_de(request.user).prefetch_related("services")
    limite = timezone.localdate() - timedelta(days=services.VERIFICATION_APRES_JOURS)
    return render(
        request,
        "annuaire/mes_structures.html",
        {
            "structures": structures,
            "limite": limite,
            "a_moderer": selectors.structures_a_moderer(request.user).count(),
            "peut_creer": organisations_de(request.user, ROLES_SAISIE).exists() or request.user.is_platform_admin,
            "peut_importer": organisations_de(request.user, ROLES_GESTION).exists() or request.user.is_platform_admin,
        },
    )


def _carte_formulaire() -> dict:
    return {
        "tuiles": getattr(settings, "REPERE_TUILES_URL", ""),
        "attribution": getattr(settings, "REPERE_TUILES_ATTRIBUTION", ""),
    }


def _signaler_position(request, form) -> None:
    if getattr(form, "position_approximative", False):
        messages.info(
            request,
            "Lieu placé au centre de la commune, faute d'adresse choisie ou de point sur la carte : "
            "choisissez l'adresse proposée ou placez le point pour une distance juste.",
        )


@login_required
@soumission_unique
def structure_creer(request):
    organisations = organisations_de(request.user, ROLES_SAISIE)
    if not organisations.exists():
        raise Http404
    form = StructureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        structure = form.save(commit=False)
        structure.organisation = organisations.first()
        services.enregistrer_structure(structure=structure, par=request.user, nouvelle=True)
        _signaler_position(request, form)
        messages.success(
            request,
            "La structure est créée. Elle apparaîtra dans l'annuaire après validation par l'administrateur du territoire.",
        )
        return redirect("annuaire:structure_modifier", structure.pk)
    return render(
        request, "annuaire/formulaire.html", {"form": form, "titre": "Nouvelle structure", **_carte_formulaire()}
    )


@login_required
def structure_modifier(request, pk):
    structure = _structure_modifiable(request, pk)
    form = StructureForm(request.POST or None, instance=structure)
    if request.method == "POST" and form.is_valid():
        services.enregistrer_structure(structure=form.save(commit=False), par=request.user)
        messages.success(request, "La structure est enregistrée.")
        _signaler_position(request, form)
        return redirect("annuaire:structure_modifier", structure.pk)
    return render(
        request,
        "annuaire/structure.html",
        {"form": form, "structure": structure, "services": structure.services.all(), **_carte_formulaire()},
    )


@login_required
@soumission_unique
def service_modifier(request, pk=None, structure_pk=None):
    if pk:
        objet = get_object_or_404(Service, pk=pk)
        structure = _structure_modifiable(request, objet.structure_id)
    else:
        structure = _structure_modifiable(request, structure_pk)
        objet = Service(structure=structure, date_maj=timezone.localdate())
    form = ServiceForm(request.POST or None, instance=objet)
    if request.method == "POST" and form.is_valid():
        services.enregistrer_service(service=form.save(), par=request.user, verifie=bool(request.POST.get("verifie")))
        messages.success(request, "Le service est enregistré.")
        _signaler_position(request, form)
        return redirect("annuaire:service_modifier", objet.pk)
    return render(
        request,
        "annuaire/service_formulaire.html",
        {
            "form": form,
            "service": objet if objet.pk else None,
            "structure": structure,
            "fermeture_form": FermetureForm(),
            "fermetures": objet.fermetures.all() if objet.pk else [],
            **_carte_formulaire(),
        },
    )


@login_required
@require_POST
def service_verifie(request, pk):
    objet = get_object_or_404(Service, pk=pk)
    _structure_modifiable(request, objet.structure_id)
    services.marquer_verifie(service=objet, par=request.user)
    messages.success(request, f"« {objet.nom} » est marqué comme vérifié aujourd'hui.")
    return redirect(chemin_sur(request.POST.get("retour"), defaut=reverse("annuaire:mes_structures")))


@login_required
@require_POST
@soumission_unique
def fermeture_ajouter(request, pk):
    objet = get_object_or_404(Service, pk=pk)
    _structure_modifiable(request, objet.structure_id)
    form = FermetureForm(request.POST)
    if form.is_valid():
        services.ajouter_fermeture(service=objet, **form.cleaned_data)
        messages.success(request, "La fermeture est enregistrée.")
    else:
        messages.error(
            request, "Fermeture non enregistrée : " + " ".join(e for errs in form.errors.values() for e in errs)
        )
    return redirect("annuaire:service_modifier", pk)


@login_required
@require_POST
def fermeture_supprimer(request, pk):
    fermeture = get_object_or_404(Fermeture, pk=pk)
    _structure_modifiable(request, fermeture.service.structure_id)
    services.supprimer_fermeture(fermeture=fermeture)
    messages.success(request, "La fermeture est supprimée.")
    return redirect("annuaire:service_modifier", fermeture.service_id)


@login_required
def moderation(request):
    structures = selectors.structures_a_moderer(request.user)
    if not request.user.is_platform_admin and not structures.exists() and request.method == "GET":
        return render(request, "annuaire/moderation.html", {"structures": [], "form": ModerationForm()})
    if request.method == "POST":
        structure = get_object_or_404(Structure, pk=request.POST.get("structure"))
        if not selectors.peut_moderer(request.user, structure):
            raise Http404("Structure introuvable.")
        if request.POST.get("revendication") in ("accepter", "refuser"):
            try:
                services.decider_revendication(
                    structure=structure, accepter=request.POST["revendication"] == "accepter", par=request.user
                )
                messages.success(request, f"« {structure.nom} » : décision sur la demande de gestion enregistrée.")
            except ErreurMetier as exc:
                messages.error(request, exc.message)
            return redirect("annuaire:moderation")
        form = ModerationForm(request.POST)
        if form.is_valid():
            try:
                services.moderer_structure(
                    structure=structure,
                    decision=form.cleaned_data["decision"],
                    motif=form.cleaned_data["motif"],
                    par=request.user,
                )
                messages.success(request, f"« {structure.nom} » : décision enregistrée.")
            except ErreurMetier as exc:
                messages.error(request, exc.message)
        else:
            messages.error(request, "Choisissez une décision.")
        return redirect("annuaire:moderation")
    return render(request, "annuaire/moderation.html", {"structures": structures, "form": ModerationForm()})
