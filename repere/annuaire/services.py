"""Write operations of the directory and of referrals (orientations).

Public interface for other modules (e.g. `allervers`, outreach):

    from repere.annuaire.services import creer_orientation
    orientation = creer_orientation(
        emetteur=request.user,                        # the professional (admin/professionnel role)
        organisation_emettrice=organisation,         # where the user holds that role
        service=service,                              # a published annuaire.Service
        personne={"prenom": "…", "nom": "…",           # minimal identity; optional keys:
                  "telephone": "…", "courriel": "…", "commune": "…", "preference_contact": "telephone"},
        besoins="Factures d'énergie impayées depuis 3 mois",
        consentement={"informe_par": "Dominique Pro", "le": datetime, "version_notice": "2026-01",
                      "base_legale": "consentement"},   # see models.BaseLegale
        piece_jointe=None,                            # optional UploadedFile (PDF, image, ≤ 5 Mo)
        origine="allervers:42",                       # optional: your module and object id
    )

It raises `repere.utils.errors.ErreurMetier(message, champ=…)` with a French message naming the field
on bad input, writes nothing in that case, and sends the e-mail to the receiving structure after commit.
Selectors for a person's referrals: `repere.annuaire.selectors.orientations_par_origine(origine=…, user=…)`.
"""

import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from repere.annuaire import horaires, taxonomies
from repere.annuaire.models import (
    BaseLegale,
    EvenementOrientation,
    Fermeture,
    IndexRecherche,
    MotifRefus,
    Orientation,
    PreferenceContact,
    ResultatOrientation,
    Service,
    StatutModeration,
    StatutOrientation,
    StatutService,
    Structure,
)
from repere.organisations.models import Membership, Role
from repere.organisations.permissions import ROLES_DONNEES_PERSONNELLES, a_un_role
from repere.utils.errors import ErreurMetier
from repere.utils.text import normalise

DUREE_LIEN_JOURS = 8
RELANCE_APRES_JOURS = 10
EXPIRATION_APRES_JOURS = 30
ANONYMISATION_APRES_JOURS = 730
PIECES_JOINTES_APRES_JOURS = 183  # 6 mois
VERIFICATION_APRES_JOURS = 183
TAILLE_MAX_PIECE = 5 * 1024 * 1024
SIGNATURES_PIECES = {b"%PDF": "pdf", b"\x89PNG": "png", b"\xff\xd8\xff": "jpg"}
SEL_LIEN = "repere.annuaire.orientation.reponse"


# -- Search columns -----------------------------------------------------------------------------


def normaliser_texte(texte: str) -> str:
    """Accent- and case-insensitive key of the search text: the project's one normalisation."""
    return normalise(texte)


def _cle(codes) -> str:
    codes = [c for c in codes if c]
    return "|" + "|".join(codes) + "|" if codes else ""


# The columns of an IndexRecherche row after service_id, in the order of calculer_index's tuples.
COLONNES_INDEX = ("thematique", "latitude", "longitude", "texte_recherche", "zone_cle")


def indexer_service(service: Service, *, structure: Structure | None = None, lieux=None) -> list[IndexRecherche]:
    """Fill the search columns of `service` (not saved) and return its IndexRecherche rows (not saved)."""
    return [
        IndexRecherche(service=service, **dict(zip(COLONNES_INDEX, ligne, strict=True)))
        for ligne in calculer_index(service, structure=structure, lieux=lieux)
    ]


def calculer_index(service: Service, *, structure: Structure | None = None, lieux=None) -> list[tuple]:
    """Fill the search columns of `service` (not saved); return its index rows as tuples of
    COLONNES_INDEX (thématique, lat, lon, and the text and zone the search filters on the row)."""
    structure = structure or service.structure
    service.texte_recherche = " " + normaliser_texte(" ".join([service.nom, service.description, structure.nom])) + " "
    thematiques = list(service.thematiques_locales) + list(service.thematiques)
    service.thematiques_cle = _cle(thematiques)
    service.publics_cle = _cle(service.publics)
    zone = list(service.zone_eligibilite or [])
    service.zone_cle = "" if (not zone or "france" in zone) else _cle(zone)
    modes = set(service.modes_accueil or [])
    service.a_distance = taxonomies.A_DISTANCE in modes
    service.en_presentiel = taxonomies.EN_PRESENTIEL in modes or not modes
    service.horaires_effectifs = service.horaires_accueil or structure.horaires_accueil or ""
    try:
        service.creneaux = horaires.creneaux_semaine(service.horaires_effectifs)
        service.horaires_simples = horaires.est_simple(service.horaires_effectifs)
        service.quarts_ouverts = horaires.quarts_ouverts(service.horaires_effectifs)
    except Exception:  # noqa: BLE001 - stored hours were validated; an unreadable one is just unknown
        service.creneaux, service.horaires_simples, service.quarts_ouverts = [], False, ""
    service.recherchable = (
        service.statut == StatutService.PUBLIE
        and service.retire_de_la_source_le is None
        and structure.statut_moderation == StatutModeration.VALIDEE
        and structure.retiree_de_la_source_le is None
    )
    if not service.recherchable:
        return []
    points = []
    if service.en_presentiel:
        if service.latitude is not None and service.longitude is not None:
            points.append((service.latitude, service.longitude))
        for lieu in lieux if lieux is not None else (service.lieux.all() if service.pk else []):
            points.append((lieu.latitude, lieu.longitude))
    if service.a_distance:
        points.append((None, None))
    texte, zone_cle = service.texte_recherche, service.zone_cle
    return [(t, lat, lon, texte, zone_cle) for lat, lon in points for t in ["*", *thematiques]]


