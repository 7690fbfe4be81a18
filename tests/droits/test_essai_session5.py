"""Defects seen by a tester in session 5 (essai.md), reproduced on the rendered pages."""

import re

import pytest
from django.urls import reverse

from repere.droits import questionnaire as q

pytestmark = pytest.mark.django_db


def _foyer(client, **champs):
    donnees = {"commune": "Angers", "commune_code": "", "age_demandeur": "36", "en_couple": "non", "nb_enfants": "0"}
    donnees.update(champs)
    return client.post(reverse("droits:etape", args=["foyer"]), donnees)


# --- 1. amounts with a decimal comma --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("saisi", "attendu"),
    [("850,50", 850.5), ("850.50", 850.5), ("1 200,50", 1200.5), ("1\u202f200,50 €", 1200.5), ("1.200,50", 1200.5)],
)
def test_montant_avec_virgule_decimale_accepte(client, saisi, attendu):
    _foyer(client)
    r = client.post(
        reverse("droits:etape", args=["activite"]),
        {"d-activite": "salarie", "d-salaire": saisi, "d-taux_incapacite": "0"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    menage = q.menage_depuis_reponses(q.reponses(client.session))
    salaires = [p["revenus"] for p in menage["personnes"] if p["role"] == "demandeur"][0]
    assert any(abs(x["montant_mensuel"] - attendu) < 1e-6 for x in salaires), salaires


def test_champ_montant_pas_en_type_number(client):
    """A type=number input in a French browser turns « 85,50 » into 8550: amounts are text inputs."""
    _foyer(client)
    html = client.get(reverse("droits:etape", args=["activite"])).content.decode()
    champ = re.search(r"<input[^>]*name=\"d-salaire\"[^>]*>", html).group(0)
    assert 'type="text"' in champ and 'inputmode="decimal"' in champ and "step=" not in champ


def test_montant_illisible_nomme_la_valeur(client):
    _foyer(client)
    r = client.post(
        reverse("droits:etape", args=["activite"]),
        {"d-activite": "salarie", "d-salaire": "12abc", "d-taux_incapacite": "0"},
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "« 12abc » n&#x27;est pas un montant en euros" in html


def test_lire_nombre_un_seul_lecteur():
    from repere.utils.saisie import lire_nombre

    assert lire_nombre("") is None and lire_nombre(None) is None
    assert str(lire_nombre("1,200.50")) == "1200.50"
    assert str(lire_nombre(" 85,5 ")) == "85.5"
    for illisible in ("12abc", "1,2,3", "--5", "€"):
        if illisible == "€":
            assert lire_nombre(illisible) is None
            continue
        with pytest.raises(ValueError):
            lire_nombre(illisible)


# --- 8. the total says what it adds up --------------------------------------------------------------------


def _parent_seul_deux_enfants(client):
    _foyer(client, nb_enfants="2")
    client.post(
        reverse("droits:etape", args=["enfants"]),
        {"age_0": "8", "niveau_0": "primaire", "age_1": "12", "niveau_1": "college"},
    )
    client.post(
        reverse("droits:etape", args=["activite"]),
        {"d-activite": "salarie", "d-salaire": "900", "d-taux_incapacite": "0"},
    )
    client.post(reverse("droits:etape", args=["logement"]), {"statut": "locataire", "loyer": "550"})
    r = client.post(reverse("droits:etape", args=["prestations"]), {})
    assert r.status_code == 302 and r.url.endswith("/resultats/")


def test_total_mensuel_et_annuel_separes(client):
    """The monthly total is the sum of the monthly cards; yearly aids are added up apart, and named."""
    from repere.utils.nombres import euros

    _parent_seul_deux_enfants(client)
    r = client.get(reverse("droits:resultats"))
    html = r.content.decode()
    probables = [p for p in r.context["resultat"].prestations if p.eligible == "oui" and p.montant]
    mensuelles = [p for p in probables if p.periode == "mensuel"]
    annuelles = [p for p in probables if p.periode == "annuel"]
    assert mensuelles and annuelles  # the case needs both
    synthese = html[html.index('class="carte synthese"') :]
    synthese = synthese[: synthese.index("</section>")]
    texte = re.sub(r"<[^>]+>", "", synthese)
    texte = re.sub(r"[ \t\n]+", " ", texte)
    assert f"{euros(sum(p.montant for p in mensuelles))} par mois" in texte, texte
    assert f"{euros(sum(p.montant for p in annuelles))} par an" in texte, texte
    for p in annuelles:
        assert p.libelle.replace("'", "&#x27;") in synthese
    # the old mixed total (yearly aids divided by 12 and added to the monthly ones) is not shown
    mixte = r.context["resultat"].total_mensuel
    assert abs(mixte - sum(p.montant for p in mensuelles)) > 1
    assert f"{euros(mixte)} par mois" not in texte


# --- 11. no technical wording ----------------------------------------------------------------------------


def test_pas_de_jargon_fiscal_ni_code_insee(client):
    from repere.droits.prestations import PRESTATIONS

    html = client.get(reverse("droits:etape", args=["foyer"])).content.decode()
    assert "INSEE" not in html
    for p in PRESTATIONS:
        for piece in p.comment_demander.pieces:
            assert "N-1" not in piece and "N-2" not in piece, (p.code, piece)


def test_aide_locale_rfr_estime_sans_n2():
    import inspect

    from repere.droits import aides_locales

    assert "N-2 (avis" not in inspect.getsource(aides_locales)


def test_yaml_invalide_en_francais():
    from repere.droits.services import ErreurImport, lire_catalogue

    with pytest.raises(ErreurImport) as exc:
        lire_catalogue(contenu="aides:\n  - nom: [Aide\n", format="yaml")
    message = str(exc.value.erreurs if hasattr(exc.value, "erreurs") else exc.value)
    assert "ligne 2" in message and "crochet" in message, message
    assert "expected" not in message and "stream" not in message, message


def test_json_invalide_en_francais():
    from repere.droits.services import ErreurImport, lire_catalogue

    with pytest.raises(ErreurImport) as exc:
        lire_catalogue(contenu='{"aides": [}', format="json")
    message = str(exc.value.erreurs if hasattr(exc.value, "erreurs") else exc.value)
    assert "ligne 1" in message and "Expecting" not in message, message


# --- 12. typography and wording --------------------------------------------------------------------------


def test_montants_du_texte_insecables(client):
    _parent_seul_deux_enfants(client)
    html = client.get(reverse("droits:resultats")).content.decode()
    assert "3 000 €" not in html and "77 000 €" not in html
    assert "de 0\u00a0€ à 3\u202f000\u00a0€" in re.sub(r"[ \n]+", " ", html)


def test_age_enfant_negatif_message_sense(client):
    _foyer(client, nb_enfants="1")
    r = client.post(reverse("droits:etape", args=["enfants"]), {"age_0": "-1", "niveau_0": "primaire"})
    html = r.content.decode()
    assert "au moins 0 ans" not in html
    assert "L&#x27;âge ne peut pas être négatif" in html


def test_pas_de_pronom_la_pour_les_allocations_familiales(client):
    _parent_seul_deux_enfants(client)
    html = client.get(reverse("droits:resultats")).content.decode()
    assert "Allocations familiales" in html
    assert "ne la recevez pas" not in html and "Vous la recevez" not in html
    client.get(reverse("droits:resultats") + "?lecture=facile")
    html = client.get(reverse("droits:resultats")).content.decode()
    assert "ne la recevez pas" not in html


# --- 14. simulator ---------------------------------------------------------------------------------------


def test_situation_en_boutons_radio_pas_en_liste_tronquee(client):
    _foyer(client)
    html = client.get(reverse("droits:etape", args=["activite"])).content.decode()
    assert '<select name="d-activite"' not in html
    assert 'type="radio" name="d-activite" value="salarie"' in html
    assert "Salarié(e) (CDI, CDD, intérim, apprentissage)" in html


def test_facile_montant_d_aujourd_hui_puis_apres():
    from types import SimpleNamespace

    from repere.droits.facile import phrases

    p = SimpleNamespace(
        code="ppa",
        eligible="oui",
        deja_percue=False,
        a_demander=True,
        montant=273.0,
        montant_mensuel=273.0,
        periode="mensuel",
        montant_mensuel_aujourdhui=582.0,
        demander_d_abord=["aide_logement"],
    )
    texte = " ".join(phrases(p))
    assert "582\u00a0€ par mois" in texte and "Après, ce montant sera de 273\u00a0€ par mois" in texte
    assert texte.count("273\u00a0€") == 1, texte


def test_resultats_ne_redemandent_pas_la_separation(client):
    _parent_seul_deux_enfants(client)
    html = client.get(reverse("droits:resultats")).content.decode()
    assert "séparé(e) depuis moins de 18 mois ?" not in html


def test_enfant_de_3_ans_au_lycee_signale(client):
    _foyer(client, nb_enfants="1")
    r = client.post(reverse("droits:etape", args=["enfants"]), {"age_0": "3", "niveau_0": "lycee"})
    assert r.status_code == 200
    assert "« Lycée » à 3 ans ?" in r.content.decode()
    r = client.post(reverse("droits:etape", args=["enfants"]), {"age_0": "16", "niveau_0": "lycee"})
    assert r.status_code == 302


def test_messages_nomment_la_valeur_et_le_champ(client):
    r = _foyer(client, commune="Xyzville")
    assert "Commune « Xyzville » introuvable" in r.content.decode()
    r = _foyer(client, nb_enfants="")
    html = r.content.decode()
    assert "Ce champ est obligatoire" not in html
    assert "Indiquez le nombre d&#x27;enfants à charge (0 si aucun)." in html


def test_periode_des_ressources_elidee_devant_une_voyelle(client):
    """« moyenne d'août, septembre et octobre 2026 », not « moyenne de août » (the shared de() rule)."""
    from repere.droits.menage import Menage
    from repere.droits.selectors import simuler_complet

    _parent_seul_deux_enfants(client)
    menage = Menage.model_validate(q.menage_depuis_reponses(q.reponses(client.session), mois="2026-12"))
    raisons = [t for t in simuler_complet(menage=menage).prestation("rsa").raisons if t.startswith("Ressources")]
    assert raisons and "(moyenne d'août, septembre et octobre 2026)" in raisons[0], raisons
