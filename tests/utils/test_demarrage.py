"""Start-up warm-ups: the modules a background warm-up needs are imported in the calling thread first."""

import sys
import threading

from repere.utils.demarrage import lancer_en_arriere_plan


def test_les_modules_sont_importes_avant_le_fil(tmp_path, monkeypatch):
    (tmp_path / "module_de_prechauffage.py").write_text("import threading\nFIL = threading.current_thread().name\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "module_de_prechauffage", raising=False)
    vu = {}

    def prechauffer():
        vu["importe"] = "module_de_prechauffage" in sys.modules

    fil = lancer_en_arriere_plan(prechauffer, nom="essai-prechauffage", modules=("module_de_prechauffage",))
    fil.join(5)
    assert vu == {"importe": True} and fil.daemon and fil.name == "essai-prechauffage"
    # imported by the caller's thread, never first by the warm-up thread
    assert threading.current_thread().name == sys.modules["module_de_prechauffage"].FIL


def test_le_moteur_et_l_index_des_territoires_importent_dans_le_processus_principal(monkeypatch):
    import repere.droits.moteur as moteur
    from repere.territoires import apps as territoires_apps

    appels = []
    fil_reel = threading.Thread
    monkeypatch.setattr(
        "repere.utils.demarrage.threading.Thread",
        lambda target, name, daemon: appels.append(name) or fil_reel(target=lambda: None),
    )
    monkeypatch.setattr(territoires_apps, "prechauffage_demande", lambda: True)
    importes = []
    monkeypatch.setattr("repere.utils.demarrage.importlib.import_module", importes.append)
    moteur.prechauffer_en_arriere_plan()
    from django.apps import apps

    apps.get_app_config("territoires").ready()
    assert appels == ["prechauffage-openfisca", "index-territoires"]
    assert importes == ["openfisca_core", "openfisca_france", "repere.territoires.selectors"]


def test_le_prechauffage_attend_que_toutes_les_apps_soient_chargees(monkeypatch):
    from django.apps import apps

    monkeypatch.setattr(apps, "ready", False)
    vu = []
    fil = lancer_en_arriere_plan(lambda: vu.append(apps.ready), nom="essai-apps")
    fil.join(0.3)
    assert fil.is_alive() and vu == []  # still waiting: Django would warn about a query during ``ready``
    monkeypatch.setattr(apps, "ready", True)
    fil.join(5)
    assert vu == [True]
