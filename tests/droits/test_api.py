import pytest

from repere.droits.moteur import donnees_menage_exemple

pytestmark = pytest.mark.django_db

MENAGE = donnees_menage_exemple(mois="2026-11")


def test_simulation_renvoie_les_prestations_triees(client):
    r = client.post("/api/v1/simulations", MENAGE, content_type="application/json")
    assert r.status_code == 200, r.content
    data = r.json()
    codes = [p["code"] for p in data["prestations"]]
    assert {"rsa", "ppa", "aide_logement", "af", "asf", "cheque_energie", "bourse_college"} <= set(codes)
    af = next(p for p in data["prestations"] if p["code"] == "af")
    assert af["eligible"] == "oui" and af["montant"] == pytest.approx(153.01)
    assert af["comment_demander"]["organisme"].startswith("CAF")
    oui = [p["montant_mensuel"] for p in data["prestations"] if p["eligible"] == "oui"]
    assert oui == sorted(oui, reverse=True)
    assert data["moteur"]["openfisca_france"] == "176.1.8"
    assert data["revenu_fiscal_reference_estime"] is True


@pytest.mark.parametrize(
    ("modif", "champ", "extrait"),
    [
        (lambda m: m["personnes"].append({"role": "demandeur", "age": 40}), "personnes", "un seul demandeur"),
        (lambda m: m["personnes"].pop(0), "personnes", "demandeur"),
        (lambda m: m.update(commune="99999"), "commune", "commune inconnue"),
        (
            lambda m: m["personnes"][0]["revenus"][0].update(montant_mensuel=-5),
            "personnes[0].revenus[0].montant_mensuel",
            "supérieur ou égal à 0",
        ),
        (lambda m: m["personnes"][0].update(age=200), "personnes[0].age", "inférieur ou égal à 120"),
        (lambda m: m["personnes"][0].update(age="trente"), "personnes[0].age", "nombre entier"),
        (lambda m: m["logement"].update(loyer=0), "logement.loyer", "loyer"),
        (
            lambda m: m.update(personnes=[{"role": "demandeur", "age": 30}] + [{"role": "enfant", "age": 3}] * 20),
            "personnes",
            "au plus 20",
        ),
        (lambda m: m["personnes"][1].update(age=40), "personnes[1]", "rôle « autre »"),
    ],
)
def test_erreurs_422_nomment_le_champ(client, modif, champ, extrait):
    import copy

    m = copy.deepcopy(MENAGE)
    modif(m)
    r = client.post("/api/v1/simulations", m, content_type="application/json")
    assert r.status_code == 422, r.content
    erreurs = r.json()["erreurs"]
    assert any(e["champ"] == champ and extrait in e["message"] for e in erreurs), erreurs


def test_openapi_decrit_la_simulation(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/simulations" in schema["paths"]
    assert "/api/v1/simulations/courbe" in schema["paths"]


def test_courbe(client):
    r = client.post("/api/v1/simulations/courbe", MENAGE, content_type="application/json")
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["salaires"][0] == 0 and data["salaires"][-1] == 3000
    assert len(data["total"]) == 31
    ppa = next(p for p in data["prestations"] if p["code"] == "ppa")
    assert ppa["montants_mensuels"][0] == 0  # no activity income, no prime d'activité
    assert max(ppa["montants_mensuels"]) > 0


def test_api_combinaison_coherente_et_avertissements(client):
    """The API gives the coherent combination (RSA 0 once the AAH is obtained) and the warnings."""
    data = {
        "mois": "2026-11",
        "commune": "49007",
        "logement": {"statut": "heberge_gratuitement"},
        "personnes": [{"role": "demandeur", "age": 61, "taux_incapacite": 80, "activite": "inapte"}],
    }
    r = client.post("/api/v1/simulations", data, content_type="application/json")
    assert r.status_code == 200, r.content
    d = r.json()
    rsa = next(p for p in d["prestations"] if p["code"] == "rsa")
    assert rsa["montant"] == 0 and rsa["montant_mensuel_aujourdhui"] == pytest.approx(573.49)
    assert rsa["demander_d_abord"] == ["aah"]
    assert d["total_mensuel"] == pytest.approx(1041.59)
    assert d["baremes_provisoires"] is True  # CSS ceilings: 2026 revaluation not known
    assert any("Barèmes provisoires" in a for a in d["avertissements"])


def test_api_un_booleen_n_est_pas_un_montant(client):
    import copy

    data = copy.deepcopy(MENAGE)
    data["personnes"][0]["revenus"][0]["montant_mensuel"] = True
    r = client.post("/api/v1/simulations", data, content_type="application/json")
    assert r.status_code == 422
    erreurs = {e["champ"]: e["message"] for e in r.json()["erreurs"]}
    assert "un nombre est attendu" in erreurs["personnes[0].revenus[0].montant_mensuel"]
