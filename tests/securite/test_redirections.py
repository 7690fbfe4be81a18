"""Issue 11: ``retour`` and ``next`` only to the site's own paths (no open redirect, no 500)."""

import pytest

from repere.organisations.models import Role
from repere.utils.redirections import chemin_sur
from tests.annuaire.factories import ServiceFactory, StructureFactory
from tests.organisations.factories import MOT_DE_PASSE, OrganisationFactory, UserFactory, membre

DANGEREUSES = [
    "https://evil.example",
    "//evil.example/x",
    "/\\evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "http:evil.example",
    "/chemin\r\nSet-Cookie: x=1",
    " https://evil.example",
]


@pytest.mark.parametrize("cible", DANGEREUSES)
def test_chemin_sur_refuse_ce_qui_sort_du_site(cible):
    assert chemin_sur(cible, defaut="/accueil/") == "/accueil/"


def test_chemin_sur_garde_les_chemins_du_site():
    assert chemin_sur("/annuaire/structures/?page=2", defaut="/") == "/annuaire/structures/?page=2"
    assert chemin_sur("", defaut="/") == "/"


@pytest.mark.django_db
@pytest.mark.parametrize("cible", ["https://evil.example", "javascript:alert(1)", "//evil.example"])
def test_service_verifie_ne_redirige_pas_ailleurs(client, cible):
    org = OrganisationFactory()
    service = ServiceFactory(structure=StructureFactory(organisation=org))
    client.force_login(membre(org, Role.PROFESSIONNEL))
    r = client.post(f"/annuaire/services/{service.pk}/verifie/", {"retour": cible})
    assert r.status_code == 302 and r["Location"] == "/annuaire/structures/"


@pytest.mark.django_db
@pytest.mark.parametrize("cible", ["https://evil.example", "javascript:alert(1)", "https://testserver.evil/x"])
def test_connexion_ne_redirige_pas_ailleurs(client, cible):
    user = UserFactory()
    r = client.post(f"/compte/connexion/?next={cible}", {"username": user.email, "password": MOT_DE_PASSE})
    assert r.status_code == 302 and not r["Location"].startswith(("http", "javascript", "//"))
