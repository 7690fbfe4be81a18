"""Writes of the outreach module. Keyword-only arguments; business rules raise ErreurMetier (French)."""

import datetime
import re
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from repere.allervers import compteurs, prereperage, referentiels
from repere.allervers import obstacles as obstacles_ref
from repere.allervers.journal import instantane, journaliser_ecriture
from repere.allervers.models import (
    Campagne,
    Consentement,
    Contact,
    ContactBesoin,
    ContactDroit,
    DemandeRecontact,
    DroitSuivi,
    Entretien,
    Finalite,
    MembreGroupeSuivi,
    NoticeInformation,
    ObstacleRencontre,
    OrientationPersonne,
    Personne,
    Rappel,
    Simulation,
    StatutDroit,
)
from repere.allervers.permissions import peut_saisir_dans
from repere.organisations.models import Organisation
from repere.organisations.permissions import ROLES_DONNEES_PERSONNELLES, a_un_role, organisations_de
from repere.territoires.models import Territoire, TypeTerritoire
from repere.territoires.selectors import communes_de
from repere.utils.errors import ErreurMetier

CHAMPS_PERSONNE = [
    "prenom",
    "nom",
    "date_naissance",
    "telephone",
    "email",
    "adresse",
    "commune",
    "referent",
    "menage",
    "besoins",
]


# --- Campaigns -----------------------------------------------------------------------------------------


def creer_notice(*, organisation, version, titre, texte, base_legale, en_vigueur_le=None) -> NoticeInformation:
    if NoticeInformation.objects.filter(organisation=organisation, version=version).exists():
        raise ErreurMetier(f"La version « {version} » de la notice existe déjà.", champ="version")
    return NoticeInformation.objects.create(
        organisation=organisation,
        version=version,
        titre=titre,
        texte=texte,
        base_legale=base_legale,
        en_vigueur_le=en_vigueur_le or timezone.localdate(),
    )


def _valider_thematiques(codes) -> list[str]:
    connues = referentiels.thematiques()
    inconnues = [c for c in codes if c not in connues]
    if inconnues:
        raise ErreurMetier(f"Thématique inconnue : {', '.join(inconnues)}.", champ="thematiques")
    if not codes:
        raise ErreurMetier("Choisissez au moins une thématique de besoins.", champ="thematiques")
    return list(dict.fromkeys(codes))


def creer_campagne(
    *,
    organisation: Organisation,
    par,
    nom: str,
    type: str,
    territoires,
    date_debut: datetime.date,
    date_fin: datetime.date,
    notice: NoticeInformation,
    thematiques=None,
    secteurs=None,
    partenaires=(),
    equipe=(),
    est_demo: bool = False,
) -> Campagne:
    if date_fin < date_debut:
        raise ErreurMetier("La date de fin précède la date de début.", champ="date_fin")
    if notice.organisation_id != organisation.pk:
        raise ErreurMetier("La notice d'information doit être celle de l'organisation porteuse.", champ="notice")
    territoires = list(territoires)
    if not territoires:
        raise ErreurMetier("Indiquez au moins une commune ou un EPCI.", champ="territoires")
    mauvais = [t for t in territoires if t.type not in (TypeTerritoire.COMMUNE, TypeTerritoire.EPCI)]
    if mauvais:
        raise ErreurMetier("Le territoire d'une campagne se compose de communes ou d'EPCI.", champ="territoires")
    secteurs = [s.strip() for s in (secteurs or []) if s.strip()]
    campagne = Campagne.objects.create(
        organisation=organisation,
        nom=nom,
        type=type,
        date_debut=date_debut,
        date_fin=date_fin,
        notice=notice,
        thematiques=_valider_thematiques(list(thematiques or referentiels.THEMATIQUES_PAR_DEFAUT)),
        secteurs=list(dict.fromkeys(secteurs)),
        est_demo=est_demo,
        cree_par=par,
    )
    campagne.territoires.set(territoires)
    campagne.partenaires.set([p for p in partenaires if p.pk != organisation.pk])
    organisations = {organisation.pk} | {p.pk for p in partenaires}
    equipe = list(equipe) + ([par] if par else [])
    for membre in equipe:
        if not any(a_un_role(membre, o) for o in organisations):
            raise ErreurMetier(f"{membre} n'est membre d'aucune organisation de la campagne.", champ="equipe")
    campagne.equipe.set(equipe)
    return campagne