def ecrire_index(lignes: list[tuple]) -> None:
    """Insert index rows, each (service_id, *a tuple of calculer_index): the one writer of IndexRecherche
    rows (the import, and `reindexer` for every other writer). Rows are written sorted in the order of the
    (thématique, latitude, longitude) index, so that the rows of a search box lie on few pages."""
    if not lignes:
        return
    lignes = sorted(lignes, key=lambda r: (r[1], r[2] is not None, r[2] or 0.0, r[3] or 0.0))
    q = connection.ops.quote_name
    table = q(IndexRecherche._meta.db_table)
    colonnes = ", ".join(q(c) for c in ("service_id", *COLONNES_INDEX))
    with connection.cursor() as curseur:
        if connection.vendor == "postgresql" and len(lignes) > 100:
            # COPY is several times faster than INSERT for the ~3 index rows per service
            with curseur.cursor.copy(f"COPY {table} ({colonnes}) FROM STDIN") as copie:
                for ligne in lignes:
                    copie.write_row(ligne)
        else:
            sql = f"INSERT INTO {table} ({colonnes}) VALUES ({', '.join(['%s'] * (1 + len(COLONNES_INDEX)))})"
            for i in range(0, len(lignes), 20000):
                curseur.executemany(sql, lignes[i : i + 20000])


def reindexer(services) -> None:
    """Recompute and save the search columns and rows of these services."""
    for service in services:
        lignes = calculer_index(service)
        service.empreinte = ""  # no longer what the last import wrote: the next import rewrites it
        service.save()
        IndexRecherche.objects.filter(service=service).delete()
        ecrire_index([(service.pk, *ligne) for ligne in lignes])


@transaction.atomic
def retirer_structures(*, ids: list[int], le: datetime | None = None) -> int:
    """Withdraw these structures and, in the same transaction, every one of their services: no longer
    searchable, their pages and API answers 404, the export leaves them out (all read `recherchable` or
    the structure's withdrawal). The services keep their own state, restored if the structure comes back.
    Returns the number of services withdrawn with them."""
    le = le or timezone.now()
    total = 0
    for i in range(0, len(ids), 900):
        lot = ids[i : i + 900]
        Structure.objects.filter(pk__in=lot, retiree_de_la_source_le__isnull=True).update(retiree_de_la_source_le=le)
        total += Service.objects.filter(structure_id__in=lot, recherchable=True).update(
            recherchable=False, empreinte=""
        )
        IndexRecherche.objects.filter(service__structure_id__in=lot).delete()
    return total


@transaction.atomic
def retirer_structure(*, structure: Structure) -> Structure:
    retirer_structures(ids=[structure.pk])
    structure.refresh_from_db()
    return structure


# -- Structure space ----------------------------------------------------------------------------


@transaction.atomic
def enregistrer_service(*, service: Service, par=None, verifie: bool = False) -> Service:
    """Save a service edited in the structure space (the form validated it), and reindex it."""
    if verifie:
        service.verifie_le = timezone.localdate()
        service.verifie_par = par
        service.verifie_par_nom = par.get_full_name() or par.email if par else ""
        service.relance_verification_le = None
    service.date_maj = timezone.localdate()
    if not service.identifiant:
        service.source = "repere"
        service.identifiant = f"repere--{secrets.token_hex(6)}"
    service.save()
    reindexer([service])
    return service


@transaction.atomic
def marquer_verifie(*, service: Service, par) -> Service:
    return enregistrer_service(service=service, par=par, verifie=True)


