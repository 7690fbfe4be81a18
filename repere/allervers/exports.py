"""Indicators report: one table per section, written by repere.utils.tableurs (CSV for a French
spreadsheet, XLSX, ODS; formula injection neutralised there)."""

from django.utils import timezone


def titre_rapport(filtres: dict) -> list[str]:
    lignes = ["Rapport d'indicateurs aller-vers (calculés par Repère)", f"Édité le {timezone.localdate():%d/%m/%Y}"]
    if filtres.get("campagne"):
        lignes.append(f"Campagne : {filtres['campagne']}")
    else:
        lignes.append("Campagnes : toutes les campagnes visibles")
    if filtres.get("territoire"):
        lignes.append(f"Territoire : {filtres['territoire']}")
    if filtres.get("du") or filtres.get("au"):
        du = f"{filtres['du']:%d/%m/%Y}" if filtres.get("du") else "…"
        au = f"{filtres['au']:%d/%m/%Y}" if filtres.get("au") else "…"
        lignes.append(f"Période : du {du} au {au}")
    return lignes


def _delai(d):
    return "" if d["mediane"] is None else d["mediane"]


def sections(ind: dict) -> list[tuple[str, list[str], list[list]]]:
    t = ind["totaux"]
    return [
        (
            "Chiffres clés",
            ["Indicateur", "Valeur"],
            [
                ["Contacts", ind["contacts"]],
                ["Contacts souhaitant un suivi", ind["suivis_souhaites"]],
                ["Contacts avec une orientation proposée", ind["contacts_orientes"]],
                ["Personnes identifiées (avec accord)", ind["personnes"]],
                ["Droits détectés", t["detectes"]],
                ["Dossiers déposés", t["deposes"]],
                ["Droits ouverts", t["ouverts"]],
                ["Droits refusés", t["refuses"]],
                ["Montant estimé (€/mois)", t["estime_mensuel"]],
                ["Montant estimé (€/an)", t["estime_annuel"]],
                ["Montant confirmé (€/mois)", t["confirme_mensuel"]],
                ["Montant confirmé (€/an)", t["confirme_annuel"]],
            ],
        ),
        (
            "Besoins par thème",
            ["Thème", "Contacts"],
            [[b["libelle"], b["contacts"]] for b in ind["besoins"]],
        ),
        (
            "Droits repérés au pré-repérage",
            ["Prestation", "Probables", "Possibles", "Montant estimé (€/mois)"],
            [[r["libelle"], r["probables"], r["possibles"], r["montant_mensuel"]] for r in ind["reperes"]],
        ),
        (
            "Parcours des droits des personnes suivies",
            [
                "Prestation",
                "Détectés",
                "Démarches",
                "Déposés",
                "Ouverts",
                "Refusés",
                "Abandonnés",
                "Estimé (€/mois)",
                "Estimé (€/an)",
                "Confirmé (€/mois)",
                "Confirmé (€/an)",
            ],
            [
                [
                    d["libelle"],
                    d["detectes"],
                    d["demarches"],
                    d["deposes"],
                    d["ouverts"],
                    d["refuses"],
                    d["abandonnes"],
                    d["estime_mensuel"],
                    d["estime_annuel"],
                    d["confirme_mensuel"],
                    d["confirme_annuel"],
                ]
                for d in ind["droits"]
            ],
        ),
        (
            "Délais entre étapes (jours)",
            ["Étapes", "Médiane", "Moyenne", "Nombre"],
            [
                [libelle, _delai(ind["delais"][cle]), ind["delais"][cle]["moyenne"] or "", ind["delais"][cle]["n"]]
                for cle, libelle in (
                    ("detection_depot", "Détection → dépôt"),
                    ("depot_ouverture", "Dépôt → ouverture"),
                    ("detection_ouverture", "Détection → ouverture"),
                )
            ],
        ),
        (
            "Orientations",
            ["Orientation", "Nombre"],
            [[o["libelle"] + " (proposée au contact)", o["contacts"]] for o in ind["orientations"]["proposees"]]
            + [
                [
                    "Orientations par l'annuaire",
                    ind["orientations"]["annuaire"]["total"] + ind["orientations"]["annuaire_anonymisees"],
                ]
            ]
            + [
                [f"… {s['statut']}" + (f" — {s['resultat']}" if s["resultat"] else ""), s["n"]]
                for s in ind["orientations"]["annuaire"]["par_statut"]
            ],
        ),
    ]


def tableaux_rapport(ind: dict, titre: list[str]) -> list:
    """The report as tables for repere.utils.tableurs (CSV French, XLSX, ODS): the title lines first,
    then one table per section."""
    return [("Rapport", [titre[0]], [[ligne] for ligne in titre[1:]]), *sections(ind)]


def donnees_graphiques(ind: dict | None) -> dict:
    if not ind:
        return {}
    return {
        "besoins": {
            "libelles": [b["libelle"] for b in ind["besoins"]],
            "valeurs": [b["contacts"] for b in ind["besoins"]],
        },
        "droits": {
            "libelles": [d["libelle"] for d in ind["droits"]],
            "series": [
                {"nom": "Détectés", "valeurs": [d["detectes"] for d in ind["droits"]]},
                {"nom": "Déposés", "valeurs": [d["deposes"] for d in ind["droits"]]},
                {"nom": "Ouverts", "valeurs": [d["ouverts"] for d in ind["droits"]]},
                {"nom": "Refusés", "valeurs": [d["refuses"] for d in ind["droits"]]},
            ],
        },
    }
