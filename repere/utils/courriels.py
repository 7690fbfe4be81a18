"""E-mail backend for development and demos: each message is written, readable (decoded subject, plain
text body), to a file of ``REPERE_COURRIELS_DOSSIER`` (default ``var/courriels``), and one log line
says where. Nothing is sent; nothing personal goes to the console."""

import logging
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

logger = logging.getLogger("repere.courriels")


def dossier() -> Path:
    chemin = Path(getattr(settings, "REPERE_COURRIELS_DOSSIER", "") or Path(settings.VAR_DIR) / "courriels")
    chemin.mkdir(parents=True, exist_ok=True)
    return chemin


class CourrielsLisibles(BaseEmailBackend):
    def send_messages(self, email_messages):
        envoyes = 0
        for message in email_messages or []:
            horodatage = timezone.localtime().strftime("%Y%m%d-%H%M%S-%f")
            fichier = dossier() / f"{horodatage}.txt"
            texte = (
                f"De : {message.from_email}\n"
                f"À : {', '.join(message.to)}\n"
                + (f"Copie : {', '.join(message.cc)}\n" if message.cc else "")
                + f"Objet : {message.subject}\n"
                f"Date : {timezone.localtime():%d/%m/%Y %H:%M}\n\n{message.body}\n"
            )
            fichier.write_text(texte, encoding="utf-8")
            logger.info("e-mail « %s » écrit dans %s", message.subject, fichier)
            envoyes += 1
        return envoyes
