from decimal import Decimal

import pytest
from django.template import Context, Template

from repere.utils.nombres import decimal_tableur, euros, euros_centimes, nombre, pourcentage

NNBSP = "\u202f"
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [(1043.59, f"1{NNBSP}044{NBSP}€"), (0, f"0{NBSP}€"), (573.4, f"573{NBSP}€"), ("12,6", f"13{NBSP}€")],
)
def test_euros_arrondis_a_l_euro(valeur, attendu):
    assert euros(valeur) == attendu


def test_euros_centimes():
    assert euros_centimes(1043.59) == f"1{NNBSP}043,59{NBSP}€"
    assert euros_centimes(12.0) == f"12{NBSP}€"
    assert euros_centimes(Decimal("1633.78")) == f"1{NNBSP}633,78{NBSP}€"


def test_nombre_sans_zeros_parasites():
    assert nombre(2912.1000000000000, decimales=1) == f"2{NNBSP}912,1"
    assert nombre(34945.2000000000000) == f"34{NNBSP}945"
    assert nombre(None) == ""
    assert nombre(True) == ""


def test_pourcentage_depuis_une_fraction():
    assert pourcentage(0.874) == f"87{NBSP}%"
    assert pourcentage(0.125, decimales=1) == f"12,5{NBSP}%"


def test_decimal_tableur():
    assert decimal_tableur(1043.589) == "1043,59"
    assert decimal_tableur(12.0) == "12"
    assert decimal_tableur(None) == ""


def test_filtres_de_gabarit():
    rendu = Template("{% load nombres %}{{ x|euros }}|{{ x|euros_centimes }}|{{ p|pourcentage:1 }}").render(
        Context({"x": 1633.78, "p": 0.4321})
    )
    assert rendu == f"1{NNBSP}634{NBSP}€|1{NNBSP}633,78{NBSP}€|43,2{NBSP}%"


def test_compte_accorde_a_la_francaise():
    from repere.utils.nombres import compte

    assert compte(0, "ménage calculé") == f"0{NBSP}ménage calculé"
    assert compte(1, "ménage calculé") == f"1{NBSP}ménage calculé"
    assert compte(3, "ménage calculé") == f"3{NBSP}ménages calculés"
    assert compte(3, "ménage non calculé") == f"3{NBSP}ménages non calculés"
    assert compte(12280, "valeur") == f"12{NNBSP}280{NBSP}valeurs"
    assert compte(2, "travail", "travaux") == f"2{NBSP}travaux"
    rendu = Template('{% load nombres %}{{ n|compte:"suivi en cours" }} ; {{ n|compte:"cheval,chevaux" }}').render(
        Context({"n": 2})
    )
    assert rendu == f"2{NBSP}suivis en cours ; 2{NBSP}chevaux"


def test_heure_et_telephone():
    import datetime

    from repere.utils.nombres import heure, telephone

    assert heure(datetime.time(8, 30)) == f"8{NBSP}h{NBSP}30"
    assert heure(datetime.time(12, 0)) == f"12{NBSP}h"
    assert heure("08:05") == f"8{NBSP}h{NBSP}05"
    assert telephone("0600000000") == NBSP.join(["06", "00", "00", "00", "00"])
    assert telephone("06 00 00 00 12") == NBSP.join(["06", "00", "00", "00", "12"])
    assert telephone("+33 6 00 00 00 12") == NBSP.join(["06", "00", "00", "00", "12"])
    assert telephone("poste 12") == "poste 12"


def test_date_longue_premier_du_mois():
    import datetime

    from repere.utils.nombres import date_longue

    assert date_longue(datetime.date(2026, 12, 1)) == f"1er{NBSP}décembre{NBSP}2026"
    assert date_longue(datetime.date(2026, 12, 2)) == f"2{NBSP}décembre{NBSP}2026"
    assert date_longue(datetime.date(2026, 12, 1), "l j F Y") == f"mardi{NBSP}1er{NBSP}décembre{NBSP}2026"
    rendu = Template('{% load nombres %}{{ d|date_longue:"l j F Y"|capfirst }}').render(
        Context({"d": datetime.date(2026, 12, 1)})
    )
    assert rendu == f"Mardi{NBSP}1er{NBSP}décembre{NBSP}2026"


def test_date_longue_heure_locale():
    import datetime

    from repere.utils.nombres import date_longue

    # 30 November 23:30 UTC is 1 December 00:30 in Paris: the page shows « 1er décembre »
    utc = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)
    assert date_longue(utc, "j F Y à H:i") == f"1er{NBSP}décembre{NBSP}2026{NBSP}à{NBSP}00:30"


def test_sortie_de_bin_demo_en_francais():
    # défaut 12 : « 34875 commune(s) », « 19.8 s », « 12280 valeurs »
    from repere.territoires.chargement import Rapport

    r = Rapport(compteurs={"commune": 34875, "epci": 1253, "arrondissement": 45, "region": 1}, geometries=2, duree=19.8)
    texte = str(r)
    assert "(s)" not in texte and "19.8" not in texte
    for attendu in (f"34{NNBSP}875{NBSP}communes", f"1{NNBSP}253{NBSP}EPCI", f"45{NBSP}arrondissements municipaux"):
        assert attendu in texte, attendu
    assert f"1{NBSP}région" in texte and f"19,8{NBSP}s" in texte


def test_un_sigle_reste_invariable_au_pluriel():
    # bin/demo printed « 4 240 codes INSEEs anciens »
    from repere.utils.nombres import compte

    assert compte(4240, "code INSEE ancien").endswith("\u00a0codes INSEE anciens")


def test_date_longue_d_une_date_iso_en_texte():
    from repere.utils.nombres import date_longue

    assert date_longue("2023-11-07") == f"7{NBSP}novembre{NBSP}2023"
    assert date_longue("version 2") == "version 2"  # not a date: as it is


def test_heure_d_un_instant_dans_le_fuseau_du_lecteur(settings):
    import datetime

    from django.utils import timezone

    from repere.utils.nombres import heure

    settings.TIME_ZONE = "Europe/Paris"
    instant = datetime.datetime(2026, 12, 1, 23, 5, tzinfo=datetime.UTC)  # 0 h 05 on 2 December in Paris
    with timezone.override("Europe/Paris"):
        assert heure(instant) == f"0{NBSP}h{NBSP}05"


def test_taille_de_fichier_en_francais():
    from repere.utils.nombres import taille_fichier

    assert taille_fichier(1023) == f"1{NNBSP}023{NBSP}octets"
    assert taille_fichier(1) == f"1{NBSP}octet"
    assert taille_fichier(1536) == f"1,5{NBSP}Ko"
    assert taille_fichier(200 * 1024 * 1024) == f"200{NBSP}Mo"
    assert taille_fichier(None) == ""
