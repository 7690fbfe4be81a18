"""Checking a file without computing: every problem with its line and column, in French."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from repere.depistage.verification import verifier
from tests.depistage.factories import ecrire_csv, enfant, personne

pytestmark = pytest.mark.django_db


def _problemes(tmp_path, lignes, **kw):
    chemin = ecrire_csv(tmp_path / "m.csv", lignes, **kw)
    vus = []
    resultat = verifier(chemin, mois="2026-11", signaler=vus.append)
    return resultat, [(a.ligne, a.colonne, a.message) for a in vus]


def test_fichier_valide(tmp_path):
    resultat, problemes = _problemes(tmp_path, [personne(), enfant(), personne(id_menage="M2")])
    assert problemes == []
    assert (resultat.lignes, resultat.menages, resultat.menages_valides) == (3, 2, 2)


def test_chaque_probleme_avec_sa_ligne_et_sa_colonne(tmp_path):
    lignes = [
        personne(id_menage="OK"),  # line 2
        personne(id_menage=""),  # 3: missing household id
        personne(id_menage="SANS", role="enfant"),  # 4: household without demandeur
        personne(id_menage="COM", commune="99999"),  # 5: unknown commune
        personne(id_menage="NUM", loyer="six cents"),  # 6: non-numeric amount
        personne(id_menage="FUT", date_naissance="01/01/2090"),  # 7: future date
        personne(id_menage="DBL"),  # 8
        enfant("DBL"),  # 9
        enfant("DBL"),  # 10: duplicate person line
        personne(id_menage="OK", role="conjoint"),  # 11: household OK seen again further down
        personne(id_menage="DEUX"),  # 12
        personne(id_menage="DEUX", salaire_net="10"),  # 13: two demandeurs
        personne(id_menage="AGE", date_naissance="", age=""),  # 14: neither age nor birth date
        personne(id_menage="LOG", statut_logement="heberge_gratuitement", loyer="300"),  # 15: model rule
    ]
    resultat, problemes = _problemes(tmp_path, lignes)
    attendus = {
        (3, "id_menage"): "identifiant de ménage manquant",
        (4, "role"): "n'a pas de demandeur",
        (5, "commune"): "commune inconnue",
        (6, "loyer"): "n'est pas un montant",
        (7, "date_naissance"): "dans le futur",
        (10, ""): "ligne en double",
        (11, "id_menage"): "doivent se suivre",
        (13, "role"): "deux demandeurs",
        (14, "date_naissance"): "date de naissance ou l'âge",
        (15, "loyer"): "hébergée gratuitement",
    }
    for (ligne, colonne), morceau in attendus.items():
        assert any(p[0] == ligne and p[1] == colonne and morceau in p[2] for p in problemes), (
            ligne,
            colonne,
            problemes,
        )
    assert resultat.menages_valides == 1  # only OK
    assert not any(p[0] in (2, 8, 9) for p in problemes)
    assert [p[0] for p in problemes] == sorted(p[0] for p in problemes)  # in line order, as a reader goes down


def test_jumeaux_distingues_par_id_personne(tmp_path):
    lignes = [personne(id_personne="1"), enfant(id_personne="2"), enfant(id_personne="3")]
    _resultat, problemes = _problemes(tmp_path, lignes)
    assert problemes == []
    lignes = [personne(id_personne="1"), enfant(id_personne="2"), enfant(id_personne="2", date_naissance="01/01/2015")]
    _resultat, problemes = _problemes(tmp_path, lignes)
    assert problemes == [(4, "id_personne", "personne en double : même id_personne qu'à la ligne 3")]


def test_donnee_du_menage_contradictoire(tmp_path):
    _resultat, problemes = _problemes(tmp_path, [personne(), enfant(commune="49092")])
    assert problemes[0][:2] == (3, "commune") and "diffère" in problemes[0][2]


def test_commande_verifier_fichier(tmp_path, capsys):
    chemin = ecrire_csv(tmp_path / "m.csv", [personne(), personne(id_menage="X", loyer="abc")])
    with pytest.raises(SystemExit) as sortie:
        call_command("verifier_fichier", str(chemin), "--mois", "2026-11")
    assert sortie.value.code == 3
    capture = capsys.readouterr()
    assert "Ligne 3, colonne « loyer » (ménage X) : « abc » n'est pas un montant" in capture.out
    assert "1\u00a0ménage valide, 1 à corriger" in capture.err  # singular for one (was « 1 ménages valides »)


def test_commande_verifier_fichier_valide(tmp_path, capsys):
    chemin = ecrire_csv(tmp_path / "m.csv", [personne(), enfant()])
    call_command("verifier_fichier", str(chemin))
    assert "Le fichier est prêt pour le dépistage" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (b"", "Le fichier est vide."),
        (b"id_menage;role;age;commune;statut_logement\n", "aucun ménage"),
        (b"nom;prenom\nDupont;Jean\n", "colonnes obligatoires absentes : id_menage, role, commune, statut_logement"),
    ],
)
def test_commande_fichier_illisible(tmp_path, contenu, message):
    chemin = tmp_path / "m.csv"
    chemin.write_bytes(contenu)
    with pytest.raises(CommandError, match=message):
        call_command("verifier_fichier", str(chemin))


def test_probleme_du_modele_sur_la_ligne_et_la_colonne_de_la_personne_avec_sa_valeur(tmp_path):
    """A rule of the whole household (a person born after the simulated month) is reported on that person's line
    and column, with the cell's value and the month in words: no internal name (« requête », « personnes[1] »)."""
    lignes = [personne(id_menage="M"), enfant("M"), enfant("M", date_naissance="01/12/2026")]
    _resultat, problemes = _problemes(tmp_path, lignes)
    assert problemes == [
        (
            4,
            "date_naissance",
            "« 01/12/2026 » : la personne n'est pas encore née en novembre 2026, le mois simulé",
        )
    ]


def test_une_cellule_illisible_n_entraine_pas_un_second_message(tmp_path):
    lignes = [
        personne(id_menage="D", date_naissance="31/02/1990", age=""),
        personne(id_menage="A", date_naissance="", age="150"),
    ]
    _resultat, problemes = _problemes(tmp_path, lignes)
    assert [(p[0], p[1]) for p in problemes] == [(2, "date_naissance"), (3, "age")]
    assert "« 150 » est hors des limites" in problemes[1][2]
