from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from repere.annuaire import services
from repere.annuaire.models import Orientation, StatutOrientation
from repere.annuaire.selectors import orientations_par_origine, orientations_visibles
from repere.organisations.models import Role
from repere.utils.errors import ErreurMetier
from tests.organisations.factories import OrganisationFactory, membre

from .factories import ServiceFactory, StructureFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def monde():
    """A (sender), B (receiver, manages the service's structure), C (another receiver)."""
    a, b, c = OrganisationFactory(nom="A"), OrganisationFactory(nom="B"), OrganisationFactory(nom="C")
    return {
        "a": a,
        "b": b,
        "c": c,
        "pro_a": membre(a),
        "pro_b": membre(b),
        "pro_c": membre(c),
        "benevole_a": membre(a, role=Role.BENEVOLE),
        "service_b": ServiceFactory(structure=StructureFactory(organisation=b)),
        "service_c": ServiceFactory(structure=StructureFactory(organisation=c)),
    }


def orienter(emetteur, organisation, service, **extra):
    arguments = {
        "emetteur": emetteur,
        "organisation_emettrice": organisation,
        "service": service,
        "personne": {
            "prenom": "Camille",
            "nom": "Martin",
            "telephone": "0600000000",
            "preference_contact": "telephone",
        },
        "besoins": "Factures d'énergie impayées",
        "consentement": {
            "informe_par": "Dominique",
            "le": timezone.now() - timedelta(minutes=5),
            "version_notice": "2026-01",
            "base_legale": "consentement",
        },
    }
    arguments.update(extra)
    return services.creer_orientation(**arguments)


