"""Benchmark of the rights engine (repere.droits.moteur) against a plain OpenFisca computation.

Usage: .venv/bin/python bench/droits_simulation.py [--menages 200] [--graine 2026] [--sans-froid]

For N varied random households (seeded), month 2026-11:
  - engine, warm: ``simuler(menage)`` one household at a time (all benefits, explanations included),
    p50 / p95;
  - baseline, same households: a full unoptimised OpenFisca computation, one household at a time, the
    way a plain integration does it: the household's facts (declared incomes, housing, RFR, benefits
    received in past months) as an OpenFisca situation dict, ``SimulationBuilder.build_from_entities``,
    then ``calculate`` of every output variable; no batch arrays, no zero-filled unused income
    variables (their formulas run), no skipping of impossible benefits, no memoised date arithmetic.
    Both use the same tax-benefit system (built once);
  - every amount of every household is asserted identical to the cent between the two;
  - the coherent combination (``simuler``) side by side with the previous one-pass computation
    (``simuler(..., coherent=False)``), one household at a time, interleaved: p50 / p95;
  - batch: the screener's array path ``simuler_lot_tableaux`` of ``--lot`` households, coherent and
    one-pass, interleaved (households per second of wall clock and of CPU time, best of
    ``--repetitions`` runs each); ``--lot-seul``: only this batch part (no household one at a time,
    no cold start), to compare two trees side by side on a loaded machine;
  - ``--base``: also the plain OpenFisca baseline below (slow), asserted identical to the cent;
  - cold: a new Python process, from start to the first result (imports + tax-benefit system + one
    simulation), and the first simulation once the tax-benefit system is built.
Prints a table (Markdown) to paste into docs/performance.md.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

from repere.droits.menage import niveau_scolaire_pour_age  # noqa: E402

MOIS = "2026-11"
COMMUNES = ["49007", "44109", "72181", "85191", "53130", "49092", "49099", "44184"]


def menage_aleatoire(rng: random.Random) -> dict:
    couple = rng.random() < 0.45
    nb_enfants = rng.choices([0, 1, 2, 3, 4], weights=[40, 22, 22, 11, 5])[0]
    age_d = rng.randint(18, 88) if not nb_enfants else rng.randint(20, 55)

    def adulte(role, age):
        if age >= 65:
            activite = rng.choice(["retraite", "retraite", "autre"])
        else:
            activite = rng.choices(
                ["salarie", "chomeur", "etudiant", "inapte", "autre", "independant"], weights=[45, 20, 7, 6, 18, 4]
            )[0]
        revenus = []
        if activite == "salarie":
            if rng.random() < 0.25:
                revenus.append(
                    {
                        "nature": "salaire",
                        "montants_3_derniers_mois": [round(rng.uniform(0, 2500), 2) for _ in range(3)],
                    }
                )
            else:
                revenus.append({"nature": "salaire", "montant_mensuel": round(rng.uniform(200, 3200), 2)})
        elif activite == "chomeur" and rng.random() < 0.7:
            revenus.append({"nature": "chomage", "montant_mensuel": round(rng.uniform(300, 1600), 2)})
        elif activite == "retraite":
            revenus.append({"nature": "retraite", "montant_mensuel": round(rng.uniform(0, 4500), 2)})
        elif activite == "independant":
            revenus.append({"nature": "independant", "montant_mensuel": round(rng.uniform(0, 2000), 2)})
        if rng.random() < 0.05:
            revenus.append({"nature": "pension_invalidite", "montant_mensuel": round(rng.uniform(100, 900), 2)})
        taux = rng.choice([0, 0, 0, 0, 0, 0, 0, 0, 60, 80]) if activite == "inapte" or rng.random() < 0.03 else 0
        return {
            "role": role,
            "age": age,
            "activite": activite,
            "taux_incapacite": taux,
            "restriction_emploi": taux == 60 and rng.random() < 0.5,
            "revenus": revenus,
        }

    personnes = [adulte("demandeur", age_d)]
    if couple:
        personnes.append(adulte("conjoint", max(18, min(90, age_d + rng.randint(-6, 6)))))
    if not couple and nb_enfants and rng.random() < 0.4:
        personnes[0]["revenus"].append(
            {"nature": "pension_alimentaire_recue", "montant_mensuel": rng.choice([50, 100, 150, 250])}
        )
    for _ in range(nb_enfants):
        age = rng.randint(0, 20)
        niveau = niveau_scolaire_pour_age(age).value
        personnes.append({"role": "enfant", "age": age, "niveau_scolaire": niveau})
    if rng.random() < 0.05:
        personnes.append({"role": "autre", "age": rng.randint(20, 80), "activite": "autre"})
    statut = rng.choices(
        ["locataire", "proprietaire", "accedant", "heberge_gratuitement", "foyer", "sans_domicile"],
        weights=[55, 18, 8, 10, 3, 6],
    )[0]
    logement = {"statut": statut}
    if statut in ("locataire", "foyer", "accedant"):
        logement["loyer"] = round(rng.uniform(250, 950), 2)
        logement["charges"] = round(rng.uniform(0, 120), 2)
        logement["logement_social"] = statut == "locataire" and rng.random() < 0.35
        logement["colocation"] = statut == "locataire" and rng.random() < 0.08
    recues = []
    for code, montant in (("aide_logement", (50, 450)), ("af", (150, 350)), ("rsa", (100, 700)), ("ppa", (50, 300))):
        if rng.random() < 0.12:
            recues.append({"code": code, "montant_mensuel": round(rng.uniform(*montant), 2)})
    data = {
        "mois": MOIS,
        "commune": rng.choice(COMMUNES),
        "logement": logement,
        "personnes": personnes,
        "prestations_recues": recues,
        "isolement_recent": not couple and nb_enfants > 0 and rng.random() < 0.2,
    }
    if rng.random() < 0.5:
        data["revenu_fiscal_reference_n2"] = round(rng.uniform(0, 45000))
    return data


# --- baseline: plain OpenFisca (repere.droits.reference, also run by the test suite) ---------------------


def calcul_brut(menage, moteur, injections=None) -> dict:
    from repere.droits.reference import calcul_brut as brut

    return brut(menage, injections)


def centimes(x):
    from repere.droits.reference import centimes as c

    return c(x)


def percentile(valeurs, q):
    v = sorted(valeurs)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


FROID = """
import time; t0 = time.perf_counter()
import os, sys
sys.path.insert(0, {racine!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
import django; django.setup()
from repere.droits import moteur
m = moteur.menage_exemple("2026-11")
t1 = time.perf_counter()
moteur.systeme()
t2 = time.perf_counter()
moteur.simuler(m)
t3 = time.perf_counter()
print(f"{{t3 - t0:.3f}} {{t2 - t1:.3f}} {{t3 - t2:.3f}}")
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--menages", type=int, default=200)
    parser.add_argument("--lot", type=int, default=2000, help="ménages du passage en lot (débit)")
    parser.add_argument("--graine", type=int, default=2026)
    parser.add_argument("--sans-froid", action="store_true")
    parser.add_argument("--repetitions", type=int, default=2, help="passages du lot de chaque sorte (meilleur)")
    parser.add_argument("--lot-seul", action="store_true", help="seulement le débit du lot (ni unitaire ni froid)")
    parser.add_argument(
        "--base",
        action="store_true",
        help="aussi OpenFisca brut, ménage par ménage (lent ; la garde au centime est dans la suite de tests)",
    )
    args = parser.parse_args()

    froid = None
    if not args.sans_froid and not args.lot_seul:
        sortie = subprocess.run(
            [sys.executable, "-c", FROID.format(racine=str(RACINE))], capture_output=True, text=True, check=True
        )
        froid = [float(x) for x in sortie.stdout.split()]

    import django

    django.setup()
    from repere.droits import acceleration, moteur
    from repere.droits.lot import simuler_lot_tableaux
    from repere.droits.menage import Menage

    rng = random.Random(args.graine)
    menages = [Menage.model_validate(menage_aleatoire(rng)) for _ in range(args.menages)]
    lot = [Menage.model_validate(menage_aleatoire(rng)) for _ in range(args.lot)]
    moteur.prechauffer()
    moteur.simuler(menages[0], coherent=False)
    if args.lot_seul:
        menages = []

    # One household, warm: coherent combination and previous one-pass computation, interleaved.
    # CPU time too: on a loaded machine it is less noisy than the wall clock.
    temps_coherent, temps_un_passage, cpu_coherent, cpu_un_passage = [], [], [], []
    for m in menages:
        t, c = time.perf_counter(), time.process_time()
        moteur.simuler(m)
        temps_coherent.append(time.perf_counter() - t)
        cpu_coherent.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        moteur.simuler(m, coherent=False)
        temps_un_passage.append(time.perf_counter() - t)
        cpu_un_passage.append(time.process_time() - c)

    # Batch path (the screener's), both ways, interleaved: best of ``--repetitions`` each.
    debits = {True: [], False: []}
    debits_cpu = {True: [], False: []}
    for _ in range(args.repetitions):
        for coherent in (False, True):
            t, c = time.perf_counter(), time.process_time()
            simuler_lot_tableaux(lot, mode="complet", coherent=coherent)
            debits[coherent].append(len(lot) / (time.perf_counter() - t))
            debits_cpu[coherent].append(len(lot) / (time.process_time() - c))

    n = len(menages)
    charge = os.getloadavg()
    print(f"Ménages : {n} (graine {args.graine}), mois {MOIS}, {sum(len(m.personnes) for m in menages)} personnes")
    print(
        f"Charge de la machine (1, 5, 15 min) : {charge[0]:.1f} / {charge[1]:.1f} / {charge[2]:.1f}, {os.cpu_count()} cœurs"
    )
    dc, du = max(debits[True]), max(debits[False])
    dcc, duc = max(debits_cpu[True]), max(debits_cpu[False])
    if args.lot_seul:
        print("| mesure | combinaison cohérente | un seul passage (avant) | perte | cible |")
        print("|---|---|---|---|---|")
        for nom, a, b in (("horloge", dc, du), ("temps processeur", dcc, duc)):
            print(
                f"| lot de {len(lot)} ménages, {nom} (meilleur de {args.repetitions}) | {a:.0f} ménages/s "
                f"| {b:.0f} ménages/s | {100 * (a / b - 1):+.1f} % | ≤ 25 % : {'tenue' if a / b >= 0.75 else 'NON tenue'} |"
            )
        return
    p50c, p95c = statistics.median(temps_coherent), percentile(temps_coherent, 0.95)
    p50u, p95u = statistics.median(temps_un_passage), percentile(temps_un_passage, 0.95)
    print()
    cp50c, cp95c = statistics.median(cpu_coherent), percentile(cpu_coherent, 0.95)
    cp50u, cp95u = statistics.median(cpu_un_passage), percentile(cpu_un_passage, 0.95)
    print("| mesure | combinaison cohérente | un seul passage (avant) | rapport | cible |")
    print("|---|---|---|---|---|")
    print(
        f"| un ménage à chaud, p50 | {p50c * 1000:.0f} ms | {p50u * 1000:.0f} ms | × {p50c / p50u:.2f} "
        f"| ≤ 150 ms : {'tenue' if p50c <= 0.150 else 'NON tenue'} |"
    )
    print(
        f"| un ménage à chaud, p95 | {p95c * 1000:.0f} ms | {p95u * 1000:.0f} ms | × {p95c / p95u:.2f} "
        f"| ≤ 300 ms : {'tenue' if p95c <= 0.300 else 'NON tenue'} |"
    )
    print(
        f"| un ménage à chaud, temps processeur p50 / p95 | {cp50c * 1000:.0f} / {cp95c * 1000:.0f} ms "
        f"| {cp50u * 1000:.0f} / {cp95u * 1000:.0f} ms | × {cp50c / cp50u:.2f} | (moins sensible à la charge) |"
    )
    print(
        f"| lot de {len(lot)} ménages, chemin en tableaux, mode complet | {dc:.0f} ménages/s | {du:.0f} ménages/s "
        f"| {100 * (dc / du - 1):+.0f} % | perte ≤ 25 % : {'tenue' if dc / du >= 0.75 else 'NON tenue'} |"
    )
    print(
        f"| lot de {len(lot)} ménages, temps processeur | {dcc:.0f} ménages/s | {duc:.0f} ménages/s "
        f"| {100 * (dcc / duc - 1):+.0f} % | (moins sensible à la charge) |"
    )
    if froid:
        print(
            f"| première simulation après démarrage du processus | {froid[0]:.2f} s (dont système socio-fiscal {froid[1]:.2f} s, simulation {froid[2]:.2f} s) | | | |"
        )
    if not args.base:
        return

    # Baseline: plain OpenFisca, without the engine's optimisations (same facts, same injections).
    from repere.droits import combinaison

    ecarts, temps_base = [], []
    resultats = []
    for m in menages:
        valeurs, contexte, _ = combinaison.combiner([m], codes=moteur.CODES, mode="complet")
        resultats.append(({k: v[0] for k, v in valeurs.items()}, contexte["injections"]))
    acceleration.desinstaller()
    for i, m in enumerate(menages):
        valeurs, injections = resultats[i]
        t = time.perf_counter()
        brut = calcul_brut(m, moteur, injections)
        temps_base.append(time.perf_counter() - t)
        for variable, attendu in brut.items():
            obtenu = valeurs.get(variable)
            if obtenu is None:  # skipped by the engine (impossible benefit): OpenFisca must give 0
                obtenu = 0 if not isinstance(attendu, str | bytes) else attendu
            if centimes(obtenu) != centimes(attendu):
                ecarts.append((i, variable, obtenu, attendu))
    acceleration.installer()
    print(
        f"\nOpenFisca brut : montants identiques au centime : {'oui' if not ecarts else 'NON'} ({len(ecarts)} écart(s))"
    )
    for e in ecarts[:20]:
        print("  écart", e)
    p50b = statistics.median(temps_base)
    print(
        f"| un ménage, OpenFisca brut (base), p50 | {p50b * 1000:.0f} ms | | × {p50b / p50c:.1f} plus lent que la combinaison |"
    )
    if ecarts:
        sys.exit(1)


if __name__ == "__main__":
    main()