def modifier_campagne(
    *, campagne: Campagne, par, nom: str, secteurs, date_debut, date_fin, equipe, partenaires
) -> Campagne:
    """Edit a campaign (closing it early = moving its end date). Contacts already entered keep their
    sector even if it is removed from the list."""
    if date_fin < date_debut:
        raise ErreurMetier("La date de fin précède la date de début.", champ="date_fin")
    premier = campagne.contacts.order_by("date").values_list("date", flat=True).first()
    if premier and premier < date_debut:
        raise ErreurMetier(
            f"Des contacts datent du {premier:%d/%m/%Y} : la campagne ne peut pas commencer après.", champ="date_debut"
        )
    organisations = {campagne.organisation_id} | {p.pk for p in partenaires}
    for membre in equipe:
        if not any(a_un_role(membre, o) for o in organisations):
            raise ErreurMetier(f"{membre} n'est membre d'aucune organisation de la campagne.", champ="equipe")
    campagne.nom = nom
    campagne.secteurs = list(dict.fromkeys(s.strip() for s in secteurs if s.strip()))
    campagne.date_debut = date_debut
    campagne.date_fin = date_fin
    campagne.save(update_fields=["nom", "secteurs", "date_debut", "date_fin"])
    campagne.partenaires.set([p for p in partenaires if p.pk != campagne.organisation_id])
    campagne.equipe.set(list(equipe))
    return campagne


def communes_de_campagne(campagne: Campagne) -> list[Territoire]:
    communes = {}
    for t in campagne.territoires.defer("geometrie"):
        for c in communes_de(t).defer("geometrie"):
            communes[c.pk] = c
    return sorted(communes.values(), key=lambda c: c.nom)


# --- Contacts ------------------------------------------------------------------------------------------


def _contact_existant(cle: uuid.UUID) -> Contact | None:
    return Contact.objects.filter(cle=cle).first()


