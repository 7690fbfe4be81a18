"""Reads of the outreach module: dashboards and TZNR indicators, always computed from the records
(live tables plus the anonymised statistics tables), never typed in."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Func, IntegerField, Q, Sum
from django.utils import timezone

from repere.allervers import referentiels
from repere.allervers.models import (
    Campagne,
    CompteurJour,
    Contact,
    ContactBesoin,
    ContactDroit,
    DroitAnonymise,
    DroitSuivi,
    OrientationPersonne,
    Personne,
    PersonneAnonymisee,
    Rappel,
    StatutDroit,
)
from repere.allervers.permissions import note_privee_pour
from repere.territoires.models import Territoire
from repere.territoires.selectors import communes_de

ZERO = Decimal("0")


@dataclass
class Filtre:
    campagnes: list[int]
    territoire: Territoire | None = None
    du: datetime.date | None = None
    au: datetime.date | None = None
    communes: list[int] | None = field(default=None, init=False)

    def __post_init__(self):
        if self.territoire is not None:
            self.communes = list(communes_de(self.territoire).values_list("pk", flat=True))
            # A territory that covers every commune of the campaigns filters nothing out: the daily
            # counters then answer (contacts whose commune was not given count in such a territory).
            if _communes_des_campagnes(self.campagnes) <= set(self.communes):
                self.communes = None

    def periode(self, champ: str) -> Q:
        q = Q()
        if self.du:
            q &= Q(**{f"{champ}__gte": self.du})
        if self.au:
            q &= Q(**{f"{champ}__lte": self.au})
        return q


def _communes_des_campagnes(ids: list[int]) -> set[int]:
    communes = set()
    for t in Territoire.objects.filter(
        pk__in=Campagne.territoires.through.objects.filter(campagne_id__in=ids).values("territoire_id")
    ):
        communes.update(communes_de(t).values_list("pk", flat=True))
    return communes


def _contacts(f: Filtre):
    qs = Contact.objects.filter(campagne_id__in=f.campagnes).filter(f.periode("date"))
    if f.communes is not None:
        qs = qs.filter(commune_id__in=f.communes)
    return qs


def _sous_contacts(model, f: Filtre):
    """Needs or spotted rights of the filtered contacts, on their own copied date and commune."""
    qs = model.objects.filter(campagne_id__in=f.campagnes).filter(f.periode("date"))
    if f.communes is not None:
        qs = qs.filter(commune_id__in=f.communes)
    return qs


def _debut_jour(jour: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time.min))


def _personnes(f: Filtre):
    qs = Personne.objects.filter(campagne_id__in=f.campagnes)
    if f.du:
        qs = qs.filter(cree_le__gte=_debut_jour(f.du))
    if f.au:
        qs = qs.filter(cree_le__lt=_debut_jour(f.au + datetime.timedelta(days=1)))
    if f.communes is not None:
        qs = qs.filter(commune_id__in=f.communes)
    return qs


def _personnes_anonymisees(f: Filtre):
    qs = PersonneAnonymisee.objects.filter(campagne_id__in=f.campagnes).filter(f.periode("cree_mois"))
    if f.communes is not None:
        codes = Territoire.objects.filter(pk__in=f.communes).values_list("code", flat=True)
        qs = qs.filter(commune_code__in=list(codes))
    return qs


def _libelle_prestation(code: str) -> str:
    from repere.droits.prestations import PAR_CODE

    p = PAR_CODE.get(code)
    return p.libelle if p else code


class JoursEntre(Func):
    """Whole days between two dates, computed by the database (date - date on PostgreSQL)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()

    def __init__(self, fin: str, debut: str):
        super().__init__(F(fin), F(debut))

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def _delais(sources, debut: str, fin: str) -> dict:
    """Median and mean number of days between two steps, exact, from a histogram computed in SQL
    (one row per distinct delay instead of one row per right)."""
    histogramme = Counter()
    for qs in sources:
        for duree, n in (
            qs.filter(**{f"{debut}__isnull": False, f"{fin}__isnull": False, f"{fin}__gte": F(debut)})
            .annotate(delai=JoursEntre(fin, debut))
            .values_list("delai")
            .annotate(n=Count("id"))
            .values_list("delai", "n")
            .order_by()
        ):
            histogramme[int(duree)] += n
    total = sum(histogramme.values())
    if not total:
        return {"n": 0, "mediane": None, "moyenne": None}
    valeurs = sorted(histogramme.items())

    def rang(k):  # the k-th smallest delay (0-based)
        cumul = 0
        for jours, n in valeurs:
            cumul += n
            if k < cumul:
                return jours
        return valeurs[-1][0]

    mediane = rang(total // 2) if total % 2 else (rang(total // 2 - 1) + rang(total // 2)) / 2
    moyenne = round(sum(j * n for j, n in valeurs) / total, 1)
    return {"n": total, "mediane": mediane, "moyenne": moyenne}


def _agregats_vides() -> dict:
    return {
        "resume": {"total": 0, "suivi": 0, "orientes": 0},
        "orientations": Counter(),
        "jours": defaultdict(Counter),
        "besoins": Counter(),
        "reperes": defaultdict(lambda: {"probables": 0, "possibles": 0, "montant_mensuel": ZERO}),
    }


def _agregats_compteurs(f: Filtre, par_jour: bool) -> dict:
    """Contacts, needs and spotted rights from the daily counters (no territory filter): summed by
    key in SQL (a few dozen rows), plus the per-day sector rows for the dashboard."""
    a = _agregats_vides()
    compteurs = CompteurJour.objects.filter(campagne_id__in=f.campagnes).filter(f.periode("date"))
    for cle, n, montant in (
        compteurs.values_list("cle").annotate(n=Sum("n"), m=Sum("montant")).values_list("cle", "n", "m").order_by()
    ):
        genre, _, reste = cle.partition(":")
        if genre == "contacts":
            a["resume"]["total"] += n
        elif genre == "suivi":
            a["resume"]["suivi"] += n
        elif genre == "orientation":
            a["resume"]["orientes"] += n
            a["orientations"][reste] += n
        elif genre == "besoin":
            a["besoins"][reste] += n
        elif genre == "droit":
            prestation, _, certitude = reste.rpartition(":")
            r = a["reperes"][prestation]
            r["probables" if certitude == "probable" else "possibles"] += n
            r["montant_mensuel"] += montant or ZERO
    if par_jour:
        for date, cle, n in compteurs.filter(cle__startswith="secteur:").values_list("date", "cle", "n"):
            a["jours"][date][cle.removeprefix("secteur:") or "—"] += n
    return a


def _agregats_lignes(f: Filtre, par_jour: bool) -> dict:
    """The same from the rows, on their covering indexes (territory filter)."""
    a = _agregats_vides()
    groupes = ["orientation_proposee"] + (["date", "secteur"] if par_jour else [])
    for ligne in (
        _contacts(f)
        .values_list(*groupes)
        .annotate(n=Count("id"), suivi=Count("id", filter=Q(suivi_souhaite=True)))
        .values_list(*groupes, "n", "suivi")
        .order_by()
    ):
        orientation, n, suivi = ligne[0], ligne[-2], ligne[-1]
        a["resume"]["total"] += n
        a["resume"]["suivi"] += suivi
        if orientation:
            a["resume"]["orientes"] += n
            a["orientations"][orientation] += n
        if par_jour:
            a["jours"][ligne[1]][ligne[2] or "—"] += n
    for code, n in (
        _sous_contacts(ContactBesoin, f)
        .values_list("thematique")
        .annotate(n=Count("id"))
        .values_list("thematique", "n")
    ):
        a["besoins"][code] += n
    for prestation, certitude, n, montant in (
        _sous_contacts(ContactDroit, f)
        .values_list("prestation", "certitude")
        .annotate(n=Count("id"), montant=Sum("montant_mensuel"))
        .values_list("prestation", "certitude", "n", "montant")
        .order_by()
    ):
        r = a["reperes"][prestation]
        r["probables" if certitude == "probable" else "possibles"] += n
        r["montant_mensuel"] += montant or ZERO
    return a


def indicateurs(*, campagnes, territoire=None, du=None, au=None, par_jour: bool = False) -> dict:
    """The TZNR indicators over campaigns (ids or queryset), optionally one territory and one period.

    Without a territory, contacts, needs and spotted rights come from the daily counters; with one,
    from the rows (their own covering indexes)."""
    f = Filtre(campagnes=[c if isinstance(c, int) else c.pk for c in campagnes], territoire=territoire, du=du, au=au)
    a = _agregats_compteurs(f, par_jour) if f.communes is None else _agregats_lignes(f, par_jour)
    resume, orientations_proposees, jours = a["resume"], a["orientations"], a["jours"]

    # Needs by theme (category of data·inclusion).
    besoins = Counter()
    for code, n in a["besoins"].items():
        besoins[referentiels.categorie_de(code)] += n
    besoins_detail = [
        {"code": c, "libelle": referentiels.libelle_thematique(c), "contacts": n} for c, n in besoins.most_common()
    ]
    # Rights spotted by the quick pre-screen (labels from the simulator's catalogue).
    reperes = sorted(
        ({"prestation": code, "libelle": _libelle_prestation(code), **r} for code, r in a["reperes"].items()),
        key=lambda r: (-r["probables"], r["libelle"]),
    )

    # Rights pipeline of identified people (live + anonymised), aggregated in the database.
    personnes = _personnes(f)
    anonymes = _personnes_anonymisees(f)
    nb_personnes = personnes.count() + anonymes.count()
    sources = [
        DroitSuivi.objects.filter(personne__in=personnes.values("pk")),
        DroitAnonymise.objects.filter(personne__in=anonymes.values("pk")),
    ]
    par_prestation = defaultdict(
        lambda: {
            "detectes": 0,
            "demarches": 0,
            "deposes": 0,
            "ouverts": 0,
            "refuses": 0,
            "abandonnes": 0,
            "estime_mensuel": ZERO,
            "confirme_mensuel": ZERO,
        }
    )
    libelles = {}
    for qs in sources:
        for prestation, libelle, statut, n, deposes, estime, confirme in (
            qs.values_list("prestation", "libelle", "statut")
            .annotate(
                n=Count("id"),
                deposes=Count("id", filter=Q(depose_le__isnull=False)),
                estime=Sum("montant_estime"),
                confirme=Sum("montant_confirme"),
            )
            .values_list("prestation", "libelle", "statut", "n", "deposes", "estime", "confirme")
            .order_by()
        ):
            libelles.setdefault(prestation, libelle)
            p = par_prestation[prestation]
            p["detectes"] += n
            if statut != StatutDroit.DETECTE:
                p["demarches"] += n
            if statut in (StatutDroit.DEPOSE, StatutDroit.OUVERT, StatutDroit.REFUSE):
                p["deposes"] += n
            elif statut in (StatutDroit.DEMARCHE, StatutDroit.ABANDONNE):
                p["deposes"] += deposes
            if statut == StatutDroit.OUVERT:
                p["ouverts"] += n
                p["confirme_mensuel"] += confirme or ZERO
            elif statut == StatutDroit.REFUSE:
                p["refuses"] += n
            elif statut == StatutDroit.ABANDONNE:
                p["abandonnes"] += n
            p["estime_mensuel"] += estime or ZERO
    droits = []
    for code, p in sorted(par_prestation.items(), key=lambda kv: (-kv[1]["detectes"], libelles[kv[0]])):
        droits.append(
            {
                "prestation": code,
                "libelle": libelles[code],
                **p,
                "estime_annuel": p["estime_mensuel"] * 12,
                "confirme_annuel": p["confirme_mensuel"] * 12,
            }
        )
    totaux = {
        k: sum((d[k] for d in droits), ZERO if "mensuel" in k or "annuel" in k else 0)
        for k in (
            "detectes",
            "demarches",
            "deposes",
            "ouverts",
            "refuses",
            "abandonnes",
            "estime_mensuel",
            "confirme_mensuel",
            "estime_annuel",
            "confirme_annuel",
        )
    }
    delais = {
        "detection_depot": _delais(sources, "detecte_le", "depose_le"),
        "depot_ouverture": _delais(sources, "depose_le", "ouvert_le"),
        "detection_ouverture": _delais(sources, "detecte_le", "ouvert_le"),
    }

    # Referrals: proposed at the door, and made through the directory from a record.
    libelles_orientation = dict(referentiels.ORIENTATIONS)
    orientations = {
        "proposees": [
            {"code": c, "libelle": libelles_orientation.get(c, c), "contacts": n}
            for c, n in sorted(orientations_proposees.items(), key=lambda kv: -kv[1])
        ],
        "annuaire": _orientations_annuaire(personnes),
        "annuaire_anonymisees": anonymes.aggregate(n=Sum("nb_orientations"))["n"] or 0,
    }
    resultat = {
        "contacts": resume["total"],
        "suivis_souhaites": resume["suivi"],
        "contacts_orientes": resume["orientes"],
        "personnes": nb_personnes,
        "besoins": besoins_detail,
        "reperes": reperes,
        "droits": droits,
        "totaux": totaux,
        "delais": delais,
        "orientations": orientations,
    }
    if par_jour:
        resultat["_jours"] = jours
    return resultat


def _orientations_annuaire(personnes) -> dict:
    ids = list(
        OrientationPersonne.objects.filter(personne__in=personnes.values("pk")).values_list("orientation_id", flat=True)
    )
    resultat = {"total": len(ids), "par_statut": []}
    if not ids:
        return resultat
    from repere.allervers import annuaire

    resultat["par_statut"] = annuaire.statuts_orientations(ids)
    return resultat


def tableau_de_bord(*, campagne: Campagne) -> dict:
    """The campaign dashboard: indicators plus contacts per day and sector, and open follow-ups."""
    ind = indicateurs(campagnes=[campagne.pk], par_jour=True)
    jours = ind.pop("_jours")
    secteurs = sorted({s for c in jours.values() for s in c}, key=lambda s: (s == "—", s))
    # Numbers as text: a long campaign has hundreds of rows, and localising each integer in the
    # template would cost more than the whole query.
    par_jour = [
        {"date": j, "total": str(sum(c.values())), "secteurs": [str(c.get(s, 0)) for s in secteurs]}
        for j, c in sorted(jours.items())
    ]
    personnes = Personne.objects.filter(campagne=campagne)
    suivis_ouverts = (
        personnes.filter(droits__statut__in=[StatutDroit.DETECTE, StatutDroit.DEMARCHE, StatutDroit.DEPOSE])
        .values("pk")
        .distinct()
        .count()
    )
    rappels = Rappel.objects.filter(personne__campagne=campagne, fait_le__isnull=True).count()
    return {
        **ind,
        "par_jour": par_jour,
        "secteurs": secteurs,
        "suivis_ouverts": suivis_ouverts,
        "rappels_ouverts": rappels,
    }


def frise(*, personne: Personne, utilisateur) -> list[dict]:
    """The person's timeline, newest first. Private notes only for their author."""
    evenements = []
    for c in personne.contacts.select_related("campagne"):
        evenements.append({"date": c.date, "type": "contact", "objet": c})
    for e in personne.entretiens.select_related("auteur"):
        e.note_privee = note_privee_pour(e, utilisateur)
        evenements.append({"date": e.date, "type": "entretien", "objet": e})
    for s in personne.simulations.all():
        evenements.append({"date": s.lancee_le.date(), "type": "simulation", "objet": s})
    for d in personne.droits.all():
        for champ, libelle in (
            ("detecte_le", "Droit détecté"),
            ("demarche_le", "Démarche engagée"),
            ("depose_le", "Dossier déposé"),
            ("cloture_le", None),
        ):
            jour = getattr(d, champ)
            if jour:
                evenements.append(
                    {"date": jour, "type": "droit", "objet": d, "libelle": libelle or d.get_statut_display()}
                )
    for o in personne.orientations.all():
        evenements.append({"date": o.cree_le.date(), "type": "orientation", "objet": o})
    for consentement in personne.consentements.select_related("notice", "recueilli_par"):
        evenements.append({"date": consentement.recueilli_le.date(), "type": "accord", "objet": consentement})
    ordre = {"accord": 0, "contact": 1, "simulation": 2, "droit": 3, "orientation": 4, "entretien": 5}
    evenements.sort(key=lambda e: (e["date"], ordre[e["type"]]), reverse=True)
    return evenements


def _rappels_ouverts(*, user, horizon_jours: int):
    """Open reminders due within `horizon_jours` (overdue ones included) on the people the user may see
    (professionals and admins of the person's organisation, or of an organisation sharing the follow-up;
    nobody else: see permissions.personnes_visibles)."""
    from repere.allervers.permissions import personnes_visibles

    limite = timezone.localdate() + datetime.timedelta(days=horizon_jours)
    return (
        Rappel.objects.filter(personne__in=personnes_visibles(user), fait_le__isnull=True, echeance__lte=limite)
        .select_related("personne", "personne__organisation", "personne__referent", "auteur")
        .order_by("echeance", "pk")
    )


def _a_moi(user) -> Q:
    return Q(auteur=user) | Q(personne__referent=user)


def rappels_du_jour(*, user, horizon_jours: int = 7):
    """The user's reminders due within `horizon_jours` (overdue ones included), oldest first: those they
    wrote, and those on the people they are the referent of."""
    return _rappels_ouverts(user=user, horizon_jours=horizon_jours).filter(_a_moi(user))


def rappels_de_l_equipe(*, user, horizon_jours: int = 7):
    """The team's reminders: the other open reminders due within `horizon_jours` on the people the user's
    organisations follow (a colleague's, or one whose author has left), oldest first. Same scope as the
    person records: a volunteer or an observer gets none."""
    return _rappels_ouverts(user=user, horizon_jours=horizon_jours).exclude(_a_moi(user))


def demandes_recontact(*, user):
    """Contacts of the user's organisations' campaigns where the person asked to be contacted again and
    no record exists yet, with whom to call (first name, phone or e-mail), oldest first. Professionals
    and admins only (volunteers never see them)."""
    from repere.allervers.models import DemandeRecontact
    from repere.allervers.permissions import organisations_donnees_personnelles

    orgs = organisations_donnees_personnelles(user)
    return (
        DemandeRecontact.objects.filter(
            contact__organisation_id__in=orgs, contact__personne__isnull=True, traitee_le__isnull=True
        )
        .select_related("contact__campagne", "contact__commune")
        .order_by("contact__date", "pk")
    )


def a_recontacter(*, user, limite: int = 50):
    return demandes_recontact(user=user)[:limite]


def mes_suivis(*, user):
    """People the user follows as referent."""
    from repere.allervers.permissions import personnes_visibles

    return personnes_visibles(user).filter(referent=user).select_related("commune")


def obstacles_comptes(*, communes: list[str] | None = None, du=None, au=None) -> list[dict]:
    """Counts of the obstacles recorded (anonymous rows), by obstacle, non-take-up type, body and
    month, optionally limited to communes (INSEE codes) and a period: the barometer's raw material."""
    from django.db.models import Count

    from repere.allervers.models import ObstacleRencontre

    qs = ObstacleRencontre.objects.all()
    if communes is not None:
        qs = qs.filter(commune__code__in=communes, commune__type="commune")
    if du:
        qs = qs.filter(mois__gte=du.replace(day=1))
    if au:
        qs = qs.filter(mois__lte=au)
    return list(
        qs.values("obstacle", "type_non_recours", "organisme", "source", "mois", "est_demo", "commune__code")
        .annotate(n=Count("id"))
        .order_by()
    )


def activite_par_commune(*, du: datetime.date, au: datetime.date) -> dict[str, dict[str, float]]:
    """Outreach activity per commune (INSEE code) over a period, every organisation together:
    contacts, rights spotted by the pre-screen, people followed, rights opened and refused, confirmed
    monthly amounts. Counts only; the observatory applies the statistical secret. ``demo`` is 1 where
    contacts of a demo campaign are counted."""
    from django.db.models import Count, Sum

    from repere.allervers.models import Contact, ContactDroit, DroitSuivi, StatutDroit

    resultat: dict[str, dict[str, float]] = {}

    def ajouter(code, cle, n):
        if code:
            resultat.setdefault(code, {})[cle] = float(n or 0)

    for r in (
        Contact.objects.filter(date__range=(du, au), commune__isnull=False)
        .values("commune__code", "campagne__est_demo")
        .annotate(n=Count("id"))
        .order_by()
    ):
        ajouter(r["commune__code"], "contacts", resultat.get(r["commune__code"], {}).get("contacts", 0) + r["n"])
        if r["campagne__est_demo"]:
            ajouter(r["commune__code"], "demo", 1)
    for r in (
        ContactDroit.objects.filter(date__range=(du, au), commune__isnull=False)
        .values("commune__code")
        .annotate(n=Count("id"))
        .order_by()
    ):
        ajouter(r["commune__code"], "droits_reperes", r["n"])
    droits = DroitSuivi.objects.filter(personne__commune__isnull=False, detecte_le__lte=au)
    for statut, cle in ((StatutDroit.OUVERT, "droits_ouverts"), (StatutDroit.REFUSE, "droits_refuses")):
        for r in (
            droits.filter(statut=statut, cloture_le__range=(du, au))
            .values("personne__commune__code")
            .annotate(n=Count("id"), montant=Sum("montant_confirme"))
            .order_by()
        ):
            ajouter(r["personne__commune__code"], cle, r["n"])
            if statut == StatutDroit.OUVERT:
                ajouter(r["personne__commune__code"], "montants_confirmes", r["montant"])
    for r in (
        droits.filter(detecte_le__range=(du, au))
        .values("personne__commune__code")
        .annotate(n=Count("personne", distinct=True))
        .order_by()
    ):
        ajouter(r["personne__commune__code"], "personnes_suivies", r["n"])
    return resultat
