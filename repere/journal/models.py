from django.conf import settings
from django.db import models
from django.utils import timezone


class Lecture(models.Model):
    """One read of a page or file showing personal data: who, when, which page and which object.

    Written by the ``donnees_personnelles`` view decorator (repere.journal.vues), never by hand. It holds
    no personal data itself: the object is named by its page and technical id, signed-link tokens and
    search terms are never recorded."""

    quand = models.DateTimeField(default=timezone.now, db_index=True)
    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    vue = models.CharField("page", max_length=100)
    objet = models.CharField(max_length=200, blank=True)
    par_lien_signe = models.BooleanField("par un lien signé", default=False)

    class Meta:
        verbose_name = "lecture de données personnelles"
        ordering = ["-quand"]
        indexes = [models.Index(fields=["vue", "objet"])]

    def __str__(self):
        return f"{self.quand:%d/%m/%Y %H:%M} {self.vue} {self.objet}"
