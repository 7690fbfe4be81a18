from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from repere.concertation import documents, selectors, services, synthese
from repere.concertation import forms as f
from repere.concertation.models import Atelier, Enseignement, GroupeTravail, Reunion, Section, Synthese, Tache
from repere.organisations.permissions import ROLES_SAISIE, organisations_de
from repere.pilotage import selectors as pilotage
from repere.pilotage.models import Action

VERSION_CACHE = "repere-concertation-v1"


def _message_erreur(request, e: ValidationError):
    messages.error(request, " ".join(e.messages))


@login_required
def accueil(request):
    organisations = organisations_de(request.user, ROLES_SAISIE)
    plans = pilotage.plans_modifiables(request.user)
    formulaires = {
        "evenement": f.EvenementForm(organisations=organisations, plans=plans, prefix="evenement"),
        "groupe": f.GroupeForm(organisations=organisations, plans=plans, prefix="groupe"),
    }
    if request.method == "POST":
        quoi = request.POST.get("quoi")
        if quoi not in formulaires or not organisations.exists():
            raise Http404("Formulaire inconnu.")
        classe = f.EvenementForm if quoi == "evenement" else f.GroupeForm
        form = formulaires[quoi] = classe(request.POST, organisations=organisations, plans=plans, prefix=quoi)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if quoi == "evenement":
                    ev = services.creer_evenement(**d)
                    messages.success(request, f"L'événement « {ev.nom} » est créé.")
                    return redirect("concertation:evenement", pk=ev.pk)
                g = services.creer_groupe(
                    nom=d["nom"],
                    theme=d["theme"],
                    organisation_pilote=d["organisation_pilote"],
                    pilote=request.user,
                    plan=d["plan"],
                )
                messages.success(request, f"Le groupe « {g.nom} » est créé.")
                return redirect("concertation:groupe", pk=g.pk)
            except ValidationError as e:
                for champ, msgs in e.message_dict.items():
                    form.add_error(champ if champ in form.fields else None, msgs)
    return render(
        request,
        "concertation/accueil.html",
        {
            "groupes": selectors.groupes_visibles(request.user).select_related("organisation_pilote"),
            "evenements": selectors.evenements_visibles(request.user),
            "peut_creer": organisations.exists(),
            "f": formulaires,
        },
    )


def _groupe(request, pk) -> GroupeTravail:
    return get_object_or_404(selectors.groupes_visibles(request.user), pk=pk)


@login_required
def groupe(request, pk):
    groupe = _groupe(request, pk)
    gerer = selectors.peut_animer_groupe(request.user, groupe)
    form = f.ReunionForm()
    form_membre = f.MembreForm()
    if request.method == "POST":
        if not gerer:
            raise Http404("Groupe introuvable.")
        if request.POST.get("quoi") == "membre":
            form_membre = f.MembreForm(request.POST)
            if form_membre.is_valid():
                try:
                    u = services.ajouter_membre_groupe(groupe=groupe, email=form_membre.cleaned_data["email"])
                except ValidationError as e:
                    form_membre.add_error("email", e.message_dict["email"])
                else:
                    messages.success(request, f"{u.get_full_name() or u.email} rejoint le groupe.")
                    return redirect("concertation:groupe", pk=groupe.pk)
        else:
            form = f.ReunionForm(request.POST)
            if form.is_valid():
                r = services.creer_reunion(groupe=groupe, **form.cleaned_data)
                messages.success(request, "La réunion est programmée.")
                return redirect("concertation:reunion", pk=r.pk)
    return render(
        request,
        "concertation/groupe.html",
        {"groupe": groupe, "reunions": groupe.reunions.all(), "form": form, "form_membre": form_membre, "gerer": gerer},
    )


