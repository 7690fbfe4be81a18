"""Locust users for bench/charge.py (not run alone): the main pages, the API, a trivial page as baseline.

Think time between two pages of one user: REPERE_CHARGE_ATTENTE="min,max" in seconds (bench/charge.py --attente,
1 to 5 s by default, as a person reading a page does); "0,0" hammers without pause.
"""

import os
import random

from charge_menage import MENAGE
from locust import HttpUser, between, task

ATTENTE = tuple(float(x) for x in os.environ.get("REPERE_CHARGE_ATTENTE", "1,5").split(","))
RECHERCHES = ["chemille", "angers", "cholet", "49120", "saumur", "nantes", "le mans", "laval"]


class Visiteur(HttpUser):
    """A person on the public side: home, simulator, directory, territories, API."""

    weight = 3
    wait_time = between(*ATTENTE)

    @task(3)
    def trivial(self):
        self.client.get("/mentions-legales/", name="témoin : page triviale")

    @task(2)
    def accueil(self):
        self.client.get("/", name="/")

    @task(2)
    def droits(self):
        self.client.get("/droits/", name="/droits/")

    @task(3)
    def annuaire(self):
        self.client.get("/annuaire/?commune=49092", name="/annuaire/?commune=…")

    @task(2)
    def territoire(self):
        self.client.get("/territoires/commune/49092/", name="/territoires/commune/…/")

    @task(3)
    def api_territoires(self):
        self.client.get(
            f"/api/v1/territoires/recherche?q={random.choice(RECHERCHES)}", name="API territoires/recherche"
        )

    @task(2)
    def api_annuaire(self):
        self.client.get("/api/v1/annuaire/search/services?code_commune=49092", name="API annuaire/search/services")

    @task(1)
    def api_simulation(self):
        # a new household almost every time (41 ages x 201 salaries): the web layer's cache of identical
        # households (droits/cache_resultats.py) must not make the engine look faster than it is
        demandeur = dict(
            MENAGE["personnes"][0],
            age=random.randint(20, 60),
            revenus=[{"nature": "salaire", "montant_mensuel": 10 * random.randint(0, 200)}],
        )
        menage = {**MENAGE, "personnes": [demandeur, MENAGE["personnes"][1]]}
        self.client.post("/api/v1/simulations?mode=rapide", json=menage, name="API simulations?mode=rapide")


class Professionnel(HttpUser):
    """A social worker logged in: outreach home, people list, indicators."""

    weight = 1
    wait_time = between(*ATTENTE)

    def on_start(self):
        self.client.get("/compte/connexion/", name="connexion (GET)")
        jeton = self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/compte/connexion/",
            {
                "username": "pro.ccas-chemille@demo.repere.localhost",
                "password": "demo-repere-2026",
                "csrfmiddlewaretoken": jeton,
            },
            headers={"Referer": self.host + "/compte/connexion/"},
            name="connexion (POST)",
        )

    @task(2)
    def trivial(self):
        self.client.get("/mentions-legales/", name="témoin : page triviale")

    @task(3)
    def allervers(self):
        self.client.get("/aller-vers/", name="/aller-vers/")

    @task(2)
    def personnes(self):
        self.client.get("/aller-vers/personnes/", name="/aller-vers/personnes/")

    @task(1)
    def indicateurs(self):
        self.client.get("/aller-vers/indicateurs/", name="/aller-vers/indicateurs/")