@transaction.atomic
def enregistrer_structure(*, structure: Structure, par=None, nouvelle: bool = False) -> Structure:
    """Save a structure; a new one created by a non-platform admin waits for moderation."""
    structure.date_maj = timezone.localdate()
    if nouvelle:
        structure.source = "repere"
        structure.identifiant = f"repere--{secrets.token_hex(6)}"
        structure.statut_moderation = (
            StatutModeration.VALIDEE if getattr(par, "is_platform_admin", False) else StatutModeration.EN_ATTENTE
        )
    structure.save()
    reindexer(structure.services.all())
    if nouvelle and structure.statut_moderation == StatutModeration.EN_ATTENTE:
        transaction.on_commit(lambda: notifier_moderateurs(structure))
    return structure


def notifier_moderateurs(structure: Structure, *, revendication: bool = False) -> None:
    """E-mail the admins of the organisations that moderate the structure's territory (a claim: not
    those of the claiming organisation, who do not decide on it)."""
    from repere.annuaire.selectors import organisations_moderatrices

    destinataires = []
    for organisation in organisations_moderatrices(structure):
        if revendication and organisation.pk == structure.revendiquee_par_id:
            continue
        destinataires += _courriels_membres(organisation, {Role.ADMIN})
    sujet = (
        f"Demande de gestion à examiner : « {structure.nom} »"
        if revendication
        else f"Nouvelle structure à valider : « {structure.nom} »"
    )
    _envoyer(
        sujet=sujet,
        gabarit="annuaire/emails/moderation.txt",
        contexte={"structure": structure, "revendication": revendication, "lien": _url(reverse("annuaire:moderation"))},
        destinataires=destinataires,
    )


@transaction.atomic
def moderer_structure(*, structure: Structure, decision: str, motif: str = "", par=None) -> Structure:
    if decision not in (StatutModeration.VALIDEE, StatutModeration.REFUSEE):
        raise ErreurMetier("Décision inconnue.", champ="decision")
    if decision == StatutModeration.REFUSEE and not motif.strip():
        raise ErreurMetier("Indiquez le motif du refus.", champ="motif")
    structure.statut_moderation = decision
    structure.motif_moderation = motif.strip()
    structure.save(update_fields=["statut_moderation", "motif_moderation", "modifie_le"])
    reindexer(structure.services.all())
    return structure


@transaction.atomic
def revendiquer_structure(*, structure: Structure, organisation, par) -> Structure:
    """An organisation's admin asks to manage an imported structure; the territory's moderators decide."""
    from repere.organisations.permissions import ROLES_GESTION

    if not a_un_role(par, organisation, ROLES_GESTION):
        raise ErreurMetier("Seul un administrateur de l'organisation peut revendiquer une structure.")
    if structure.organisation_id:
        raise ErreurMetier("Cette structure est déjà gérée par une organisation.")
    if structure.revendiquee_par_id:
        raise ErreurMetier("Une demande est déjà en cours pour cette structure.")
    structure.revendiquee_par = organisation
    structure.save(update_fields=["revendiquee_par", "modifie_le"])
    transaction.on_commit(lambda: notifier_moderateurs(structure, revendication=True))
    return structure


@transaction.atomic
def decider_revendication(*, structure: Structure, accepter: bool, par=None) -> Structure:
    if structure.revendiquee_par_id is None:
        raise ErreurMetier("Aucune demande en cours pour cette structure.")
    if accepter:
        structure.organisation_id = structure.revendiquee_par_id
    structure.revendiquee_par = None
    structure.save(update_fields=["organisation", "revendiquee_par", "modifie_le"])
    return structure


@transaction.atomic
def ajouter_fermeture(*, service: Service, debut: date, fin: date, motif: str = "") -> Fermeture:
    if fin < debut:
        raise ErreurMetier("La date de fin précède la date de début.", champ="fin")
    fermeture = Fermeture.objects.create(service=service, debut=debut, fin=fin, motif=motif.strip())
    Service.objects.filter(pk=service.pk).update(empreinte="")  # the next import rewrites its closures
    return fermeture


@transaction.atomic
def supprimer_fermeture(*, fermeture: Fermeture) -> None:
    Service.objects.filter(pk=fermeture.service_id).update(empreinte="")
    fermeture.delete()