@login_required
def reunion(request, pk):
    reunion = get_object_or_404(Reunion.objects.select_related("groupe"), pk=pk)
    groupe = _groupe(request, reunion.groupe_id)
    gerer = selectors.peut_animer_groupe(request.user, groupe)
    plans = pilotage.plans_modifiables(request.user)
    actions = Action.objects.filter(plan__in=plans)
    formulaires = {
        "compte_rendu": f.CompteRenduForm(
            groupe=groupe, initial={"compte_rendu": reunion.compte_rendu, "presents": reunion.presents.all()}
        ),
        "decision": f.DecisionForm(plans=plans, actions=actions),
        "tache": f.TacheForm(groupe=groupe),
    }
    if request.method == "POST":
        if not gerer:
            raise Http404("Réunion introuvable.")
        quoi = request.POST.get("quoi")
        if quoi == "compte_rendu":
            form = formulaires[quoi] = f.CompteRenduForm(request.POST, groupe=groupe)
        elif quoi == "decision":
            form = formulaires[quoi] = f.DecisionForm(request.POST, plans=plans, actions=actions)
        elif quoi == "tache":
            form = formulaires[quoi] = f.TacheForm(request.POST, groupe=groupe)
        elif quoi == "tache_faite":
            tache = get_object_or_404(Tache, pk=request.POST.get("tache"), reunion=reunion)
            services.marquer_tache(tache=tache, faite=not tache.faite)
            return redirect("concertation:reunion", pk=reunion.pk)
        else:
            raise Http404("Formulaire inconnu.")
        if form.is_valid():
            d = form.cleaned_data
            try:
                if quoi == "compte_rendu":
                    services.enregistrer_compte_rendu(
                        reunion=reunion, compte_rendu=d["compte_rendu"], presents=list(d["presents"])
                    )
                elif quoi == "decision":
                    services.prendre_decision(
                        reunion=reunion,
                        texte=d["texte"],
                        par=request.user,
                        plan=d["plan"] if d["effet"] == "creer" else None,
                        titre_action=d["titre_action"],
                        action=d["action"] if d["effet"] == "changer" else None,
                        statut=d["statut"],
                    )
                else:
                    services.creer_tache(
                        reunion=reunion, titre=d["titre"], responsable=d["responsable"], echeance=d["echeance"]
                    )
            except ValidationError as e:
                for champ, msgs in e.message_dict.items():
                    form.add_error(champ if champ in form.fields else None, msgs)
            else:
                messages.success(request, "Enregistré.")
                return redirect("concertation:reunion", pk=reunion.pk)
    return render(
        request,
        "concertation/reunion.html",
        {
            "reunion": reunion,
            "groupe": groupe,
            "gerer": gerer,
            "f": formulaires,
            "decisions": reunion.decisions.select_related("action"),
            "taches": reunion.taches.select_related("responsable"),
        },
    )


def _evenement(request, pk):
    return get_object_or_404(selectors.evenements_visibles(request.user), pk=pk)


@login_required
def evenement(request, pk):
    ev = _evenement(request, pk)
    gerer = selectors.peut_gerer_evenement(request.user, ev)
    actions = Action.objects.filter(plan__in=pilotage.plans_visibles(request.user))
    quoi = request.POST.get("quoi", "import") if request.method == "POST" else None
    form = f.ImportSyntheseForm(request.POST if quoi == "import" else None, request.FILES or None)
    autres = {
        "atelier": f.AtelierForm(request.POST if quoi == "atelier" else None, prefix="atelier"),
        "animateur": f.AnimateurForm(request.POST if quoi == "animateur" else None, evenement=ev, prefix="animateur"),
        "kiosque": f.KiosqueForm(request.POST if quoi == "kiosque" else None, actions=actions, prefix="kiosque"),
    }
    if request.method == "POST" and not gerer:
        raise Http404("Événement introuvable.")
    if quoi in autres and autres[quoi].is_valid():
        d = autres[quoi].cleaned_data
        try:
            if quoi == "atelier":
                services.creer_atelier(evenement=ev, **d)
            elif quoi == "animateur":
                services.ajouter_animateur(atelier=d["atelier"], email=d["email"])
            else:
                services.creer_kiosque(
                    evenement=ev,
                    titre=d["titre"],
                    thematique=d["thematique"],
                    structure_annuaire=d["structure"],
                    action=d["action"],
                )
        except ValidationError as e:
            for champ, msgs in e.message_dict.items():
                autres[quoi].add_error(champ if champ in autres[quoi].fields else None, msgs)
        else:
            messages.success(request, "Enregistré.")
            return redirect("concertation:evenement", pk=ev.pk)
    if quoi == "import" and form.is_valid():
        fichier = form.cleaned_data.get("fichier")
        try:
            if fichier:
                texte = fichier.read().decode("utf-8-sig")
            else:
                chemin = services.chemin_seed()
                if not chemin.exists():
                    raise services.ImportImpossible(f"Aucun fichier joint et la synthèse 2023 est absente ({chemin}).")
                texte = chemin.read_text(encoding="utf-8")
            ateliers = services.importer_synthese(texte=texte, evenement=ev)
        except (services.ImportImpossible, UnicodeDecodeError) as e:
            messages.error(request, f"Import impossible : {e}")
        else:
            messages.success(request, f"{len(ateliers)} fiches d'atelier reconstituées.")
            return redirect("concertation:evenement", pk=ev.pk)
    return render(
        request,
        "concertation/evenement.html",
        {
            "evenement": ev,
            "ateliers": selectors.ateliers_avec_remplissage(ev),
            "kiosques": ev.kiosques.select_related("action"),
            "gerer": gerer,
            "form": form,
            "f": autres,
            "synthese": Synthese.objects.filter(evenement=ev).first(),
        },
    )


def _atelier(request, pk) -> Atelier:
    atelier = get_object_or_404(Atelier.objects.select_related("evenement"), pk=pk)
    if not selectors.peut_animer(request.user, atelier):
        raise Http404("Atelier introuvable.")
    return atelier


