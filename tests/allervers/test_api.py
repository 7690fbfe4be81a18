import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from repere.allervers.models import Contact
from repere.organisations.models import Role
from tests.allervers.factories import REPONSES, campagne
from tests.organisations.factories import OrganisationFactory, membre

pytestmark = pytest.mark.django_db
URL = "/api/v1/aller-vers/contacts"


def _payload(c, **kw):
    d = {
        "cle": str(uuid.uuid4()),
        "campagne": c.pk,
        "date": timezone.localdate().isoformat(),
        "canal": "porte",
        "secteur": "Centre",
        "besoins": ["logement-hebergement"],
        "reponses": REPONSES,
    }
    d.update(kw)
    return d


def test_double_envoi_file_hors_ligne(client):
    org = OrganisationFactory()
    b = membre(org, Role.BENEVOLE)
    c = campagne(organisation=org, equipe=[b])
    client.force_login(b)
    p = _payload(c)
    r1 = client.post(URL, p, content_type="application/json")
    r2 = client.post(URL, p, content_type="application/json")
    assert r1.status_code == 201 and r2.status_code == 200
    assert r2.json()["deja_recu"] and r1.json()["id"] == r2.json()["id"]
    assert any(d["prestation"] == "aide_logement" for d in r1.json()["droits"])
    assert Contact.objects.count() == 1


def test_refus_en_francais(client):
    org = OrganisationFactory()
    b = membre(org, Role.BENEVOLE)
    c = campagne(organisation=org, equipe=[b])
    client.force_login(b)
    demain = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    r = client.post(URL, _payload(c, date=demain), content_type="application/json")
    assert r.status_code == 422 and "dans le futur" in r.json()["detail"] and r.json()["erreurs"][0]["champ"] == "date"
    r = client.post(URL, _payload(c, canal=None), content_type="application/json")
    assert r.status_code == 422 and "canal" in r.json()["detail"]
    assert Contact.objects.count() == 0


def test_campagne_d_une_autre_organisation(client):
    c = campagne()
    client.force_login(membre(OrganisationFactory(), Role.PROFESSIONNEL))
    assert client.post(URL, _payload(c), content_type="application/json").status_code == 404


def test_anonyme_refuse(client):
    c = campagne()
    assert client.post(URL, _payload(c), content_type="application/json").status_code == 401


def test_prereperage(client):
    org = OrganisationFactory()
    b = membre(org, Role.BENEVOLE)
    c = campagne(organisation=org, equipe=[b])
    client.force_login(b)
    r = client.post(
        "/api/v1/aller-vers/prereperage", {"campagne": c.pk, "reponses": REPONSES}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["incertitude"] and r.json()["droits"]
    r = client.post(
        "/api/v1/aller-vers/prereperage", {"campagne": c.pk, "reponses": {"age": 3}}, content_type="application/json"
    )
    assert r.status_code == 422 and "Pré-repérage" in r.json()["detail"]


def test_saisie_sans_javascript(client):
    org = OrganisationFactory()
    b = membre(org, Role.BENEVOLE)
    c = campagne(organisation=org, equipe=[b])
    client.force_login(b)
    url = reverse("allervers:saisie", args=[c.pk])
    assert client.get(url).status_code == 200
    cle = str(uuid.uuid4())
    donnees = {
        "cle": cle,
        "date": timezone.localdate().isoformat(),
        "canal": "porte",
        "commune": "49092",
        "besoins": ["logement-hebergement"],
    }
    assert client.post(url, donnees).status_code == 302
    assert client.post(url, donnees).status_code == 302
    assert Contact.objects.count() == 1
    r = client.post(url, {**donnees, "cle": str(uuid.uuid4()), "date": "2099-01-01"})
    assert r.status_code == 200 and "dans le futur" in r.content.decode()


def test_service_worker(client):
    r = client.get("/aller-vers/sw.js")
    assert (
        r.status_code == 200
        and r["Content-Type"].startswith("application/javascript")
        and "allervers-saisie.js" in r.content.decode()
    )


def test_envois_croises_meme_cle(monkeypatch):
    """Two submissions of one key cross: the second passes the existence check before the first is
    stored; the unique constraint then makes it return the stored contact, nothing duplicated."""
    from repere.allervers import services

    org = OrganisationFactory()
    b = membre(org, Role.BENEVOLE)
    c = campagne(organisation=org, equipe=[b])
    cle = uuid.uuid4()
    premier, cree = services.enregistrer_contact(par=b, campagne=c, cle=cle, date=timezone.localdate(), canal="porte")
    monkeypatch.setattr(services, "_contact_existant", lambda cle: None)  # the race window
    second, cree2 = services.enregistrer_contact(par=b, campagne=c, cle=cle, date=timezone.localdate(), canal="porte")
    assert cree and not cree2 and second.pk == premier.pk
    assert Contact.objects.filter(cle=cle).count() == 1
