"""Issue 11: every view that shows personal data logs the read; nothing personal in URLs."""

import re

import pytest
from django.core import mail
from django.urls import URLResolver, get_resolver, reverse

from repere.annuaire import services as annuaire
from repere.journal.models import Lecture
from repere.journal.vues import SANS_DONNEES_PERSONNELLES, declaration

from .conftest import NOM, PDF

PERSONNELLES = {
    "allervers:personnes",
    "allervers:personne",
    "allervers:personne_modifier",
    "allervers:menage",
    "allervers:simulation",
    "allervers:orienter",
    "allervers:export_json",
    "allervers:export_imprimable",
    "allervers:effacer",
    "allervers:journal",
    "annuaire:orientation",
    "annuaire:repondre",
    "annuaire:piece_jointe",
    "annuaire:reponse_lien",
    "annuaire:piece_jointe_lien",
    "depistage:telecharger",
    "comptes:journee",
}


def _motifs(resolver=None, espace=""):
    for motif in (resolver or get_resolver()).url_patterns:
        if isinstance(motif, URLResolver):
            if motif.namespace in ("admin", "api"):
                continue  # Django's admin (no person model registered) and the JSON API (no personal read)
            yield from _motifs(motif, motif.namespace or espace)
        else:
            yield f"{espace}:{motif.name}" if espace else motif.name, motif.callback


def test_chaque_vue_declare_si_elle_montre_des_donnees_personnelles():
    """Walks the URL conf: a view is decorated @donnees_personnelles (and logs) or declared free of them."""
    non_declarees, contradictoires, avec_donnees = [], [], set()
    for nom, vue in _motifs():
        valeur = declaration(vue)
        if valeur is True:
            avec_donnees.add(nom)
            if nom in SANS_DONNEES_PERSONNELLES:
                contradictoires.append(nom)
        elif valeur is None and nom not in SANS_DONNEES_PERSONNELLES:
            non_declarees.append(nom)
    assert not non_declarees, f"vues sans déclaration (données personnelles journalisées ou non) : {non_declarees}"
    assert not contradictoires
    assert avec_donnees >= PERSONNELLES, (
        f"pages de données personnelles non journalisées : {PERSONNELLES - avec_donnees}"
    )


def _lectures():
    return list(Lecture.objects.values_list("vue", "utilisateur_id", "par_lien_signe"))


@pytest.mark.django_db
def test_chaque_page_de_donnees_personnelles_ecrit_au_journal(client, dossier):
    p, o = dossier.personne, dossier.orientation
    client.force_login(dossier.auteur)
    pages = [
        ("allervers:personnes", []),
        ("allervers:personne", [p.pk]),
        ("allervers:menage", [p.pk]),
        ("allervers:personne_modifier", [p.pk]),
        ("allervers:export_json", [p.pk]),
        ("allervers:journal", [p.pk]),
        ("annuaire:orientation", [o.pk]),
    ]
    for nom, args in pages:
        avant = Lecture.objects.count()
        assert client.get(reverse(nom, args=args)).status_code == 200, nom
        lecture = Lecture.objects.order_by("-pk").first()
        assert Lecture.objects.count() == avant + 1 and lecture.vue == nom and lecture.utilisateur == dossier.auteur
        assert lecture.objet == (f"pk={args[0]}" if args else "")
    client.force_login(dossier.recepteur)
    reponse = client.get(reverse("annuaire:piece_jointe", args=[o.pk]))
    assert b"".join(reponse.streaming_content) == PDF
    assert _lectures()[0] == ("annuaire:piece_jointe", dossier.recepteur.pk, False)
    # the household page is also in the person's own journal (right of access)
    from repere.allervers.models import JournalAcces

    assert JournalAcces.objects.filter(personne=p, quoi="foyer").exists()
    # a page refused (404) is not a read
    client.force_login(dossier.partenaire)
    avant = Lecture.objects.count()
    assert client.get(reverse("annuaire:orientation", args=[o.pk])).status_code == 404
    assert Lecture.objects.count() == avant


@pytest.mark.django_db
def test_lien_signe_jeton_hors_de_l_adresse_et_lecture_journalisee(client, dossier, django_capture_on_commit_callbacks):
    o = dossier.orientation
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        annuaire.renouveler_lien(orientation=o)
    lien = re.search(r"http\S+/reponse/\S*", mail.outbox[0].body).group(0)
    chemin, jeton = lien.split("testserver", 1)[-1].split("#", 1) if "#" in lien else (lien, "")
    assert jeton, "le jeton est dans le fragment (#), jamais envoyé au serveur"
    chemin = chemin[chemin.index("/annuaire/") :]
    assert chemin == reverse("annuaire:reponse_lien", args=[o.pk])
    ouverture = client.get(chemin)
    assert ouverture.status_code == 200 and NOM not in ouverture.content.decode()
    assert not Lecture.objects.exists()  # the opening page shows nothing
    reponse = client.post(chemin, {"jeton": jeton})
    assert reponse.status_code == 302 and reponse["Location"] == chemin and jeton not in reponse["Location"]
    page = client.get(chemin)
    assert NOM in page.content.decode() and jeton not in page.content.decode()
    assert _lectures() == [("annuaire:reponse_lien", None, True)]
    fichier = client.get(reverse("annuaire:piece_jointe_lien", args=[o.pk]))
    assert b"".join(fichier.streaming_content) == PDF
    assert _lectures()[0] == ("annuaire:piece_jointe_lien", None, True)
    # old links (token in the path) leave the path at once
    ancien = client.get(f"/annuaire/orientations/{o.pk}/reponse/{jeton}/")
    assert ancien.status_code == 302 and ancien["Location"] == f"{chemin}#{jeton}"


