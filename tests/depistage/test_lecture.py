"""Reading the batch file: formats, encodings, separators, decimal comma, header problems."""

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from repere.depistage import lecture
from repere.depistage.assemblage import MenageBrut, construire_menage, grouper
from repere.depistage.colonnes import PAR_NOM, ErreurCellule, lire_cellule, reconnaitre_entetes
from tests.depistage.factories import ENTETES, ecrire_csv, enfant, personne

LIGNES = [
    personne(id_menage="A", salaire_net="1 234,56", loyer="612,5", commune="49007"),
    enfant("A", niveau_scolaire="primaire"),
    personne(id_menage="B", role="demandeur", activite="retraite", salaire_net="", retraite="980.10", commune="49092"),
]


def _menages(chemin):
    with lecture.ouvrir(chemin) as source:
        positions, inconnues, erreurs = reconnaitre_entetes(source.entetes)
        assert not erreurs
        elements = list(grouper(source.lignes(), positions))
    menages = [e for e in elements if isinstance(e, MenageBrut)]
    return source, [construire_menage(m, mois="2026-11") for m in menages]


def _verifier(resultats):
    (a, err_a), (b, err_b) = resultats
    assert err_a == [] and err_b == []
    assert a.personnes[0].revenus[0].montant_mensuel == 1234.56
    assert a.logement.loyer == 612.5
    assert a.personnes[1].role == "enfant" and a.personnes[1].date_naissance == dt.date(2017, 9, 2)
    assert b.commune == "49092" and b.personnes[0].revenus[0].montant_mensuel == 980.10


@pytest.mark.parametrize(
    ("separateur", "encodage"), [(";", "utf-8"), (",", "utf-8"), (";", "cp1252"), ("\t", "utf-8"), (";", "utf-8-sig")]
)
def test_csv_separateurs_et_encodages(tmp_path, separateur, encodage):
    lignes = [dict(LIGNES[0], statut_logement="locataire"), *LIGNES[1:]]
    chemin = ecrire_csv(tmp_path / "m.csv", lignes, separateur=separateur, encodage=encodage)
    source, resultats = _menages(chemin)
    assert source.separateur == separateur
    _verifier(resultats)


def test_csv_windows_1252_avec_accents_dans_l_entete(tmp_path):
    entetes = [
        "Identifiant ménage",
        "Rôle",
        "Date de naissance",
        "Activité",
        "Salaire net",
        "Commune",
        "Statut logement",
        "Loyer",
    ]
    texte = "\r\n".join(
        [
            ";".join(entetes),
            "A;Demandeur;14/03/1989;Salariée;1 234,56;49007;Locataire;612,5",
            "A;enfant;02/09/2017;;;;;",
            "B;demandeur;1950-01-01;retraitée;;49092;propriétaire;",
        ]
    )
    chemin = tmp_path / "excel.csv"
    chemin.write_bytes(texte.encode("cp1252"))
    with lecture.ouvrir(chemin) as source:
        assert source.encodage == "cp1252"
        positions, _inconnues, erreurs = reconnaitre_entetes(source.entetes)
        assert erreurs == []
        assert set(positions) >= {"id_menage", "role", "date_naissance", "activite", "salaire_net", "commune"}
        bruts = [e for e in grouper(source.lignes(), positions) if isinstance(e, MenageBrut)]
    a, erreurs_a = construire_menage(bruts[0], mois="2026-11")
    assert erreurs_a == [] and a.personnes[0].activite == "salarie"
    assert a.personnes[0].revenus[0].montant_mensuel == 1234.56


def test_xlsx_avec_dates_et_nombres_natifs(tmp_path):
    classeur = Workbook()
    feuille = classeur.active
    feuille.append(ENTETES)
    for ligne in LIGNES:
        valeurs = dict(ligne)
        if valeurs.get("date_naissance"):
            jour, mois, annee = (int(x) for x in valeurs["date_naissance"].split("/"))
            valeurs["date_naissance"] = dt.datetime(annee, mois, jour)
        feuille.append([valeurs.get(c) for c in ENTETES])
    feuille["Q2"] = None
    chemin = tmp_path / "m.xlsx"
    classeur.save(chemin)
    source, resultats = _menages(chemin)
    assert source.format == "xlsx"
    _verifier(resultats)


