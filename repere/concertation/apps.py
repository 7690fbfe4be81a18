from django.apps import AppConfig


class ConcertationConfig(AppConfig):
    name = "repere.concertation"
    label = "concertation"
    verbose_name = "Groupes de travail, conférence et ateliers"
