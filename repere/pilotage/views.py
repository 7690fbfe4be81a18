from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from repere.organisations.permissions import ROLES_SAISIE, organisations_de
from repere.pilotage import forms as f
from repere.pilotage import selectors, services, tableur
from repere.pilotage.cadre import cadre_pacte
from repere.pilotage.models import Action, AxeNational, Etape, Indicateur, Plan, Priorite, TypePlan
from repere.utils.soumission import soumission_unique
from repere.utils.tableurs import reponse_tableur

PAR_PAGE = 50
LIGNES_TABLEAU_DE_BORD = 20


def _plan_visible(request, pk) -> Plan:
    return get_object_or_404(selectors.plans_visibles(request.user), pk=pk)


def _plan_modifiable(request, pk) -> Plan:
    plan = _plan_visible(request, pk)
    if not selectors.peut_modifier(request.user, plan):
        raise Http404("Plan introuvable.")
    return plan


def _action_visible(request, pk) -> Action:
    action = selectors.action_detaillee(pk)
    if action is None or not selectors.plans_visibles(request.user).filter(pk=action.plan_id).exists():
        raise Http404("Action introuvable.")
    return action


def cadre(request):
    return render(request, "pilotage/cadre.html", {"cadre": cadre_pacte()})


@login_required
def accueil(request):
    plans = selectors.plans_visibles(request.user).select_related("territoire", "organisation")
    return render(
        request,
        "pilotage/accueil.html",
        {"plans": plans, "peut_creer": organisations_de(request.user, ROLES_SAISIE).exists()},
    )


@login_required
@soumission_unique
def plan_creer(request):
    organisations = organisations_de(request.user, ROLES_SAISIE)
    if not organisations.exists():
        raise Http404("Aucune organisation où créer un plan.")
    form = f.PlanForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.creer_plan(
                nom=d["nom"],
                type=d["type"],
                territoire=d["territoire"],
                organisation=d["organisation"],
                cadre=cadre_pacte(),
                debut=d.get("debut"),
                fin=d.get("fin"),
                description=d.get("description", ""),
                publie=d.get("publie", False),
            )
        except ValidationError as e:
            f.appliquer_erreurs(form, e)
        else:
            messages.success(request, f"Le plan « {plan.nom} » est créé.")
            return redirect("pilotage:plan", pk=plan.pk)
    return render(request, "pilotage/formulaire.html", {"form": form, "titre": "Nouveau plan", "territoire": True})


@login_required
def plan(request, pk):
    plan = _plan_visible(request, pk)
    actions = list(
        selectors.actions_annotees(plan.actions.all()).select_related("axe", "territoire", "organisation_pilote")
    )
    axes = []
    for axe in plan.axes.select_related("axe_national").prefetch_related("mesures"):
        cumul = selectors.Cumul(axe.titre)
        liste = [a for a in actions if a.axe_id == axe.pk]
        for a in liste:
            cumul.ajouter({"statut": a.statut, "avancement": a.avancement, "en_retard": a.en_retard})
            cumul.prevu += a.prevu
            cumul.paye += a.paye
        axes.append({"axe": axe, "cumul": cumul, "actions": liste})
    sans_axe = [a for a in actions if a.axe_id is None]
    total = selectors.Cumul(plan.nom)
    for a in actions:
        total.ajouter({"statut": a.statut, "avancement": a.avancement, "en_retard": a.en_retard})
        total.prevu += a.prevu
        total.paye += a.paye
    return render(
        request,
        "pilotage/plan.html",
        {
            "plan": plan,
            "axes": axes,
            "sans_axe": sans_axe,
            "total": total,
            "peut_modifier": selectors.peut_modifier(request.user, plan),
        },
    )


@login_required
@soumission_unique
def axe_creer(request, pk):
    plan = _plan_modifiable(request, pk)
    form = f.AxeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.creer_axe(plan=plan, titre=d["titre"], axe_national=d["axe_national"], mesures=list(d["mesures"]))
        messages.success(request, "L'axe est ajouté.")
        return redirect("pilotage:plan", pk=plan.pk)
    return render(request, "pilotage/formulaire.html", {"form": form, "titre": f"Nouvel axe — {plan.nom}"})


