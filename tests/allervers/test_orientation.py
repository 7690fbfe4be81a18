import pytest
from django.urls import reverse

from repere.allervers import annuaire, selectors, services
from repere.allervers.models import OrientationPersonne
from repere.annuaire.models import Orientation
from repere.organisations.models import Role
from tests.allervers.factories import NoticeFactory, campagne, chemille
from tests.annuaire.factories import ServiceFactory
from tests.organisations.factories import OrganisationFactory, membre

pytestmark = pytest.mark.django_db


def test_orientation_par_l_annuaire(client):
    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    c = campagne(organisation=org)
    service = ServiceFactory(thematiques=["logement-hebergement--se-maintenir-dans-le-logement"])
    p = services.creer_personne(
        par=pro,
        organisation=org,
        accord=True,
        notice=NoticeFactory(organisation=org),
        prenom="Léa",
        nom="Martin",
        campagne=c,
        commune=chemille(),
    )
    proposes = annuaire.services_proposes(personne=p, thematiques=["logement-hebergement"])
    assert service.pk in [r.service.pk for r in proposes]
    client.force_login(pro)
    r = client.post(
        reverse("allervers:orienter", args=[p.pk]),
        {"service": service.pk, "besoins": ["logement-hebergement"], "base_legale": "consentement"},
    )
    assert r.status_code == 302
    o = Orientation.objects.get()
    assert o.origine == f"allervers:{p.pk}" and o.personne_nom == "Martin" and o.consentement_version_notice
    assert OrientationPersonne.objects.get().orientation_id == o.pk
    assert "Service" in client.get(reverse("allervers:personne", args=[p.pk])).content.decode()
    ind = selectors.indicateurs(campagnes=[c.pk])
    assert ind["orientations"]["annuaire"]["total"] == 1
    assert ind["orientations"]["annuaire"]["par_statut"][0]["n"] == 1
    # Erasure also erases the identity copied into the referral.
    client.post(reverse("allervers:effacer", args=[p.pk]), {"confirmation": p.reference})
    o.refresh_from_db()
    assert o.personne_nom == "" and o.anonymisee_le is not None
    assert selectors.indicateurs(campagnes=[c.pk])["orientations"]["annuaire_anonymisees"] == 1


def test_orientation_sans_besoin_refusee(client):
    org = OrganisationFactory()
    pro = membre(org, Role.PROFESSIONNEL)
    service = ServiceFactory()
    p = services.creer_personne(
        par=pro,
        organisation=org,
        accord=True,
        notice=NoticeFactory(organisation=org),
        prenom="A",
        nom="B",
        commune=chemille(),
    )
    client.force_login(pro)
    r = client.post(reverse("allervers:orienter", args=[p.pk]), {"service": service.pk, "base_legale": "consentement"})
    assert r.status_code == 200 and not Orientation.objects.exists()


def test_orientation_service_cherche_base_legale_prereglee_et_message(client):
    org = OrganisationFactory(type="ccas")
    pro = membre(org, Role.PROFESSIONNEL)
    epicerie = ServiceFactory(nom="Épicerie solidaire du centre")
    ServiceFactory(nom="Banque alimentaire")
    p = services.creer_personne(
        par=pro,
        organisation=org,
        accord=True,
        notice=NoticeFactory(organisation=org, base_legale="Mission d'intérêt public (art. 6.1.e RGPD)"),
        prenom="Léa",
        nom="Martin",
        commune=chemille(),
    )
    client.force_login(pro)
    url = reverse("allervers:orienter", args=[p.pk])
    html = client.get(url, {"besoins": ["equipement-et-alimentation--alimentation"], "q": "épicerie"}).content.decode()
    assert "Épicerie solidaire du centre" in html and "Banque alimentaire" not in html  # searchable picker
    assert '<option value="mission_publique" selected>' in html  # preset from the purpose agreed to
    assert "Message à la structure" in html
    r = client.post(
        url,
        {
            "service": epicerie.pk,
            "besoins": ["equipement-et-alimentation--alimentation"],
            "base_legale": "mission_publique",
            "message": "Disponible le matin ; parle peu le français.",
        },
    )
    assert r.status_code == 302
    o = Orientation.objects.get()
    assert o.consentement_base_legale == "mission_publique"
    assert "Disponible le matin ; parle peu le français." in o.besoins
