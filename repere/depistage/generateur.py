"""Synthetic batch files of realistic households (fixed seed), for tests, the benchmark and the demo.

Not real people: identifiers are "SYNTH-…". Distributions are rough orders of magnitude of the
households a CCAS or a social landlord knows (many single persons and lone parents, modest incomes,
tenants), with some benefits received and many not, so that the screening has something to find.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from repere.depistage.colonnes import COLONNES
from repere.droits.menage import niveau_scolaire_pour_age

# Real communes of Pays de la Loire (INSEE codes), with a typical monthly rent.
COMMUNES = (
    ("49007", 520),
    ("49092", 430),
    ("49099", 450),
    ("49328", 420),
    ("49353", 470),
    ("49244", 400),
    ("44109", 600),
    ("44143", 560),
    ("44184", 500),
    ("72181", 450),
    ("72264", 400),
    ("85191", 480),
    ("85194", 520),
    ("53130", 430),
    ("53147", 390),
)
ENTETES = [c.nom for c in COLONNES]


def _date_naissance(rng: random.Random, age: int, jour: dt.date) -> str:
    naissance = jour - dt.timedelta(days=int(age * 365.25) + rng.randint(1, 360))
    return naissance.strftime("%d/%m/%Y")


def _montant(x: float) -> str:
    return f"{x:.2f}".replace(".", ",") if x else ""


def menages(n: int, *, graine: int = 42, jour: dt.date | None = None) -> Iterator[list[dict]]:
    """``n`` households, each a list of person lines (dicts keyed by column name)."""
    rng = random.Random(graine)
    jour = jour or dt.date.today().replace(day=1)
    for k in range(n):
        ident = f"SYNTH-{k + 1:07d}"
        commune, loyer_type = rng.choice(COMMUNES)
        type_menage = rng.choices(
            ["seul", "couple", "couple_enfants", "parent_isole", "retraite", "seul_handicap"],
            weights=[28, 14, 22, 16, 14, 6],
        )[0]
        adultes = (
            2
            if type_menage in ("couple", "couple_enfants") or (type_menage == "retraite" and rng.random() < 0.4)
            else 1
        )
        enfants = rng.choice([1, 1, 2, 2, 3, 4]) if type_menage in ("couple_enfants", "parent_isole") else 0
        statut = rng.choices(
            ["locataire", "proprietaire", "heberge_gratuitement", "accedant", "foyer", "sans_domicile"],
            weights=[62, 16, 8, 8, 4, 2],
        )[0]
        loyer = 0.0
        if statut in ("locataire", "foyer"):
            loyer = round(loyer_type * rng.uniform(0.6, 1.3) + 80 * (adultes + enfants - 1), 2)
        elif statut == "accedant":
            loyer = round(rng.uniform(400, 900), 2)
        menage = {
            "id_menage": ident,
            "commune": commune,
            "statut_logement": statut,
            "loyer": _montant(loyer),
            "logement_social": "oui" if statut == "locataire" and rng.random() < 0.45 else "",
            "colocation": "oui" if statut == "locataire" and adultes == 1 and rng.random() < 0.05 else "",
            "revenu_fiscal_reference_n2": str(rng.randint(0, 30000)) if rng.random() < 0.5 else "",
            "isolement_recent": "oui" if type_menage == "parent_isole" and rng.random() < 0.2 else "",
        }
        lignes = []
        revenu_total = 0.0
        for a in range(adultes):
            if type_menage == "retraite":
                age = rng.randint(62, 92)
                activite = "retraite"
            else:
                age = rng.randint(19, 64)
                activite = rng.choices(
                    ["salarie", "chomeur", "independant", "etudiant", "inapte", "autre"], weights=[50, 18, 5, 5, 7, 15]
                )[0]
            ligne = {"role": "demandeur" if a == 0 else "conjoint", "activite": activite}
            if rng.random() < 0.7:
                ligne["date_naissance"] = _date_naissance(rng, age, jour)
            else:
                ligne["age"] = str(age)
            if activite == "salarie":
                salaire = round(min(rng.lognormvariate(7.0, 0.45), 6000), 2)
                ligne["salaire_net"] = _montant(salaire)
                revenu_total += salaire
            elif activite == "chomeur":
                ligne["chomage"] = _montant(round(rng.uniform(0, 1400), 2) if rng.random() < 0.6 else 0)
            elif activite == "independant":
                ligne["revenu_independant"] = _montant(round(rng.uniform(200, 2500), 2))
            elif activite == "retraite":
                ligne["retraite"] = _montant(round(min(rng.lognormvariate(7.0, 0.5), 5000), 2))
            if type_menage == "seul_handicap" or activite == "inapte":
                ligne["taux_incapacite"] = str(rng.choice([50, 60, 80, 80, 90]))
                ligne["restriction_emploi"] = "oui" if rng.random() < 0.5 else "non"
                ligne["activite"] = "inapte"
            lignes.append(ligne)
        for _ in range(enfants):
            age = rng.randint(0, 19)
            niveau = niveau_scolaire_pour_age(age).value
            lignes.append(
                {"role": "enfant", "date_naissance": _date_naissance(rng, age, jour), "niveau_scolaire": niveau}
            )
        if type_menage == "parent_isole" and rng.random() < 0.3:
            lignes[0]["pension_alimentaire_recue"] = _montant(round(rng.uniform(100, 300), 2))
        # Benefits received: some households receive what they are due, many do not (non-take-up).
        demandeur = lignes[0]
        if statut in ("locataire", "foyer") and revenu_total < 1800 and rng.random() < 0.55:
            demandeur["percu_aide_logement"] = _montant(round(rng.uniform(80, 350), 2))
        if revenu_total < 500 and type_menage not in ("retraite",) and rng.random() < 0.6:
            demandeur["percu_rsa"] = _montant(round(rng.uniform(300, 700), 2))
        if 600 < revenu_total < 1900 and rng.random() < 0.5:
            demandeur["percu_ppa"] = _montant(round(rng.uniform(50, 300), 2))
        if enfants >= 2 and rng.random() < 0.8:
            demandeur["percu_af"] = _montant(150.0 if enfants == 2 else 340.0)
        if type_menage == "seul_handicap" and rng.random() < 0.5:
            demandeur["percu_aah"] = _montant(round(rng.uniform(500, 1040), 2))
        lignes[0].update(menage)
        for numero, ligne in enumerate(lignes, start=1):
            ligne["id_menage"] = ident
            ligne["id_personne"] = str(numero)
        yield lignes


def ecrire_csv(chemin: Path | str, n: int, *, graine: int = 42, separateur: str = ";", encodage: str = "utf-8") -> int:
    """Write ``n`` households to a CSV file; returns the number of lines (persons)."""
    lignes = 0
    with open(chemin, "w", encoding=encodage, newline="") as f:
        ecrivain = csv.DictWriter(f, fieldnames=ENTETES, delimiter=separateur, restval="")
        ecrivain.writeheader()
        for personnes in menages(n, graine=graine):
            ecrivain.writerows(personnes)
            lignes += len(personnes)
    return lignes


def ecrire_parquet(chemin: Path | str, n: int, *, graine: int = 42, lot: int = 50_000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, pa.string()) for c in ENTETES])
    lignes = 0
    with pq.ParquetWriter(chemin, schema, compression="zstd") as ecrivain:
        tampon: list[dict] = []
        for personnes in menages(n, graine=graine):
            tampon.extend(personnes)
            if len(tampon) >= lot:
                ecrivain.write_table(pa.Table.from_pylist([{c: p.get(c, "") for c in ENTETES} for p in tampon], schema))
                lignes += len(tampon)
                tampon = []
        if tampon:
            ecrivain.write_table(pa.Table.from_pylist([{c: p.get(c, "") for c in ENTETES} for p in tampon], schema))
            lignes += len(tampon)
    return lignes


def ecrire_xlsx(chemin: Path | str, n: int, *, graine: int = 42) -> int:
    from openpyxl import Workbook

    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet("Ménages")
    feuille.append(ENTETES)
    lignes = 0
    for personnes in menages(n, graine=graine):
        for p in personnes:
            feuille.append([p.get(c, "") for c in ENTETES])
            lignes += 1
    classeur.save(chemin)
    return lignes
