"""A person's complete record, as an attacker or an auditor would look for it: private note, shared
follow-up, a referral with an attachment answered with a comment naming the person."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from repere.allervers import services as allervers
from repere.annuaire import services as annuaire
from repere.organisations.models import Role
from tests.allervers.factories import NoticeFactory, campagne, chemille
from tests.annuaire.factories import ServiceFactory, StructureFactory
from tests.organisations.factories import OrganisationFactory, membre

PRENOM, NOM, TELEPHONE, COURRIEL = "Zéphyrine", "Quatrevingtdouze", "0699887766", "zephyrine.q@exemple.fr"
NOTE_PRIVEE = "note-privee-confidentielle"
PDF = b"%PDF-1.4\n%piece de test\n"


@dataclass
class Dossier:
    org: object
    auteur: object
    collegue: object
    partenaire: object
    org_partenaire: object
    recepteur: object
    org_recepteur: object
    personne: object
    orientation: object
    campagne: object


@pytest.fixture
def dossier(settings, tmp_path, django_capture_on_commit_callbacks) -> Dossier:
    settings.REPERE_STOCKAGE_PRIVE = str(tmp_path / "prive")
    org, org_partenaire, org_recepteur = (
        OrganisationFactory(nom="CCAS A"),
        OrganisationFactory(nom="Association B"),
        OrganisationFactory(nom="Structure C"),
    )
    auteur, collegue = membre(org, Role.PROFESSIONNEL), membre(org, Role.PROFESSIONNEL)
    partenaire, recepteur = membre(org_partenaire, Role.PROFESSIONNEL), membre(org_recepteur, Role.PROFESSIONNEL)
    c = campagne(organisation=org)
    notice = NoticeFactory(organisation=org)
    personne = allervers.creer_personne(
        par=auteur,
        organisation=org,
        accord=True,
        notice=notice,
        prenom=PRENOM,
        nom=NOM,
        telephone=TELEPHONE,
        email=COURRIEL,
        commune=chemille(),
        campagne=c,
        referent=auteur,
    )
    allervers.ajouter_entretien(
        personne=personne,
        par=auteur,
        organisation=org,
        date=timezone.localdate(),
        canal="domicile",
        resume="Point logement",
        note_privee=NOTE_PRIVEE,
    )
    allervers.partager_suivi(personne=personne, par=auteur, organisation=org_partenaire, accord=True, notice=notice)
    service = ServiceFactory(structure=StructureFactory(organisation=org_recepteur))
    with django_capture_on_commit_callbacks(execute=True):
        orientation = annuaire.creer_orientation(
            emetteur=auteur,
            organisation_emettrice=org,
            service=service,
            personne={"prenom": PRENOM, "nom": NOM, "telephone": TELEPHONE, "courriel": COURRIEL},
            besoins="Factures d'énergie",
            consentement={
                "informe_par": str(auteur),
                "le": timezone.now() - timedelta(minutes=5),
                "version_notice": notice.version,
                "base_legale": "consentement",
            },
            piece_jointe=SimpleUploadedFile("justificatif.pdf", PDF, content_type="application/pdf"),
            origine=f"allervers:{personne.pk}",
        )
        allervers.lier_orientation(personne=personne, par=auteur, orientation_id=orientation.pk)
        annuaire.repondre_orientation(
            orientation=orientation,
            acceptee=True,
            commentaire=f"Rendez-vous pris avec {PRENOM} {NOM} au {TELEPHONE}",
            par=recepteur,
        )
    orientation.refresh_from_db()
    return Dossier(
        org=org,
        auteur=auteur,
        collegue=collegue,
        partenaire=partenaire,
        org_partenaire=org_partenaire,
        recepteur=recepteur,
        org_recepteur=org_recepteur,
        personne=personne,
        orientation=orientation,
        campagne=c,
    )
