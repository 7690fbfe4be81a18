"""Professional space: upload, background job, progress, downloads scoped to the organisation, retention."""

import datetime as dt
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from repere.depistage import fichiers, modele
from repere.depistage.models import Depistage, Statut
from repere.depistage.services import relancer_depistages_interrompus
from repere.depistage.verification import verifier
from repere.organisations.models import Role
from tests.depistage.factories import DepistageFactory, texte_csv
from tests.depistage.factories import personne as ligne_personne
from tests.organisations.factories import OrganisationFactory, membre
from tests.rendu import espaces

pytestmark = pytest.mark.django_db

LIGNES = [
    ligne_personne(id_menage="DOSSIER-17", salaire_net="1000"),
    {"id_menage": "DOSSIER-17", "role": "enfant", "date_naissance": "02/09/2017", "niveau_scolaire": "primaire"},
    ligne_personne(id_menage="DOSSIER-18", salaire_net="", activite="chomeur"),
    ligne_personne(id_menage="DOSSIER-19", loyer="beaucoup"),
]


def _fichier(lignes=LIGNES, nom="menages-ccas.csv"):
    return SimpleUploadedFile(nom, texte_csv(lignes).encode("utf-8"), content_type="text/csv")


@pytest.fixture
def organisation():
    return OrganisationFactory(nom="CCAS de Test")


@pytest.fixture
def pro(organisation):
    return membre(organisation, Role.PROFESSIONNEL)


def _deposer(client, organisation, django_capture_on_commit_callbacks, fichier=None, **donnees):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("depistage:organisation", args=[organisation.pk]),
            {"fichier": fichier or _fichier(), "format_sortie": "csv", "mois": "2026-11", **donnees},
        )


