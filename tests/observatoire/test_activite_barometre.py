import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from repere.allervers import services as allervers
from repere.observatoire import activite
from repere.observatoire.models import Valeur
from tests.allervers.factories import campagne, chemille
from tests.organisations.factories import membre
from tests.rendu import cellule, espaces

pytestmark = pytest.mark.django_db


def _contacts(c, pro, n, **kw):
    for _ in range(n):
        allervers.enregistrer_contact(par=pro, campagne=c, date=timezone.localdate(), canal="porte", **kw)


@pytest.fixture
def equipe():
    c = campagne()
    c.organisation.territoires.add(chemille())
    pro = c.equipe.first() or membre(c.organisation)
    c.equipe.add(pro)
    return c, pro


def test_barometre_secret_et_acces(client, equipe):
    c, pro = equipe
    _contacts(c, pro, 12, obstacles=["ne_connait_pas"], type_non_recours="non_connaissance", organisme="caf")
    _contacts(c, pro, 3, obstacles=["demarche_en_ligne"], organisme="caf")
    _contacts(c, pro, 14, obstacles=["ne_connait_pas"], organisme="cpam")
    url = reverse("observatoire:barometre")
    assert "connectez-vous" in client.get(url).content.decode()
    client.force_login(pro)
    texte = espaces(client.get(url, {"territoire": "commune:49092"}).content)
    assert "Ne connaissait pas le droit" in texte and re.search(cellule("14"), texte) and "(29 au total)" in texte
    # The 3 online-only procedures are hidden, and so are the 12 next to them (else 15 - 12 = 3) and the
    # row totals that would give them back.
    assert ">3<" not in texte and ">12<" not in texte and ">26<" not in texte
    assert "secret statistique" in texte
    csv = client.get(reverse("observatoire:barometre_export", args=["csv"]), {"territoire": "commune:49092"})
    assert "secret statistique" in csv.content.decode("utf-8-sig")
    autre = membre()
    client.force_login(autre)
    assert "n'est pas dans le territoire" in client.get(url, {"territoire": "commune:49092"}).content.decode()


def test_obstacle_inconnu_refuse(equipe):
    from repere.utils.errors import ErreurMetier

    c, pro = equipe
    with pytest.raises(ErreurMetier, match="Obstacle inconnu"):
        allervers.enregistrer_contact(par=pro, campagne=c, date=timezone.localdate(), canal="porte", obstacles=["x"])


def test_activite_calculee_et_reservee(client, equipe):
    c, pro = equipe
    _contacts(c, pro, 13)
    activite.calculer()
    v = Valeur.objects.get(indicateur__code="allervers_contacts", niveau="commune", code="49092")
    assert v.valeur == 13
    r = client.get("/api/v1/observatoire/valeurs", {"indicateur": "allervers_contacts"})
    assert r.status_code == 404  # hidden from the public
    client.force_login(pro)
    r = client.get(reverse("observatoire:portrait", args=["commune", "49092"]))
    assert "indicateur=allervers_contacts" in r.content.decode()


def test_couverture_distance_france_services(client):
    from tests.annuaire.factories import ServiceFactory

    s = ServiceFactory(latitude=47.2147, longitude=-0.7825, code_insee="49092")
    s.structure.reseaux_porteurs = ["france-service"]
    s.structure.save()
    activite.calculer(jour=datetime.date(2026, 11, 30))
    proche = Valeur.objects.get(indicateur__code="couverture_distance_france_services", code="49092")
    loin = Valeur.objects.get(indicateur__code="couverture_distance_france_services", code="85059")
    assert proche.valeur < 10 < 50 < loin.valeur
    r = client.get(reverse("observatoire:carte"), {"indicateur": "couverture_distance_france_services"})
    assert "Tableau de la carte" in r.content.decode()


def test_couverture_phrases_et_libelles_en_francais(client):
    # défaut 10 de l'essai : « Le services : France Services pour 10 000 habitants de Chemillé-en-Anjou… »,
    # « La distance à vol d'oiseau à une mairie ou un CCAS la plus proche », « Période : 2026-12 »
    from tests.annuaire.factories import ServiceFactory

    s = ServiceFactory(latitude=47.2147, longitude=-0.7825, code_insee="49092")
    s.structure.reseaux_porteurs = ["france-service"]
    s.structure.save()
    activite.calculer(jour=datetime.date(2026, 12, 1))
    texte = espaces(client.get(reverse("observatoire:portrait", args=["commune", "49092"])).content)
    assert "Le services" not in texte and "Services :" not in texte
    assert "Le nombre de mairies ou CCAS pour 10\u00a0000 habitants de Chemillé-en-Anjou" in texte
    assert "à une mairie ou un CCAS la plus proche" not in texte
    assert "oiseau à la mairie ou au CCAS le plus proche" in texte
    assert "<td>2026-12</td>" not in texte and "<td>décembre 2026</td>" in texte
    accueil = espaces(client.get(reverse("observatoire:accueil")).content)
    assert "Services :" not in accueil


def test_calculs_nommes_en_mots_sur_la_page_des_imports(client):
    # défaut 11 : /observatoire/imports/ affichait repere_couverture, repere_depistage…
    activite.calculer(jour=datetime.date(2026, 12, 1))
    texte = espaces(client.get(reverse("observatoire:imports")).content)
    assert "repere_couverture" not in texte
    assert "Calcul : couverture des services (annuaire), 1er\u00a0décembre\u00a02026" in texte
