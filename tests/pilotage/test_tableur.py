import pytest

from repere.pilotage import tableur
from repere.pilotage.models import Action, LigneBudget
from repere.utils.tableurs import csv_texte, xlsx_octets
from tests.pilotage.factories import action, axe, plan

pytestmark = pytest.mark.django_db

ENTETES = [
    "Titre",
    "Axe",
    "Mesures nationales",
    "Territoire (code INSEE ou SIREN)",
    "Statut",
    "Date de début",
    "Date de fin prévue",
]


def _csv(lignes):
    return csv_texte([("Actions", ENTETES, lignes)]).encode("utf-8")


def test_import_csv_cree_les_actions():
    p = plan()
    axe(p)
    r = tableur.importer_actions(
        plan=p,
        contenu=_csv([["Maraudes", "Axe 3", "3-AN1", "49092", "En cours", "01/02/2025", "31/12/2026"]]),
        nom_fichier="a.csv",
        par=None,
    )
    assert r.creees == 1
    a = Action.objects.get()
    assert a.territoire.nom == "Chemillé-en-Anjou" and a.statut == "en_cours" and a.axe.titre == "Axe 3"
    assert [m.code for m in a.mesures.all()] == ["3-AN1"]


def test_une_erreur_nomme_ligne_et_colonne_et_rien_n_est_ecrit():
    p = plan()
    contenu = _csv(
        [
            ["Bonne", "", "", "", "", "", ""],
            ["Territoire faux", "", "", "99999", "", "", ""],
            ["Mesure fausse", "", "9-ZZ", "", "", "", ""],
            ["Dates", "", "", "", "", "01/03/2025", "01/01/2025"],
            ["Statut", "", "", "", "Fini", "", ""],
        ]
    )
    with pytest.raises(tableur.ImportInvalide) as e:
        tableur.importer_actions(plan=p, contenu=contenu, nom_fichier="a.csv", par=None)
    texte = "\n".join(e.value.erreurs)
    assert "Ligne 3, colonne « Territoire (code INSEE ou SIREN) » : territoire inconnu « 99999 »" in texte
    assert "Ligne 4, colonne « Mesures nationales » : mesure inconnue « 9-ZZ »" in texte
    assert "Ligne 5, colonne « Date de fin prévue »" in texte
    assert "Ligne 6, colonne « Statut » : valeur inconnue « Fini »" in texte
    assert not Action.objects.exists()


def test_export_puis_reimport_xlsx_ne_change_rien_et_porte_le_budget():
    from repere.pilotage import services

    p = plan()
    ax = axe(p)
    a = action(p, titre="=SOMME(A1)", axe=ax, pilotes="X")
    services.enregistrer_ligne_budget(
        action=a, par=None, annee=2025, type="fonctionnement", financeur_nom="CAF", prevu=10, engage=5, paye=1
    )
    tableaux = tableur.tableaux_export(p)
    contenu = xlsx_octets(tableaux)
    r = tableur.importer_actions(plan=p, contenu=contenu, nom_fichier="export.xlsx", par=None)
    assert (r.creees, r.modifiees, r.lignes_budget) == (0, 1, 1)
    a.refresh_from_db()
    assert a.titre == "=SOMME(A1)"
    assert a.historique.filter(objet="action", champ__gt="").count() == 0
    assert LigneBudget.objects.get().prevu == 10


def test_budget_incoherent_dans_l_import():
    p = plan()
    tableaux = [
        ("Actions", ["Titre"], [["A"]]),
        ("Budget", tableur.COLONNES_BUDGET, [["A", 2025, "Fonctionnement", "CAF", 10, 20, 0]]),
    ]
    with pytest.raises(tableur.ImportInvalide) as e:
        tableur.importer_actions(plan=p, contenu=xlsx_octets(tableaux), nom_fichier="a.xlsx", par=None)
    assert "Budget, ligne 2, colonne « Engagé (€) »" in e.value.erreurs[0]
    assert not Action.objects.exists()
