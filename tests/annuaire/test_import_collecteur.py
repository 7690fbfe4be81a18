"""The cyclic garbage collector is paused for the whole import (reading, mapping, validation, writing)
and resumes after it, even when the import fails: it took ~40 % of the CPU time of a large import."""

import gc
import json
from pathlib import Path

import pytest

from repere.annuaire import importation
from repere.annuaire.importation import correspondance, fichiers, pipeline
from repere.annuaire.importation.fichiers import ErreurFichier
from repere.annuaire.models import Service
from repere.utils.ramasse_miettes import collecteur_suspendu

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def _espionner(monkeypatch, module, nom, etats):
    origine = getattr(module, nom)

    def espion(*args, **kwargs):
        etats.append((nom, gc.isenabled()))
        return origine(*args, **kwargs)

    monkeypatch.setattr(module, nom, espion)


def test_import_par_l_assistant_sans_collecteur_puis_collecteur_repris(monkeypatch):
    etats = []
    for module, nom in ((fichiers, "lire"), (pipeline, "_valider_services"), (pipeline, "_ecrire_services")):
        _espionner(monkeypatch, module, nom, etats)
    carte = json.loads((FIXTURES / "annuaire_2019.correspondance.json").read_text(encoding="utf-8"))
    assert gc.isenabled()
    rapport, _st, _se = correspondance.importer_fichier(FIXTURES / "annuaire_2019.csv", correspondance=carte)
    assert rapport.services_crees > 0 and Service.objects.filter(source=carte["source"]).count() > 0
    assert etats == [("lire", False), ("_valider_services", False), ("_ecrire_services", False)]
    assert gc.isenabled()


def test_import_data_inclusion_sans_collecteur_des_la_lecture(monkeypatch):
    etats = []
    _espionner(monkeypatch, fichiers, "lire", etats)
    _espionner(monkeypatch, pipeline, "_ecrire_services", etats)
    rapport = importation.importer_data_inclusion(
        structures=FIXTURES / "structures.json", services=FIXTURES / "services.json"
    )
    assert rapport.services_crees > 0
    assert etats == [("lire", False), ("lire", False), ("_ecrire_services", False)]
    assert gc.isenabled()


def test_collecteur_repris_apres_un_fichier_refuse(tmp_path):
    vide = tmp_path / "vide.csv"
    vide.write_text("", encoding="utf-8")
    carte = json.loads((FIXTURES / "annuaire_2019.correspondance.json").read_text(encoding="utf-8"))
    with pytest.raises(ErreurFichier):
        correspondance.importer_fichier(vide, correspondance=carte)
    assert gc.isenabled()


def test_blocs_imbriques_et_collecteur_deja_arrete():
    with collecteur_suspendu():
        with collecteur_suspendu():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block is still running
    assert gc.isenabled()
    gc.disable()
    try:
        with collecteur_suspendu():
            pass
        assert not gc.isenabled()  # it was stopped before: left stopped
    finally:
        gc.enable()
    with pytest.raises(ValueError), collecteur_suspendu():
        raise ValueError("échec au milieu")
    assert gc.isenabled()