def relancer_verifications(*, maintenant: datetime | None = None) -> int:
    """E-mail the members of each structure whose published services were not verified for 6 months
    (at most one reminder per service every 6 months). Returns the number of services reminded."""
    maintenant = maintenant or timezone.now()
    limite = maintenant.date() - timedelta(days=VERIFICATION_APRES_JOURS)
    from django.db.models import Q

    services = (
        Service.objects.filter(statut=StatutService.PUBLIE, structure__organisation__isnull=False)
        .filter(Q(verifie_le__lt=limite) | Q(verifie_le__isnull=True, date_maj__lt=limite))
        .filter(
            Q(relance_verification_le__isnull=True)
            | Q(relance_verification_le__lt=maintenant - timedelta(days=VERIFICATION_APRES_JOURS))
        )
        .select_related("structure__organisation")
    )
    par_organisation: dict = {}
    for service in services:
        par_organisation.setdefault(service.structure.organisation, []).append(service)
    total = 0
    for organisation, liste in par_organisation.items():
        destinataires = _courriels_membres(organisation, {Role.ADMIN, Role.PROFESSIONNEL})
        if destinataires:
            _envoyer(
                sujet=f"{len(liste)} service(s) à vérifier dans l'annuaire",
                gabarit="annuaire/emails/verification.txt",
                contexte={"organisation": organisation, "services": liste},
                destinataires=destinataires,
            )
        Service.objects.filter(pk__in=[s.pk for s in liste]).update(relance_verification_le=maintenant)
        total += len(liste)
    return total


# -- E-mails ------------------------------------------------------------------------------------


def _url(chemin: str) -> str:
    return settings.SITE_URL.rstrip("/") + chemin


def _courriels_membres(organisation, roles) -> list[str]:
    if organisation is None:
        return []
    return list(
        Membership.objects.filter(
            organisation=organisation, is_active=True, role__in=list(roles), user__is_active=True
        ).values_list("user__email", flat=True)
    )


def _envoyer(*, sujet: str, gabarit: str, contexte: dict, destinataires: list[str]) -> None:
    destinataires = sorted({d for d in destinataires if d})
    if not destinataires:
        return
    contexte = {**contexte, "instance": settings.REPERE_INSTANCE_NAME}
    send_mail(
        subject=f"[{settings.REPERE_INSTANCE_NAME}] {sujet}",
        message=render_to_string(gabarit, contexte),
        from_email=None,
        recipient_list=destinataires,
    )


def _destinataires_reception(orientation: Orientation) -> list[str]:
    membres = _courriels_membres(orientation.organisation_destinataire, ROLES_DONNEES_PERSONNELLES)
    return membres + ([orientation.courriel_destinataire] if orientation.courriel_destinataire else [])


def _destinataires_emission(orientation: Orientation) -> list[str]:
    return [orientation.emetteur.email] if orientation.emetteur_id and orientation.emetteur.is_active else []


def _notifier_reception(orientation: Orientation, *, relance: bool = False) -> None:
    # the token goes in the fragment: browsers never send it, so no server or proxy log records it
    lien = _url(reverse("annuaire:reponse_lien", args=[orientation.pk])) + "#" + generer_jeton(orientation)
    _envoyer(
        sujet=("Rappel : " if relance else "") + f"nouvelle orientation vers « {orientation.service.nom} »",
        gabarit="annuaire/emails/orientation_recue.txt",
        contexte={"orientation": orientation, "lien": lien, "relance": relance, "jours": DUREE_LIEN_JOURS},
        destinataires=_destinataires_reception(orientation),
    )


def _notifier_emetteur(orientation: Orientation) -> None:
    _envoyer(
        sujet=f"Orientation n° {orientation.pk} : {orientation.get_statut_display().lower()}",
        gabarit="annuaire/emails/orientation_suivi.txt",
        contexte={
            "orientation": orientation,
            "lien": _url(reverse("annuaire:orientation", args=[orientation.pk])),
        },
        destinataires=_destinataires_emission(orientation),
    )


# -- Referrals ----------------------------------------------------------------------------------


def generer_jeton(orientation: Orientation) -> str:
    """A signed token bound to this referral and to its current nonce; valid DUREE_LIEN_JOURS days."""
    return signing.dumps({"o": orientation.pk, "n": orientation.nonce_lien}, salt=SEL_LIEN, compress=True)


