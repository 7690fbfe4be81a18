"""Issue 11: the right-of-access export shows private notes to their author only, and holds the write
history and the referrals' identity copy and comments."""

import json

import pytest
from django.urls import reverse

from .conftest import NOM, NOTE_PRIVEE, TELEPHONE

pytestmark = pytest.mark.django_db


def _exports(client, personne):
    json_ = client.get(reverse("allervers:export_json", args=[personne.pk]))
    page = client.get(reverse("allervers:export_imprimable", args=[personne.pk]))
    assert json_.status_code == 200 and page.status_code == 200
    return json_.content.decode(), page.content.decode()


def test_note_privee_absente_des_exports_pour_les_autres(client, dossier):
    for lecteur in (dossier.collegue, dossier.partenaire):
        client.force_login(lecteur)
        for contenu in _exports(client, dossier.personne):
            assert NOTE_PRIVEE not in contenu
        assert NOTE_PRIVEE not in client.get(reverse("allervers:personne", args=[dossier.personne.pk])).content.decode()
    client.force_login(dossier.auteur)
    for contenu in _exports(client, dossier.personne):
        assert NOTE_PRIVEE in contenu


def test_export_contient_historique_et_copie_de_l_orientation(client, dossier):
    client.force_login(dossier.auteur)
    brut, page = _exports(client, dossier.personne)
    donnees = json.loads(brut)
    objets = [h["objet"] for h in donnees["historique_des_modifications"]]
    assert {"fiche", "entretien", "groupe de suivi", "orientation"} <= set(objets)
    (orientation,) = donnees["orientations"]
    assert orientation["identite_transmise"]["nom"] == NOM
    assert orientation["identite_transmise"]["telephone"] == TELEPHONE
    assert TELEPHONE in orientation["commentaire_reponse"]
    assert [e["statut"] for e in orientation["historique"]] == ["Envoyée, en attente de réponse", "Acceptée"]
    assert any(TELEPHONE in e["commentaire"] for e in orientation["historique"])
    assert orientation["piece_jointe"] == "justificatif.pdf"
    assert "Modifications de la fiche" in page and "Commentaire de la structure" in page and TELEPHONE in page
