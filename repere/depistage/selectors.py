"""Read operations of the batch screening."""

from __future__ import annotations

from django.db.models import QuerySet

from repere.organisations.permissions import ROLES_DONNEES_PERSONNELLES, organisations_de


def noms_communes(codes: list[str]) -> dict[str, str]:
    """INSEE code -> commune name (for the report); unknown codes are left out."""
    from repere.territoires.models import Territoire

    # A commune nouvelle keeps the code of one of its former communes (49092 is Chemillé-en-Anjou and its
    # commune déléguée Chemillé): the current commune's name wins over a delegated or associated one.
    rang = {"commune": 0, "arrondissement": 1}
    noms: dict[str, tuple[int, str]] = {}
    for i in range(0, len(codes), 900):
        for code, type_, nom in (
            Territoire.objects.filter(code__in=codes[i : i + 900])
            .exclude(type__in=["epci", "departement", "region"])
            .values_list("code", "type", "nom")
        ):
            candidat = (rang.get(type_, 2), nom)
            if code not in noms or candidat < noms[code]:
                noms[code] = candidat
    return {code: nom for code, (_rang, nom) in noms.items()}


def organisations_autorisees(user) -> QuerySet:
    """Organisations where the user may screen files (personal data: admin and professional roles)."""
    return organisations_de(user, ROLES_DONNEES_PERSONNELLES).order_by("nom")


def depistages_de(*, organisation) -> QuerySet:
    from repere.depistage.models import Depistage

    return Depistage.objects.filter(organisation=organisation).select_related("cree_par").order_by("-cree_le")


def activite_par_commune(*, du, au, secret: bool = True) -> dict[str, dict[str, float | None]]:
    """Batch-screening activity per commune (INSEE code) for the jobs finished between ``du`` and ``au``
    (dates), every organisation together; for each organisation only its latest job of the period counts
    (a file uploaded again replaces the previous one, households are not counted twice).

    Keys: ``menages_depistes``, ``menages_a_demander`` (at least one right « à demander »),
    ``montant_a_demander`` (monthly, €), and per benefit ``a_demander_<code>`` and ``montant_<code>``;
    ``demo`` is 1 where a demo job is counted. With ``secret`` (the default), the statistical secret
    (``repere.observatoire.secret.masquer``) is applied: a masked count or amount is None. The observatory
    reads with ``secret=False`` because it applies the same rule on publication, with the territory
    hierarchy as relations (``observatoire.services.publier``)."""
    from django.db.models import Max

    from repere.depistage.models import ActiviteCommune, Depistage, Statut

    derniers = (
        Depistage.objects.filter(
            statut__in=[Statut.TERMINE, Statut.EXPIRE],
            termine_le__date__range=(du, au),
            activite_communes__isnull=False,
        )
        .values("organisation")
        .annotate(dernier=Max("pk"))
        .values_list("dernier", flat=True)
    )
    resultat: dict[str, dict[str, float | None]] = {}
    for r in ActiviteCommune.objects.filter(depistage__in=list(derniers)).values(
        "commune", "prestation", "menages_depistes", "menages_a_demander", "montant_mensuel", "depistage__est_demo"
    ):
        d = resultat.setdefault(r["commune"], {})
        suffixe = f"_{r['prestation']}" if r["prestation"] else ""
        if not suffixe:
            d["menages_depistes"] = d.get("menages_depistes", 0) + r["menages_depistes"]
        cle_n = f"a_demander{suffixe}" if suffixe else "menages_a_demander"
        cle_m = f"montant{suffixe}" if suffixe else "montant_a_demander"
        d[cle_n] = d.get(cle_n, 0) + r["menages_a_demander"]
        d[cle_m] = round(d.get(cle_m, 0) + r["montant_mensuel"], 2)
        if r["depistage__est_demo"]:
            d["demo"] = 1
    if secret:
        _masquer_activite(resultat)
    return resultat


def _masquer_activite(resultat: dict[str, dict]) -> None:
    """The one statistical-secret rule: a count of 1 to 10 households is hidden, and so is an amount
    resting on fewer than 11 households (its count is the amount's denominator)."""
    from repere.observatoire import secret

    cellules = {}
    for code, d in resultat.items():
        for cle, valeur in d.items():
            if cle == "demo":
                continue
            if cle.startswith("montant"):
                base = "menages_a_demander" if cle == "montant_a_demander" else "a_demander" + cle[len("montant") :]
                cellules[(code, cle)] = secret.Cellule(denominateur=d.get(base, 0) or None)
            else:
                cellules[(code, cle)] = secret.Cellule(effectif=valeur)
    for code, cle in secret.masquer(cellules):
        resultat[code][cle] = None
