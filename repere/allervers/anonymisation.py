"""Retention and anonymisation of the outreach module.

``CLASSIFICATION`` declares, for EVERY field of EVERY model of the app, what it holds and what
happens to it when a person is anonymised (2 years after the last contact) or erased (right to
erasure). tests/allervers/test_couverture_anonymisation.py introspects ``_meta.get_fields()`` and
fails when a field is missing here: a new field cannot hold personal data unnoticed.

Treatments:
- ``supprime``: the row is deleted with the person (identity, notes, household, simulations...);
- ``statistique``: reduced to codes, months and counts in PersonneAnonymisee / DroitAnonymise;
- ``delie``: the link to the person is cut (set to NULL), the row stays (anonymous contact, journals);
- ``vide``: the content is emptied (write history diffs);
- ``conserve``: not personal (codes of an anonymous contact, campaign, organisation, technical ids).
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from repere.allervers.models import (
    Contact,
    DroitAnonymise,
    Historique,
    JournalAcces,
    MembreGroupeSuivi,
    Personne,
    PersonneAnonymisee,
)

DUREE_CONSERVATION_JOURS = getattr(settings, "REPERE_ALLERVERS_CONSERVATION_JOURS", 730)
PREAVIS_JOURS = getattr(settings, "REPERE_ALLERVERS_PREAVIS_JOURS", 30)
DUREE_JOURNAL_ACCES_JOURS = getattr(settings, "REPERE_ALLERVERS_JOURNAL_JOURS", 365)

S, ST, D, V, C = "supprime", "statistique", "delie", "vide", "conserve"
TRAITEMENTS = {S, ST, D, V, C}

CLASSIFICATION: dict[str, dict[str, str]] = {
    "NoticeInformation": dict.fromkeys(
        ("id", "organisation", "version", "titre", "texte", "base_legale", "en_vigueur_le"), C
    ),
    "Campagne": dict.fromkeys(
        (
            "id",
            "nom",
            "type",
            "organisation",
            "partenaires",
            "equipe",
            "territoires",
            "secteurs",
            "date_debut",
            "date_fin",
            "notice",
            "thematiques",
            "est_demo",
            "cree_par",
            "cree_le",
        ),
        C,
    ),
    "Contact": {
        **dict.fromkeys(
            (
                "id",
                "cle",
                "campagne",
                "organisation",
                "saisi_par",
                "date",
                "commune",
                "secteur",
                "canal",
                "situations",
                "reponses",
                "version_moteur",
                "orientation_proposee",
                "suivi_souhaite",
                "cree_le",
            ),
            C,
        ),
        "personne": D,
    },
    # who to call back: deleted after the call, when a record is created, at the latest after
    # REPERE_ALLERVERS_RECONTACT_JOURS (appliquer_retention)
    "DemandeRecontact": dict.fromkeys(
        ("id", "contact", "prenom", "telephone", "courriel", "phrase_accord", "accord_le", "traitee_le"), S
    ),
    "ContactBesoin": dict.fromkeys(("id", "contact", "campagne", "date", "commune", "thematique"), C),
    "ContactDroit": dict.fromkeys(
        ("id", "contact", "campagne", "date", "commune", "prestation", "libelle", "certitude", "montant_mensuel"), C
    ),
    "CompteurJour": dict.fromkeys(("id", "campagne", "date", "cle", "n", "montant"), C),
    # Barometer of obstacles: codes, commune and month only, never linked to a person.
    "ObstacleRencontre": dict.fromkeys(
        (
            "id",
            "organisation",
            "campagne",
            "commune",
            "mois",
            "source",
            "obstacle",
            "type_non_recours",
            "organisme",
            "prestation",
            "est_demo",
        ),
        C,
    ),
    "Personne": {
        "id": S,
        "organisation": ST,
        "campagne": ST,
        "referent": S,
        "prenom": S,
        "nom": S,
        "date_naissance": ST,  # reduced to an age band
        "telephone": S,
        "email": S,
        "adresse": S,
        "commune": ST,  # reduced to the INSEE code
        "menage": S,
        "besoins": ST,
        "derniere_interaction_le": S,
        "avis_retention_le": S,
        "version": S,
        "cree_par": S,
        "cree_le": ST,  # reduced to the month
    },
    "Consentement": dict.fromkeys(
        ("id", "personne", "finalite", "recueilli_par", "recueilli_le", "notice", "organisations", "retire_le"), S
    ),
    "Entretien": {
        **dict.fromkeys(
            (
                "id",
                "personne",
                "auteur",
                "organisation",
                "date",
                "canal",
                "besoins",
                "resume",
                "note_privee",
                "cree_le",
            ),
            S,
        ),
        "id": ST,  # counted (nb_entretiens)
    },
    "Simulation": dict.fromkeys(
        ("id", "personne", "lancee_par", "lancee_le", "mode", "version_moteur", "menage", "resultats", "total_mensuel"),
        S,
    ),
    "DroitSuivi": {
        **dict.fromkeys(
            (
                "prestation",
                "libelle",
                "statut",
                "montant_estime",
                "montant_confirme",
                "detecte_le",
                "demarche_le",
                "depose_le",
                "ouvert_le",
                "cloture_le",
            ),
            ST,
        ),
        **dict.fromkeys(("id", "personne", "motif_refus", "simulation", "version"), S),
    },
    "Rappel": dict.fromkeys(("id", "personne", "auteur", "echeance", "objet", "fait_le"), S),
    "MembreGroupeSuivi": dict.fromkeys(
        ("id", "personne", "organisation", "consentement", "ajoute_par", "ajoute_le", "fin_le"), S
    ),
    "OrientationPersonne": {"id": S, "personne": S, "orientation_id": ST, "cree_le": S},
    "JournalAcces": {"id": C, "personne": D, "utilisateur": C, "organisation": C, "quand": C, "quoi": C},
    "Historique": {"id": C, "personne": D, "utilisateur": C, "quand": C, "objet": C, "action": C, "changements": V},
    "PersonneAnonymisee": dict.fromkeys(
        (
            "id",
            "organisation",
            "campagne",
            "commune_code",
            "cree_mois",
            "tranche_age",
            "besoins",
            "nb_entretiens",
            "nb_orientations",
            "motif",
            "anonymise_le",
        ),
        C,
    ),
    "DroitAnonymise": dict.fromkeys(
        (
            "id",
            "personne",
            "prestation",
            "libelle",
            "statut",
            "montant_estime",
            "montant_confirme",
            "detecte_le",
            "demarche_le",
            "depose_le",
            "ouvert_le",
            "cloture_le",
        ),
        C,
    ),
}


def tranche_age(age: int | None) -> str:
    if age is None:
        return ""
    for borne, libelle in ((18, "moins de 18 ans"), (26, "18-25 ans"), (45, "26-44 ans"), (65, "45-64 ans")):
        if age < borne:
            return libelle
    return "65 ans ou plus"


def _age(personne: Personne, jour: datetime.date) -> int | None:
    if personne.date_naissance:
        d = personne.date_naissance
        return jour.year - d.year - ((jour.month, jour.day) < (d.month, d.day))
    for p in (personne.menage or {}).get("personnes", []):
        if p.get("role") == "demandeur" and p.get("age") is not None:
            return int(p["age"])
    return None


@transaction.atomic
def anonymiser_personne(*, personne: Personne, motif: str, par=None) -> PersonneAnonymisee:
    """Replace the person by anonymous statistics (indicators stay true), delete everything else."""
    jour = timezone.localdate()
    orientation_ids = list(personne.orientations.values_list("orientation_id", flat=True))
    stat = PersonneAnonymisee.objects.create(
        organisation_id=personne.organisation_id,
        campagne_id=personne.campagne_id,
        commune_code=personne.commune.code if personne.commune else "",
        cree_mois=timezone.localtime(personne.cree_le).date().replace(day=1),
        tranche_age=tranche_age(_age(personne, jour)),
        besoins=list(personne.besoins),
        nb_entretiens=personne.entretiens.count(),
        nb_orientations=len(orientation_ids),
        motif=motif,
    )
    DroitAnonymise.objects.bulk_create(
        [
            DroitAnonymise(
                personne=stat,
                prestation=d.prestation,
                libelle=d.libelle,
                statut=d.statut,
                montant_estime=d.montant_estime,
                montant_confirme=d.montant_confirme,
                detecte_le=d.detecte_le,
                demarche_le=d.demarche_le,
                depose_le=d.depose_le,
                ouvert_le=d.ouvert_le,
                cloture_le=d.cloture_le,
            )
            for d in personne.droits.all()
        ]
    )
    Contact.objects.filter(personne=personne).update(personne=None)
    JournalAcces.objects.filter(personne=personne).update(personne=None)
    Historique.objects.filter(personne=personne).update(personne=None, changements={})
    if motif == "effacement" and orientation_ids:
        _effacer_orientations(orientation_ids)
    MembreGroupeSuivi.objects.filter(personne=personne).delete()
    personne.delete()
    Historique.objects.create(personne=None, utilisateur=par, objet="fiche", action=f"anonymisation ({motif})")
    return stat


def _effacer_orientations(ids: list[int]) -> None:
    """Right to erasure: the identity copied into the directory's referrals is erased too, by the
    directory's own service (this module never writes its tables)."""
    from repere.annuaire.services import effacer_orientations

    effacer_orientations(ids=ids)


