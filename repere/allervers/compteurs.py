"""Daily counters of anonymous contacts (see models.CompteurJour): increments written with each
contact, and a full rebuild from the contact rows (the truth) for repair and for bulk imports."""

from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum

from repere.allervers.models import CompteurJour, Contact, ContactBesoin, ContactDroit

ZERO = Decimal("0")


def cles_du_contact(*, contact: Contact, besoins, droits) -> dict[str, tuple[int, Decimal]]:
    cles = {"contacts": (1, ZERO)}
    if contact.suivi_souhaite:
        cles["suivi"] = (1, ZERO)
    cles[f"secteur:{contact.secteur}"] = (1, ZERO)
    if contact.orientation_proposee:
        cles[f"orientation:{contact.orientation_proposee}"] = (1, ZERO)
    for b in besoins:
        cles[f"besoin:{b}"] = (1, ZERO)
    for d in droits:
        cle = f"droit:{d['prestation']}:{d['certitude']}"
        n, m = cles.get(cle, (0, ZERO))
        cles[cle] = (n + 1, m + (d["montant_mensuel"] or ZERO))
    return cles


def incrementer(*, campagne_id: int, date, cles: dict[str, tuple[int, Decimal]]) -> None:
    """Add to the day's counters (inside the caller's transaction)."""
    for cle, (n, montant) in cles.items():
        filtre = {"campagne_id": campagne_id, "date": date, "cle": cle}
        if CompteurJour.objects.filter(**filtre).update(n=F("n") + n, montant=F("montant") + montant):
            continue
        try:
            with transaction.atomic():
                CompteurJour.objects.create(**filtre, n=n, montant=montant)
        except IntegrityError:  # created meanwhile by a concurrent contact
            CompteurJour.objects.filter(**filtre).update(n=F("n") + n, montant=F("montant") + montant)


@transaction.atomic
def recalculer(*, campagnes=None, modeles=None) -> int:
    """Rebuild the counters of `campagnes` (ids; all when None) from the contact rows.
    `modeles` (Contact, ContactBesoin, ContactDroit, CompteurJour) lets a migration pass its historical models."""
    modele_contact, modele_besoin, modele_droit, modele_compteur = modeles or (
        Contact,
        ContactBesoin,
        ContactDroit,
        CompteurJour,
    )
    contacts = modele_contact.objects.all()
    besoins = modele_besoin.objects.all()
    droits = modele_droit.objects.all()
    compteurs = modele_compteur.objects.all()
    if campagnes is not None:
        contacts, besoins, droits, compteurs = (
            qs.filter(campagne_id__in=list(campagnes)) for qs in (contacts, besoins, droits, compteurs)
        )
    valeurs = defaultdict(lambda: [0, ZERO])

    def ajouter(campagne, date, cle, n, montant=ZERO):
        v = valeurs[(campagne, date, cle)]
        v[0] += n
        v[1] += montant or ZERO

    for campagne, date, secteur, orientation, n, suivi in (
        contacts.values_list("campagne_id", "date", "secteur", "orientation_proposee")
        .annotate(n=Count("id"), suivi=Count("id", filter=Q(suivi_souhaite=True)))
        .values_list("campagne_id", "date", "secteur", "orientation_proposee", "n", "suivi")
        .order_by()
    ):
        ajouter(campagne, date, "contacts", n)
        if suivi:
            ajouter(campagne, date, "suivi", suivi)
        ajouter(campagne, date, f"secteur:{secteur}", n)
        if orientation:
            ajouter(campagne, date, f"orientation:{orientation}", n)
    for campagne, date, thematique, n in (
        besoins.values_list("campagne_id", "date", "thematique").annotate(n=Count("id")).order_by()
    ):
        ajouter(campagne, date, f"besoin:{thematique}", n)
    for campagne, date, prestation, certitude, n, montant in (
        droits.values_list("campagne_id", "date", "prestation", "certitude")
        .annotate(n=Count("id"), montant=Sum("montant_mensuel"))
        .order_by()
    ):
        ajouter(campagne, date, f"droit:{prestation}:{certitude}", n, montant)
    compteurs.delete()
    modele_compteur.objects.bulk_create(
        [modele_compteur(campagne_id=c, date=d, cle=k, n=n, montant=m) for (c, d, k), (n, m) in valeurs.items()],
        batch_size=2000,
    )
    return len(valeurs)
