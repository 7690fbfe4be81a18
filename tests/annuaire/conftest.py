import pytest

from repere.annuaire import recherche_texte


@pytest.fixture
def vocabulaire_neuf():
    """The search's typo vocabulary forgotten before and after the test (it is read from the services)."""
    recherche_texte.vider_vocabulaire()
    yield
    recherche_texte.vider_vocabulaire()