def test_page_publique_et_modeles(client):
    reponse = client.get(reverse("depistage:accueil"))
    assert reponse.status_code == 200
    assert "Télécharger le modèle CSV" in reponse.text and "id_menage" in reponse.text
    csv_ = client.get(reverse("depistage:modele", args=["csv"]))
    assert csv_["Content-Disposition"] == 'attachment; filename="modele-depistage.csv"'
    assert csv_.content == modele.modele_csv()
    xlsx = client.get(reverse("depistage:modele", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/depistage/modele.pdf").status_code == 404


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_le_modele_est_un_fichier_valide(tmp_path, format):
    chemin = tmp_path / f"modele.{format}"
    chemin.write_bytes(modele.modele_csv() if format == "csv" else modele.modele_xlsx())
    problemes = []
    resultat = verifier(chemin, mois="2026-11", signaler=problemes.append)
    assert problemes == [] and resultat.menages_valides == 3


def test_modele_documente_dans_docs():
    docs = Path(settings.BASE_DIR) / "docs"
    assert (docs / "depistage-modele.csv").read_bytes() == modele.modele_csv()
    texte = (docs / "depistage-format.md").read_text(encoding="utf-8")
    for nom in modele.ENTETES:
        assert f"`{nom}`" in texte, nom


def test_depot_calcul_progression_et_telechargements(
    client, pro, organisation, django_capture_on_commit_callbacks, caplog
):
    client.force_login(pro)
    assert client.get(reverse("depistage:accueil")).url == reverse("depistage:organisation", args=[organisation.pk])
    with caplog.at_level(logging.DEBUG):
        reponse = _deposer(client, organisation, django_capture_on_commit_callbacks)
    depistage = Depistage.objects.get()
    assert reponse.status_code == 302
    assert reponse.url == reverse("depistage:detail", args=[organisation.pk, depistage.pk])
    assert depistage.statut == Statut.TERMINE, depistage.message
    assert (depistage.menages_total, depistage.menages_calcules, depistage.menages_rejetes) == (3, 2, 1)
    assert depistage.lignes_rejetees == 1 and depistage.cree_par == pro
    # Personal data never in logs: neither the file name nor household ids.
    journal = caplog.text
    assert "menages-ccas" not in journal and "DOSSIER-" not in journal

    # Stored outside public media, in a private folder.
    repertoire = fichiers.repertoire(depistage)
    assert repertoire.is_dir() and not str(repertoire).startswith(str(settings.MEDIA_ROOT))
    assert sorted(p.name for p in repertoire.iterdir()) == [
        "entree.csv",
        "lignes-rejetees.csv",
        "rapport.html",
        "resultats.csv",
    ]

    detail = client.get(reponse.url)
    assert "Télécharger les résultats (CSV)" in detail.text and "2</strong> ménages calculés" in espaces(detail.text)
    fragment = client.get(reverse("depistage:progression", args=[organisation.pk, depistage.pk]))
    assert fragment.status_code == 200 and "hx-trigger" not in fragment.text

    resultats = client.get(reverse("depistage:telecharger", args=[organisation.pk, depistage.pk, "resultats"]))
    assert resultats["Content-Disposition"].startswith("attachment")
    assert "no-store" in resultats["Cache-Control"] and "private" in resultats["Cache-Control"]
    contenu = b"".join(resultats.streaming_content).decode("utf-8-sig")
    assert "DOSSIER-17" in contenu and "DOSSIER-18" in contenu and "DOSSIER-19" not in contenu
    erreurs = client.get(reverse("depistage:telecharger", args=[organisation.pk, depistage.pk, "erreurs"]))
    assert "5;loyer;DOSSIER-19" in b"".join(erreurs.streaming_content).decode("utf-8-sig")
    rapport = client.get(reverse("depistage:telecharger", args=[organisation.pk, depistage.pk, "rapport"]))
    assert "Synthèse du repérage".encode() in b"".join(rapport.streaming_content)
    assert (
        client.get(reverse("depistage:telecharger", args=[organisation.pk, depistage.pk, "autre"])).status_code == 404
    )


def test_acces_reserve_aux_membres_habilites(client, pro, organisation, django_capture_on_commit_callbacks):
    client.force_login(pro)
    _deposer(client, organisation, django_capture_on_commit_callbacks)
    depistage = Depistage.objects.get()
    urls = [
        reverse("depistage:organisation", args=[organisation.pk]),
        reverse("depistage:detail", args=[organisation.pk, depistage.pk]),
        reverse("depistage:progression", args=[organisation.pk, depistage.pk]),
        reverse("depistage:telecharger", args=[organisation.pk, depistage.pk, "resultats"]),
        reverse("depistage:telecharger", args=[organisation.pk, depistage.pk, "rapport"]),
    ]
    autre = OrganisationFactory()
    for utilisateur in (
        membre(autre, Role.ADMIN),  # another organisation
        membre(organisation, Role.BENEVOLE),  # no access to personal data
        membre(organisation, Role.OBSERVATEUR),
    ):
        client.force_login(utilisateur)
        for url in urls:
            assert client.get(url).status_code == 404, url
    # Another organisation's job through one's own organisation URL: 404 as well.
    admin_autre = membre(autre, Role.ADMIN)
    client.force_login(admin_autre)
    assert client.get(reverse("depistage:detail", args=[autre.pk, depistage.pk])).status_code == 404
    client.logout()
    assert client.get(urls[1]).status_code == 302
    client.force_login(membre(organisation, Role.ADMIN))
    for url in urls:
        reponse = client.get(url)
        assert reponse.status_code == 200, url
        if reponse.streaming:  # a download: read it to the end, which closes the file (warnings are errors)
            b"".join(reponse.streaming_content)


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        ("m.xls", b"abc", "Le format .xls"),
        ("m.csv", b"", "est vide"),
        ("m.csv", b"nom;prenom\nDupont;Jean\n", "colonnes obligatoires absentes"),
        ("m.csv", b"id_menage;role;age;commune;statut_logement\n", "aucune ligne de donn"),
    ],
)
def test_depot_refuse_avec_message(
    client, pro, organisation, django_capture_on_commit_callbacks, nom, contenu, message
):
    client.force_login(pro)
    reponse = _deposer(
        client, organisation, django_capture_on_commit_callbacks, fichier=SimpleUploadedFile(nom, contenu)
    )
    assert reponse.status_code == 422
    assert message in reponse.text
    assert not Depistage.objects.exists()
    assert not any(fichiers.racine().glob("*/*")) if fichiers.racine().exists() else True


def test_taille_maximale(client, pro, organisation, django_capture_on_commit_callbacks, settings):
    settings.DEPISTAGE_TAILLE_MAX_MO = 1
    client.force_login(pro)
    gros = SimpleUploadedFile("gros.csv", texte_csv(LIGNES).encode() + b"x" * (1024 * 1024))
    reponse = _deposer(client, organisation, django_capture_on_commit_callbacks, fichier=gros)
    assert reponse.status_code == 422 and "dépasse la taille maximale acceptée en ligne (1 Mo)" in reponse.text


def test_mois_invalide(client, pro, organisation, django_capture_on_commit_callbacks):
    client.force_login(pro)
    reponse = _deposer(client, organisation, django_capture_on_commit_callbacks, mois="11/2026")
    assert reponse.status_code == 422 and "AAAA-MM" in reponse.text