@login_required
@soumission_unique
def action_creer(request, pk):
    plan = _plan_modifiable(request, pk)
    form = f.ActionForm(request.POST or None, plan=plan, initial={"axe": request.GET.get("axe")})
    if request.method == "POST" and form.is_valid():
        try:
            action = services.creer_action(
                plan=plan, par=request.user, mesures=list(form.cleaned_data["mesures"]), **form.champs_action()
            )
        except ValidationError as e:
            f.appliquer_erreurs(form, e)
        else:
            messages.success(request, f"L'action « {action.titre} » est créée.")
            return redirect("pilotage:action", pk=action.pk)
    return render(
        request,
        "pilotage/formulaire.html",
        {"form": form, "titre": f"Nouvelle action — {plan.nom}", "territoire": True},
    )


@login_required
def action_modifier(request, pk):
    action = _action_visible(request, pk)
    if not selectors.peut_modifier(request.user, action.plan):
        raise Http404("Action introuvable.")
    form = f.ActionForm(request.POST or None, plan=action.plan, instance=Action.objects.get(pk=action.pk))
    if request.method == "POST" and form.is_valid():
        champs = form.champs_action()
        champs.pop("titre", None)
        try:
            services.modifier_action(
                action=Action.objects.get(pk=action.pk),
                par=request.user,
                mesures=list(form.cleaned_data["mesures"]),
                titre=form.cleaned_data["titre"],
                **champs,
            )
        except ValidationError as e:
            f.appliquer_erreurs(form, e)
        else:
            messages.success(request, "L'action est mise à jour.")
            return redirect("pilotage:action", pk=action.pk)
    return render(
        request, "pilotage/formulaire.html", {"form": form, "titre": f"Modifier « {action.titre} »", "territoire": True}
    )


def _formulaires_action(data=None, prefixe=None, fichiers=None, user=None):
    aujourd = timezone.localdate()
    formulaires = {
        "etape": f.EtapeForm(prefix="etape"),
        "budget": f.LigneBudgetForm(prefix="budget", initial={"annee": aujourd.year, "date_effet": aujourd}),
        "observatoire": f.LienObservatoireForm(prefix="observatoire", user=user),
        "indicateur": f.IndicateurForm(prefix="indicateur", initial={"date_initiale": aujourd}),
        "valeur": f.ValeurForm(prefix="valeur", initial={"date": aujourd}),
        "note": f.NoteForm(prefix="note", initial={"date": aujourd}),
        "document": f.DocumentForm(prefix="document"),
    }
    if data is not None:
        extra = {"user": user} if prefixe == "observatoire" else {}
        formulaires[prefixe] = type(formulaires[prefixe])(data, fichiers, prefix=prefixe, **extra)
    return formulaires


@login_required
@soumission_unique
def action(request, pk):
    action = _action_visible(request, pk)
    modifiable = selectors.peut_modifier(request.user, action.plan)
    formulaires = _formulaires_action(user=request.user)
    if request.method == "POST":
        if not modifiable:
            raise Http404("Action introuvable.")
        quoi = request.POST.get("quoi", "")
        if quoi not in formulaires:
            raise Http404("Formulaire inconnu.")
        formulaires = _formulaires_action(request.POST, quoi, request.FILES, user=request.user)
        form = formulaires[quoi]
        objet = Action.objects.get(pk=action.pk)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if quoi == "etape":
                    services.ajouter_etape(action=objet, par=request.user, titre=d["titre"], echeance=d["echeance"])
                elif quoi == "budget":
                    services.enregistrer_ligne_budget(
                        action=objet,
                        par=request.user,
                        annee=d["annee"],
                        type=d["type"],
                        financeur_nom=d["financeur"],
                        type_financeur=d["type_financeur"],
                        prevu=d["prevu"],
                        engage=d["engage"] or 0,
                        paye=d["paye"] or 0,
                        date_effet=d["date_effet"],
                    )
                elif quoi == "observatoire":
                    indicateur = get_object_or_404(Indicateur, pk=request.POST.get("indicateur"), action=objet)
                    services.relier_observatoire(
                        indicateur=indicateur,
                        par=request.user,
                        code=d["reference_observatoire"],
                        territoire=d["territoire"],
                    )
                elif quoi == "indicateur":
                    services.ajouter_indicateur(action=objet, par=request.user, **d)
                elif quoi == "valeur":
                    indicateur = get_object_or_404(Indicateur, pk=request.POST.get("indicateur"), action=objet)
                    services.enregistrer_valeur(indicateur=indicateur, par=request.user, **d)
                elif quoi == "note":
                    services.ajouter_note(action=objet, par=request.user, **d)
                elif quoi == "document":
                    services.ajouter_document(action=objet, par=request.user, titre=d["titre"], fichier=d["fichier"])
            except ValidationError as e:
                f.appliquer_erreurs(form, e)
            else:
                messages.success(request, "Enregistré.")
                return redirect("pilotage:action", pk=action.pk)
    jour = timezone.localdate()
    indicateurs = []
    for ind in action.indicateurs.select_related("territoire_observatoire").prefetch_related("valeurs"):
        valeurs = list(ind.valeurs.all())
        derniere = valeurs[-1] if valeurs else None
        indicateurs.append(
            {
                "indicateur": ind,
                "valeurs": valeurs,
                "derniere": derniere,
                "hors_cible": derniere is not None and selectors.est_hors_cible(ind, derniere.valeur, derniere.date),
                "attendu": selectors.valeur_attendue(ind, derniere.date if derniere else jour),
                "observatoire": selectors.valeurs_observatoire(ind, user=request.user),
            }
        )
    form_au = f.BudgetAuForm(request.GET or None)
    budget_au = form_au.cleaned_data.get("budget_au") if form_au.is_valid() else None
    totaux_au = selectors.budget_au([action.pk], jour=budget_au) if budget_au else None
    return render(
        request,
        "pilotage/action.html",
        {
            "action": action,
            "statut_affiche": selectors.statut_affiche(action),
            "etapes": action.etapes.all(),
            "lignes_budget": action.lignes_budget.select_related("financeur"),
            "historique_budget": selectors.historique_budget(action),
            "form_au": form_au,
            "budget_au": budget_au,
            "totaux_au": totaux_au,
            "indicateurs": indicateurs,
            "notes": action.notes.select_related("auteur"),
            "documents": action.documents.all(),
            "historique": action.historique.select_related("par")[:100],
            "modifiable": modifiable,
            "f": formulaires,
            "jour": jour,
        },
    )


