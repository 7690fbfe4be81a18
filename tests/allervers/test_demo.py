import pytest

from repere.allervers import demo
from repere.allervers.models import Campagne, Contact, Personne
from repere.organisations import demo as demo_organisations

pytestmark = pytest.mark.django_db


def test_demo_idempotente():
    demo_organisations.charger()
    lignes = demo.charger()
    assert "démo" in lignes[0]
    demo.charger()
    c = Campagne.objects.get()
    assert c.est_demo and "démo" in c.nom
    assert Contact.objects.count() == 24 and Personne.objects.count() == 1
