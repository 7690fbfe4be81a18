"""Every view declares whether it shows personal data; those that do log every read.

- ``@donnees_personnelles`` wraps a view: every response that shows something (not a redirect, not an
  error page without content) is written to the read journal (repere.journal.models.Lecture).
- It also wraps an operation of the JSON API (``config/api.py``): ``@router.get(...)`` above
  ``@donnees_personnelles``. API operations free of personal data are listed below as ``api:<url name>``.
- ``@sans_donnees_personnelles`` declares a view that shows none (public pages, writes that redirect,
  aggregates); ``SANS_DONNEES_PERSONNELLES`` lists, by URL name, views that cannot be decorated where
  they are defined (Django's auth views, for instance).

tests/securite/test_journal_lectures.py walks the URL configuration and every API operation, and fails for
one declared in neither way: a new page showing personal data cannot forget the journal.
"""

from functools import wraps

from repere.journal.services import journaliser_lecture

STATUTS_SANS_CONTENU = frozenset({401, 403, 404, 405, 410})


def donnees_personnelles(vue=None, *, lien_signe: bool = False):
    """Decorator (``@donnees_personnelles`` or ``@donnees_personnelles(lien_signe=True)``)."""

    def decorer(fonction):
        @wraps(fonction)
        def enveloppe(request, *args, **kwargs):
            reponse = fonction(request, *args, **kwargs)
            statut = _statut(reponse)
            affiche = getattr(reponse, "donnees_personnelles_affichees", True)
            if affiche and not (300 <= statut < 400 or statut in STATUTS_SANS_CONTENU or statut >= 500):
                correspondance = getattr(request, "resolver_match", None)
                journaliser_lecture(
                    request=request,
                    vue=correspondance.view_name if correspondance else fonction.__name__,
                    kwargs=kwargs,
                    par_lien_signe=lien_signe,
                )
            return reponse

        enveloppe.donnees_personnelles = True
        return enveloppe

    return decorer(vue) if vue is not None else decorer


def _statut(reponse) -> int:
    """HTTP status of a view's response, or of an API operation's return value (django-ninja: data, a
    ``Status`` or a ``(status, data)`` tuple)."""
    for statut in (getattr(reponse, "status_code", None), reponse[0] if isinstance(reponse, tuple) else None):
        if isinstance(statut, int):
            return statut
    return 200


def sans_lecture(reponse):
    """Mark a response of a personal-data view that shows none (e.g. a signed link's opening page)."""
    reponse.donnees_personnelles_affichees = False
    return reponse


def sans_donnees_personnelles(vue):
    vue.donnees_personnelles = False
    return vue


PUBLIC = "page publique"
ECRITURE = "écriture puis redirection (journalisée dans l'historique de l'objet)"
AGREGATS = "agrégats ou contacts anonymes, jamais une identité"
AGENTS = "données des comptes des professionnels, pas des personnes accompagnées"
SIMULATEUR = "le simulateur public : les réponses de la personne elle-même, dans sa session"
ANNUAIRE = "l'annuaire (structures et services), sans donnée de personne"

OBSERVATOIRE = "indicateurs agrégés (secret statistique)"
PILOTAGE = "pilotage du Pacte et concertation, sans donnée de personne accompagnée"

API_PUBLIQUE = "API publique : territoires, prestations, annuaire (structures et services), sans personne"
API_SIMULATEUR = "API du simulateur : le ménage décrit par l'appelant, rendu à lui seul, sans identité"
API_ECRITURE = "API d'enregistrement : la réponse ne rend que l'enregistrement et les droits repérés, jamais d'identité"

