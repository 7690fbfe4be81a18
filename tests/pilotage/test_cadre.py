from pathlib import Path

import pytest
from django.core.management import call_command

from repere.pilotage.cadre import CadreInvalide, charger_cadre
from repere.pilotage.models import AxeNational, MesureNationale, TypeMesure

pytestmark = pytest.mark.django_db


def test_le_cadre_national_a_4_axes_et_les_mesures_de_l_annexe():
    cadre, compte = charger_cadre()
    assert cadre.axes.count() == 4
    assert [a.numero for a in cadre.axes.all()] == [1, 2, 3, 4]
    types = set(MesureNationale.objects.values_list("type", flat=True))
    assert types == set(TypeMesure.values)
    m = MesureNationale.objects.get(code="2-AN2-3")
    assert m.intitule_type == "Actions nouvelles n°2 et 3"
    assert MesureNationale.objects.get(code="1-AN1").intitule_type == "Action nouvelle n°1"
    assert MesureNationale.objects.get(code="1-AC").intitule_type == "Action contractualisée"
    assert "Territoires zéro non recours" in MesureNationale.objects.get(code="3-AN1").libelle
    assert compte["creees"] == compte["mesures"] == MesureNationale.objects.count()


def test_le_chargement_est_idempotent_et_une_mesure_retiree_est_marquee(tmp_path):
    charger_cadre()
    _, compte = charger_cadre()
    assert compte["creees"] == 0
    assert AxeNational.objects.count() == 4
    source = Path("repere/pilotage/donnees/pacte-des-solidarites.yaml").read_text(encoding="utf-8")
    reduit = tmp_path / "cadre.yaml"
    reduit.write_text(source.replace('      - {code: "1-EC"', '      # - {code: "1-EC"'), encoding="utf-8")
    _, compte = charger_cadre(reduit)
    assert compte["retirees"] == 1
    assert MesureNationale.objects.get(code="1-EC").retiree


def test_un_fichier_invalide_donne_un_message_clair(tmp_path):
    f = tmp_path / "x.yaml"
    f.write_text(
        "code: x\nnom: X\nversion: 1\naxes:\n  - numero: 1\n    titre: A\n    mesures:\n      - {code: a, type: inconnu, libelle: b}\n"
    )
    with pytest.raises(CadreInvalide, match="type de mesure inconnu « inconnu »"):
        charger_cadre(f)


def test_la_commande(capsys):
    call_command("charger_cadre_national")
    assert "4 axes" in capsys.readouterr().out