def test_xlsx_nombre_natif(tmp_path):
    classeur = Workbook()
    feuille = classeur.active
    feuille.append(["id_menage", "role", "age", "commune", "statut_logement", "loyer", "salaire_net"])
    feuille.append(["A", "demandeur", 40, 49007, "locataire", 612.5, 1234.56])
    chemin = tmp_path / "m.xlsx"
    classeur.save(chemin)
    _source, [(m, erreurs)] = _menages(chemin)
    assert erreurs == []
    assert m.logement.loyer == 612.5 and m.personnes[0].age == 40


def test_parquet_types_natifs(tmp_path):
    table = pa.table(
        {
            "id_menage": ["A", "A", "B"],
            "role": ["demandeur", "enfant", "demandeur"],
            "date_naissance": pa.array([dt.date(1989, 3, 14), dt.date(2017, 9, 2), dt.date(1950, 1, 1)]),
            "activite": ["salarie", None, "retraite"],
            "niveau_scolaire": [None, "primaire", None],
            "salaire_net": [1234.56, None, None],
            "retraite": [None, None, 980.10],
            "commune": ["49007", None, "49092"],
            "statut_logement": ["locataire", None, "proprietaire"],
            "loyer": [612.5, None, None],
            "logement_social": [True, None, False],
        }
    )
    chemin = tmp_path / "m.parquet"
    pq.write_table(table, chemin)
    source, resultats = _menages(chemin)
    assert source.format == "parquet"
    _verifier(resultats)
    assert resultats[0][0].logement.logement_social is True


@pytest.mark.parametrize(
    ("nom", "contenu", "attendu"),
    [
        ("vide.csv", b"", "Le fichier est vide."),
        ("blanc.csv", b"\n\n", "première ligne"),
        ("vieux.xls", b"x", ".xls"),
        ("image.png", b"x", "Format de fichier non reconnu"),
        ("faux.xlsx", b"pas un zip", "classeur .xlsx"),
        ("faux.parquet", b"pas du parquet", "Parquet"),
        ("sans-separateur.csv", b"colonne\nvaleur\n", "séparateur"),
    ],
)
def test_fichiers_illisibles(tmp_path, nom, contenu, attendu):
    chemin = tmp_path / nom
    chemin.write_bytes(contenu)
    with pytest.raises(lecture.ErreurFichier, match=attendu), lecture.ouvrir(chemin) as source:
        list(source.lignes())


def test_ligne_dans_un_autre_encodage_signalee_avec_son_numero(tmp_path):
    texte = "id_menage;role;age;commune;statut_logement\nC;demandeur;40;49007;propriétaire\n"
    texte += "A;demandeur;40;49007;proprietaire\n" * 5000
    chemin = tmp_path / "mixte.csv"
    chemin.write_bytes(texte.encode() + "B;demandeur;40;49007;propriétaire\n".encode("cp1252"))
    with lecture.ouvrir(chemin) as source:
        lignes = list(source.lignes())
    assert lignes[-1] == (5003, None) and len(lignes) == 5002


def test_utf16_refuse(tmp_path):
    chemin = tmp_path / "unicode.csv"
    chemin.write_bytes("id_menage;role\nA;demandeur\n".encode("utf-16"))
    with pytest.raises(lecture.ErreurFichier, match="UTF-16"), lecture.ouvrir(chemin):
        pass


def test_entetes_manquants_et_doublons():
    _positions, inconnues, erreurs = reconnaitre_entetes(["id_menage", "nom", "rôle", "ROLE", "commune"])
    assert inconnues == ["nom"]
    assert any("apparaît deux fois" in e for e in erreurs)
    assert any("statut_logement" in e for e in erreurs)
    assert any("date_naissance ou age" in e for e in erreurs)


