"""Benchmark: COPIL dashboard and filtered action table with 20 plans, 5,000 actions, 50,000 budget lines and
100,000 indicator values; the synthesis of 200 workshop fiches.

Usage: .venv/bin/python bench/pilotage_copil.py [--actions 5000] [--repetitions 30] [--fiches 200]

A fresh SQLite database (or DATABASE_URL) is filled in bulk (bench territories and organisation, labelled as
bench data). Pages are requested in-process through Django's test client as a logged-in professional (full
stack), ``--repetitions`` times each; p95 and median printed. Baseline, same run: the national frame page
(/pilotage/cadre-national/), a light page of the same stack. The 200 fiches are the 2023 seed's 20 fiches
repeated 10 times with their workshop numbers changed (or generated text when the seed is absent).
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def p95(xs):
    xs = sorted(xs)
    return xs[max(0, round(0.95 * len(xs)) - 1)]


def mesurer(client, url, n):
    client.get(url)
    durees = []
    for _ in range(n):
        t = time.perf_counter()
        r = client.get(url)
        durees.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    return statistics.median(durees), p95(durees)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=5000)
    parser.add_argument("--repetitions", type=int, default=30)
    parser.add_argument("--fiches", type=int, default=200)
    args = parser.parse_args()
    dossier = Path(tempfile.mkdtemp(prefix="bench-pilotage-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{dossier / 'bench.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DEBUG"] = "False"
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from repere.comptes.models import User
    from repere.concertation import services as concertation
    from repere.concertation import synthese
    from repere.concertation.models import Evenement
    from repere.organisations.models import Membership, Organisation, Role
    from repere.pilotage.cadre import charger_cadre
    from repere.pilotage.models import (
        Action,
        Axe,
        Etape,
        Financeur,
        Indicateur,
        LigneBudget,
        Plan,
        Statut,
        ValeurIndicateur,
    )
    from repere.territoires.models import Territoire

    rnd = random.Random(0)
    cadre, _ = charger_cadre()
    axes_nat = list(cadre.axes.all())
    org = Organisation.objects.create(nom="Organisation de banc d'essai", type="etat")
    user = User.objects.create_user(email="banc@exemple.fr", password="banc-essai-12345")
    Membership.objects.create(user=user, organisation=org, role=Role.PROFESSIONNEL)
    territoires = [
        Territoire.objects.create(
            type="departement", code=f"B{i:02d}", nom=f"Département banc {i}", nom_recherche=f"banc {i}"
        )
        for i in range(20)
    ]
    plans = [
        Plan.objects.create(
            nom=f"Plan banc {i}", type="pacte_local", territoire=territoires[i], organisation=org, cadre=cadre
        )
        for i in range(20)
    ]
    axes = [
        Axe.objects.create(plan=p, titre=f"Axe {a.numero}", axe_national=a, ordre=a.numero)
        for p in plans
        for a in axes_nat
    ]
    t0 = time.perf_counter()
    debut = date(2024, 1, 1)
    actions = Action.objects.bulk_create(
        [
            Action(
                plan_id=axes[i % len(axes)].plan_id,
                axe=axes[i % len(axes)],
                titre=f"Action {i}",
                statut=rnd.choice(Statut.values),
                date_debut=debut + timedelta(days=rnd.randint(0, 500)),
                date_fin_prevue=debut + timedelta(days=rnd.randint(501, 1400)),
                avancement_saisi=rnd.randint(0, 100),
            )
            for i in range(args.actions)
        ],
        batch_size=1000,
    )
    Etape.objects.bulk_create(
        [
            Etape(action=a, titre="Étape", echeance=a.date_fin_prevue, faite=rnd.random() < 0.5)
            for a in actions
            for _ in range(2)
        ],
        batch_size=2000,
    )
    financeurs = [
        Financeur.objects.create(nom=n, type=t)
        for n, t in [
            ("État — Pacte", "etat_pacte"),
            ("Département", "departement"),
            ("CAF", "caf"),
            ("Autre", "autre"),
            ("Région", "collectivite"),
        ]
    ]
    lignes = []
    for a in actions:
        for annee in (2024, 2025):
            for f in financeurs:
                prevu = Decimal(rnd.randint(1000, 50000))
                lignes.append(
                    LigneBudget(
                        action=a,
                        annee=annee,
                        type="fonctionnement",
                        financeur=f,
                        prevu=prevu,
                        engage=prevu * Decimal("0.8"),
                        paye=prevu * Decimal("0.4"),
                    )
                )
    lignes = lignes[: args.actions * 10]
    LigneBudget.objects.bulk_create(lignes, batch_size=5000)
    indicateurs = Indicateur.objects.bulk_create(
        [
            Indicateur(
                action=a,
                nom="Indicateur",
                valeur_initiale=0,
                date_initiale=debut,
                cible=100,
                date_cible=date(2027, 12, 31),
            )
            for a in actions
        ],
        batch_size=2000,
    )
    ValeurIndicateur.objects.bulk_create(
        [
            ValeurIndicateur(
                indicateur=ind, date=debut + timedelta(days=30 * (k + 1)), valeur=Decimal(rnd.randint(0, 100))
            )
            for ind in indicateurs
            for k in range(20)
        ],
        batch_size=5000,
    )
    print(
        f"données : {Plan.objects.count()} plans, {Action.objects.count()} actions, {LigneBudget.objects.count()} lignes de budget, "
        f"{ValeurIndicateur.objects.count()} valeurs d'indicateur ({time.perf_counter() - t0:.0f} s)"
    )

    from repere.pilotage.services import recalculer_cumuls, recalculer_dernieres_valeurs

    t0 = time.perf_counter()
    recalculer_cumuls(actions=Action.objects.all())
    recalculer_dernieres_valeurs(indicateurs=Indicateur.objects.all())
    print(f"totaux tenus sur les actions et indicateurs recalculés en {time.perf_counter() - t0:.1f} s")

    client = Client()
    client.force_login(user)
    n = args.repetitions
    base = mesurer(client, "/pilotage/cadre-national/", n)
    tdb = mesurer(client, "/pilotage/tableau-de-bord/", n)
    table = mesurer(client, "/pilotage/actions/?statut=en_retard&axe_national=" + str(axes_nat[2].pk), n)
    table2 = mesurer(client, "/pilotage/actions/?q=Action%201", n)
    print(f"référence (cadre national) : médiane {base[0]:.0f} ms, p95 {base[1]:.0f} ms")
    print(
        f"tableau de bord COPIL : médiane {tdb[0]:.0f} ms, p95 {tdb[1]:.0f} ms (objectif ≤ 300 ms) ; ratio p95/référence {tdb[1] / base[1]:.1f}"
    )
    print(
        f"tableau des actions (en retard, axe 3) : médiane {table[0]:.0f} ms, p95 {table[1]:.0f} ms (objectif ≤ 200 ms) ; ratio {table[1] / base[1]:.1f}"
    )
    print(f"tableau des actions (recherche) : médiane {table2[0]:.0f} ms, p95 {table2[1]:.0f} ms")

    ev = Evenement.objects.create(nom="Banc", date=date(2023, 11, 7), organisation=org)
    seed = concertation.chemin_seed()
    if seed.exists():
        texte = seed.read_text(encoding="utf-8")
    else:
        from tests.concertation.factories import FICHE_COURTE

        texte = FICHE_COURTE * 10
    fiches = concertation.importer_synthese(texte="\n".join([texte] * (args.fiches // 20 or 1)), evenement=ev)
    t = time.perf_counter()
    s = synthese.calculer_synthese(evenement=ev)
    duree = time.perf_counter() - t
    t = time.perf_counter()
    from repere.concertation.regroupement import lemmes

    for c in ev.ateliers.first().contributions.all():
        lemmes(c.texte)
    print(
        f"synthèse de {len(fiches)} fiches : {duree:.1f} s (objectif ≤ 30 s), {s.enseignements.count()} propositions ; "
        f"{s.methode}"
    )


if __name__ == "__main__":
    main()