def test_progression_pendant_le_calcul(client, pro, organisation):
    depistage = DepistageFactory(
        organisation=organisation, statut=Statut.EN_COURS, etape="calcul", menages_total=200, menages_faits=50
    )
    client.force_login(pro)
    fragment = client.get(reverse("depistage:progression", args=[organisation.pk, depistage.pk]))
    assert 'hx-trigger="every 2s"' in fragment.text
    assert "50\u00a0ménages calculés sur 200" in fragment.text and 'value="25"' in fragment.text


def test_conservation_puis_suppression(client, pro, organisation, django_capture_on_commit_callbacks, settings):
    settings.DEPISTAGE_CONSERVATION_JOURS = 30
    client.force_login(pro)
    _deposer(client, organisation, django_capture_on_commit_callbacks)
    _deposer(client, organisation, django_capture_on_commit_callbacks)
    ancien, recent = Depistage.objects.order_by("pk")
    Depistage.objects.filter(pk=ancien.pk).update(cree_le=timezone.now() - dt.timedelta(days=31))
    call_command("purger_depistages")
    ancien.refresh_from_db()
    assert ancien.statut == Statut.EXPIRE and ancien.nom_fichier == "" and ancien.supprime_le
    assert ancien.menages_calcules == 2  # anonymous counts are kept
    assert not fichiers.repertoire(ancien).exists()
    assert fichiers.resultats(recent).exists()
    url = reverse("depistage:telecharger", args=[organisation.pk, ancien.pk, "resultats"])
    assert client.get(url).status_code == 404
    assert "Fichiers supprimés" in client.get(reverse("depistage:detail", args=[organisation.pk, ancien.pk])).text


def test_suppression_par_l_utilisateur(client, pro, organisation, django_capture_on_commit_callbacks):
    client.force_login(pro)
    _deposer(client, organisation, django_capture_on_commit_callbacks)
    depistage = Depistage.objects.get()
    repertoire = fichiers.repertoire(depistage)
    reponse = client.post(reverse("depistage:supprimer", args=[organisation.pk, depistage.pk]))
    assert reponse.status_code == 302 and not Depistage.objects.exists() and not repertoire.exists()


def test_travail_interrompu_relance(client, pro, organisation, django_capture_on_commit_callbacks):
    client.force_login(pro)
    _deposer(client, organisation, django_capture_on_commit_callbacks)
    depistage = Depistage.objects.get()
    fichiers.resultats(depistage).unlink()
    # As if the worker had been killed during the run: "en cours", no sign of life for 20 minutes.
    Depistage.objects.filter(pk=depistage.pk).update(
        statut=Statut.EN_COURS, battement=timezone.now() - dt.timedelta(minutes=20), tentatives=1
    )
    assert relancer_depistages_interrompus() == [depistage.pk]
    depistage.refresh_from_db()
    assert depistage.statut == Statut.TERMINE and depistage.tentatives == 2
    assert fichiers.resultats(depistage).exists()
    # A job that keeps being interrupted is abandoned with a message.
    Depistage.objects.filter(pk=depistage.pk).update(
        statut=Statut.EN_COURS, battement=timezone.now() - dt.timedelta(minutes=20), tentatives=3
    )
    assert relancer_depistages_interrompus() == []
    depistage.refresh_from_db()
    assert depistage.statut == Statut.ECHOUE and "interrompu 3 fois" in depistage.message


def test_demo(django_capture_on_commit_callbacks):
    from repere.depistage import demo
    from repere.organisations.models import Organisation

    assert demo.charger() == []  # no demo organisation: nothing
    organisation = OrganisationFactory(nom=demo.ORGANISATION, est_demo=True)
    with django_capture_on_commit_callbacks(execute=True):
        lignes = demo.charger()
        assert demo.charger() == lignes  # idempotent
    depistage = Depistage.objects.get()
    assert depistage.est_demo and depistage.statut == Statut.TERMINE and depistage.menages_calcules == 200
    assert lignes == [
        "repérage par fichier de démonstration du CCAS de Chemillé-en-Anjou (démo) (200 ménages fictifs, comptes du "
        f"CCAS) : /depistage/{organisation.pk}/{depistage.pk}/"
    ]
    assert Organisation.objects.count() == 1


def test_envoi_trop_gros_refuse_avant_lecture(client, pro, organisation, settings):
    settings.DEPISTAGE_TAILLE_MAX_MO = 1
    client.force_login(pro)
    url = reverse("depistage:organisation", args=[organisation.pk])
    reponse = client.post(url, {"fichier": _fichier()}, CONTENT_LENGTH=str(2 * 1024**3))
    assert reponse.status_code == 422
    assert "dépasse la taille maximale acceptée en ligne (1 Mo)" in reponse.text
    assert not Depistage.objects.exists()