def appliquer_retention(*, aujourdhui: datetime.date | None = None) -> dict:
    """Notice to the referent 30 days before the end of retention, then anonymisation."""
    aujourdhui = aujourdhui or timezone.localdate()
    maintenant = (
        timezone.now()
        if aujourdhui == timezone.localdate()
        else timezone.make_aware(datetime.datetime.combine(aujourdhui, datetime.time(12)))
    )
    limite = aujourdhui - datetime.timedelta(days=DUREE_CONSERVATION_JOURS)
    limite_avis = limite + datetime.timedelta(days=PREAVIS_JOURS)
    avis = 0
    for personne in Personne.objects.filter(
        derniere_interaction_le__lte=limite_avis, avis_retention_le__isnull=True
    ).select_related("referent"):
        _avertir_referent(
            personne,
            date_anonymisation=max(
                personne.derniere_interaction_le + datetime.timedelta(days=DUREE_CONSERVATION_JOURS),
                aujourdhui + datetime.timedelta(days=PREAVIS_JOURS),
            ),
        )
        Personne.objects.filter(pk=personne.pk).update(avis_retention_le=maintenant)
        avis += 1
    anonymisees = 0
    for personne in Personne.objects.filter(
        derniere_interaction_le__lte=limite,
        avis_retention_le__lte=maintenant - datetime.timedelta(days=PREAVIS_JOURS),
    ):
        anonymiser_personne(personne=personne, motif="conservation")
        anonymisees += 1
    purge = JournalAcces.objects.filter(
        quand__lt=maintenant - datetime.timedelta(days=DUREE_JOURNAL_ACCES_JOURS)
    ).delete()[0]
    from django.conf import settings

    from repere.allervers.models import DemandeRecontact

    jours_recontact = getattr(settings, "REPERE_ALLERVERS_RECONTACT_JOURS", 90)
    recontacts = DemandeRecontact.objects.filter(
        accord_le__lt=maintenant - datetime.timedelta(days=jours_recontact)
    ).delete()[0]
    return {"avis": avis, "anonymisees": anonymisees, "journal_purge": purge, "recontacts_effaces": recontacts}


def _avertir_referent(personne: Personne, *, date_anonymisation: datetime.date) -> None:
    if personne.referent is None or not personne.referent.email:
        return
    lien = settings.SITE_URL.rstrip("/") + reverse("allervers:personne", args=[personne.pk])
    send_mail(
        subject=f"[Repère] Fiche {personne.reference} : anonymisation prévue le {date_anonymisation:%d/%m/%Y}",
        message=(
            f"Bonjour,\n\nLa fiche {personne.reference}, dont vous êtes référent·e, n'a pas eu de contact depuis "
            f"le {personne.derniere_interaction_le:%d/%m/%Y}. Conformément à la durée de conservation (2 ans après "
            f"le dernier contact), elle sera anonymisée le {date_anonymisation:%d/%m/%Y}.\n\n"
            "Si l'accompagnement se poursuit, enregistrez un entretien sur la fiche avant cette date :\n"
            f"{lien}\n\nRepère"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[personne.referent.email],
    )
