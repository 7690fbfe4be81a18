"""Défaut 6 de l'essai, sur téléphone (390 px) : dans un tableau qui défile dans sa boîte, une cellule garde ses
mots entiers (« 01/12/2026 », pas « 01/12/20 26 » ; une ligne peut finir sur un trait d'union) et une liste déroulante montre son choix en entier."""

import pytest

from tests.annuaire.factories import ServiceFactory, StructureFactory
from tests.annuaire.test_navigateur import connecter
from tests.annuaire.test_orientations import orienter
from tests.navigateur.mots import mots_coupes
from tests.organisations.factories import OrganisationFactory, membre

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

LISTES_TRONQUEES = """() => {
  const contexte = document.createElement("canvas").getContext("2d");
  const tronquees = [];
  for (const liste of document.querySelectorAll(".tableau-defilant td select")) {
    const style = getComputedStyle(liste);
    contexte.font = style.font;
    const texte = liste.options[liste.selectedIndex].text;
    const utile = liste.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;
    if (contexte.measureText(texte).width > utile) tronquees.push(texte);
  }
  return tronquees;
}"""


def verifier_cellules(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not mots_coupes(page, ".tableau-defilant td, .tableau-defilant td button"), (
        f"{page.url} : mots coupés dans les cellules"
    )
    assert not page.evaluate(LISTES_TRONQUEES), f"{page.url} : listes déroulantes tronquées"


def test_orientations_recues_sur_telephone(live_server, page_mobile):
    emettrice, receveuse = OrganisationFactory(nom="CCAS de Chemillé-en-Anjou"), OrganisationFactory()
    pro = membre(emettrice)
    accueil = membre(receveuse)
    service = ServiceFactory(nom="Épicerie solidaire des Mauges", structure=StructureFactory(organisation=receveuse))
    orienter(pro, emettrice, service)
    connecter(page_mobile, live_server, accueil)
    page_mobile.goto(live_server.url + "/annuaire/orientations/recues/")
    page_mobile.get_by_role("table").wait_for()
    verifier_cellules(page_mobile)
