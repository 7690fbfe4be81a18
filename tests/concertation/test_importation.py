import pytest

from repere.concertation import services
from repere.concertation.importation import lire_fiches
from repere.concertation.models import Contribution, Section
from tests.concertation.factories import FICHE_COURTE, evenement

SEED = services.chemin_seed()


def test_deux_fiches_dans_la_mise_en_page_de_la_synthese():
    fiches = lire_fiches(FICHE_COURTE)
    assert len(fiches) == 2
    f1, f2 = fiches
    assert f1.thematique == "Agir contre la précarité en milieu rural"
    assert f1.enjeu == "Comment garantir un accès effectif aux droits en milieu rural ?"
    assert f1.sections[Section.PROPOSITIONS] == [
        "Mobiliser toutes les techniques d'aller-vers",
        "Guichet unique de proximité",
    ]
    assert f1.sections[Section.MOYENS] == [
        "Financement pérenne, sortir de la logique d'AAP ; et des appels à projets annuels"
    ]
    assert f1.sections[Section.RESTITUTION] == ["Proximité : développer l'aller vers"]
    assert f1.sections[Section.ACTEURS] == ["N/A"]
    assert f1.sections_vides() == [Section.ACTEURS]
    assert f2.enjeu == "Comment rendre la mobilité durable accessible ?"
    assert set(f2.sections_vides()) == {Section.MOYENS, Section.FACTEURS, Section.RESTITUTION}
    assert "Ceci n'est pas une fiche" not in str(f2.sections)


@pytest.mark.django_db
def test_import_garde_les_na_et_les_compte_vides():
    ev = evenement()
    ateliers = services.importer_synthese(texte=FICHE_COURTE, evenement=ev)
    assert len(ateliers) == 2
    na = Contribution.objects.filter(atelier=ateliers[0], section=Section.ACTEURS).get()
    assert na.texte == "N/A" and na.non_renseigne
    assert services.sections_vides(ateliers[0]) == [Section.ACTEURS]
    services.importer_synthese(texte=FICHE_COURTE, evenement=ev)  # idempotent
    assert ev.ateliers.count() == 2


@pytest.mark.django_db
def test_un_texte_sans_fiche_est_refuse():
    with pytest.raises(services.ImportImpossible, match="Aucune fiche"):
        services.importer_synthese(texte="# Rien\n- du tout", evenement=evenement())


@pytest.mark.skipif(not SEED.exists(), reason="synthèse 2023 absente (../shared/seed/)")
def test_les_20_fiches_de_la_synthese_2023():
    fiches = lire_fiches(SEED.read_text(encoding="utf-8"))
    assert len(fiches) == 20
    thematiques = {f.thematique for f in fiches}
    assert thematiques == {
        "Construire une transition écologique solidaire en Pays de la Loire",
        "Agir contre la précarité en milieu rural en Pays de la Loire",
    }
    assert sum(f.thematique.startswith("Agir") for f in fiches) == 11
    for f in fiches:
        assert f.enjeu, f.numero
        assert set(f.sections) == set(Section.values)
        assert f.sections[Section.PROPOSITIONS], f.numero
        assert all(f.sections[s] for s in Section.values), f"fiche {f.numero} : une rubrique manque"
    vides = sum(len(f.sections_vides()) for f in fiches)
    assert vides == 13  # the « N/A » sections of the paper fiches, counted as empty
