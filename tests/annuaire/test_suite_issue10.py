"""Issue 10, what the previous session left missing, each reproduced first: zones shown by name, synonyms
edited by an administrator, progress of a background import, distances from the person's address."""

import pytest
from django.urls import reverse

from repere.annuaire import recherche_texte
from tests.organisations.factories import OrganisationFactory, membre

from .factories import ServiceFactory, StructureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vocabulaire_neuf():
    recherche_texte.vider_vocabulaire()
    yield
    recherche_texte.vider_vocabulaire()


def _formulaire_service(client, **champs):
    organisation = OrganisationFactory()
    service = ServiceFactory(structure=StructureFactory(organisation=organisation), **champs)
    client.force_login(membre(organisation))
    url = reverse("annuaire:service_modifier", args=[service.pk])
    return service, url, client.get(url)


# -- 5. The zone picker shows names, never `type:code` ------------------------------------------------


def test_zone_eligibilite_montree_par_nom_et_relue(client):
    service, url, page = _formulaire_service(client, zone_eligibilite=["49092", "200060010", "85"])
    html = page.content.decode()
    form = page.context["form"]
    valeur = form["zone_eligibilite_texte"].value()
    assert not isinstance(valeur, str) or "commune:" not in valeur
    textarea = html[html.index('name="zone_eligibilite_texte"') :]
    textarea = textarea[: textarea.index("</textarea>")]
    assert "Chemillé-en-Anjou (49120)" in textarea and "Mauges Communauté" in textarea
    assert "Vendée (85) — département" in textarea
    assert "commune:" not in textarea and "epci:" not in textarea and "49092" not in textarea
    # the picker adds names too (autocomplete.js, data-cible-nom)
    assert 'data-cible="id_zone_eligibilite_texte" data-cible-nom' in html
    # sent back as shown, the zone is unchanged
    donnees = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    donnees.update(
        {
            "publics": ["tous-publics"],
            "modes_accueil": ["en-presentiel"],
            "statut": "publie",
            "zone_eligibilite_texte": form["zone_eligibilite_texte"].as_widget()
            and form.fields["zone_eligibilite_texte"].prepare_value(form.initial["zone_eligibilite_texte"]),
        }
    )
    assert client.post(url, donnees).status_code == 302
    service.refresh_from_db()
    assert service.zone_eligibilite == ["49092", "200060010", "85"]
