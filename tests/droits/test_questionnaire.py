import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _remplir(client):
    r = client.post(
        reverse("droits:etape", args=["foyer"]),
        {"commune": "Angers", "commune_code": "", "age_demandeur": "36", "en_couple": "non", "nb_enfants": "2"},
    )
    assert r.status_code == 302 and r.url.endswith("/etape/enfants/"), r.content.decode()[:3000]
    r = client.post(
        reverse("droits:etape", args=["enfants"]),
        {"age_0": "8", "niveau_0": "primaire", "age_1": "4", "niveau_1": "maternelle"},
    )
    assert r.status_code == 302 and r.url.endswith("/etape/activite/")
    r = client.post(
        reverse("droits:etape", args=["activite"]),
        {"d-activite": "salarie", "d-salaire": "1000", "d-taux_incapacite": "0"},
    )
    assert r.status_code == 302 and r.url.endswith("/etape/logement/"), r.content.decode()[:3000]
    r = client.post(reverse("droits:etape", args=["logement"]), {"statut": "locataire", "loyer": "600"})
    assert r.status_code == 302
    r = client.post(reverse("droits:etape", args=["prestations"]), {})
    assert r.status_code == 302 and r.url.endswith("/resultats/")


def test_parcours_complet_jusqu_aux_resultats(client):
    assert client.get(reverse("droits:accueil")).status_code == 200
    _remplir(client)
    r = client.get(reverse("droits:resultats"))
    html = r.content.decode()
    assert r.status_code == 200
    assert "Allocations familiales" in html and "Prime d&#x27;activité" in html
    assert "153\u00a0€" in html and "153,01" not in html  # rounded to the euro for the public
    r = client.get(reverse("droits:imprimer"))
    assert r.status_code == 200 and "Récapitulatif de vos droits" in r.content.decode()
    r = client.get(reverse("droits:courbe_json"))
    assert r.status_code == 200 and len(r.json()["salaires"]) == 31
    r = client.get(reverse("droits:courbe"))
    assert r.status_code == 200 and "<table" in r.content.decode()


def test_retour_arriere_sans_perdre_les_reponses(client):
    _remplir(client)
    # Going back from "logement" with an invalid answer keeps it; the earlier step is prefilled.
    r = client.post(
        reverse("droits:etape", args=["logement"]), {"statut": "locataire", "loyer": "", "direction": "precedent"}
    )
    assert r.status_code == 302 and r.url.endswith("/etape/activite/")
    r = client.get(reverse("droits:etape", args=["activite"]))
    assert 'value="1000"' in r.content.decode()
    r = client.get(reverse("droits:etape", args=["logement"]))
    assert (
        'value="locataire" id="id_statut_0" required checked' in r.content.decode() or "checked" in r.content.decode()
    )
    # The invalid step must be completed again before results.
    r = client.get(reverse("droits:resultats"))
    assert r.status_code == 302 and r.url.endswith("/etape/logement/")


def test_erreurs_en_francais_sur_le_champ(client):
    r = client.post(
        reverse("droits:etape", args=["foyer"]),
        {"commune": "Zzzzzz", "age_demandeur": "-3", "en_couple": "oui", "nb_enfants": "0"},
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "Commune « Zzzzzz » introuvable" in html
    assert "au moins 15 ans" in html
    assert "âge de votre conjoint" in html
    assert 'aria-invalid="true"' in html


def test_les_reponses_ne_sont_pas_dans_l_url(client):
    _remplir(client)
    r = client.get(reverse("droits:resultats"))
    assert "?" not in r.request["PATH_INFO"]
    assert "1000" not in r.request.get("QUERY_STRING", "")


def test_code_commune_ignore_si_le_texte_a_change(client):
    r = client.post(
        reverse("droits:etape", args=["foyer"]),
        {
            "commune": "Chemillé-en-Anjou",
            "commune_code": "49007",
            "age_demandeur": "40",
            "en_couple": "non",
            "nb_enfants": "0",
        },
    )
    assert r.status_code == 302
    from repere.droits.questionnaire import reponses

    assert reponses(client.session)["foyer"]["commune_code"] == "49092"


def test_mode_facile_a_lire_et_recapitulatif(client):
    _remplir(client)
    r = client.get(reverse("droits:resultats"))
    html = r.content.decode()
    assert "Version facile à lire" in html and "Les mots à connaître" in html
    assert "Une fois toutes vos aides demandées, vous toucheriez environ" in html
    r = client.get(reverse("droits:resultats") + "?lecture=facile")
    html = r.content.decode()
    assert 'class="resultats facile"' in html
    assert "Vous pouvez recevoir environ 153\u00a0€ par mois." in html
    assert "Comment faire" in html and 'aria-hidden="true">👪' in html
    # remembered for the printable summary
    html = client.get(reverse("droits:imprimer")).content.decode()
    assert 'class="recapitulatif facile"' in html and "Vous pouvez recevoir environ 153\u00a0€ par mois." in html
    html = client.get(reverse("droits:resultats") + "?lecture=normale").content.decode()
    assert 'class="resultats"' in html and "Revenir à la version détaillée" not in html