def test_creation_historique_et_email(monde, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        o = orienter(monde["pro_a"], monde["a"], monde["service_b"], origine="allervers:7")
    assert o.statut == StatutOrientation.ENVOYEE and o.organisation_destinataire == monde["b"]
    assert list(o.historique.values_list("statut", flat=True)) == ["envoyee"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [monde["pro_b"].email]
    assert "Camille" not in mail.outbox[0].body and "Martin" not in mail.outbox[0].subject
    assert reverse("annuaire:reponse_lien", args=[o.pk]) + "#" in mail.outbox[0].body
    assert list(orientations_par_origine(origine="allervers:7", user=monde["pro_a"])) == [o]


@pytest.mark.parametrize(
    "changement, champ",
    [
        ({"personne": {"prenom": "", "nom": "X"}}, "prenom"),
        ({"besoins": "  "}, "besoins"),
        (
            {"consentement": {"informe_par": "D", "le": timezone.now(), "version_notice": "1", "base_legale": "x"}},
            "base_legale",
        ),
        (
            {
                "consentement": {
                    "informe_par": "",
                    "le": timezone.now(),
                    "version_notice": "1",
                    "base_legale": "consentement",
                }
            },
            "informe_par",
        ),
        ({"piece_jointe": SimpleUploadedFile("a.exe", b"MZ\x90\x00binary")}, "piece_jointe"),
    ],
)
def test_saisie_invalide_rien_n_est_ecrit(monde, changement, champ):
    with pytest.raises(ErreurMetier) as exc:
        orienter(monde["pro_a"], monde["a"], monde["service_b"], **changement)
    assert exc.value.champ == champ
    assert Orientation.objects.count() == 0


def test_benevole_ne_peut_pas_orienter(monde):
    with pytest.raises(ErreurMetier):
        orienter(monde["benevole_a"], monde["a"], monde["service_b"])


def test_a_ne_voit_pas_b_vers_c(monde, client):
    o = orienter(monde["pro_b"], monde["b"], monde["service_c"])
    assert orientations_visibles(monde["pro_a"]).count() == 0
    assert list(orientations_visibles(monde["pro_b"])) == [o]
    assert list(orientations_visibles(monde["pro_c"])) == [o]
    client.force_login(monde["pro_a"])
    assert client.get(reverse("annuaire:orientation", args=[o.pk])).status_code == 404
    assert client.get(reverse("annuaire:piece_jointe", args=[o.pk])).status_code == 404
    assert (
        client.post(
            reverse("annuaire:repondre", args=[o.pk]), {"action": "reponse", "decision": "accepter"}
        ).status_code
        == 404
    )
    reponse = client.get(reverse("annuaire:tableau_csv", args=["recues"]))
    assert str(o.pk) not in reponse.content.decode().split("\n", 1)[1]


def test_lien_signe_reponse_puis_resultat(monde, client):
    o = orienter(monde["pro_a"], monde["a"], monde["service_b"])
    jeton = services.generer_jeton(o)
    url = reverse("annuaire:reponse_lien", args=[o.pk])
    assert jeton not in url
    assert client.post(url, {"jeton": jeton})["Location"] == url  # the token goes to the session
    page = client.get(url)
    assert page.status_code == 200 and "Camille" in page.content.decode()
    reponse = client.post(url, {"action": "reponse", "decision": "accepter"})
    assert reponse.status_code == 302
    o.refresh_from_db()
    assert o.statut == "acceptee"
    reponse = client.post(url, {"action": "resultat", "resultat": "aide_obtenue"})
    assert reponse.status_code == 200
    o.refresh_from_db()
    assert o.statut == "cloturee" and o.resultat == "aide_obtenue" and o.cloturee_le
    assert [e.par_lien_signe for e in o.historique.all()] == [False, True, True]
    # closed: the link cannot be used again
    assert client.get(url).status_code == 403


def test_lien_signe_expire_ou_pour_une_autre_orientation(monde, client, settings):
    o1 = orienter(monde["pro_a"], monde["a"], monde["service_b"])
    o2 = orienter(monde["pro_a"], monde["a"], monde["service_b"])
    jeton1 = services.generer_jeton(o1)
    # bound to one referral
    reponse = client.post(reverse("annuaire:reponse_lien", args=[o2.pk]), {"jeton": jeton1})
    assert reponse.status_code == 403 and "ne correspond pas" in reponse.content.decode()
    # forged
    assert client.post(reverse("annuaire:reponse_lien", args=[o1.pk]), {"jeton": jeton1 + "x"}).status_code == 403
    # expired after 8 days
    import time

    jeton_vieux = signing.dumps({"o": o1.pk, "n": o1.nonce_lien}, salt=services.SEL_LIEN, compress=True)
    reel = time.time
    try:
        time.time = lambda: reel() + 9 * 86400
        with pytest.raises(ErreurMetier, match="expiré"):
            services.verifier_jeton(orientation_id=o1.pk, jeton=jeton_vieux)
        reponse = client.post(
            reverse("annuaire:reponse_lien", args=[o1.pk]),
            {"jeton": jeton_vieux, "action": "reponse", "decision": "accepter"},
        )
    finally:
        time.time = reel
    assert reponse.status_code == 403
    o1.refresh_from_db()
    assert o1.statut == "envoyee"
    # a new link replaces the previous one
    services.renouveler_lien(orientation=o1)
    with pytest.raises(ErreurMetier, match="remplacé"):
        services.verifier_jeton(orientation_id=o1.pk, jeton=jeton1)


def test_refus_avec_motif(monde):
    o = orienter(monde["pro_a"], monde["a"], monde["service_b"])
    with pytest.raises(ErreurMetier):
        services.repondre_orientation(orientation=o, acceptee=False, motif_refus="", par=monde["pro_b"])
    o = services.repondre_orientation(orientation=o, acceptee=False, motif_refus="pas_de_place", par=monde["pro_b"])
    assert o.statut == "refusee" and o.cloturee_le
    with pytest.raises(ErreurMetier):
        services.repondre_orientation(orientation=o, acceptee=True, par=monde["pro_b"])


def test_relance_et_expiration(monde):
    o_relance = orienter(monde["pro_a"], monde["a"], monde["service_b"])
    o_expire = orienter(monde["pro_a"], monde["a"], monde["service_b"])
    Orientation.objects.filter(pk=o_relance.pk).update(cree_le=timezone.now() - timedelta(days=11))
    Orientation.objects.filter(pk=o_expire.pk).update(cree_le=timezone.now() - timedelta(days=31))
    mail.outbox.clear()
    assert services.relancer_et_expirer() == (1, 1)
    o_relance.refresh_from_db()
    o_expire.refresh_from_db()
    assert o_relance.relance_le and o_relance.statut == "envoyee"
    assert o_expire.statut == "expiree" and o_expire.historique.last().statut == "expiree"
    assert {tuple(m.to) for m in mail.outbox} == {(monde["pro_b"].email,), (monde["pro_a"].email,)}
    assert services.relancer_et_expirer() == (0, 0)  # once only


def test_retention_pieces_jointes_et_anonymisation(monde):
    o = orienter(monde["pro_a"], monde["a"], monde["service_b"], piece_jointe=SimpleUploadedFile("justif.pdf", PDF))
    chemin = o.piece_jointe.path
    services.repondre_orientation(orientation=o, acceptee=False, motif_refus="pas_de_place", par=monde["pro_b"])
    Orientation.objects.filter(pk=o.pk).update(cloturee_le=timezone.now() - timedelta(days=200))
    call_command("orientations_retention")
    o.refresh_from_db()
    assert not o.piece_jointe and o.piece_jointe_supprimee_le
    import os

    assert not os.path.exists(chemin)
    assert o.personne_nom == "Martin"  # not yet 2 years
    Orientation.objects.filter(pk=o.pk).update(cloturee_le=timezone.now() - timedelta(days=731))
    call_command("orientations_retention")
    o.refresh_from_db()
    assert o.anonymisee_le and o.personne_nom == "(anonymisé)" and o.personne_telephone == ""
    assert o.besoins == "(anonymisé)" and o.statut == "refusee"  # statistics kept


def test_piece_jointe_servie_apres_controle(monde, client):
    o = orienter(monde["pro_a"], monde["a"], monde["service_b"], piece_jointe=SimpleUploadedFile("justif.pdf", PDF))
    assert "/media/" not in o.piece_jointe.name
    client.force_login(monde["pro_b"])
    reponse = client.get(reverse("annuaire:piece_jointe", args=[o.pk]))
    assert reponse.status_code == 200 and b"".join(reponse.streaming_content) == PDF
    client.force_login(monde["pro_c"])
    assert client.get(reverse("annuaire:piece_jointe", args=[o.pk])).status_code == 404


def test_tableaux_filtres_et_csv(monde, client):
    o1 = orienter(monde["pro_a"], monde["a"], monde["service_b"])
    o2 = orienter(monde["pro_a"], monde["a"], monde["service_b"])
    services.repondre_orientation(orientation=o2, acceptee=True, par=monde["pro_b"])
    client.force_login(monde["pro_a"])
    page = client.get(reverse("annuaire:tableau", args=["envoyees"]), {"statut": "acceptee"})
    assert page.status_code == 200
    assert f">{o2.pk}</a>" in page.content.decode() and f">{o1.pk}</a>" not in page.content.decode()
    csv = client.get(reverse("annuaire:tableau_csv", args=["envoyees"])).content.decode("utf-8-sig")
    lignes = csv.strip().splitlines()
    assert lignes[0].startswith("numero;envoyee_le") and len(lignes) == 3
    assert "Martin" not in csv  # no personal data in the export
    client.force_login(monde["pro_b"])
    assert len(client.get(reverse("annuaire:tableau_csv", args=["recues"])).content.decode().strip().splitlines()) == 3


def test_relance_verification_services(monde):
    vieux = monde["service_b"]
    vieux.verifie_le = timezone.localdate() - timedelta(days=200)
    vieux.save()
    recent = ServiceFactory(structure=vieux.structure, verifie_le=timezone.localdate())
    monde["service_c"].verifie_le = timezone.localdate() - timedelta(days=10)
    monde["service_c"].save()
    mail.outbox.clear()
    assert services.relancer_verifications() == 1
    assert mail.outbox[0].to == [monde["pro_b"].email] and vieux.nom in mail.outbox[0].body
    assert recent.nom not in mail.outbox[0].body
    assert services.relancer_verifications() == 0  # not every day
    call_command("annuaire_relances")