def enregistrer_contact(
    *,
    par,
    campagne: Campagne,
    cle: uuid.UUID | str | None = None,
    date: datetime.date,
    canal: str,
    secteur: str = "",
    commune_code: str = "",
    situations=(),
    besoins=(),
    reponses: dict | None = None,
    orientation_proposee: str = "",
    suivi_souhaite: bool = False,
    recontact: dict | None = None,
    obstacles=(),
    type_non_recours: str = "",
    organisme: str = "",
) -> tuple[Contact, bool]:
    """Record an anonymous contact. Idempotent on `cle`: a second submission with the same key
    returns the contact already stored, with `cree=False`, and changes nothing.

    When the person wants to be contacted again (`suivi_souhaite`), `recontact` carries who to call:
    {"prenom", "telephone" and/or "courriel", "accord": True} (see `verifier_recontact`)."""
    try:
        cle = uuid.UUID(str(cle)) if cle else uuid.uuid4()
    except ValueError as e:
        raise ErreurMetier("La clé d'envoi n'est pas un identifiant valide.", champ="cle") from e
    existant = _contact_existant(cle)
    if existant is not None:
        if existant.saisi_par_id != getattr(par, "pk", None):
            raise ErreurMetier("Cette clé d'envoi appartient à un autre contact.", champ="cle")
        return existant, False

    organisation = peut_saisir_dans(par, campagne)
    if organisation is None:
        raise ErreurMetier("Vous ne faites pas partie de l'équipe de cette campagne.", champ="campagne")
    aujourd_hui = timezone.localdate()
    if date > aujourd_hui:
        raise ErreurMetier(f"La date du contact ({date:%d/%m/%Y}) est dans le futur : corrigez-la.", champ="date")
    if campagne.date_fin < aujourd_hui:
        raise ErreurMetier(
            f"La campagne « {campagne.nom} » est close depuis le {campagne.date_fin:%d/%m/%Y} : "
            "ce contact ne peut plus y être enregistré.",
            champ="campagne",
        )
    if not campagne.est_ouverte_le(date):
        raise ErreurMetier(
            f"La date du contact ({date:%d/%m/%Y}) est hors des dates de la campagne "
            f"(du {campagne.date_debut:%d/%m/%Y} au {campagne.date_fin:%d/%m/%Y}).",
            champ="date",
        )
    if canal not in {c for c, _ in Contact._meta.get_field("canal").choices}:
        raise ErreurMetier("Canal inconnu.", champ="canal")
    if secteur and secteur not in campagne.secteurs:
        raise ErreurMetier(f"Le secteur « {secteur} » n'est pas un secteur de la campagne.", champ="secteur")
    situations = list(dict.fromkeys(situations))
    if set(situations) - referentiels.SITUATIONS_CODES:
        raise ErreurMetier("Situation inconnue.", champ="situations")
    besoins = list(dict.fromkeys(besoins))
    hors = [b for b in besoins if b not in campagne.thematiques]
    if hors:
        raise ErreurMetier("Besoin hors de la liste de la campagne : " + ", ".join(hors) + ".", champ="besoins")
    if orientation_proposee not in referentiels.ORIENTATIONS_CODES:
        raise ErreurMetier("Orientation inconnue.", champ="orientation_proposee")
    commune = commune_de_contact(campagne, commune_code)
    recontact = verifier_recontact(suivi_souhaite=suivi_souhaite, recontact=recontact)
    obstacles = _valider_obstacles(obstacles, type_non_recours, organisme)

    resultat = None
    if reponses:
        valides = prereperage.valider_reponses(reponses)
        resultat = prereperage.prereperer(valides, commune_code=commune.code if commune else "", jour=date)
        reponses = valides.model_dump()

    try:
        with transaction.atomic():
            contact = Contact.objects.create(
                cle=cle,
                campagne=campagne,
                organisation=organisation,
                saisi_par=par,
                date=date,
                commune=commune,
                secteur=secteur,
                canal=canal,
                situations=situations,
                reponses=reponses or {},
                version_moteur=resultat["version_moteur"] if resultat else "",
                orientation_proposee=orientation_proposee,
                suivi_souhaite=suivi_souhaite,
            )
            if recontact:
                DemandeRecontact.objects.create(
                    contact=contact, phrase_accord=phrase_accord_recontact(organisation=organisation), **recontact
                )
            ContactBesoin.objects.bulk_create(
                [
                    ContactBesoin(contact=contact, campagne=campagne, date=date, commune=commune, thematique=b)
                    for b in besoins
                ]
            )
            if resultat:
                ContactDroit.objects.bulk_create(
                    [
                        ContactDroit(
                            contact=contact,
                            campagne=campagne,
                            date=date,
                            commune=commune,
                            prestation=d["prestation"],
                            libelle=d["libelle"],
                            certitude=d["certitude"],
                            montant_mensuel=d["montant_mensuel"],
                        )
                        for d in resultat["droits"]
                    ]
                )
            enregistrer_obstacles(
                organisation=organisation,
                campagne=campagne,
                commune=commune,
                jour=date,
                source="contact",
                obstacles=obstacles,
                type_non_recours=type_non_recours,
                organisme=organisme,
            )
            compteurs.incrementer(
                campagne_id=campagne.pk,
                date=date,
                cles=compteurs.cles_du_contact(
                    contact=contact, besoins=besoins, droits=resultat["droits"] if resultat else []
                ),
            )
    except IntegrityError:
        # Two submissions of the same key raced: the other one won, return it.
        existant = Contact.objects.filter(cle=cle).first()
        if existant is None:
            raise
        return existant, False
    return contact, True


def phrase_accord_recontact(*, organisation: Organisation) -> str:
    """The sentence read to the person before their first name and number are written down."""
    jours = getattr(settings, "REPERE_ALLERVERS_RECONTACT_JOURS", 90)
    return (
        f"J'accepte que {organisation.nom} garde mon prénom et mon numéro de téléphone ou mon e-mail pour me "
        f"recontacter au sujet de mes droits. Ils seront effacés après l'appel, et au plus tard dans {jours} jours."
    )


