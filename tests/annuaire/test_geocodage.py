"""Geocoding with the BAN: batches, cache (a re-import makes no call), fallback, autocomplete route.
The HTTP layer (`geocodage._requete`) is replaced: the tests never reach the network."""

import csv
import io
import json

import pytest

from repere.annuaire import geocodage, importation
from repere.annuaire.models import AdresseGeocodee, Service

pytestmark = pytest.mark.django_db


class FauxBAN:
    """Answers like the BAN's /search/csv/ and /search/ endpoints, and counts the calls."""

    def __init__(self):
        self.appels = []

    def __call__(self, url, *, donnees=None, entetes=None):
        self.appels.append(url)
        if url.endswith("/search/csv/"):
            assert entetes["Content-Type"].startswith("multipart/form-data; boundary=")
            texte = donnees.decode("utf-8")
            debut = texte.index("cle,adresse")
            lignes = list(csv.DictReader(io.StringIO(texte[debut : texte.rindex("\r\n--")])))
            sortie = io.StringIO()
            w = csv.writer(sortie)
            w.writerow(
                [
                    "cle",
                    "adresse",
                    "latitude",
                    "longitude",
                    "result_label",
                    "result_score",
                    "result_type",
                    "result_citycode",
                ]
            )
            for ligne in lignes:
                if "Arzillé" in ligne["adresse"]:
                    w.writerow(
                        [
                            ligne["cle"],
                            ligne["adresse"],
                            "47.2155",
                            "-0.7331",
                            "5 Rue de l'Arzillé 49120 Chemillé-en-Anjou",
                            "0.93",
                            "housenumber",
                            "49092",
                        ]
                    )
                else:
                    w.writerow([ligne["cle"], ligne["adresse"], "", "", "", "", "", ""])
            return sortie.getvalue().encode()
        assert "autocomplete=1" in url and "citycode=49092" in url
        return json.dumps(
            {
                "features": [
                    {
                        "geometry": {"coordinates": [-0.7331, 47.2155]},
                        "properties": {
                            "label": "5 Rue de l'Arzillé 49120 Chemillé-en-Anjou",
                            "name": "5 Rue de l'Arzillé",
                            "postcode": "49120",
                            "city": "Chemillé-en-Anjou",
                            "citycode": "49092",
                        },
                    }
                ]
            }
        ).encode()


def _services():
    base = {
        "source": "x",
        "structure_id": "1",
        "description": "Un service de test.",
        "date_maj": "2026-01-01",
        "code_insee": "49092",
    }
    return [
        {**base, "id": "a", "nom": "Aide au budget", "adresse": "5 rue de l'Arzillé"},
        {**base, "id": "b", "nom": "Point conseil", "adresse": "Lieu-dit introuvable"},
    ]


def test_geocodage_par_lots_avec_cache(settings, monkeypatch):
    settings.REPERE_GEOCODEUR_URL = "https://ban.exemple.test"
    ban = FauxBAN()
    monkeypatch.setattr(geocodage, "_requete", ban)
    structures = [{"source": "x", "id": "1", "nom": "Structure", "date_maj": "2026-01-01"}]
    rapport = importation.importer_dicts(structures, _services())
    assert len(ban.appels) == 1  # one batch for every address
    precis = Service.objects.get(identifiant="a")
    assert (precis.latitude, precis.longitude) == (47.2155, -0.7331) and not precis.localisation_approximative
    approximatif = Service.objects.get(identifiant="b")
    assert approximatif.localisation_approximative and approximatif.recherchable
    assert any("adresse non localisée par le géocodeur" in a.raison for a in rapport.avertissements)
    assert AdresseGeocodee.objects.count() == 2  # found or not, every address is cached
    rapport = importation.importer_dicts(structures, _services())
    assert len(ban.appels) == 1 and rapport.bilan_geocodage.en_cache == 2 and rapport.bilan_geocodage.appels == 0
    assert rapport.services_inchanges == 2  # the cached points give the same rows: nothing rewritten


def test_sans_geocodeur_aucun_appel(settings, monkeypatch):
    settings.REPERE_GEOCODEUR_URL = ""
    ban = FauxBAN()
    monkeypatch.setattr(geocodage, "_requete", ban)
    importation.importer_dicts([{"source": "x", "id": "1", "nom": "Structure", "date_maj": "2026-01-01"}], _services())
    assert ban.appels == [] and not AdresseGeocodee.objects.exists()
    assert Service.objects.filter(localisation_approximative=True).count() == 2


def test_geocodeur_en_panne_centre_de_la_commune(settings, monkeypatch):
    settings.REPERE_GEOCODEUR_URL = "https://ban.exemple.test"

    def panne(url, **kwargs):
        raise OSError("réseau coupé")

    monkeypatch.setattr(geocodage, "_requete", panne)
    rapport = importation.importer_dicts(
        [{"source": "x", "id": "1", "nom": "Structure", "date_maj": "2026-01-01"}], _services()
    )
    assert rapport.services_crees == 2 and Service.objects.filter(localisation_approximative=True).count() == 2
    assert not AdresseGeocodee.objects.exists()  # retried at the next import


def test_route_adresses(client, settings, monkeypatch):
    settings.REPERE_GEOCODEUR_URL = ""
    assert client.get("/api/v1/annuaire/adresses", {"q": "5 rue de l'arz"}).json() == []
    settings.REPERE_GEOCODEUR_URL = "https://ban.exemple.test"
    monkeypatch.setattr(geocodage, "_requete", FauxBAN())
    reponse = client.get("/api/v1/annuaire/adresses", {"q": "5 rue de l'arz", "commune": "49092"})
    assert reponse.status_code == 200
    assert reponse.json() == [
        {
            "libelle": "5 Rue de l'Arzillé 49120 Chemillé-en-Anjou",
            "adresse": "5 Rue de l'Arzillé",
            "code_postal": "49120",
            "commune": "Chemillé-en-Anjou",
            "code_insee": "49092",
            "latitude": 47.2155,
            "longitude": -0.7331,
        }
    ]
    assert client.get("/api/v1/annuaire/adresses", {"q": "x", "commune": "pas-un-code"}).status_code == 422
