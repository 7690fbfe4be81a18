"""Demo data: one finished screening of 200 fictitious households for the demo CCAS, labelled "démo"."""

import tempfile
from pathlib import Path

from django.core.files.base import ContentFile

from repere.depistage import generateur
from repere.depistage.models import Depistage
from repere.organisations.models import Organisation

ORGANISATION = "CCAS de Chemillé-en-Anjou (démo)"
NOM_FICHIER = "menages-fictifs-demo.csv"


def charger() -> list[str]:
    from repere.depistage.services import creer_depistage, executer_depistage

    organisation = Organisation.objects.filter(nom=ORGANISATION).first()
    if organisation is None:
        return []
    depistage = Depistage.objects.filter(organisation=organisation, est_demo=True).first()
    if depistage is None:
        with tempfile.TemporaryDirectory() as dossier:
            chemin = Path(dossier) / NOM_FICHIER
            generateur.ecrire_csv(chemin, 200, graine=49092)
            contenu = ContentFile(chemin.read_bytes(), name=NOM_FICHIER)
        depistage = creer_depistage(organisation=organisation, user=None, fichier=contenu, est_demo=True)
        executer_depistage(depistage_id=depistage.pk)
    return [
        # the demo screening belongs to the CCAS: say who sees it (pro.cd49 has its own organisation, and none)
        f"repérage par fichier de démonstration du {ORGANISATION} (200 ménages fictifs, comptes du CCAS) : "
        f"/depistage/{organisation.pk}/{depistage.pk}/"
    ]