@pytest.mark.parametrize(
    ("colonne", "texte", "attendu"),
    [
        ("loyer", "1 234,56 €", 1234.56),
        ("loyer", "1.234,56", 1234.56),
        ("loyer", "612.5", 612.5),
        ("loyer", "", 0.0),
        ("colocation", "Oui", True),
        ("colocation", "x", True),
        ("colocation", "NON", False),
        ("commune", "1053", "01053"),
        ("commune", "2a004", "2A004"),
        ("role", "Allocataire", "demandeur"),
        ("date_naissance", "2017-09-02", dt.date(2017, 9, 2)),
        ("date_naissance", "2/9/2017", dt.date(2017, 9, 2)),
    ],
)
def test_cellules(colonne, texte, attendu):
    assert lire_cellule(PAR_NOM[colonne], texte) == attendu


@pytest.mark.parametrize(
    ("colonne", "texte", "message"),
    [
        ("loyer", "six cents", "n'est pas un montant"),
        ("loyer", "-5", "négatif"),
        ("loyer", "99999", "invraisemblable"),
        ("taux_incapacite", "80,5", "entier"),
        ("taux_incapacite", "120", "hors des limites"),
        ("colocation", "peut-être", "oui ou non"),
        ("date_naissance", "31/02/2000", "n'est pas une date qui existe"),
        ("date_naissance", "01/01/2099", "dans le futur"),
        ("date_naissance", "hier", "JJ/MM/AAAA"),
        ("commune", "49000 Angers", "code INSEE"),
        ("role", "chef", "valeurs possibles"),
    ],
)
def test_cellules_invalides(colonne, texte, message):
    with pytest.raises(ErreurCellule, match=message):
        lire_cellule(PAR_NOM[colonne], texte)


def test_windows_1252_detecte_meme_loin_dans_le_fichier(tmp_path):
    debut = ("id_menage;role;age;commune;statut_logement\n" + "A;demandeur;40;49007;proprietaire\n" * 5000).encode()
    chemin = tmp_path / "excel.csv"
    chemin.write_bytes(debut + "B;demandeur;40;49007;propriétaire\n".encode("cp1252"))
    with lecture.ouvrir(chemin) as source:
        assert source.encodage == "cp1252"
        assert list(source.lignes())[-1] == (5002, ["B", "demandeur", "40", "49007", "propriétaire"])


def test_deja_vus_compact():
    from repere.depistage.assemblage import DejaVus

    vus = DejaVus()
    vus.RECENTS_MAX = 10
    for i in range(35):
        vus.ajouter(f"M{i}")
    assert all(f"M{i}" in vus for i in range(35))
    assert "M35" not in vus and "autre" not in vus
    assert len(vus._anciens) == 30 and len(vus._recents) == 5


def test_fusion_de_nombreux_lots(tmp_path, monkeypatch):
    import pyarrow as pa

    from repere.depistage import sortie
    from repere.depistage.calcul import trier

    monkeypatch.setattr(sortie, "LIGNES_EN_FUSION", 400)
    monkeypatch.setattr(sortie, "LIGNES_PAR_GROUPE", 100)  # blocks of 100 rows: smaller than the parts
    monkeypatch.setattr(sortie, "LIGNES_EN_SORTIE", 250)
    parts = []
    for lot in range(50):
        lignes = [
            (f"L{lot}-{k}", "49007", 1, float((lot * 7 + k * 13) % 97), 0, "") + (None,) * (len(sortie.SCHEMA_PART) - 6)
            for k in range(300)
        ]
        colonnes = [list(c) for c in zip(*lignes, strict=True)]
        table = pa.Table.from_arrays(
            [pa.array(c, type=ch.type) for c, ch in zip(colonnes, sortie.SCHEMA_PART, strict=True)],
            schema=sortie.SCHEMA_PART,
        )
        chemin = tmp_path / f"p{lot}.arrow"
        sortie.ecrire_part(chemin, trier(table))
        parts.append((lot, chemin))
    fusion = [r for bloc in sortie.fusionner_tables(parts) for r in zip(*bloc.to_pydict().values(), strict=True)]
    assert len(fusion) == 15_000 and len({r[0] for r in fusion}) == 15_000
    # equal priorities: by chunk, then by position in the chunk (the order of the file)
    cles = [(-r[3], int(r[0].split("-")[0][1:]), int(r[0].split("-")[1])) for r in fusion]
    assert cles == sorted(cles)
    priorites = [r[3] for r in fusion]
    assert priorites == sorted(priorites, reverse=True)