def verifier_recontact(*, suivi_souhaite: bool, recontact: dict | None) -> dict | None:
    """Who to call back: asked only when the person wants to be contacted again, then required (a first
    name, and a phone number or an e-mail, with the person's agreement to the sentence read to them)."""
    recontact = {k: (str(v).strip() if v is not None else "") for k, v in (recontact or {}).items()}
    saisi = any(recontact.get(k) for k in ("prenom", "telephone", "courriel"))
    if not suivi_souhaite:
        if saisi:
            raise ErreurMetier(
                "Un prénom ou un numéro n'est noté que si la personne souhaite être recontactée : cochez-le ou "
                "effacez ces champs.",
                champ="suivi_souhaite",
            )
        return None
    prenom = recontact.get("prenom", "")
    telephone = recontact.get("telephone", "")
    courriel = recontact.get("courriel", "")
    if not prenom:
        raise ErreurMetier("Pour recontacter la personne, notez son prénom.", champ="recontact_prenom")
    if len(prenom) > 100:
        raise ErreurMetier("Le prénom dépasse 100 caractères.", champ="recontact_prenom")
    if not telephone and not courriel:
        raise ErreurMetier(
            "Pour recontacter la personne, notez un numéro de téléphone ou une adresse e-mail.",
            champ="recontact_telephone",
        )
    if telephone and not _TELEPHONE.fullmatch(telephone):
        raise ErreurMetier(
            f"Le numéro « {telephone[:40]} » n'est pas un numéro de téléphone (10 chiffres, par exemple 06 12 34 56 78).",
            champ="recontact_telephone",
        )
    if courriel:
        try:
            validate_email(courriel)
        except ValidationError as e:
            raise ErreurMetier(
                f"L'adresse « {courriel[:80]} » n'est pas une adresse e-mail valide.", champ="recontact_courriel"
            ) from e
        if len(courriel) > 254:
            raise ErreurMetier("L'adresse e-mail dépasse 254 caractères.", champ="recontact_courriel")
    if recontact.get("accord") not in ("True", "true", "on", "1"):
        raise ErreurMetier(
            "Lisez la phrase d'accord à la personne et cochez qu'elle est d'accord avant de noter ses coordonnées.",
            champ="recontact_accord",
        )
    return {"prenom": prenom, "telephone": telephone, "courriel": courriel}


_TELEPHONE = re.compile(r"(\+33 ?|0)[1-9]([ .-]?\d{2}){4}")


def coordonnees_recontact(*, contact: Contact) -> dict:
    """The first name and number noted at the door, to pre-fill the record created from the contact."""
    demande = DemandeRecontact.objects.filter(contact=contact).first()
    if demande is None:
        return {}
    return {"prenom": demande.prenom, "telephone": demande.telephone, "email": demande.courriel}


@transaction.atomic
def marquer_recontact_fait(*, demande: DemandeRecontact, par) -> None:
    """The call is done and no record follows: the first name and number are deleted, the anonymous
    contact stays."""
    if demande.contact.organisation_id not in set(
        organisations_de(par, ROLES_DONNEES_PERSONNELLES).values_list("pk", flat=True)
    ):
        raise ErreurMetier("Seul un professionnel de l'organisation peut clore cette demande.")
    demande.delete()


def commune_de_contact(campagne: Campagne, code: str) -> Territoire | None:
    communes = communes_de_campagne(campagne)
    if code:
        for c in communes:
            if c.code == code:
                return c
        raise ErreurMetier(f"La commune {code} n'est pas dans le territoire de la campagne.", champ="commune")
    return communes[0] if len(communes) == 1 else None


# --- People ----------------------------------------------------------------------------------------------


def _verifier_menage(menage: dict) -> dict:
    if not menage:
        return {}
    from repere.allervers.simulation import valider_menage

    return valider_menage(menage)


def _menage_du_pre_reperage(contact: Contact) -> dict:
    """The household answered at the door: the record starts from it, as do the rights estimated from it
    (else « Foyer : non renseigné » next to family benefits estimated for children)."""
    from repere.allervers.simulation import menage_depuis_reponses

    reponses = prereperage.valider_reponses(contact.reponses)
    commune = contact.commune.code if contact.commune else ""
    return menage_depuis_reponses(reponses, commune_code=commune, jour=contact.date)


