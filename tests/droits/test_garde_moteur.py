"""Guard of the engine's shortcuts: the accelerated engine (batch arrays, zero-filled unused inputs,
skipped impossible benefits, memoised date arithmetic, and the coherent combination's dependency
tracking and re-injection) gives, to the cent, what plain OpenFisca gives for the same facts
(``repere.droits.reference``), on a small varied sample. An OpenFisca upgrade that changes an amount
through one of these shortcuts fails here. No database.
"""

import datetime as dt

import pytest
from django.conf import settings

from repere.depistage import generateur
from repere.depistage.assemblage import NOMS, MenageBrut, construire_menage
from repere.droits import acceleration, combinaison
from repere.droits.menage import Menage
from repere.droits.moteur import CODES, SORTIES
from repere.droits.reference import calcul_brut, centimes

MOIS = "2026-11"

pytestmark = pytest.mark.skipif(
    "postgresql" in settings.DATABASES["default"]["ENGINE"],
    reason="sans base de données : exécuté une seule fois, lors du passage SQLite",
)


def _echantillon() -> list[Menage]:
    """Varied households: the first of each kind in the generator's stream, plus issue 9's cases."""
    vus, out = set(), []
    for personnes in generateur.menages(400, graine=77, jour=dt.date(2026, 11, 1)):
        lignes = [(i, tuple(p.get(n, "") for n in NOMS)) for i, p in enumerate(personnes)]
        m, _ = construire_menage(MenageBrut(personnes[0]["id_menage"], lignes), mois=MOIS)
        genre = (
            m.logement.statut,
            m.conjoint is not None,
            min(len(m.enfants), 3),
            any(p.taux_incapacite >= 50 for p in m.personnes),
            bool(m.prestations_recues),
        )
        if genre not in vus and len(out) < 5:
            vus.add(genre)
            out.append(m)
    out.append(
        Menage.model_validate(
            {
                "mois": MOIS,
                "commune": "49007",
                "logement": {"statut": "heberge_gratuitement"},
                "personnes": [{"role": "demandeur", "age": 61, "taux_incapacite": 80, "activite": "inapte"}],
            }
        )
    )
    out.append(
        Menage.model_validate(
            {
                "mois": MOIS,
                "commune": "49007",
                "logement": {"statut": "locataire", "loyer": 700},
                "personnes": [
                    {
                        "role": "demandeur",
                        "age": 40,
                        "activite": "salarie",
                        "revenus": [{"nature": "salaire", "montant_mensuel": 1740}],
                    },
                    {"role": "conjoint", "age": 38, "taux_incapacite": 90, "activite": "inapte"},
                    *[{"role": "enfant", "age": a} for a in (4, 7, 10, 13)],
                ],
            }
        )
    )
    return out


def test_moteur_accelere_egal_openfisca_brut_au_centime():
    menages = _echantillon()
    valeurs, contexte, _ = combinaison.combiner(menages, codes=CODES, mode="complet")
    injections = contexte["injections"]
    assert any(float(v.sum()) > 0 for v in injections.values())  # the re-injection path is exercised
    acceleration.desinstaller()
    try:
        ecarts = []
        for h, m in enumerate(menages):
            propres = {c: v[h : h + 1] for c, v in injections.items()}
            brut = calcul_brut(m, propres)
            for sorties in SORTIES.values():
                for variable, _, _ in sorties:
                    attendu = brut[variable]
                    obtenu = valeurs[variable][h] if variable in valeurs else None
                    if obtenu is None:  # skipped by the engine (impossible benefit): OpenFisca gives 0
                        obtenu = 0 if not isinstance(attendu, str | bytes) else attendu
                    if centimes(obtenu) != centimes(attendu):
                        ecarts.append((h, variable, obtenu, attendu))
    finally:
        acceleration.installer()
    assert ecarts == []
