"""Indicators page and exports in French numbers (one helper: repere.utils.nombres / tableurs)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from repere.allervers import exports, selectors
from repere.organisations.models import Role
from tests.allervers.factories import campagne
from tests.organisations.factories import OrganisationFactory, membre

pytestmark = pytest.mark.django_db


def _indicateurs():
    ind = selectors.indicateurs(campagnes=[])
    ind["totaux"].update(
        estime_mensuel=Decimal("2912.1000000000000"),
        estime_annuel=Decimal("34945.2000000000000"),
        confirme_mensuel=Decimal("1633.78"),
        confirme_annuel=Decimal("19605.36"),
    )
    return ind


def test_rapport_csv_lisible_par_un_tableur_francais():
    tableaux = exports.tableaux_rapport(_indicateurs(), ["Rapport d'indicateurs", "Édité le 01/12/2026"])
    from repere.utils.tableurs import csv_texte, xlsx_octets

    texte = csv_texte(tableaux)
    assert texte.startswith("\ufeff")
    assert "Montant estimé (€/mois);2912,1\r\n" in texte
    assert "Montant confirmé (€/mois);1633,78" in texte
    assert "2912.1" not in texte and "1633.78" not in texte
    assert xlsx_octets(tableaux)[:2] == b"PK"


def test_page_indicateurs_et_exports_en_francais(client, monkeypatch):
    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    campagne(organisation=org, equipe=[pro])
    client.force_login(pro)
    fixe = _indicateurs()
    monkeypatch.setattr(selectors, "indicateurs", lambda **kw: fixe)
    html = client.get(reverse("allervers:indicateurs")).content.decode()
    espaces = html.replace("\u202f", " ").replace("\xa0", " ")
    assert "2 912 €/mois — 34 945 €/an" in espaces
    assert "1 634 €/mois — 19 605 €/an" in espaces
    assert "2912,1000000000000" not in html and "1633.78" not in html
    for format, debut in (("csv", "\ufeff".encode()), ("xlsx", b"PK"), ("ods", b"PK")):
        r = client.get(reverse("allervers:indicateurs_export", args=[format]))
        assert r.status_code == 200 and r.content.startswith(debut), format
    assert "2912,1" in client.get(reverse("allervers:indicateurs_export", args=["csv"])).content.decode("utf-8-sig")