def verifier_jeton(*, orientation_id: int, jeton: str) -> Orientation:
    """The referral the signed link is for; ErreurMetier if expired, forged, or for another referral."""
    try:
        donnees = signing.loads(jeton, salt=SEL_LIEN, max_age=timedelta(days=DUREE_LIEN_JOURS))
    except signing.SignatureExpired as exc:
        raise ErreurMetier(
            f"Ce lien a expiré (il est valable {DUREE_LIEN_JOURS} jours). Demandez un nouveau lien à la "
            "personne qui a orienté, ou connectez-vous."
        ) from exc
    except signing.BadSignature as exc:
        raise ErreurMetier("Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier.") from exc
    if not isinstance(donnees, dict) or donnees.get("o") != orientation_id:
        raise ErreurMetier("Ce lien ne correspond pas à cette orientation.")
    orientation = Orientation.objects.select_related("service__structure").filter(pk=orientation_id).first()
    if orientation is None or not orientation.nonce_lien or donnees.get("n") != orientation.nonce_lien:
        raise ErreurMetier("Ce lien a été remplacé par un lien plus récent ou n'est plus valable.")
    if orientation.anonymisee_le or orientation.statut in (
        StatutOrientation.EXPIREE,
        StatutOrientation.CLOTUREE,
        StatutOrientation.REFUSEE,
    ):
        raise ErreurMetier("Cette orientation est close : le lien ne peut plus être utilisé.")
    return orientation


def _historiser(orientation, *, par=None, par_lien=False, commentaire="") -> None:
    EvenementOrientation.objects.create(
        orientation=orientation,
        statut=orientation.statut,
        resultat=orientation.resultat,
        par=par if getattr(par, "is_authenticated", False) else None,
        par_lien_signe=par_lien,
        commentaire=commentaire,
    )


def _verifier_piece(fichier) -> None:
    if fichier.size > TAILLE_MAX_PIECE:
        raise ErreurMetier("La pièce jointe dépasse 5 Mo.", champ="piece_jointe")
    debut = fichier.read(8)
    fichier.seek(0)
    if not any(debut.startswith(sig) for sig in SIGNATURES_PIECES):
        raise ErreurMetier("La pièce jointe doit être un PDF, un PNG ou un JPEG.", champ="piece_jointe")


def peut_orienter(user, organisation) -> bool:
    return a_un_role(user, organisation, ROLES_DONNEES_PERSONNELLES)


@transaction.atomic
def commune_du_service(service: Service):
    """The commune (territory) of a service, else of its structure (see ``commune_parmi``)."""
    from repere.territoires.models import Territoire, TypeTerritoire

    return commune_parmi(Territoire.objects.filter(type=TypeTerritoire.COMMUNE), service, service.structure)


def commune_parmi(communes, *objets):
    """The first of ``objets`` (a service, its structure) that names a commune of ``communes``: by INSEE
    code, else by its commune's name when exactly one commune bears it (kept to the postal code when one
    is given). None otherwise. Also used by the migration that fills existing referrals."""
    from repere.utils.text import normalise

    for objet in objets:
        if objet.code_insee and (trouvee := communes.filter(code=objet.code_insee).first()):
            return trouvee
    for objet in objets:
        if not (objet.commune or "").strip():
            continue
        candidates = list(communes.filter(nom_recherche=normalise(objet.commune))[:50])
        if objet.code_postal:
            candidates = [c for c in candidates if objet.code_postal in c.codes_postaux.split()] or candidates
        if len(candidates) == 1:
            return candidates[0]
    return None