SANS_DONNEES_PERSONNELLES = {
    # -- the JSON API under /api/v1 (config/api.py), by operation name
    **{
        f"api:{nom}": API_PUBLIQUE
        for nom in (
            "recherche",
            "au_point",
            "territoire",
            "communes",
            "contour",
            "prestations",
            "rechercher_services",
            "lister_services",
            "detail_service",
            "lister_structures",
            "detail_structure",
            "adresses",
        )
    },
    "api:simuler_menage": API_SIMULATEUR,
    "api:courbe_revenus": API_SIMULATEUR,
    "api:prereperer": API_SIMULATEUR,
    "api:envoyer_contact": API_ECRITURE,
    "api:contribuer": "API de la concertation : un élément de fiche d'atelier, sans personne accompagnée",
    **{f"api:{nom}": OBSERVATOIRE for nom in ("indicateurs", "valeurs", "portrait", "carte")},
    **{f"api:{nom}": PILOTAGE for nom in ("cadre_national", "plans", "actions", "tableau_de_bord")},
    # -- pages
    "pages:securite": PUBLIC,
    "pages:favicon": PUBLIC,
    "exploitation:sante": "état technique du service",
    "exploitation:rapport_csp": "rapports techniques du navigateur",
    "comptes:double_facteur": AGENTS,
    "comptes:codes_secours": AGENTS,
    "comptes:recontact_fait": ECRITURE,
    "annuaire:import_depot": ANNUAIRE,
    "annuaire:import_correspondance": ANNUAIRE,
    "annuaire:import_correspondance_json": ANNUAIRE,
    "annuaire:import_apercu": ANNUAIRE,
    "annuaire:import_executer": ANNUAIRE,
    "annuaire:import_suivi": ANNUAIRE,
    **{
        f"observatoire:{nom}": OBSERVATOIRE
        for nom in (
            "accueil",
            "portrait",
            "portrait_export",
            "portrait_pdf",
            "carte",
            "carte_geojson",
            "carte_export",
            "comparer",
            "comparer_export",
            "indicateurs",
            "imports",
            "importer",
            "import_correspondance",
            "barometre",
            "barometre_export",
        )
    },
    **{
        f"pilotage:{nom}": PILOTAGE
        for nom in (
            "accueil",
            "cadre",
            "plan_creer",
            "plan",
            "axe_creer",
            "action_creer",
            "exporter",
            "importer",
            "actions",
            "action",
            "action_modifier",
            "document",
            "etape_basculer",
            "chronologie",
            "tableau_de_bord",
            "comparaison",
            "rapport",
            "public_liste",
            "public_plan",
        )
    },
    **{
        f"concertation:{nom}": PILOTAGE
        for nom in (
            "accueil",
            "service_worker",
            "groupe",
            "reunion",
            "evenement",
            "saisie",
            "fiche",
            "synthese",
            "synthese_calculer",
            "synthese_publier",
            "synthese_document",
            "enseignement_modifier",
        )
    },
    "pages:accueil": PUBLIC,
    "pages:accessibilite": PUBLIC,
    "pages:mentions_legales": PUBLIC,
    "pages:donnees_personnelles": PUBLIC,
    "comptes:login": AGENTS,
    "comptes:logout": AGENTS,
    "comptes:compte": AGENTS,
    "comptes:mot_de_passe_modifier": AGENTS,
    "comptes:mot_de_passe_modifie": AGENTS,
    "comptes:mot_de_passe_oublie": AGENTS,
    "comptes:mot_de_passe_oublie_envoye": AGENTS,
    "comptes:mot_de_passe_reinitialiser": AGENTS,
    "comptes:mot_de_passe_reinitialise": AGENTS,
    "oidc_authentication_init": AGENTS,
    "oidc_authentication_callback": AGENTS,
    "organisations:liste": AGENTS,
    "organisations:creer": AGENTS,
    "organisations:detail": AGENTS,
    "organisations:modifier": AGENTS,
    "organisations:inviter": AGENTS,
    "organisations:annuler_invitation": AGENTS,
    "organisations:changer_role": AGENTS,
    "organisations:retirer": AGENTS,
    "organisations:invitation": AGENTS,
    "organisations:invitation_ancienne": "redirection qui sort le jeton de l'adresse",
    "territoires:recherche": PUBLIC,
    "territoires:detail": PUBLIC,
    "droits:accueil": SIMULATEUR,
    "droits:etape": SIMULATEUR,
    "droits:resultats": SIMULATEUR,
    "droits:imprimer": SIMULATEUR,
    "droits:courbe": SIMULATEUR,
    "droits:courbe_json": SIMULATEUR,
    "droits:recommencer": SIMULATEUR,
    "droits:aides_locales": "règles des aides locales",
    "droits:aide_creer": "règles des aides locales",
    "droits:aide_modifier": "règles des aides locales",
    "droits:aide_supprimer": "règles des aides locales",
    "droits:aides_importer": "règles des aides locales",
    "droits:aides_exporter": "règles des aides locales",
    "depistage:accueil": AGREGATS,
    "depistage:modele": PUBLIC,
    "depistage:organisation": AGREGATS,
    "depistage:detail": AGREGATS,
    "depistage:progression": AGREGATS,
    "depistage:supprimer": ECRITURE,
    "annuaire:recherche": ANNUAIRE,
    "annuaire:service": ANNUAIRE,
    "annuaire:orienter": "formulaire d'envoi : rien n'est lu, la saisie de l'utilisateur lui est rendue",
    "annuaire:renouveler_lien": ECRITURE,
    "annuaire:reponse_lien_ancien": "redirection qui sort le jeton de l'adresse",
    "annuaire:tableau": "numéros, services et statuts des orientations, sans identité",
    "annuaire:tableau_csv": "numéros, services et statuts des orientations, sans identité",
    "annuaire:mes_structures": ANNUAIRE,
    "annuaire:structure_creer": ANNUAIRE,
    "annuaire:structure_modifier": ANNUAIRE,
    "annuaire:service_creer": ANNUAIRE,
    "annuaire:service_modifier": ANNUAIRE,
    "annuaire:service_verifie": ANNUAIRE,
    "annuaire:fermeture_ajouter": ANNUAIRE,
    "annuaire:fermeture_supprimer": ANNUAIRE,
    "annuaire:revendiquer": ANNUAIRE,
    "annuaire:moderation": ANNUAIRE,
    "allervers:accueil": AGREGATS,
    "allervers:service_worker": PUBLIC,
    "allervers:envoi_contact": "envoi d'un contact anonyme (JSON)",
    "allervers:registre": PUBLIC,
    "allervers:notice_creer": "notices d'information",
    "allervers:campagne_creer": AGREGATS,
    "allervers:campagne": AGREGATS,
    "allervers:campagne_modifier": AGREGATS,
    "allervers:saisie": "saisie d'un contact anonyme",
    "allervers:contacts": AGREGATS,
    "allervers:indicateurs": AGREGATS,
    "allervers:indicateurs_export": AGREGATS,
    "allervers:personne_creer": "création d'une fiche : rien n'est lu (un contact anonyme au plus)",
    "allervers:simuler": ECRITURE,
    "allervers:droit_etape": ECRITURE,
    "allervers:entretien_ajouter": ECRITURE,
    "allervers:rappel_ajouter": ECRITURE,
    "allervers:rappel_fait": ECRITURE,
    "allervers:partage_ajouter": ECRITURE,
    "allervers:partage_retirer": ECRITURE,
}
"""Views free of personal data, by URL name, with the reason; decorated views need no entry."""


def declaration(callback) -> bool | None:
    """True (personal data, logged), False (none) or None (not declared) for a URL pattern's callback."""
    for cible in (callback, getattr(callback, "view_class", None)):
        valeur = getattr(cible, "donnees_personnelles", None)
        if valeur is not None:
            return valeur
    return None