def creer_personne(
    *,
    par,
    organisation: Organisation,
    accord: bool,
    notice: NoticeInformation,
    prenom: str,
    nom: str,
    contact: Contact | None = None,
    campagne: Campagne | None = None,
    date_naissance=None,
    telephone: str = "",
    email: str = "",
    adresse: str = "",
    commune: Territoire | None = None,
    referent=None,
    menage: dict | None = None,
) -> Personne:
    """Create an identified record. Only with the person's agreement, which is recorded (who, when,
    notice version, purpose)."""
    if not accord:
        raise ErreurMetier(
            "Sans l'accord de la personne, aucune fiche nominative ne peut être créée : le contact reste anonyme.",
            champ="accord",
        )
    if not a_un_role(par, organisation, ROLES_DONNEES_PERSONNELLES):
        raise ErreurMetier("Seul un professionnel de l'organisation peut créer une fiche.", champ="organisation")
    if referent is not None and not a_un_role(referent, organisation, ROLES_DONNEES_PERSONNELLES):
        raise ErreurMetier("Le référent doit être un professionnel de l'organisation.", champ="referent")
    if date_naissance and date_naissance > timezone.localdate():
        raise ErreurMetier("La date de naissance est dans le futur.", champ="date_naissance")
    if contact is not None and contact.personne_id:
        raise ErreurMetier("Ce contact est déjà rattaché à une fiche.", champ="contact")
    notices_admises = {organisation.pk} | ({contact.campagne.organisation_id} if contact else set())
    if notice.organisation_id not in notices_admises:
        raise ErreurMetier("La notice lue doit être celle de l'organisation qui suit la personne.", champ="notice")
    if not menage and contact is not None and contact.reponses:
        menage = _menage_du_pre_reperage(contact)
    menage = _verifier_menage(menage or {})
    personne = Personne.objects.create(
        organisation=organisation,
        campagne=campagne or (contact.campagne if contact else None),
        referent=referent or par,
        prenom=prenom.strip(),
        nom=nom.strip(),
        date_naissance=date_naissance,
        telephone=telephone,
        email=email,
        adresse=adresse,
        commune=commune or (contact.commune if contact else None),
        menage=menage,
        besoins=list(contact.besoins.values_list("thematique", flat=True)) if contact else [],
        derniere_interaction_le=contact.date if contact else timezone.localdate(),
        cree_par=par,
    )
    Consentement.objects.create(personne=personne, finalite=Finalite.SUIVI, recueilli_par=par, notice=notice)
    if contact is not None:
        contact.personne = personne
        contact.save(update_fields=["personne"])
        # the first name and number noted at the door now live in the record: the request is deleted
        DemandeRecontact.objects.filter(contact=contact).delete()
        for d in contact.droits.filter(certitude__in=["probable", "possible"]):
            DroitSuivi.objects.get_or_create(
                personne=personne,
                prestation=d.prestation,
                defaults={"libelle": d.libelle, "montant_estime": d.montant_mensuel, "detecte_le": contact.date},
            )
    journaliser_ecriture(
        personne=personne,
        utilisateur=par,
        objet="fiche",
        action="création",
        apres=instantane(personne, CHAMPS_PERSONNE),
    )
    return personne


def _toucher(personne: Personne, jour=None) -> None:
    jour = jour or timezone.localdate()
    Personne.objects.filter(pk=personne.pk, derniere_interaction_le__lt=jour).update(
        derniere_interaction_le=jour, avis_retention_le=None
    )


def modifier_personne(*, personne: Personne, par, version: int, **champs) -> Personne:
    """Optimistic concurrency: the edit applies only if nobody saved the record since `version` was read."""
    inconnus = set(champs) - set(CHAMPS_PERSONNE)
    if inconnus:
        raise ErreurMetier(f"Champ non modifiable : {', '.join(sorted(inconnus))}.")
    if "menage" in champs:
        champs["menage"] = _verifier_menage(champs["menage"] or {})
    if champs.get("date_naissance") and champs["date_naissance"] > timezone.localdate():
        raise ErreurMetier("La date de naissance est dans le futur.", champ="date_naissance")
    avant = instantane(personne, CHAMPS_PERSONNE)
    n = Personne.objects.filter(pk=personne.pk, version=version).update(version=F("version") + 1, **champs)
    if n == 0:
        raise ErreurMetier(
            "Cette fiche a été modifiée par quelqu'un d'autre pendant votre saisie. Vos modifications n'ont pas été "
            "enregistrées mais sont conservées dans le formulaire : vérifiez la fiche à jour puis enregistrez à nouveau.",
            champ="version",
        )
    personne.refresh_from_db()
    journaliser_ecriture(
        personne=personne,
        utilisateur=par,
        objet="fiche",
        action="modification",
        avant=avant,
        apres=instantane(personne, CHAMPS_PERSONNE),
    )
    return personne


