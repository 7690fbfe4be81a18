"""Issue 11: an XLSX/ODS zip bomb is refused before parsing, on every upload path; background jobs are
served fairly between organisations, each with a time and memory limit."""

import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from huey import SqliteHuey

from repere.depistage import modele, services
from repere.depistage.models import Depistage, Statut
from repere.organisations.models import Role
from repere.utils.classeurs import verifier_classeur
from repere.utils.errors import ErreurMetier
from tests.organisations.factories import OrganisationFactory, membre

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _repertoire(settings, tmp_path):
    settings.DEPISTAGE_REPERTOIRE = str(tmp_path / "depistage")


def bombe(mo: int = 64) -> bytes:
    """A valid-looking XLSX whose sheet unpacks to ``mo`` Mo of zeros (about 1 000 times compressed)."""
    tampon = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(modele.modele_xlsx())) as source,
        zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for entree in source.infolist():
            if entree.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(entree, source.read(entree))
        with archive.open("xl/worksheets/sheet1.xml", "w") as feuille:
            bloc = b"0" * (1024 * 1024)
            for _ in range(mo):
                feuille.write(bloc)
    return tampon.getvalue()


def test_bombe_refusee_avant_lecture_au_depot(client, django_capture_on_commit_callbacks):
    org = OrganisationFactory()
    client.force_login(membre(org, Role.PROFESSIONNEL))
    contenu = bombe()
    assert len(contenu) < 1024 * 1024
    debut = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("depistage:organisation", args=[org.pk]),
            {"fichier": SimpleUploadedFile("menages.xlsx", contenu), "format_sortie": "csv", "mois": "2026-11"},
        )
    assert time.monotonic() - debut < 10
    assert r.status_code == 422 and "bombe de décompression" in r.content.decode()
    assert not Depistage.objects.exists()


def test_taille_decompressee_et_fichier_illisible(settings, tmp_path):
    chemin = tmp_path / "modele.xlsx"
    chemin.write_bytes(modele.modele_xlsx())
    verifier_classeur(chemin)  # an ordinary workbook passes
    with open(chemin, "rb") as f:
        verifier_classeur(f)
        assert f.tell() == 0
    settings.REPERE_CLASSEUR_DECOMPRESSE_MAX_MO = 0
    with pytest.raises(ErreurMetier, match="une fois décompressé"):
        verifier_classeur(chemin)
    verifier_classeur(io.BytesIO(b"pas un zip"))  # not an archive: left to the parser's own message


def test_chaque_lecteur_de_classeur_verifie_l_archive():
    """Every module that opens an uploaded XLSX/ODS calls verifier_classeur (batch screening today; any
    future reader in the directory import or the local aids is caught here)."""
    lecteurs = re.compile(r"load_workbook\(|opendocument\.load\(|read_excel\(|odf\.opendocument import load")
    sans = []
    for chemin in Path(settings.BASE_DIR, "repere").rglob("*.py"):
        texte = chemin.read_text(encoding="utf-8")
        if lecteurs.search(texte) and "verifier_classeur" not in texte:
            sans.append(str(chemin))
    assert not sans, f"lecture de classeur sans contrôle de l'archive : {sans}"


def test_file_equitable_entre_organisations(tmp_path):
    a, b = OrganisationFactory(), OrganisationFactory()
    jobs_a = [Depistage.objects.create(organisation=a, format_entree="csv", mois="2026-11") for _ in range(3)]
    job_b = Depistage.objects.create(organisation=b, format_entree="csv", mois="2026-11")
    assert [services.priorite_en_file(d) for d in jobs_a] == [0, -1, -2]
    assert services.priorite_en_file(job_b) == 0
    # the queue the worker reads serves B's first job before A's second and third
    huey = SqliteHuey(filename=str(tmp_path / "file.sqlite3"))

    @huey.task()
    def tache(pk):
        return pk

    for d in [*jobs_a, job_b]:
        tache(d.pk, priority=services.priorite_en_file(d))
    ordre = [huey.dequeue().args[0] for _ in range(4)]
    assert ordre == [jobs_a[0].pk, job_b.pk, jobs_a[1].pk, jobs_a[2].pk]


@pytest.mark.parametrize(
    ("reglage", "valeur", "message"),
    [("DEPISTAGE_MEMOIRE_MAX_MO", 1, "mémoire maximale"), ("DEPISTAGE_DUREE_MAX_MINUTES", -1, "durée maximale")],
)
def test_limites_d_un_travail(settings, monkeypatch, django_capture_on_commit_callbacks, reglage, valeur, message):
    setattr(settings, reglage, valeur)
    mesures = iter(range(0, 10**12, 50 * 1024 * 1024))  # the job grows by 50 Mo at each progress step
    monkeypatch.setattr(services, "memoire_utilisee_octets", lambda: next(mesures))
    org = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        depistage = services.creer_depistage(
            organisation=org,
            user=membre(org, Role.PROFESSIONNEL),
            fichier=SimpleUploadedFile("m.csv", modele.modele_csv()),
            mois="2026-11",
        )
    depistage.refresh_from_db()
    assert depistage.statut == Statut.ECHOUE and message in depistage.message


def test_bombe_refusee_par_les_autres_imports():
    """Directory import (XLSX and ODS), observatory and steering imports refuse the bomb with their message."""
    from repere.annuaire.importation import fichiers as annuaire_fichiers
    from repere.pilotage import tableur as pilotage_tableur

    contenu = bombe(8)
    with pytest.raises(annuaire_fichiers.ErreurFichier, match="bombe de décompression"):
        annuaire_fichiers._grille_xlsx(contenu, "structures.xlsx")
    with pytest.raises(annuaire_fichiers.ErreurFichier, match="bombe de décompression"):
        annuaire_fichiers._grille_ods(contenu, "structures.ods")
    with pytest.raises(pilotage_tableur.ImportInvalide) as erreur:
        pilotage_tableur._lire_xlsx(contenu)
    assert "bombe de décompression" in str(erreur.value.args)
