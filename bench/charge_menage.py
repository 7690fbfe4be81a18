"""The household of bench/charge.py's quick simulations (shared with charge_locust.py, without Locust)."""

MENAGE = {
    "mois": "2026-11",
    "commune": "49007",
    "logement": {"statut": "locataire", "loyer": 600},
    "personnes": [
        {
            "role": "demandeur",
            "age": 36,
            "activite": "salarie",
            "revenus": [{"nature": "salaire", "montant_mensuel": 1000}],
        },
        {"role": "enfant", "age": 8, "niveau_scolaire": "primaire"},
    ],
}