def ajouter_entretien(
    *,
    personne: Personne,
    par,
    organisation,
    date,
    canal,
    besoins=(),
    resume="",
    note_privee="",
    obstacles=(),
    type_non_recours="",
    organisme="",
) -> Entretien:
    if date > timezone.localdate():
        raise ErreurMetier(f"La date de l'entretien ({date:%d/%m/%Y}) est dans le futur.", champ="date")
    connues = referentiels.thematiques()
    if any(b not in connues for b in besoins):
        raise ErreurMetier("Besoin inconnu.", champ="besoins")
    obstacles = _valider_obstacles(obstacles, type_non_recours, organisme)
    enregistrer_obstacles(
        organisation=organisation,
        campagne=personne.campagne,
        commune=personne.commune,
        jour=date,
        source="entretien",
        obstacles=obstacles,
        type_non_recours=type_non_recours,
        organisme=organisme,
    )
    entretien = Entretien.objects.create(
        personne=personne,
        auteur=par,
        organisation=organisation,
        date=date,
        canal=canal,
        besoins=list(besoins),
        resume=resume,
        note_privee=note_privee,
    )
    nouveaux = [b for b in besoins if b not in personne.besoins]
    if nouveaux:
        Personne.objects.filter(pk=personne.pk).update(besoins=personne.besoins + nouveaux)
    _toucher(personne, date)
    journaliser_ecriture(
        personne=personne,
        utilisateur=par,
        objet="entretien",
        action="création",
        apres={"date": date.isoformat(), "canal": canal, "besoins": list(besoins)},
    )
    return entretien


def enregistrer_simulation(*, personne: Personne, par, resultat: dict) -> Simulation:
    """Store a full simulation (with the engine version) and feed the rights pipeline."""
    simulation = Simulation.objects.create(
        personne=personne,
        lancee_par=par,
        mode=resultat.get("mode", "complet"),
        version_moteur=resultat["version_moteur"],
        menage=personne.menage,
        resultats=resultat["prestations"],
        total_mensuel=Decimal(str(resultat["total_mensuel"])).quantize(Decimal("0.01")),
    )
    for p in resultat["prestations"]:
        if not p.get("a_demander"):  # repere.droits.a_demander: probable and not already received
            continue
        montant = (
            Decimal(str(p["montant_mensuel"])).quantize(Decimal("0.01")) if p["montant_mensuel"] is not None else None
        )
        droit, cree = DroitSuivi.objects.get_or_create(
            personne=personne,
            prestation=p["code"],
            defaults={"libelle": p["libelle"], "montant_estime": montant, "simulation": simulation},
        )
        if not cree and droit.statut in (StatutDroit.DETECTE, StatutDroit.DEMARCHE, StatutDroit.DEPOSE):
            DroitSuivi.objects.filter(pk=droit.pk).update(montant_estime=montant, simulation=simulation)
    _toucher(personne)
    journaliser_ecriture(
        personne=personne,
        utilisateur=par,
        objet="simulation",
        action="création",
        apres={"version_moteur": simulation.version_moteur, "total_mensuel": str(simulation.total_mensuel)},
    )
    return simulation


ORDRE_STATUTS = [StatutDroit.DETECTE, StatutDroit.DEMARCHE, StatutDroit.DEPOSE]
STATUTS_FINAUX = {StatutDroit.OUVERT, StatutDroit.REFUSE, StatutDroit.ABANDONNE}
CHAMPS_DROIT = ["statut", "montant_confirme", "motif_refus", "demarche_le", "depose_le", "ouvert_le", "cloture_le"]


def ajouter_droit(*, personne: Personne, par, prestation: str, libelle: str, montant_estime=None) -> DroitSuivi:
    if DroitSuivi.objects.filter(personne=personne, prestation=prestation).exists():
        raise ErreurMetier(f"« {libelle} » est déjà suivi pour cette personne.", champ="prestation")
    droit = DroitSuivi.objects.create(
        personne=personne, prestation=prestation, libelle=libelle, montant_estime=montant_estime
    )
    journaliser_ecriture(personne=personne, utilisateur=par, objet=f"droit {prestation}", action="création")
    return droit