@login_required
def document(request, pk):
    """A document of an action, served only to those who can see the action (never a public media URL)."""
    from django.http import FileResponse

    from repere.pilotage.models import Document

    doc = get_object_or_404(Document, pk=pk)
    _action_visible(request, doc.action_id)
    try:
        fichier = doc.fichier.open("rb")
    except FileNotFoundError as e:
        raise Http404("Fichier introuvable.") from e
    return FileResponse(fichier, as_attachment=True, filename=doc.fichier.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def etape_basculer(request, pk):
    etape = get_object_or_404(Etape, pk=pk)
    _action_visible(request, etape.action_id)
    if not selectors.peut_modifier(request.user, etape.action.plan):
        raise Http404("Étape introuvable.")
    services.marquer_etape(etape=etape, par=request.user, faite=not etape.faite)
    return redirect("pilotage:action", pk=etape.action_id)


def _filtres(request):
    g = request.GET

    def entier(nom):
        v = g.get(nom, "")
        return int(v) if v.isdigit() else None

    return {
        "plan": entier("plan"),
        "axe_national": entier("axe_national"),
        "statut": g.get("statut", "") if g.get("statut", "") in dict(selectors.CHOIX_STATUTS_FILTRE) else "",
        "priorite": g.get("priorite", "") if g.get("priorite", "") in Priorite.values else "",
        "recherche": g.get("q", "")[:100],
    }


def _contexte_filtres(request, plans):
    return {
        "plans_choix": plans.order_by("nom"),
        "axes_choix": AxeNational.objects.all(),
        "statuts_choix": selectors.CHOIX_STATUTS_FILTRE,
        "priorites_choix": Priorite.choices,
        "filtres": _filtres(request),
    }


@login_required
def tableau_actions(request):
    plans = selectors.plans_visibles(request.user)
    qs = selectors.filtrer_actions(plans, **_filtres(request))
    total = qs.count()
    nb_pages = max(1, -(-total // PAR_PAGE))
    numero = request.GET.get("page", "1")
    numero = min(int(numero), nb_pages) if numero.isdigit() and int(numero) >= 1 else 1
    actions = selectors.page_annotee(
        qs, ordre=("plan__nom", "axe__ordre", "pk"), limite=PAR_PAGE, decalage=(numero - 1) * PAR_PAGE
    )
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return render(
        request,
        "pilotage/actions.html",
        {
            "actions": actions,
            "total": total,
            "page": numero,
            "nb_pages": nb_pages,
            "parametres": parametres.urlencode(),
            **_contexte_filtres(request, plans),
        },
    )


@login_required
def chronologie(request):
    plans = selectors.plans_visibles(request.user)
    qs = selectors.page_annotee(
        selectors.filtrer_actions(plans, **_filtres(request)), ordre=("date_debut", "pk"), limite=300
    )
    return render(
        request,
        "pilotage/chronologie.html",
        {"chrono": selectors.chronologie(qs), "aujourdhui": timezone.localdate(), **_contexte_filtres(request, plans)},
    )


def _plans_choisis(request):
    plans = selectors.plans_visibles(request.user)
    ids = [int(i) for i in request.GET.getlist("plans") if i.isdigit()]
    return (plans.filter(pk__in=ids) if ids else plans), plans


@login_required
def tableau_de_bord(request):
    choisis, tous = _plans_choisis(request)
    tdb = selectors.tableau_de_bord(choisis, limite_listes=LIGNES_TABLEAU_DE_BORD)
    return render(
        request,
        "pilotage/tableau_de_bord.html",
        {"tdb": tdb, "tous": tous.order_by("nom"), "choisis": {p.pk for p in choisis}},
    )


@login_required
def comparaison(request):
    plans = selectors.plans_visibles(request.user)
    ids = [int(i) for i in request.GET.getlist("plans") if i.isdigit()]
    choisis = plans.filter(pk__in=ids) if ids else plans.filter(type=TypePlan.PACTE_LOCAL)
    return render(
        request,
        "pilotage/comparaison.html",
        {"comparaison": selectors.comparaison_pactes(choisis), "tous": plans.order_by("nom")},
    )


@login_required
def rapport(request):
    choisis, tous = _plans_choisis(request)
    texte = request.GET.get("date", "")
    try:
        jour = date.fromisoformat(texte) if texte else timezone.localdate()
    except ValueError:
        messages.error(
            request, f"Date illisible : « {texte} » (attendu : AAAA-MM-JJ). Le rapport est daté d'aujourd'hui."
        )
        jour = timezone.localdate()
    contexte = {"tdb": selectors.tableau_de_bord(choisis, jour=jour, limite_listes=200), "plans": choisis, "jour": jour}
    if request.GET.get("format") == "pdf":
        from weasyprint import HTML

        html = render_to_string("pilotage/rapport_pdf.html", contexte, request=request)
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        reponse = HttpResponse(pdf, content_type="application/pdf")
        reponse["Content-Disposition"] = f'attachment; filename="rapport-copil-{jour:%Y-%m-%d}.pdf"'
        return reponse
    return render(request, "pilotage/rapport.html", {**contexte, "tous": tous.order_by("nom")})


@login_required
def exporter(request, pk, format):
    if format not in ("csv", "xlsx", "ods"):
        raise Http404("Format inconnu.")
    plan = _plan_visible(request, pk)
    return reponse_tableur(tableur.tableaux_export(plan), format=format, nom_fichier=f"actions-plan-{plan.pk}")


@login_required
def importer(request, pk):
    plan = _plan_modifiable(request, pk)
    form = f.ImportForm(request.POST or None, request.FILES or None)
    erreurs = []
    if request.method == "POST" and form.is_valid():
        fichier = form.cleaned_data["fichier"]
        try:
            resultat = tableur.importer_actions(
                plan=plan, contenu=fichier.read(), nom_fichier=fichier.name, par=request.user
            )
        except tableur.ImportInvalide as e:
            erreurs = e.erreurs
        else:
            messages.success(
                request,
                f"Import terminé : {resultat.creees} action(s) créée(s), {resultat.modifiees} mise(s) à jour, "
                f"{resultat.lignes_budget} ligne(s) de budget.",
            )
            return redirect("pilotage:plan", pk=plan.pk)
    return render(
        request,
        "pilotage/import.html",
        {
            "form": form,
            "plan": plan,
            "erreurs": erreurs,
            "colonnes": tableur.COLONNES,
            "budget": tableur.COLONNES_BUDGET,
        },
    )


def feuilles_de_route(request):
    return render(request, "pilotage/public_liste.html", {"plans": selectors.plans_publies()})


def feuille_de_route(request, pk):
    plan = get_object_or_404(selectors.plans_publies(), pk=pk)
    actions = list(selectors.feuille_de_route_publique(plan))
    for a in actions:
        a.statut_public = selectors.statut_affiche(a)
    return render(request, "pilotage/public_plan.html", {"plan": plan, "actions": actions})