def creer_orientation(
    *,
    emetteur,
    organisation_emettrice,
    service: Service,
    personne: dict,
    besoins: str,
    consentement: dict,
    piece_jointe=None,
    origine: str | None = None,
) -> Orientation:
    """Refer a person to `service` (see the module docstring for the arguments)."""
    if not peut_orienter(emetteur, organisation_emettrice):
        raise ErreurMetier(
            "Seuls les administrateurs et professionnels de l'organisation peuvent orienter une personne.",
            champ="organisation_emettrice",
        )
    service = Service.objects.select_related("structure__organisation").get(pk=service.pk)
    if not service.recherchable:
        raise ErreurMetier("Ce service n'est pas publié dans l'annuaire.", champ="service")
    organisation_destinataire = service.structure.organisation
    courriel = service.courriel or service.structure.courriel
    if organisation_destinataire is None and not courriel:
        raise ErreurMetier(
            "Ce service ne peut pas recevoir d'orientation : aucune adresse e-mail ni structure gestionnaire.",
            champ="service",
        )
    prenom = (personne.get("prenom") or "").strip()
    nom = (personne.get("nom") or "").strip()
    if not prenom:
        raise ErreurMetier("Indiquez le prénom de la personne.", champ="prenom")
    if not nom:
        raise ErreurMetier("Indiquez le nom de la personne.", champ="nom")
    preference = personne.get("preference_contact") or ""
    if preference and preference not in PreferenceContact.values:
        raise ErreurMetier("Préférence de contact inconnue.", champ="preference_contact")
    if not (besoins or "").strip():
        raise ErreurMetier("Décrivez le besoin de la personne et le motif de l'orientation.", champ="besoins")
    informe_par = (consentement.get("informe_par") or "").strip()
    if not informe_par:
        raise ErreurMetier("Indiquez qui a informé la personne.", champ="informe_par")
    le = consentement.get("le")
    if not isinstance(le, datetime):
        raise ErreurMetier("Indiquez la date à laquelle la personne a été informée.", champ="informee_le")
    if timezone.is_naive(le):
        le = timezone.make_aware(le)
    if le > timezone.now() + timedelta(minutes=5):
        raise ErreurMetier("La date d'information ne peut pas être dans le futur.", champ="informee_le")
    version = (consentement.get("version_notice") or "").strip()
    if not version:
        raise ErreurMetier("Indiquez la version de la notice d'information remise.", champ="version_notice")
    base = consentement.get("base_legale") or ""
    if base not in BaseLegale.values:
        raise ErreurMetier("Choisissez la base légale du traitement.", champ="base_legale")
    if piece_jointe:
        _verifier_piece(piece_jointe)

    orientation = Orientation(
        service=service,
        organisation_emettrice=organisation_emettrice,
        organisation_destinataire=organisation_destinataire,
        emetteur=emetteur,
        courriel_destinataire=courriel if organisation_destinataire is None else "",
        origine=(origine or "")[:100],
        commune=commune_du_service(service),
        personne_prenom=prenom[:100],
        personne_nom=nom[:100],
        personne_telephone=(personne.get("telephone") or "").strip()[:30],
        personne_courriel=(personne.get("courriel") or "").strip()[:254],
        personne_commune=(personne.get("commune") or "").strip()[:200],
        preference_contact=preference,
        besoins=besoins.strip(),
        consentement_informe_par=informe_par[:200],
        consentement_le=le,
        consentement_version_notice=version[:50],
        consentement_base_legale=base,
        nonce_lien=secrets.token_hex(8),
    )
    if piece_jointe:
        orientation.piece_jointe_nom = (getattr(piece_jointe, "name", "") or "piece-jointe")[-200:]
        orientation.piece_jointe = piece_jointe
    orientation.save()
    _historiser(orientation, par=emetteur, commentaire="Orientation envoyée")
    transaction.on_commit(lambda: _notifier_reception(orientation))
    return orientation


def peut_repondre(user, orientation: Orientation) -> bool:
    return bool(orientation.organisation_destinataire_id) and a_un_role(
        user, orientation.organisation_destinataire_id, ROLES_DONNEES_PERSONNELLES
    )


@transaction.atomic
def repondre_orientation(
    *, orientation: Orientation, acceptee: bool, motif_refus: str = "", commentaire: str = "", par=None, par_lien=False
) -> Orientation:
    """The receiving structure accepts or refuses (with a reason)."""
    orientation = Orientation.objects.select_for_update().get(pk=orientation.pk)
    if orientation.statut != StatutOrientation.ENVOYEE:
        raise ErreurMetier("Cette orientation a déjà reçu une réponse ou n'est plus ouverte.")
    if acceptee:
        orientation.statut = StatutOrientation.ACCEPTEE
    else:
        if motif_refus not in MotifRefus.values:
            raise ErreurMetier("Choisissez le motif du refus.", champ="motif_refus")
        if motif_refus == MotifRefus.AUTRE and not commentaire.strip():
            raise ErreurMetier("Précisez le motif du refus.", champ="commentaire")
        orientation.statut = StatutOrientation.REFUSEE
        orientation.motif_refus = motif_refus
        orientation.cloturee_le = timezone.now()
    orientation.commentaire_reponse = commentaire.strip()
    orientation.repondue_le = timezone.now()
    orientation.save()
    _historiser(orientation, par=par, par_lien=par_lien, commentaire=commentaire.strip())
    transaction.on_commit(lambda: _notifier_emetteur(orientation))
    return orientation