def changer_statut_droit(
    *,
    droit: DroitSuivi,
    par,
    version: int,
    statut: str,
    date: datetime.date,
    montant_confirme: Decimal | None = None,
    motif: str = "",
    obstacles=(),
    type_non_recours: str = "",
    organisme: str = "",
) -> DroitSuivi:
    if statut not in StatutDroit.values:
        raise ErreurMetier("Étape inconnue.", champ="statut")
    if date > timezone.localdate():
        raise ErreurMetier(f"La date ({date:%d/%m/%Y}) est dans le futur.", champ="date")
    if date < droit.detecte_le:
        raise ErreurMetier(
            f"La date ({date:%d/%m/%Y}) précède la détection du droit ({droit.detecte_le:%d/%m/%Y}).", champ="date"
        )
    if droit.statut in STATUTS_FINAUX:
        raise ErreurMetier("Ce droit est déjà clos : son parcours ne peut plus changer.", champ="statut")
    if statut in ORDRE_STATUTS and ORDRE_STATUTS.index(statut) <= ORDRE_STATUTS.index(droit.statut):
        raise ErreurMetier("Cette étape est déjà franchie.", champ="statut")
    champs = {"statut": statut}
    if statut == StatutDroit.DEMARCHE:
        champs["demarche_le"] = date
    elif statut == StatutDroit.DEPOSE:
        champs["depose_le"] = date
        if not droit.demarche_le:
            champs["demarche_le"] = date
    elif statut == StatutDroit.OUVERT:
        if montant_confirme is None or montant_confirme < 0:
            raise ErreurMetier("Indiquez le montant mensuel confirmé du droit ouvert.", champ="montant_confirme")
        champs.update(ouvert_le=date, cloture_le=date, montant_confirme=montant_confirme)
    elif statut == StatutDroit.REFUSE:
        if not motif.strip():
            raise ErreurMetier("Indiquez le motif du refus.", champ="motif")
        champs.update(cloture_le=date, motif_refus=motif.strip())
    elif statut == StatutDroit.ABANDONNE:
        champs.update(cloture_le=date, motif_refus=motif.strip())
    obstacles = _valider_obstacles(obstacles, type_non_recours, organisme)
    if obstacles and statut not in (StatutDroit.REFUSE, StatutDroit.ABANDONNE):
        raise ErreurMetier("Un obstacle s'indique avec un refus ou un abandon.", champ="obstacles")
    avant = instantane(droit, CHAMPS_DROIT)
    n = DroitSuivi.objects.filter(pk=droit.pk, version=version).update(version=F("version") + 1, **champs)
    if n == 0:
        raise ErreurMetier(
            "Ce droit a été mis à jour par quelqu'un d'autre pendant votre saisie : rien n'a été enregistré. "
            "Vérifiez son étape actuelle puis recommencez.",
            champ="version",
        )
    droit.refresh_from_db()
    if obstacles:
        source = "refus" if statut == StatutDroit.REFUSE else "abandon"
        enregistrer_obstacles(
            organisation=droit.personne.organisation,
            campagne=droit.personne.campagne,
            commune=droit.personne.commune,
            jour=date,
            source=source,
            obstacles=obstacles,
            type_non_recours=type_non_recours or obstacles_ref.TYPE_PAR_DEFAUT[source],
            organisme=organisme,
            prestation=droit.prestation,
        )
    _toucher(droit.personne, date)
    journaliser_ecriture(
        personne=droit.personne,
        utilisateur=par,
        objet=f"droit {droit.prestation}",
        action=f"étape : {droit.get_statut_display()}",
        avant=avant,
        apres=instantane(droit, CHAMPS_DROIT),
    )
    return droit


def ajouter_rappel(*, personne: Personne, par, echeance: datetime.date, objet: str) -> Rappel:
    if echeance < timezone.localdate():
        raise ErreurMetier("La date du rappel est déjà passée.", champ="echeance")
    rappel = Rappel.objects.create(personne=personne, auteur=par, echeance=echeance, objet=objet.strip())
    journaliser_ecriture(personne=personne, utilisateur=par, objet="rappel", action="création")
    return rappel


