"""The screening run: results, ranking, output formats, rejected lines, report, no partial output."""

import csv
import re

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from repere.depistage import execution, generateur
from repere.depistage.execution import ErreurDepistage, Options, depister
from repere.depistage.sortie import COLONNES_RESULTAT
from tests.depistage.factories import ecrire_csv, enfant, personne

pytestmark = pytest.mark.django_db


def _lire_csv(chemin):
    with open(chemin, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def test_depistage_complet_avec_lignes_rejetees(tmp_path):
    lignes = [
        personne(id_menage="PARENT", salaire_net="1000", loyer="600"),
        enfant("PARENT", niveau_scolaire="primaire"),
        enfant("PARENT", date_naissance="20/01/2022", niveau_scolaire="maternelle"),
        personne(id_menage="RICHE", salaire_net="6000", statut_logement="proprietaire", loyer=""),
        personne(id_menage="MAUVAIS", loyer="abc"),
        personne(id_menage="", loyer="500"),
        personne(id_menage="PERCOIT", salaire_net="", activite="autre", percu_rsa="600", percu_aide_logement="300"),
    ]
    entree = ecrire_csv(tmp_path / "m.csv", lignes)
    sortie = tmp_path / "resultats.csv"
    rapport = tmp_path / "rapport.html"
    bilan = depister(
        entree=entree,
        sortie_chemin=sortie,
        rapport=rapport,
        options=Options(mois="2026-11", taille_lot=2),
        noms_communes=lambda codes: {"49007": "Angers"},
    )
    assert (bilan.menages_total, bilan.menages_calcules, bilan.menages_rejetes) == (4, 3, 1)
    assert bilan.lignes_rejetees == 2 and bilan.lots == 2
    resultats = _lire_csv(sortie)
    assert list(resultats[0]) == list(COLONNES_RESULTAT)
    assert [r["rang"] for r in resultats] == ["1", "2", "3"]
    priorites = [float(r["priorite_mensuelle"].replace(",", ".")) for r in resultats]
    assert priorites == sorted(priorites, reverse=True)
    parent = next(r for r in resultats if r["id_menage"] == "PARENT")
    assert parent["ppa_non_recours"] == "oui" and "Prime d'activité : à demander" in parent["motifs"].split(" / ")
    assert float(parent["ppa_estime"].replace(",", ".")) > 0
    assert parent["nb_personnes"] == "3" and parent["commune"] == "49007"
    percoit = next(r for r in resultats if r["id_menage"] == "PERCOIT")
    assert percoit["rsa_percu"] == "600,00" and percoit["rsa_non_recours"] == "non"
    assert percoit["aide_logement_percu"] == "300,00"
    assert "Revenu de solidarité active (RSA) : à demander" not in percoit["motifs"]
    assert "_" not in percoit["motifs"] + parent["motifs"]  # words, not codes
    rejetees = _lire_csv(tmp_path / "resultats-lignes-rejetees.csv")
    assert [(r["ligne"], r["colonne"]) for r in rejetees] == [("6", "loyer"), ("7", "id_menage")]
    html = rapport.read_text(encoding="utf-8")
    assert (
        "<td class='n'>" in html
        and "Angers</th>" in html
        and "(49007)" not in html
        and '<figure class="barres">' in html
        and "Prime d&#x27;activité" in html
    )
    assert "PARENT" not in html  # aggregates only
    assert not (tmp_path / ".resultats.csv.travail").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("format", ["xlsx", "parquet"])
def test_formats_de_sortie(tmp_path, format):
    entree = tmp_path / "m.csv"
    generateur.ecrire_csv(entree, 12, graine=3)
    sortie = tmp_path / f"r.{format}"
    bilan = depister(entree=entree, sortie_chemin=sortie, options=Options(mois="2026-11", taille_lot=5))
    assert bilan.menages_calcules == 12
    if format == "xlsx":
        classeur = load_workbook(sortie, read_only=True)
        lignes = list(classeur.worksheets[0].iter_rows(values_only=True))
        classeur.close()  # read-only workbooks keep the file open until closed
        assert list(lignes[0]) == list(COLONNES_RESULTAT) and len(lignes) == 13
        priorites = [ligne[4] for ligne in lignes[1:]]
    else:
        table = pq.read_table(sortie)
        assert table.num_rows == 12 and table.column_names == list(COLONNES_RESULTAT)
        priorites = table.column("priorite_mensuelle").to_pylist()
    assert priorites == sorted(priorites, reverse=True)


def test_options_invalides(tmp_path):
    entree = ecrire_csv(tmp_path / "m.csv", [personne()])
    with pytest.raises(ValueError, match="Format de sortie"):
        depister(entree=entree, sortie_chemin=tmp_path / "r.pdf")
    with pytest.raises(ErreurDepistage, match="Prestation inconnue : rsa_jeune"):
        depister(entree=entree, sortie_chemin=tmp_path / "r.csv", options=Options(prestations=("rsa_jeune",)))


def test_une_erreur_au_milieu_ne_laisse_aucun_resultat(tmp_path, monkeypatch):
    entree = tmp_path / "m.csv"
    generateur.ecrire_csv(entree, 30, graine=5)
    sortie = tmp_path / "r.csv"
    appels = []
    vrai = execution.enregistrer_lot

    def panne(travail, etat, lot):
        appels.append(lot.index)
        if len(appels) == 3:
            raise RuntimeError("machine arrêtée")
        vrai(travail, etat, lot)

    monkeypatch.setattr(execution, "enregistrer_lot", panne)
    options = Options(mois="2026-11", taille_lot=5)
    with pytest.raises(RuntimeError):
        depister(entree=entree, sortie_chemin=sortie, options=options)
    assert not sortie.exists()
    assert not any(p.suffix == ".partiel" for p in tmp_path.rglob("*"))
    monkeypatch.setattr(execution, "enregistrer_lot", vrai)

    # Resume: the 2 chunks recorded are not recomputed; the output equals an uninterrupted run.
    calcules = []
    vrai_traiter = execution.traiter_partition  # each partition is read and computed by the computing process

    def compter(partition, *args, **kwargs):
        calcules.append(partition.index)
        return vrai_traiter(partition, *args, **kwargs)

    monkeypatch.setattr(execution, "traiter_partition", compter)
    bilan = depister(entree=entree, sortie_chemin=sortie, options=Options(mois="2026-11", taille_lot=5, reprendre=True))
    assert bilan.lots_repris == 2 and sorted(calcules) == [2, 3, 4, 5]
    reference = tmp_path / "reference.csv"
    depister(entree=entree, sortie_chemin=reference, options=Options(mois="2026-11", taille_lot=5))
    assert sortie.read_bytes() == reference.read_bytes()
    ids = [r["id_menage"] for r in _lire_csv(sortie)]
    assert len(ids) == len(set(ids)) == 30


def test_reprise_refusee_si_le_fichier_a_change(tmp_path, monkeypatch):
    entree = tmp_path / "m.csv"
    generateur.ecrire_csv(entree, 10, graine=5)
    options = Options(mois="2026-11", taille_lot=5, garder_travail=True)
    depister(entree=entree, sortie_chemin=tmp_path / "r.csv", options=options)
    generateur.ecrire_csv(entree, 11, graine=6)
    with pytest.raises(ErreurDepistage, match="le fichier ou les options ont changé"):
        depister(
            entree=entree,
            sortie_chemin=tmp_path / "r.csv",
            options=Options(mois="2026-11", taille_lot=5, reprendre=True),
        )


def test_un_menage_que_le_moteur_ne_sait_pas_calculer_n_arrete_pas_le_fichier(tmp_path, monkeypatch):
    from repere.droits import lot

    vrai = lot.simuler_lot_tableaux

    def capricieux(menages, **kwargs):
        if any(m.logement.loyer == 777 for m in menages):
            raise ZeroDivisionError("cas limite du moteur")
        return vrai(menages, **kwargs)

    monkeypatch.setattr(lot, "simuler_lot_tableaux", capricieux)
    lignes = [personne(id_menage="A"), personne(id_menage="B", loyer="777"), personne(id_menage="C")]
    entree = ecrire_csv(tmp_path / "m.csv", lignes)
    bilan = depister(entree=entree, sortie_chemin=tmp_path / "r.csv", options=Options(mois="2026-11"))
    assert bilan.menages_calcules == 2 and bilan.menages_rejetes == 1
    rejetees = _lire_csv(tmp_path / "r-lignes-rejetees.csv")
    assert rejetees[0]["ligne"] == "3" and "ZeroDivisionError" in rejetees[0]["probleme"]
    assert {r["id_menage"] for r in _lire_csv(tmp_path / "r.csv")} == {"A", "C"}


def test_ligne_dans_un_autre_encodage_rejetee_seule(tmp_path):
    texte = "id_menage;role;age;commune;statut_logement\nA;demandeur;40;49007;propriétaire\n"
    entree = tmp_path / "m.csv"
    entree.write_bytes(
        texte.encode() + "B;demandeur;40;49007;propriétaire\n".encode("cp1252") + b"C;demandeur;50;49007;proprietaire\n"
    )
    bilan = depister(entree=entree, sortie_chemin=tmp_path / "r.csv", options=Options(mois="2026-11"))
    assert bilan.menages_calcules == 2
    rejetees = _lire_csv(tmp_path / "r-lignes-rejetees.csv")
    assert [(r["ligne"], r["probleme"][:21]) for r in rejetees] == [("3", "caractères illisibles")]


def test_ordonnanceur_dask_injoignable(tmp_path, monkeypatch):
    monkeypatch.setattr(execution, "DELAI_CONNEXION_DASK", "2s")
    entree = ecrire_csv(tmp_path / "m.csv", [personne()])
    with pytest.raises(ErreurDepistage, match="Impossible de joindre l'ordonnanceur Dask") as erreur:
        depister(entree=entree, sortie_chemin=tmp_path / "r.csv", options=Options(dask="tcp://127.0.0.1:1"))
    assert "Timed out" not in str(erreur.value) and "after" not in str(erreur.value)  # no English inside


def test_fichier_introuvable(tmp_path):
    from django.core.management import CommandError, call_command

    from repere.depistage.lecture import ErreurFichier

    with pytest.raises(ErreurFichier, match="Fichier introuvable : absent.csv"):
        depister(entree=tmp_path / "absent.csv", sortie_chemin=tmp_path / "r.csv")
    with pytest.raises(CommandError, match="Fichier introuvable : absent.csv"):
        call_command("depister", str(tmp_path / "absent.csv"), "--sortie", str(tmp_path / "r.csv"), "--sans-barre")
    assert not (tmp_path / "r.csv").exists()


def test_rapport_honnete_quand_les_colonnes_percu_sont_vides(tmp_path):
    """« 1 748 foyers sur 2 000 en non-recours » on a file that says nothing of what is received is false:
    the report says that non-take-up cannot be told and shows estimated rights instead."""
    lignes = [personne(id_menage=f"M{i}", salaire_net="900", loyer="550") for i in range(4)]
    entree = ecrire_csv(tmp_path / "m.csv", lignes)
    rapport = tmp_path / "rapport.html"
    bilan = depister(
        entree=entree,
        sortie_chemin=tmp_path / "r.csv",
        rapport=rapport,
        options=Options(mois="2026-11"),
        noms_communes=lambda codes: {"49007": "Angers"},
    )
    assert bilan.menages_droit == 4 and bilan.menages_percu == 0
    html = rapport.read_text(encoding="utf-8")
    assert "Le non-recours ne peut pas être mesuré avec ce fichier." in html
    assert "avec un droit estimé" in html and "en non-recours probable (au moins" not in html
    assert "Montant mensuel des droits estimés" in html


def test_noms_actuels_des_communes():
    from repere.depistage.selectors import noms_communes

    assert noms_communes(["49092", "49244", "49007"]) == {
        "49092": "Chemillé-en-Anjou",
        "49244": "Mauges-sur-Loire",
        "49007": "Angers",
    }


def test_progression_lot_par_lot_sur_un_petit_fichier():
    from repere.depistage.execution import TAILLE_LOT_DEFAUT, taille_lot_effective

    assert taille_lot_effective(Options(lots_minimum=20), 2_000) == 100  # 20 steps instead of 0 % → done
    assert (
        taille_lot_effective(Options(lots_minimum=20), 200_000) == 10_000
    )  # 200,000 / 20 steps, below the default chunk size
    assert taille_lot_effective(Options(lots_minimum=20), 300) == 100
    assert taille_lot_effective(Options(), 2_000) == TAILLE_LOT_DEFAUT


def test_le_rapport_additionne_par_lot_est_celui_de_toutes_les_lignes(tmp_path):
    """Each chunk's figures are computed where the chunk is and added up in the chunks' order: the report of a
    file cut into many chunks is the one computed on all its output rows at once, and the same in one chunk."""
    from repere.depistage.rapport import Synthese
    from repere.depistage.sortie import CODES

    entree = tmp_path / "m.csv"
    generateur.ecrire_csv(entree, 120, graine=11)
    rapports, bilans = {}, {}
    for taille in (7, 1000):
        sortie = tmp_path / f"r{taille}.parquet"
        rapports[taille] = tmp_path / f"rapport{taille}.html"
        bilans[taille] = depister(
            entree=entree,
            sortie_chemin=sortie,
            rapport=rapports[taille],
            options=Options(mois="2026-11", taille_lot=taille),
        )
    assert bilans[7].lots == 18 and bilans[1000].lots == 1
    toutes = Synthese(codes=CODES)
    toutes.ajouter_table(pq.read_table(tmp_path / "r7.parquet"))
    assert bilans[7].non_recours == toutes.menages_non_recours > 0
    assert bilans[7].menages_droit == toutes.menages_droit
    assert bilans[7].montant_mensuel_en_jeu == pytest.approx(round(toutes.montant_total, 2))
    texte = {t: r.read_text(encoding="utf-8") for t, r in rapports.items()}
    # the same figures, whatever the chunking (the date and duration lines aside)
    garder = lambda html: [ligne for ligne in html.splitlines() if "durée" not in ligne.lower() and " s<" not in ligne]  # noqa: E731
    assert garder(texte[7]) == garder(texte[1000])


@pytest.mark.parametrize(
    ("options", "attendu"),
    [
        (["--mois", "2026-13"], "Mois simulé « 2026-13 » : indiquez le mois au format AAAA-MM, par exemple 2026-11."),
        (["--mois", "2026/03"], "Mois simulé « 2026/03 » : indiquez le mois au format AAAA-MM"),
        (["--mois", "abc"], "Mois simulé « abc » : indiquez le mois au format AAAA-MM"),
        (["--mois", "1850-01"], "Mois simulé « 1850-01 » : il doit être compris entre"),
        (["--processus", "-1"], "Nombre de processus « -1 » : 0 (un par cœur) ou plus."),
    ],
)
def test_options_invalides_refusees_avant_tout_calcul(tmp_path, options, attendu):
    """A bad option is refused up front in French, naming the value (not an English Python error, nor the same
    problem reported on every line of the file), and nothing is written."""
    from django.core.management import CommandError, call_command

    entree = tmp_path / "m.csv"
    generateur.ecrire_csv(entree, 3, graine=1)
    with pytest.raises(CommandError) as exc:
        call_command("depister", str(entree), "--sortie", str(tmp_path / "r.csv"), "--sans-barre", *options)
    assert attendu in str(exc.value)
    assert str(exc.value).endswith("Aucun résultat n'a été écrit.")
    assert not (tmp_path / "r.csv").exists()


def test_un_dossier_n_est_pas_un_fichier_de_menages(tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="« donnees » est un dossier, pas un fichier de ménages. Aucun résultat"):
        (tmp_path / "donnees").mkdir()
        call_command("depister", str(tmp_path / "donnees"), "--sortie", str(tmp_path / "r.csv"), "--sans-barre")


def test_resume_de_la_commande_en_francais(tmp_path, capsys):
    """The summary of the command: French decimals, singular for one, thousands with a space."""
    from django.core.management import call_command

    entree = tmp_path / "m.csv"
    ecrire_csv(entree, [personne(id_menage="SEUL", salaire_net="900", loyer="500")])
    call_command("depister", str(entree), "--sortie", str(tmp_path / "r.csv"), "--sans-barre", "--mois", "2026-11")
    sortie = capsys.readouterr().out
    assert "1\u00a0ménage calculé sur 1 en " in sortie
    assert re.search(r"en \d+,\d s \(", sortie), sortie


def test_le_repertoire_de_travail_n_est_lisible_que_par_son_proprietaire(tmp_path):
    """The working directory holds personal data (each chunk's rows): only its owner may read it."""
    import stat

    entree = tmp_path / "m.csv"
    generateur.ecrire_csv(entree, 5, graine=2)
    depister(entree=entree, sortie_chemin=tmp_path / "r.csv", options=Options(mois="2026-11", garder_travail=True))
    (travail,) = tmp_path.glob(".r.csv.travail")
    assert stat.S_IMODE(travail.stat().st_mode) == 0o700


def test_les_montants_par_prestation_font_le_total_du_rapport(tmp_path):
    """True as a whole: the report's amounts per benefit add up to its headline total (the sum of the households'
    priorities), partial gaps included — the model file's EX-003 receives 11 € less housing aid than estimated."""
    from pathlib import Path

    from repere.depistage.rapport import Synthese
    from repere.depistage.sortie import CODES

    modele = Path(__file__).resolve().parents[2] / "docs" / "depistage-modele.csv"
    depister(entree=modele, sortie_chemin=tmp_path / "r.parquet", options=Options(mois="2026-11"))
    s = Synthese(codes=CODES)
    s.ajouter_table(pq.read_table(tmp_path / "r.parquet"))
    assert s.montant_total > 0
    assert sum(v[2] for v in s.par_prestation.values()) == pytest.approx(s.montant_total)


def test_une_erreur_d_ecriture_pendant_la_fusion_ne_laisse_aucun_resultat(tmp_path, monkeypatch):
    """The merged blocks are written in a second thread: an error there (disk full) still stops the run, and no
    result file, complete or partial, is left."""
    from repere.depistage import sortie

    entree = tmp_path / "m.csv"
    generateur.ecrire_csv(entree, 60, graine=4)
    monkeypatch.setattr(sortie, "LIGNES_EN_SORTIE", 10)  # several blocks
    ecrire = sortie.EcrivainCSV.ecrire_table
    appels = []

    def disque_plein(self, table):
        appels.append(table.num_rows)
        if len(appels) == 2:
            raise OSError(28, "No space left on device")
        return ecrire(self, table)

    monkeypatch.setattr(sortie.EcrivainCSV, "ecrire_table", disque_plein)
    with pytest.raises(OSError):
        depister(entree=entree, sortie_chemin=tmp_path / "r.csv", options=Options(mois="2026-11", taille_lot=7))
    assert len(appels) == 2
    assert not (tmp_path / "r.csv").exists()
    assert not any(p.name.endswith(".partiel") for p in tmp_path.iterdir())


@pytest.mark.parametrize("lecture_par_lignes", [False, True])
def test_virgule_decimale_non_protegee_dans_un_fichier_a_virgules(tmp_path, lecture_par_lignes):
    """A comma-separated file whose amounts keep their decimal comma unquoted: the line has more cells than the
    header. It is reported as such on its line (not as shifted values named wrongly), its household is not
    computed, the others are; with no household computed at all, the report says so (not « perçu vides »)."""
    entetes = ["id_menage", "role", "date_naissance", "commune", "statut_logement", "loyer", "salaire_net"]
    texte = "\n".join(
        [
            ",".join(entetes),
            "A,demandeur,14/03/1989,49007,locataire,600,1000",
            "B,demandeur,14/03/1989,49007,locataire,532,81,1000",  # 532,81 unquoted: 8 cells for 7 columns
            "B,enfant,02/09/2017,,,,",
            'C,demandeur,14/03/1989,49007,locataire,"450,50",900',  # quoted: fine
        ]
    )
    entree = tmp_path / "virgules.csv"
    entree.write_text(texte + "\n", encoding="utf-8")
    bilan = depister(
        entree=entree,
        sortie_chemin=tmp_path / "r.csv",
        rapport=tmp_path / "r.html",
        options=Options(mois="2026-11", lecture_par_lignes=lecture_par_lignes),
    )
    assert (bilan.menages_total, bilan.menages_calcules, bilan.menages_rejetes) == (3, 2, 1)
    rejetees = _lire_csv(tmp_path / "r-lignes-rejetees.csv")
    assert [(r["ligne"], r["colonne"]) for r in rejetees] == [("3", "")]
    assert "8 cellules pour 7 colonnes" in rejetees[0]["probleme"] and "guillemets" in rejetees[0]["probleme"]
    seul_b = tmp_path / "b.csv"
    seul_b.write_text("\n".join([texte.split("\n")[0], *texte.split("\n")[2:4]]) + "\n", encoding="utf-8")
    depister(
        entree=seul_b, sortie_chemin=tmp_path / "b-r.csv", rapport=tmp_path / "b.html", options=Options(mois="2026-11")
    )
    html = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert "Aucun ménage n'a pu être calculé" in html and "vides ou presque" not in html