@transaction.atomic
def enregistrer_resultat(
    *, orientation: Orientation, resultat: str, commentaire: str = "", par=None, par_lien=False
) -> Orientation:
    """The outcome of an accepted referral; closes it."""
    orientation = Orientation.objects.select_for_update().get(pk=orientation.pk)
    if orientation.statut != StatutOrientation.ACCEPTEE:
        raise ErreurMetier("Le résultat ne peut être indiqué que pour une orientation acceptée et non close.")
    if resultat not in ResultatOrientation.values:
        raise ErreurMetier("Choisissez le résultat de l'orientation.", champ="resultat")
    if resultat == ResultatOrientation.AUTRE and not commentaire.strip():
        raise ErreurMetier("Précisez le résultat.", champ="commentaire")
    orientation.statut = StatutOrientation.CLOTUREE
    orientation.resultat = resultat
    orientation.cloturee_le = timezone.now()
    if commentaire.strip():
        orientation.commentaire_reponse = commentaire.strip()
    orientation.save()
    _historiser(orientation, par=par, par_lien=par_lien, commentaire=commentaire.strip())
    transaction.on_commit(lambda: _notifier_emetteur(orientation))
    return orientation


def relancer_et_expirer(*, maintenant: datetime | None = None) -> tuple[int, int]:
    """Remind receivers after 10 days without answer (a fresh 8-day link), expire after 30 days."""
    maintenant = maintenant or timezone.now()
    relancees = expirees = 0
    a_expirer = Orientation.objects.filter(
        statut=StatutOrientation.ENVOYEE, cree_le__lt=maintenant - timedelta(days=EXPIRATION_APRES_JOURS)
    )
    for orientation in a_expirer:
        with transaction.atomic():
            orientation.statut = StatutOrientation.EXPIREE
            orientation.cloturee_le = maintenant
            orientation.nonce_lien = ""
            orientation.save(update_fields=["statut", "cloturee_le", "nonce_lien"])
            _historiser(orientation, commentaire=f"Expirée sans réponse après {EXPIRATION_APRES_JOURS} jours")
            _notifier_emetteur(orientation)
        expirees += 1
    a_relancer = Orientation.objects.filter(
        statut=StatutOrientation.ENVOYEE,
        relance_le__isnull=True,
        cree_le__lt=maintenant - timedelta(days=RELANCE_APRES_JOURS),
    ).select_related("service")
    for orientation in a_relancer:
        with transaction.atomic():
            orientation.relance_le = maintenant
            orientation.nonce_lien = secrets.token_hex(8)
            orientation.save(update_fields=["relance_le", "nonce_lien"])
            _notifier_reception(orientation, relance=True)
        relancees += 1
    return relancees, expirees


@transaction.atomic
def renouveler_lien(*, orientation: Orientation) -> Orientation:
    """Send the receiver a fresh signed link (the previous ones stop working)."""
    if orientation.statut not in (StatutOrientation.ENVOYEE, StatutOrientation.ACCEPTEE):
        raise ErreurMetier("Cette orientation est close.")
    orientation.nonce_lien = secrets.token_hex(8)
    orientation.save(update_fields=["nonce_lien"])
    transaction.on_commit(lambda: _notifier_reception(orientation, relance=True))
    return orientation


ANONYME = "(anonymisé)"
EFFACE = "(effacé à la demande de la personne)"


def _derniere_activite():
    """When a referral last changed: its closure, else its answer, else its creation."""
    from django.db.models.functions import Coalesce

    return Coalesce("cloturee_le", "repondue_le", "cree_le")


def _anonymiser(orientation: Orientation, *, maintenant: datetime, nom: str, libelle: str) -> None:
    """Erase everything personal a referral holds (identity copy, needs, consent record, answer comment,
    history comments, attachment file); status, dates and organisations stay for the statistics."""
    if orientation.piece_jointe:
        orientation.piece_jointe.delete(save=False)
        orientation.piece_jointe = ""
        orientation.piece_jointe_supprimee_le = orientation.piece_jointe_supprimee_le or maintenant
    orientation.personne_prenom = nom
    orientation.personne_nom = nom
    orientation.personne_telephone = ""
    orientation.personne_courriel = ""
    orientation.personne_commune = ""
    orientation.besoins = libelle
    orientation.commentaire_reponse = ""
    orientation.consentement_informe_par = libelle
    orientation.piece_jointe_nom = ""
    orientation.nonce_lien = ""
    orientation.anonymisee_le = maintenant
    orientation.save()
    orientation.historique.update(commentaire="")


def effacer_orientations(*, ids, maintenant: datetime | None = None) -> int:
    """Right to erasure, called by the module that referred the person (e.g. outreach): the directory
    erases its own rows. Returns the number of referrals erased."""
    maintenant = maintenant or timezone.now()
    total = 0
    for orientation in Orientation.objects.filter(pk__in=list(ids), anonymisee_le__isnull=True):
        with transaction.atomic():
            _anonymiser(orientation, maintenant=maintenant, nom="", libelle=EFFACE)
        total += 1
    return total


