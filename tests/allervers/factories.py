import datetime

import factory
from django.utils import timezone

from repere.allervers import services
from repere.allervers.models import Campagne, NoticeInformation
from repere.organisations.models import Role
from repere.territoires.models import Territoire
from tests.organisations.factories import OrganisationFactory, membre


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeInformation

    organisation = factory.SubFactory(OrganisationFactory)
    version = factory.Sequence(lambda n: f"2026-{n:02d}")
    titre = "Notice d'information aller-vers"
    texte = "Vos données sont utilisées pour vous accompagner dans l'accès à vos droits."
    base_legale = "Mission d'intérêt public (art. 6.1.e RGPD)"


def chemille():
    return Territoire.objects.get(type="commune", code="49092")


def campagne(
    *, organisation=None, equipe=(), debut=None, fin=None, secteurs=("Centre", "Les Mauges"), **kw
) -> Campagne:
    organisation = organisation or OrganisationFactory()
    pro = membre(organisation, Role.PROFESSIONNEL)
    aujourdhui = timezone.localdate()
    return services.creer_campagne(
        organisation=organisation,
        par=pro,
        nom=kw.pop("nom", "Porte-à-porte test"),
        type=kw.pop("type", "porte_a_porte"),
        territoires=kw.pop("territoires", [chemille()]),
        date_debut=debut or aujourdhui - datetime.timedelta(days=10),
        date_fin=fin or aujourdhui + datetime.timedelta(days=10),
        notice=NoticeFactory(organisation=organisation),
        secteurs=list(secteurs),
        equipe=equipe,
        **kw,
    )


REPONSES = {"age": 40, "enfants": 2, "logement": "locataire", "loyer": 500, "revenus": 800, "activite": "sans_emploi"}
RECONTACT = {"prenom": "Lou", "telephone": "06 12 34 56 78", "accord": True}
