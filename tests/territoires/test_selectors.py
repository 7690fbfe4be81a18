import pytest

from repere.territoires import selectors
from repere.territoires.models import Territoire

pytestmark = pytest.mark.django_db


def codes(resultats):
    return [(t.type, t.code) for t in resultats]


@pytest.mark.parametrize("q", ["chemille", "Chemillé", "CHEMILLE-EN-ANJOU", "chemille en anjou", "49120"])
def test_autocompletion_trouve_chemille_en_anjou(q):
    resultats = selectors.autocompleter(q=q, limite=5)
    assert ("commune", "49092") in codes(resultats)


def test_la_commune_passe_avant_sa_commune_deleguee_homonyme():
    resultats = codes(selectors.autocompleter(q="chemille", limite=10))
    assert resultats.index(("commune", "49092")) < resultats.index(("commune_deleguee", "49092"))


def test_autocompletion_par_code_insee_et_departement():
    assert codes(selectors.autocompleter(q="49007", limite=1)) == [("commune", "49007")]
    assert codes(selectors.autocompleter(q="85", limite=1)) == [("departement", "85")]
    assert codes(selectors.autocompleter(q="200060010", limite=1)) == [("epci", "200060010")]


def test_autocompletion_mot_au_milieu_du_nom_et_filtre_par_type():
    noms = [t.nom for t in selectors.autocompleter(q="chataigneraie", types=["commune"], limite=5)]
    assert noms[0] == "La Châtaigneraie"
    assert all(t.type == "epci" for t in selectors.autocompleter(q="mauges", types=["epci"], limite=5))


def test_autocompletion_vide_ou_sans_resultat():
    assert selectors.autocompleter(q="   ") == []
    assert selectors.autocompleter(q="zzzzqqqq") == []


def test_communes_d_un_epci_d_un_departement():
    mauges = selectors.get_territoire(type="epci", code="200060010")
    communes = selectors.communes_de(mauges)
    assert communes.filter(code="49092").exists()
    assert all(c.type == "commune" for c in communes)
    dep = selectors.get_territoire(type="departement", code="49")
    assert selectors.communes_de(dep).count() > 150


def test_contient_suit_la_hierarchie():
    chemille = selectors.get_commune("49092")
    angers = selectors.get_commune("49007")
    mauges = selectors.get_territoire(type="epci", code="200060010")
    pdl = selectors.get_territoire(type="region", code="52")
    assert selectors.contient(territoire=mauges, commune=chemille)
    assert not selectors.contient(territoire=mauges, commune=angers)
    assert selectors.contient(territoire=pdl, commune=angers)


def test_distance_angers_nantes():
    angers, nantes = selectors.get_commune("49007"), selectors.get_commune("44109")
    d = selectors.distance_km(angers.latitude, angers.longitude, nantes.latitude, nantes.longitude)
    assert 75 < d < 90


def test_point_dans_territoire_et_commune_au_point():
    chemille = selectors.get_commune("49092")
    assert selectors.point_dans_territoire(territoire=chemille, lat=chemille.latitude, lon=chemille.longitude)
    angers = selectors.get_commune("49007")
    assert not selectors.point_dans_territoire(territoire=chemille, lat=angers.latitude, lon=angers.longitude)
    assert selectors.commune_au_point(lat=angers.latitude, lon=angers.longitude).code == "49007"
    # outside the loaded outlines (Paris): unknown rather than wrong
    assert selectors.commune_au_point(lat=48.8566, lon=2.3522) is None
    paris = Territoire.objects.get(type="commune", code="75056")
    assert selectors.point_dans_territoire(territoire=paris, lat=48.8566, lon=2.3522) is None


@pytest.mark.parametrize(
    "q, code",
    [
        ("Chollet", "49099"),  # one typing error
        ("Chemile-en-Anjou", "49092"),  # a missing letter
        ("St Nazaire", "44184"),  # « St » for Saint
        ("Ste Luce sur Loire", "44172"),  # « Ste » for Sainte
        ("lemans", "72181"),  # typed without its space
        ("bresuire", "79049"),
        ("49300", "49099"),  # postal code
    ],
)
def test_autocompletion_tolere_fautes_abreviations_et_codes_postaux(q, code):
    assert codes(selectors.autocompleter(q=q, types=["commune"], limite=3))[0] == ("commune", code)


def test_autocompletion_sans_tolerance_pour_les_mots_courts_et_les_codes():
    assert selectors.autocompleter(q="zzzz", types=["commune"]) == []
    assert selectors.autocompleter(q="99999", types=["commune"]) == []
