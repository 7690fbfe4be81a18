"""The reference situations (cas_reference.yaml): expected amounts computed by hand from the
published scales, checked against the engine. All cases run in ONE batched simulation."""

from pathlib import Path

import pytest
import yaml

from repere.droits.menage import Menage
from repere.droits.moteur import simuler_lot

CAS = yaml.safe_load((Path(__file__).parent / "cas_reference.yaml").read_text(encoding="utf-8"))
MOIS = "2026-11"
_resultats: dict = {}


def _resultat(cas_id):
    if not _resultats:
        menages = [Menage.model_validate({"mois": MOIS, "commune": "49007", **c["menage"]}) for c in CAS]
        _resultats.update(zip([c["id"] for c in CAS], simuler_lot(menages), strict=True))
    return _resultats[cas_id]


def test_au_moins_40_cas_qui_citent_leur_source():
    assert len(CAS) >= 40
    assert len({c["id"] for c in CAS}) == len(CAS)
    for c in CAS:
        assert c.get("source") and c.get("calcul"), c["id"]
        assert c.get("attendu") or c.get("attendu_eligible"), c["id"]


def test_chaque_prestation_est_couverte():
    from repere.droits.prestations import CODES

    couvertes = set()
    for c in CAS:
        couvertes |= set(c.get("attendu", {})) | set(c.get("attendu_eligible", {}))
    assert set(CODES) <= couvertes, set(CODES) - couvertes


@pytest.mark.django_db
@pytest.mark.parametrize("cas", CAS, ids=[c["id"] for c in CAS])
def test_cas_de_reference(cas):
    resultat = _resultat(cas["id"])
    for code, attendu in (cas.get("attendu") or {}).items():
        p = resultat.prestation(code)
        assert p is not None, code
        assert p.montant == pytest.approx(attendu, abs=0.011), f"{code} : {cas['calcul']}"
        if attendu > 0:
            assert p.eligible in ("oui", "incertain"), code
    for code, eligible in (cas.get("attendu_eligible") or {}).items():
        assert resultat.prestation(code).eligible == eligible, code
    for variable, attendu in (cas.get("attendu_variables") or {}).items():
        m = Menage.model_validate({"mois": MOIS, "commune": "49007", **cas["menage"]})
        from repere.droits.moteur import calculer

        valeurs, _ = calculer([m], codes=["css_participation"])
        assert float(valeurs[variable][0]) == pytest.approx(attendu, abs=0.011)