def anonymiser_orientations(*, maintenant: datetime | None = None) -> int:
    """Erase the personal data of referrals with no activity for 2 years, closed or not (a referral
    accepted and never closed is anonymised 2 years after its answer); keep statistics."""
    maintenant = maintenant or timezone.now()
    qs = Orientation.objects.alias(derniere=_derniere_activite()).filter(
        derniere__lt=maintenant - timedelta(days=ANONYMISATION_APRES_JOURS), anonymisee_le__isnull=True
    )
    total = 0
    for orientation in qs:
        with transaction.atomic():
            _anonymiser(orientation, maintenant=maintenant, nom=ANONYME, libelle=ANONYME)
        total += 1
    return total


def supprimer_pieces_jointes(*, maintenant: datetime | None = None) -> int:
    """Delete attachments 6 months after the referral's last activity (its closure, or its answer when
    accepted and never closed)."""
    maintenant = maintenant or timezone.now()
    qs = (
        Orientation.objects.alias(derniere=_derniere_activite())
        .filter(
            derniere__lt=maintenant - timedelta(days=PIECES_JOINTES_APRES_JOURS),
            piece_jointe_supprimee_le__isnull=True,
        )
        .exclude(piece_jointe="")
    )
    total = 0
    for orientation in qs:
        orientation.piece_jointe.delete(save=False)
        orientation.piece_jointe = ""
        orientation.piece_jointe_supprimee_le = maintenant
        orientation.save(update_fields=["piece_jointe", "piece_jointe_supprimee_le"])
        total += 1
    return total


# -- Search synonyms (edited by platform administrators) ------------------------------------------

LONGUEUR_MAX_TERME = 100


def verifier_groupe_synonymes(
    *, termes: list[str] | str, thematiques: list[str] = (), actif: bool = True, sauf_pk: int | None = None
) -> list[str]:
    """The terms of a group, normalised (no accent, no capital) and checked: at least two, 2 to 100
    characters, none already in another active group, known thématiques. ErreurMetier naming the term."""
    from repere.annuaire.models import GroupeSynonymes

    if isinstance(termes, str):
        termes = termes.splitlines()
    propres = list(dict.fromkeys(" ".join(normalise(t).split()) for t in termes if normalise(t).strip()))
    if len(propres) < 2:
        raise ErreurMetier("Donnez au moins deux termes, un par ligne.", champ="termes")
    for t in propres:
        if len(t) < 2 or len(t) > LONGUEUR_MAX_TERME:
            raise ErreurMetier(
                f"Terme « {t[:60]} » : de 2 à {LONGUEUR_MAX_TERME} caractères ({len(t)} ici).", champ="termes"
            )
    inconnues = [c for c in thematiques or [] if c not in taxonomies.CODES_THEMATIQUES]
    if inconnues:
        raise ErreurMetier(f"Thématique inconnue : « {inconnues[0]} ».", champ="thematiques")
    if actif:
        for autre in GroupeSynonymes.objects.filter(actif=True).exclude(pk=sauf_pk):
            communs = set(propres) & {" ".join(normalise(t).split()) for t in autre.liste_termes}
            if communs:
                raise ErreurMetier(
                    f"Le terme « {sorted(communs)[0]} » est déjà dans le groupe « {autre} » : un terme n'appartient "
                    "qu'à un groupe.",
                    champ="termes",
                )
    return propres


def enregistrer_groupe_synonymes(
    *, groupe=None, termes: list[str] | str, thematiques: list[str] = (), actif: bool = True
):
    """Create (groupe None or unsaved) or change a group of synonyms, checked by verifier_groupe_synonymes;
    then every search process re-reads the groups and the typo vocabulary is rebuilt."""
    from repere.annuaire import recherche_texte
    from repere.annuaire.models import GroupeSynonymes

    groupe = groupe or GroupeSynonymes()
    propres = verifier_groupe_synonymes(termes=termes, thematiques=thematiques, actif=actif, sauf_pk=groupe.pk)
    groupe.termes = "\n".join(propres)
    groupe.thematiques = sorted(set(thematiques or []))
    groupe.actif = actif
    groupe.save()
    transaction.on_commit(recherche_texte.synonymes_modifies)
    return groupe


def supprimer_groupes_synonymes(*, ids: list[int]) -> int:
    from repere.annuaire import recherche_texte
    from repere.annuaire.models import GroupeSynonymes

    n, _ = GroupeSynonymes.objects.filter(pk__in=ids).delete()
    transaction.on_commit(recherche_texte.synonymes_modifies)
    return n