@login_required
def saisie(request, pk):
    """The fiche captured on a phone during the workshop; several facilitators at once (one row per item)."""
    atelier = _atelier(request, pk)
    if request.method == "POST":
        try:
            services.ajouter_contribution(
                atelier=atelier,
                section=request.POST.get("section", ""),
                texte=request.POST.get("texte", ""),
                cle=request.POST.get("cle") or None,
                par=request.user,
            )
        except (ValidationError, ValueError) as e:
            messages.error(request, " ".join(getattr(e, "messages", [str(e)])))
        else:
            messages.success(request, "Ajouté à la fiche.")
        return redirect("concertation:saisie", pk=atelier.pk)
    return render(request, "concertation/saisie.html", {"atelier": atelier, "sections": selectors.fiche(atelier)})


@login_required
def fiche_partielle(request, pk):
    """The fiche's current content (polled by the capture page to show the other facilitators' items)."""
    atelier = _atelier(request, pk)
    return render(request, "concertation/_fiche.html", {"sections": selectors.fiche(atelier)})


def service_worker(request):
    contenu = render_to_string("concertation/sw.js", {"version": VERSION_CACHE})
    reponse = HttpResponse(contenu, content_type="application/javascript")
    reponse["Service-Worker-Allowed"] = "/concertation/"
    reponse["Cache-Control"] = "no-cache"
    return reponse


def _synthese_geree(request, pk) -> Synthese:
    ev = _evenement(request, pk)
    if not selectors.peut_gerer_evenement(request.user, ev):
        raise Http404("Événement introuvable.")
    return Synthese.objects.get_or_create(evenement=ev)[0]


@login_required
def synthese_page(request, pk):
    ev = _evenement(request, pk)
    s = Synthese.objects.filter(evenement=ev).first()
    return render(
        request,
        "concertation/synthese.html",
        {
            "evenement": ev,
            "synthese": s,
            "gerer": selectors.peut_gerer_evenement(request.user, ev),
            "ens": selectors.enseignements_de(s) if s else None,
            "vers_action": f.VersActionForm(plans=pilotage.plans_modifiables(request.user)),
            "sections": Section,
        },
    )


@login_required
@require_POST
def synthese_calculer(request, pk):
    s = _synthese_geree(request, pk)
    try:
        s = synthese.calculer_synthese(evenement=s.evenement)
    except ValidationError as e:
        _message_erreur(request, e)
    else:
        messages.success(request, f"Synthèse calculée en {s.duree_calcul} s : {s.enseignements.count()} propositions.")
    return redirect("concertation:synthese", pk=pk)


@login_required
@require_POST
def synthese_publier(request, pk):
    s = _synthese_geree(request, pk)
    try:
        synthese.publier(synthese=s, publier=request.POST.get("publier") == "1")
    except ValidationError as e:
        _message_erreur(request, e)
    return redirect("concertation:synthese", pk=pk)


@login_required
def synthese_document(request, pk, format):
    ev = _evenement(request, pk)
    s = get_object_or_404(Synthese, evenement=ev)
    if format == "pdf":
        contenu, type_ = documents.pdf(s), "application/pdf"
    elif format == "odt":
        contenu, type_ = documents.odt(s), "application/vnd.oasis.opendocument.text"
    else:
        raise Http404("Format inconnu.")
    reponse = HttpResponse(contenu, content_type=type_)
    reponse["Content-Disposition"] = f'attachment; filename="synthese-{ev.pk}.{format}"'
    return reponse


@login_required
@require_POST
def enseignement_modifier(request, pk):
    e = selectors.enseignement_visible(request.user, pk)
    if e is None or not selectors.peut_gerer_evenement(request.user, e.synthese.evenement):
        raise Http404("Proposition introuvable.")
    ev_pk = e.synthese.evenement_id
    quoi = request.POST.get("quoi")
    try:
        if quoi == "renommer":
            synthese.renommer(enseignement=e, titre=request.POST.get("titre", ""), texte=request.POST.get("texte", ""))
        elif quoi == "fusionner":
            cible = get_object_or_404(Enseignement, pk=request.POST.get("cible"), synthese=e.synthese)
            synthese.fusionner(cible=cible, sources=[e])
        elif quoi == "scinder":
            ids = [int(i) for i in request.POST.getlist("contributions") if i.isdigit()]
            synthese.scinder(enseignement=e, contributions=ids, titre=request.POST.get("titre", ""))
        elif quoi in ("monter", "descendre"):
            synthese.deplacer(enseignement=e, sens=-1 if quoi == "monter" else 1)
        elif quoi == "action":
            form = f.VersActionForm(request.POST, plans=pilotage.plans_modifiables(request.user))
            if not form.is_valid():
                raise ValidationError("Choisissez un plan que vous pouvez modifier.")
            action = synthese.transformer_en_action(enseignement=e, plan=form.cleaned_data["plan"], par=request.user)
            messages.success(request, f"L'action « {action.titre} » est créée dans « {action.plan} ».")
        else:
            raise Http404("Opération inconnue.")
    except ValidationError as err:
        _message_erreur(request, err)
    return redirect(
        f"/concertation/evenements/{ev_pk}/synthese/#e{e.pk}"
        if quoi != "fusionner"
        else f"/concertation/evenements/{ev_pk}/synthese/"
    )
