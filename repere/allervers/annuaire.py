"""Referrals through the directory (repere.annuaire): search a service for a person's needs, refer
them with ``creer_orientation`` (the directory's service, never a copy), and read back statuses."""

from django.db.models import Count

from repere.allervers import referentiels, services
from repere.allervers.models import Finalite, Personne
from repere.utils.errors import ErreurMetier

RAYON_KM = 30


def origine(personne: Personne) -> str:
    return f"allervers:{personne.pk}"


def services_proposes(*, personne: Personne, thematiques: list[str], texte: str = "", limite: int = 30):
    """Services of the directory near the person's commune for these needs, nearest first; `texte`
    (words of the service's or structure's name or description) narrows the list."""
    from repere.annuaire.selectors import Criteres, charger_services, rechercher

    criteres = Criteres(
        commune=personne.commune, rayon_km=RAYON_KM, thematiques=list(thematiques), texte=(texte or "")[:100]
    )
    return [r for r in charger_services(rechercher(criteres, limite=limite)) if r.service is not None]


MESSAGE_MAX = 2000
# Public bodies refer people under their public-interest mission; other organisations on consent.
TYPES_MISSION_PUBLIQUE = {"ccas", "departement", "france_services", "organisme_social", "etat", "collectivite"}


def base_legale_preset(*, personne: Personne, organisation) -> str:
    """The legal basis of a referral, preset from the purpose the person agreed to (the notice read to
    them states it), else from the kind of organisation that follows them."""
    from repere.annuaire.models import BaseLegale

    accord = (
        personne.consentements.filter(finalite=Finalite.SUIVI, retire_le__isnull=True).select_related("notice").first()
    )
    texte = (accord.notice.base_legale if accord else "").lower()
    for indices, base in (
        (("6.1.e", "intérêt public", "interet public", "mission"), BaseLegale.MISSION_PUBLIQUE),
        (("6.1.c", "obligation"), BaseLegale.OBLIGATION_LEGALE),
        (("6.1.f", "légitime", "legitime"), BaseLegale.INTERET_LEGITIME),
        (("6.1.a", "consentement"), BaseLegale.CONSENTEMENT),
    ):
        if any(i in texte for i in indices):
            return base
    if getattr(organisation, "type", "") in TYPES_MISSION_PUBLIQUE:
        return BaseLegale.MISSION_PUBLIQUE
    return BaseLegale.CONSENTEMENT


def orienter(
    *,
    personne: Personne,
    par,
    organisation,
    service_id: int,
    besoins: list[str],
    base_legale: str,
    message: str = "",
):
    from repere.annuaire.models import Service
    from repere.annuaire.services import creer_orientation

    service = Service.objects.filter(pk=service_id).first()
    if service is None:
        raise ErreurMetier("Service introuvable dans l'annuaire.", champ="service")
    accord = (
        personne.consentements.filter(finalite=Finalite.SUIVI, retire_le__isnull=True)
        .select_related("notice", "recueilli_par")
        .first()
    )
    if accord is None:
        raise ErreurMetier("L'accord de la personne a été retiré : elle ne peut pas être orientée.", champ="accord")
    if not besoins:
        raise ErreurMetier("Choisissez au moins un besoin motivant l'orientation.", champ="besoins")
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise ErreurMetier(
            f"Le message à la structure dépasse {MESSAGE_MAX} caractères ({len(message)}) : raccourcissez-le.",
            champ="message",
        )
    motif = "Besoins : " + " ; ".join(referentiels.libelle_thematique(b) for b in besoins)
    if message:
        motif += f"\n\nMessage de {organisation} : {message}"
    orientation = creer_orientation(
        emetteur=par,
        organisation_emettrice=organisation,
        service=service,
        personne={
            "prenom": personne.prenom,
            "nom": personne.nom,
            "telephone": personne.telephone,
            "courriel": personne.email,
            "commune": personne.commune.nom if personne.commune else "",
        },
        besoins=motif,
        consentement={
            "informe_par": str(accord.recueilli_par or par),
            "le": accord.recueilli_le,
            "version_notice": accord.notice.version,
            "base_legale": base_legale,
        },
        origine=origine(personne),
    )
    services.lier_orientation(personne=personne, par=par, orientation_id=orientation.pk)
    return orientation


def orientations_de(*, personne: Personne, user):
    from repere.annuaire.selectors import orientations_par_origine

    return orientations_par_origine(origine=origine(personne), user=user).select_related("service")


def statuts_orientations(ids: list[int]) -> list[dict]:
    from repere.annuaire.models import Orientation, ResultatOrientation, StatutOrientation

    statuts = dict(StatutOrientation.choices)
    resultats = dict(ResultatOrientation.choices)
    lignes = (
        Orientation.objects.filter(pk__in=ids).values("statut", "resultat").annotate(n=Count("id")).order_by("statut")
    )
    return [
        {
            "statut": statuts.get(r["statut"], r["statut"]),
            "resultat": resultats.get(r["resultat"], "") if r["resultat"] else "",
            "n": r["n"],
        }
        for r in lignes
    ]
