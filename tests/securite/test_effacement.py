"""Issue 11: erasure and retention reach every table and every file that can hold personal data."""

import os
import stat
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from repere.annuaire.models import Orientation
from repere.utils.inventaire import INVENTAIRE, TRAITEMENTS

from .conftest import COURRIEL, NOM, PRENOM, TELEPHONE

pytestmark = pytest.mark.django_db

REFERENTIELS = {"territoires.Territoire", "territoires.CodePostal", "auth.Permission", "contenttypes.ContentType"}


def test_inventaire_de_chaque_table():
    """Fails when a model of any installed app is not in repere.utils.inventaire.INVENTAIRE."""
    labels = {m._meta.label for m in apps.get_models()}
    manquants = sorted(labels - set(INVENTAIRE))
    assert not manquants, f"tables absentes de l'inventaire des données personnelles : {manquants}"
    assert not sorted(set(INVENTAIRE) - labels), "l'inventaire cite des tables qui n'existent plus"
    assert {categorie for categorie, _ in INVENTAIRE.values()} <= TRAITEMENTS


def _traces(*valeurs) -> list[str]:
    """Every table (but reference data) serialised, and every value found in it."""
    trouvees = []
    for modele in apps.get_models():
        if modele._meta.label in REFERENTIELS:
            continue
        texte = serializers.serialize("json", modele._default_manager.all())
        trouvees += [f"{modele._meta.label}: {v}" for v in valeurs if v.lower() in texte.lower()]
    return trouvees


def _fichiers(racine) -> list[str]:
    return [os.path.join(d, f) for d, _, fs in os.walk(racine) for f in fs]


def test_effacement_ne_laisse_rien_dans_aucune_table_ni_fichier(client, dossier, settings):
    chemin = dossier.orientation.piece_jointe.path
    assert stat.S_IMODE(os.stat(chemin).st_mode) == 0o600  # never world-readable
    assert _traces(NOM, TELEPHONE, COURRIEL)  # the record and the referral hold them
    client.force_login(dossier.auteur)
    r = client.post(
        reverse("allervers:effacer", args=[dossier.personne.pk]), {"confirmation": dossier.personne.reference}
    )
    assert r.status_code == 302
    assert _traces(NOM, PRENOM, TELEPHONE, COURRIEL) == []
    assert _fichiers(settings.REPERE_STOCKAGE_PRIVE) == []
    orientation = Orientation.objects.get(pk=dossier.orientation.pk)
    assert orientation.anonymisee_le and orientation.statut == "acceptee"  # statistics kept


def test_orientation_acceptee_jamais_close_anonymisee_et_piece_supprimee(dossier, settings):
    o = dossier.orientation
    Orientation.objects.filter(pk=o.pk).update(repondue_le=timezone.now() - timedelta(days=200))
    call_command("orientations_retention")
    o.refresh_from_db()
    assert not o.piece_jointe and o.piece_jointe_supprimee_le
    assert _fichiers(settings.REPERE_STOCKAGE_PRIVE) == []
    assert o.personne_nom == NOM  # less than 2 years: kept
    Orientation.objects.filter(pk=o.pk).update(
        cree_le=timezone.now() - timedelta(days=800), repondue_le=timezone.now() - timedelta(days=731)
    )
    call_command("orientations_retention")
    o.refresh_from_db()
    assert o.anonymisee_le and o.personne_nom == "(anonymisé)" and o.personne_telephone == ""
    assert o.personne_courriel == "" and o.commentaire_reponse == ""
    assert all(e.commentaire == "" for e in o.historique.all())
    assert o.statut == "acceptee"