@pytest.mark.django_db
def test_recherche_de_personne_par_post_jamais_dans_l_adresse(client, dossier):
    client.force_login(dossier.auteur)
    page = client.get(reverse("allervers:personnes"))
    assert 'method="post" role="search"' in page.content.decode()
    assert NOM in client.post(reverse("allervers:personnes"), {"q": NOM[:6]}).content.decode()
    assert "Aucune fiche" in client.post(reverse("allervers:personnes"), {"q": "Inexistant"}).content.decode()
    # a name in the query string is not used (and such links are never produced)
    assert "Aucune fiche" not in client.get(reverse("allervers:personnes") + "?q=Inexistant").content.decode()


@pytest.mark.django_db
def test_lien_d_invitation_jeton_dans_le_fragment(client, django_capture_on_commit_callbacks):
    from repere.organisations import services as organisations
    from tests.organisations.factories import OrganisationFactory

    org = OrganisationFactory(nom="CCAS fragment")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = organisations.inviter(organisation=org, email="x@exemple.fr", role="benevole", par=None)
    assert f"/organisations/invitation/#{invitation.jeton}" in mail.outbox[-1].body
    assert f"/invitation/{invitation.jeton}" not in mail.outbox[-1].body
    ouverture = client.get("/organisations/invitation/")
    assert ouverture.status_code == 200 and "CCAS fragment" not in ouverture.content.decode()
    assert (
        client.post("/organisations/invitation/", {"jeton": invitation.jeton})["Location"]
        == "/organisations/invitation/"
    )
    assert "CCAS fragment" in client.get("/organisations/invitation/").content.decode()
    ancien = client.get(f"/organisations/invitation/{invitation.jeton}/")
    assert ancien["Location"] == f"/organisations/invitation/#{invitation.jeton}"


def _operations_api():
    """Every operation of the JSON API (/api/v1), by URL name: (name, methods, path, function)."""
    from config.api import api

    api.urls  # noqa: B018 - binds the routers
    for prefixe, routeur in api._routers:
        for chemin, vue in routeur.path_operations.items():
            for operation in vue.operations:
                nom = getattr(operation, "url_name", "") or api.get_operation_url_name(operation, router=routeur)
                yield nom, operation.methods, prefixe + chemin, operation.view_func


def test_chaque_operation_de_l_api_declare_si_elle_montre_des_donnees_personnelles():
    """The walk covers /api/v1 too: each operation is decorated (@donnees_personnelles logs the read) or listed
    as ``api:<nom>`` in SANS_DONNEES_PERSONNELLES, with the reason."""
    operations = list(_operations_api())
    noms = [nom for nom, *_ in operations]
    assert len(noms) == len(set(noms)), "deux opérations de l'API portent le même nom : la déclaration serait ambiguë"
    espace_api = next(m for m in get_resolver().url_patterns if isinstance(m, URLResolver) and m.namespace == "api")
    motifs = {m.name for m in espace_api.url_patterns} - {"openapi-json", "openapi-view", "api-root"}
    assert motifs == set(noms), "le parcours ne couvre pas toutes les adresses de l'API"
    assert len(operations) >= 25
    non_declarees, contradictoires = [], []
    for nom, methodes, chemin, fonction in operations:
        valeur = declaration(fonction)
        if valeur is None and f"api:{nom}" not in SANS_DONNEES_PERSONNELLES:
            non_declarees.append(f"{'/'.join(methodes)} /api/v1{chemin}")
        if valeur is True and f"api:{nom}" in SANS_DONNEES_PERSONNELLES:
            contradictoires.append(nom)
    assert not non_declarees, f"opérations de l'API sans déclaration : {non_declarees}"
    assert not contradictoires


@pytest.mark.django_db
def test_une_operation_de_l_api_decoree_journalise_la_lecture(rf):
    """@donnees_personnelles also wraps an API operation (which returns data, not a response)."""
    from ninja import Router, Status
    from ninja.testing import TestClient

    from repere.journal.vues import donnees_personnelles

    routeur = Router()

    @routeur.get("/fiches/{pk}", response={200: dict, 404: dict})
    @donnees_personnelles
    def fiche(request, pk: int):
        if pk == 0:
            return Status(404, {"detail": "introuvable"})
        return {"pk": pk}

    client = TestClient(routeur)
    assert client.get("/fiches/7").status_code == 200
    assert client.get("/fiches/0").status_code == 404
    assert list(Lecture.objects.values_list("vue", "objet")) == [("fiche", "pk=7")]
