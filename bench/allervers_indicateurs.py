"""Benchmark: campaign dashboard and TZNR indicators with 100,000 contacts and 10,000 people.

Usage: .venv/bin/python bench/allervers_indicateurs.py [--contacts 100000] [--personnes 10000]

A generator fills a fresh SQLite database (or DATABASE_URL): 4 campaigns (one holds 70 % of the
contacts), 2 needs and about 1.2 pre-screened rights per contact, 10,000 identified people with
their rights pipeline (detected / submitted / opened / refused, amounts and dates), plus 1,000
anonymised people (statistics tables). Pages are requested in-process through Django's test client
as a logged-in professional (full stack: middleware, view, selectors, template), 30 times each.
Baseline, same run: a light page of the same stack (the record of processing, /aller-vers/registre/).
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--personnes", type=int, default=10_000)
    parser.add_argument("--repetitions", type=int, default=30)
    args = parser.parse_args()
    dossier = Path(tempfile.mkdtemp(prefix="bench-allervers-ind-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{dossier / 'bench.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DEBUG"] = "False"
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from repere.allervers import referentiels, services
    from repere.allervers.models import (
        Contact,
        ContactBesoin,
        ContactDroit,
        DroitAnonymise,
        DroitSuivi,
        NoticeInformation,
        Personne,
        PersonneAnonymisee,
    )
    from repere.comptes.models import User
    from repere.organisations.models import Organisation, Role
    from repere.organisations.services import ajouter_membre
    from repere.territoires.models import Territoire

    alea = random.Random(2026)
    debut_gen = time.perf_counter()
    epci = Territoire.objects.create(type="epci", code="200060010", nom="Mauges Communauté (banc)")
    communes = [
        Territoire.objects.create(type="commune", code=f"49{900 + i:03d}", nom=f"Commune banc {i}", epci=epci)
        for i in range(12)
    ]
    org = Organisation.objects.create(nom="CCAS banc", type="ccas")
    pro = User.objects.create_user(email=f"pro-{uuid.uuid4().hex[:6]}@bench.localhost", password="x-bench-123456")
    ajouter_membre(organisation=org, user=pro, role=Role.PROFESSIONNEL)
    notice = NoticeInformation.objects.create(organisation=org, version="1", titre="n", texte="n", base_legale="6.1.e")
    aujourdhui = timezone.localdate()
    debut = aujourdhui - datetime.timedelta(days=365)
    campagnes = [
        services.creer_campagne(
            organisation=org, par=pro, nom=f"Campagne {i}", type="porte_a_porte", territoires=[epci],
            date_debut=debut, date_fin=aujourdhui + datetime.timedelta(days=30), notice=notice,
            secteurs=[f"Secteur {s}" for s in range(8)],
        )
        for i in range(4)
    ]  # fmt: skip
    poids = [0.7, 0.1, 0.1, 0.1]
    themes = referentiels.THEMATIQUES_PAR_DEFAUT
    prestations = [("rsa", "RSA"), ("ppa", "Prime d'activité"), ("aide_logement", "Aide au logement"),
                   ("css_gratuite", "Complémentaire santé solidaire"), ("cheque_energie", "Chèque énergie"),
                   ("af", "Allocations familiales"), ("aspa", "ASPA")]  # fmt: skip
    lot = 5000
    for debut_lot in range(0, args.contacts, lot):
        contacts = []
        for _ in range(min(lot, args.contacts - debut_lot)):
            c = alea.choices(campagnes, poids)[0]
            contacts.append(
                Contact(
                    cle=uuid.UUID(int=alea.getrandbits(128)), campagne=c, organisation=org, saisi_par=pro,
                    date=debut + datetime.timedelta(days=alea.randint(0, 364)), commune=alea.choice(communes),
                    secteur=f"Secteur {alea.randint(0, 7)}", canal="porte", situations=["isolement"],
                    orientation_proposee=alea.choice(["", "", "ccas", "caf_msa"]), suivi_souhaite=alea.random() < 0.2,
                )
            )  # fmt: skip
        Contact.objects.bulk_create(contacts, batch_size=1000)
        besoins, droits = [], []
        for c in contacts:
            for t in alea.sample(themes, 2):
                besoins.append(
                    ContactBesoin(contact=c, campagne=c.campagne, date=c.date, commune=c.commune, thematique=t)
                )
            for code, libelle in alea.sample(prestations, alea.choice([0, 1, 1, 2, 2])):
                droits.append(
                    ContactDroit(contact=c, campagne=c.campagne, date=c.date, commune=c.commune, prestation=code, libelle=libelle,
                                 certitude=alea.choice(["probable", "possible"]), montant_mensuel=alea.randint(20, 600))
                )  # fmt: skip
        ContactBesoin.objects.bulk_create(besoins, batch_size=2000)
        ContactDroit.objects.bulk_create(droits, batch_size=2000)
    personnes = [
        Personne(
            organisation=org, campagne=alea.choices(campagnes, poids)[0], referent=pro, prenom="P", nom=f"N{i}",
            commune=alea.choice(communes), besoins=alea.sample(themes, 2), cree_par=pro,
        )
        for i in range(args.personnes)
    ]  # fmt: skip
    Personne.objects.bulk_create(personnes, batch_size=1000)

    def etapes():
        d = debut + datetime.timedelta(days=alea.randint(0, 300))
        statut = alea.choice(["detecte", "demarche", "depose", "ouvert", "ouvert", "refuse", "abandonne"])
        dep = d + datetime.timedelta(days=alea.randint(3, 40)) if statut in ("depose", "ouvert", "refuse") else None
        ouv = dep + datetime.timedelta(days=alea.randint(10, 90)) if statut == "ouvert" else None
        clo = ouv or (dep + datetime.timedelta(days=30) if statut == "refuse" else None)
        return {
            "statut": statut, "detecte_le": d, "depose_le": dep, "ouvert_le": ouv, "cloture_le": clo,
            "montant_estime": alea.randint(20, 600), "montant_confirme": alea.randint(20, 600) if ouv else None,
        }  # fmt: skip

    droits = []
    for p in personnes:
        for code, libelle in alea.sample(prestations, alea.choice([1, 1, 2])):
            droits.append(DroitSuivi(personne=p, prestation=code, libelle=libelle, **etapes()))
    DroitSuivi.objects.bulk_create(droits, batch_size=2000)
    anonymes = PersonneAnonymisee.objects.bulk_create(
        [
            PersonneAnonymisee(organisation=org, campagne=alea.choice(campagnes), commune_code=alea.choice(communes).code,
                               cree_mois=debut.replace(day=1), besoins=[themes[0]], motif="conservation")
            for _ in range(args.personnes // 10)
        ]
    )  # fmt: skip
    DroitAnonymise.objects.bulk_create(
        [DroitAnonymise(personne=a, prestation="rsa", libelle="RSA", **etapes()) for a in anonymes], batch_size=2000
    )
    duree_gen = time.perf_counter() - debut_gen
    from repere.allervers.compteurs import recalculer

    t = time.perf_counter()
    nb_compteurs = recalculer()
    duree_compteurs = time.perf_counter() - t

    client = Client()
    client.force_login(pro)
    grande = campagnes[0]
    pages = {
        "référence : registre (page légère)": "/aller-vers/registre/",
        f"tableau de bord de la campagne ({Contact.objects.filter(campagne=grande).count()} contacts)": f"/aller-vers/campagnes/{grande.pk}/",
        "indicateurs, toutes campagnes": "/aller-vers/indicateurs/",
        "indicateurs, campagne + EPCI + période": f"/aller-vers/indicateurs/?campagne={grande.pk}&territoire=200060010&du={debut + datetime.timedelta(days=90)}&au={aujourdhui}",
        "indicateurs, une commune": f"/aller-vers/indicateurs/?territoire={communes[0].code}",
        "export ODS, toutes campagnes": "/aller-vers/indicateurs/export.ods",
    }  # fmt: skip
    resultats = {}
    for nom, url in pages.items():
        client.get(url)  # warm
        durees = []
        for _ in range(args.repetitions):
            t = time.perf_counter()
            r = client.get(url)
            durees.append(time.perf_counter() - t)
            assert r.status_code == 200, (url, r.status_code)
        durees.sort()
        resultats[nom] = (statistics.median(durees) * 1000, durees[int(len(durees) * 0.95) - 1] * 1000)
    moteur = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"Base {moteur} : {Contact.objects.count()} contacts, {ContactBesoin.objects.count()} besoins, "
        f"{ContactDroit.objects.count()} droits repérés, {Personne.objects.count()} personnes, "
        f"{DroitSuivi.objects.count()} droits suivis, {PersonneAnonymisee.objects.count()} personnes anonymisées "
        f"(génération {duree_gen:.0f} s ; {nb_compteurs} compteurs quotidiens reconstruits en {duree_compteurs:.1f} s)"
    )
    ref = resultats["référence : registre (page légère)"][1]
    for nom, (p50, p95) in resultats.items():
        print(f"{nom:70s} p50={p50:7.1f} ms  p95={p95:7.1f} ms  ×réf p95={p95 / ref:5.1f}")


if __name__ == "__main__":
    main()
