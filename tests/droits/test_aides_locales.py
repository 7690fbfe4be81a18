"""Local aids: evaluation alongside national benefits, import/export, admin UI permissions."""

import json

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from repere.droits.menage import Menage
from repere.droits.models import AideLocale
from repere.droits.selectors import aides_locales_applicables, simuler_complet
from repere.droits.services import ErreurImport, importer_catalogue
from repere.organisations.models import Role
from repere.territoires.models import TypeTerritoire
from tests.droits.factories import AideLocaleFactory, menage, territoire
from tests.organisations.factories import OrganisationFactory, membre

pytestmark = pytest.mark.django_db


def test_aide_du_departement_s_applique_a_ses_communes():
    dans = AideLocaleFactory(territoire=territoire(TypeTerritoire.DEPARTEMENT, "49"))
    ailleurs = AideLocaleFactory(territoire=territoire(TypeTerritoire.DEPARTEMENT, "44"))
    inactive = AideLocaleFactory(territoire=territoire(TypeTerritoire.DEPARTEMENT, "49"), active=False)
    aides = aides_locales_applicables(commune="49007")
    assert dans in aides and ailleurs not in aides and inactive not in aides


def test_evaluee_avec_les_aides_nationales_et_raisons():
    AideLocaleFactory(nom="Aide jeunes", age_max=25, montant=200, periode="ponctuel")
    AideLocaleFactory(nom="Aide RSA", prestation_requise="rsa", montant=None)
    AideLocaleFactory(nom="Aide familles", composition="avec_enfants", montant=50, periode="mensuel")
    r = simuler_complet(menage=Menage.model_validate(menage()))
    par_nom = {p.libelle: p for p in r.prestations if p.nature == "locale"}
    assert par_nom["Aide jeunes"].eligible == "non"
    assert any("25 ans au plus" in x for x in par_nom["Aide jeunes"].raisons)
    assert par_nom["Aide RSA"].eligible == "oui" and par_nom["Aide RSA"].montant == 0
    assert par_nom["Aide familles"].eligible == "non"
    assert par_nom["Aide RSA"].comment_demander.organisme == par_nom["Aide RSA"].organisation
    assert {"rsa", "aide_logement"} <= {p.code for p in r.prestations}


def test_quotient_familial_incertain_si_rfr_estime():
    AideLocaleFactory(nom="Aide QF", quotient_familial_max=600, montant=80)
    r = simuler_complet(menage=Menage.model_validate(menage()))
    aide = next(p for p in r.prestations if p.libelle == "Aide QF")
    assert aide.eligible == "incertain" and aide.manquant
    r = simuler_complet(menage=Menage.model_validate(menage(revenu_fiscal_reference_n2=3000)))
    assert next(p for p in r.prestations if p.libelle == "Aide QF").eligible == "oui"


CATALOGUE = """
version: 1
aides:
  - nom: Secours d'urgence
    territoire: {type: commune, code: "49007"}
    conditions: {age_min: 18, statuts_logement: [locataire]}
    montant: 120
    periode: ponctuel
    comment_demander: Accueil du CCAS du lundi au vendredi.
    pieces: [Pièce d'identité]
  - nom: Aide cantine
    territoire: {type: departement, code: "49"}
    conditions: {composition: avec_enfants, quotient_familial_max: 700}
    comment_demander: Dossier auprès de la mairie.
"""


def test_import_puis_export_aller_retour():
    org = OrganisationFactory()
    assert importer_catalogue(organisation=org, contenu=CATALOGUE, format="yaml") == {
        "creees": 2,
        "modifiees": 0,
        "supprimees": 0,
    }
    assert importer_catalogue(organisation=org, contenu=CATALOGUE, format="yaml")["modifiees"] == 2
    from repere.droits.selectors import exporter_catalogue

    export = exporter_catalogue(organisation=org)
    assert [a["nom"] for a in export["aides"]] == ["Aide cantine", "Secours d'urgence"]
    autre = OrganisationFactory()
    importer_catalogue(organisation=autre, contenu=json.dumps(export), format="json")
    assert exporter_catalogue(organisation=autre) == export


@pytest.mark.parametrize(
    ("contenu", "extrait"),
    [
        ("aides: [", "fichier YAML mal formé"),
        ("version: 1\naides:\n  - nom: X\n", "aides[0].nom"),
        (CATALOGUE.replace('"49007"', '"99999"'), "territoire inconnu"),
        (CATALOGUE.replace("age_min: 18", "age_min: -3"), "aides[0].conditions.age_min"),
        (CATALOGUE.replace("composition: avec_enfants", "composition: nombreux"), "aides[1].conditions.composition"),
        (CATALOGUE.replace("Aide cantine", "Secours d'urgence"), "nom en double"),
    ],
)
def test_import_invalide_rien_n_est_ecrit(contenu, extrait):
    org = OrganisationFactory()
    with pytest.raises(ErreurImport) as exc:
        importer_catalogue(organisation=org, contenu=contenu, format="yaml")
    assert any(extrait in e for e in exc.value.erreurs), exc.value.erreurs
    assert not AideLocale.objects.filter(organisation=org).exists()