def marquer_rappel_fait(*, rappel: Rappel, par) -> Rappel:
    if rappel.fait_le is None:
        rappel.fait_le = timezone.now()
        rappel.save(update_fields=["fait_le"])
        _toucher(rappel.personne)
        journaliser_ecriture(personne=rappel.personne, utilisateur=par, objet="rappel", action="fait")
    return rappel


def partager_suivi(*, personne: Personne, par, organisation: Organisation, accord: bool, notice) -> MembreGroupeSuivi:
    """Add an organisation to the person's follow-up group, only with the person's agreement."""
    if not accord:
        raise ErreurMetier(
            "Le suivi ne peut être partagé qu'avec l'accord de la personne, recueilli et enregistré.", champ="accord"
        )
    if organisation.pk == personne.organisation_id:
        raise ErreurMetier("Cette organisation suit déjà la personne.", champ="organisation")
    existant = MembreGroupeSuivi.objects.filter(personne=personne, organisation=organisation, fin_le__isnull=True)
    if existant.exists():
        raise ErreurMetier(f"Le suivi est déjà partagé avec {organisation}.", champ="organisation")
    consentement = Consentement.objects.create(
        personne=personne, finalite=Finalite.PARTAGE, recueilli_par=par, notice=notice
    )
    consentement.organisations.set([organisation])
    membre, _ = MembreGroupeSuivi.objects.update_or_create(
        personne=personne,
        organisation=organisation,
        defaults={"consentement": consentement, "ajoute_par": par, "ajoute_le": timezone.now(), "fin_le": None},
    )
    journaliser_ecriture(
        personne=personne, utilisateur=par, objet="groupe de suivi", action=f"partage avec {organisation}"
    )
    return membre


def retirer_partage(*, membre: MembreGroupeSuivi, par) -> None:
    maintenant = timezone.now()
    membre.fin_le = maintenant
    membre.save(update_fields=["fin_le"])
    Consentement.objects.filter(pk=membre.consentement_id, retire_le__isnull=True).update(retire_le=maintenant)
    journaliser_ecriture(
        personne=membre.personne,
        utilisateur=par,
        objet="groupe de suivi",
        action=f"fin du partage avec {membre.organisation}",
    )


def lier_orientation(*, personne: Personne, par, orientation_id: int) -> OrientationPersonne:
    lien, _ = OrientationPersonne.objects.get_or_create(personne=personne, orientation_id=orientation_id)
    _toucher(personne)
    journaliser_ecriture(personne=personne, utilisateur=par, objet="orientation", action="création")
    return lien


# --- Obstacles (barometer) ------------------------------------------------------------------------------


def _valider_obstacles(obstacles, type_non_recours: str, organisme: str) -> list[str]:
    obstacles = list(dict.fromkeys(o for o in obstacles if o))
    inconnus = [o for o in obstacles if o not in obstacles_ref.OBSTACLES_CODES]
    if inconnus:
        raise ErreurMetier("Obstacle inconnu : " + ", ".join(inconnus) + ".", champ="obstacles")
    if type_non_recours and type_non_recours not in obstacles_ref.TYPES_NON_RECOURS_CODES:
        raise ErreurMetier(f"Type de non-recours inconnu : {type_non_recours}.", champ="type_non_recours")
    if organisme and organisme not in obstacles_ref.ORGANISMES_CODES:
        raise ErreurMetier(f"Organisme inconnu : {organisme}.", champ="organisme")
    return obstacles


def enregistrer_obstacles(
    *, organisation, campagne, commune, jour, source, obstacles, type_non_recours="", organisme="", prestation=""
) -> list[ObstacleRencontre]:
    """One anonymous row per obstacle (codes, commune, month): what the barometer counts."""
    obstacles = _valider_obstacles(obstacles, type_non_recours, organisme)
    return ObstacleRencontre.objects.bulk_create(
        [
            ObstacleRencontre(
                organisation=organisation,
                campagne=campagne,
                commune=commune,
                mois=jour.replace(day=1),
                source=source,
                obstacle=o,
                type_non_recours=type_non_recours,
                organisme=organisme,
                prestation=prestation[:60],
                est_demo=bool(campagne and campagne.est_demo),
            )
            for o in obstacles
        ]
    )