def test_commande_import_export(tmp_path, capsys):
    org = OrganisationFactory()
    fichier = tmp_path / "aides.yaml"
    fichier.write_text(CATALOGUE, encoding="utf-8")
    call_command("droits_aides_locales", "importer", organisation=org.pk, fichier=str(fichier))
    sortie = tmp_path / "export.json"
    call_command("droits_aides_locales", "exporter", organisation=org.pk, fichier=str(sortie))
    assert len(json.loads(sortie.read_text())["aides"]) == 2


def test_commande_fraicheur(capsys):
    call_command("droits_fraicheur", date="2026-11-29")
    sortie = capsys.readouterr().out
    assert "Revenu de solidarité active" in sortie and "montant_de_base_du_rsa = 651.69 depuis le 01/04/2026" in sortie
    assert "[ANCIEN]" in sortie  # e.g. the CSS ceiling, not revalued since 2024 in OpenFisca-France


# --- admin UI permissions -------------------------------------------------------------------------------


def test_seul_un_admin_gere_les_aides(client):
    org = OrganisationFactory()
    aide = AideLocaleFactory(organisation=org)
    pro = membre(org, Role.PROFESSIONNEL)
    client.force_login(pro)
    assert client.get(reverse("droits:aides_locales")).status_code == 404
    assert client.get(reverse("droits:aide_modifier", args=[aide.pk])).status_code == 404
    assert client.post(reverse("droits:aide_supprimer", args=[aide.pk])).status_code == 404
    assert AideLocale.objects.filter(pk=aide.pk).exists()


def test_admin_d_une_autre_organisation_recoit_404(client):
    aide = AideLocaleFactory()
    client.force_login(membre(OrganisationFactory(), Role.ADMIN))
    assert client.get(reverse("droits:aides_locales")).status_code == 200
    assert client.get(reverse("droits:aide_modifier", args=[aide.pk])).status_code == 404
    assert client.get(reverse("droits:aides_exporter", args=[aide.organisation_id, "yaml"])).status_code == 404


def test_anonyme_redirige_vers_connexion(client):
    r = client.get(reverse("droits:aides_locales"))
    assert r.status_code == 302 and "/compte/" in r.url


def test_admin_cree_modifie_exporte_importe_supprime(client):
    org = OrganisationFactory()
    client.force_login(membre(org, Role.ADMIN))
    r = client.post(
        reverse("droits:aide_creer"),
        {
            "organisation": org.pk,
            "nom": "Aide énergie",
            "territoire": "commune:49007",
            "composition": "toutes",
            "periode": "annuel",
            "montant": "90",
            "comment_demander": "Demande au CCAS.",
            "active": "on",
            "statuts_logement": ["locataire"],
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    aide = AideLocale.objects.get(organisation=org, nom="Aide énergie")
    assert aide.statuts_logement == ["locataire"]
    r = client.post(
        reverse("droits:aide_modifier", args=[aide.pk]),
        {
            "organisation": org.pk,
            "nom": "Aide énergie",
            "territoire": "departement:49",
            "composition": "toutes",
            "periode": "annuel",
            "age_min": "70",
            "age_max": "60",
            "comment_demander": "Demande au CCAS.",
        },
    )
    assert r.status_code == 200 and "age_min est supérieur à age_max" in r.content.decode()
    r = client.get(reverse("droits:aides_exporter", args=[org.pk, "yaml"]))
    assert r.status_code == 200 and yaml.safe_load(r.content)["aides"][0]["nom"] == "Aide énergie"
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post(
        reverse("droits:aides_importer"),
        {"organisation": org.pk, "fichier": SimpleUploadedFile("aides.yaml", CATALOGUE.encode())},
    )
    assert r.status_code == 302
    assert AideLocale.objects.filter(organisation=org).count() == 3
    r = client.post(
        reverse("droits:aides_importer"),
        {"organisation": org.pk, "fichier": SimpleUploadedFile("aides.yaml", b"aides: [")},
        follow=True,
    )
    assert "fichier YAML mal formé" in r.content.decode() and AideLocale.objects.filter(organisation=org).count() == 3
    r = client.post(reverse("droits:aide_supprimer", args=[aide.pk]))
    assert r.status_code == 302 and not AideLocale.objects.filter(pk=aide.pk).exists()


def test_demo_idempotente():
    from repere.droits import demo
    from repere.organisations import demo as demo_orgs

    demo_orgs.charger()
    demo.charger()
    n = AideLocale.objects.filter(est_demo=True).count()
    demo.charger()
    assert n == 3 and AideLocale.objects.filter(est_demo=True).count() == n
    assert all("démo" in a.nom for a in AideLocale.objects.filter(est_demo=True))
