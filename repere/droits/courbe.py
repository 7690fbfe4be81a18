"""« Et si mon salaire change ? » : total resources and each benefit as the demandeur's net salary
goes from 0 to 3,000 €/month. One vectorised simulation over copies of the household."""

from __future__ import annotations

from repere.droits.a_demander import compte_dans_le_total
from repere.droits.menage import Activite, Menage, NatureRevenu, Revenu
from repere.droits.moteur import simuler_lot
from repere.droits.prestations import PAR_CODE

SALAIRE_MAX = 3000
PAS = 100
# Benefits that are money paid to the household (CSS is health cover, not income).
CODES_MONETAIRES = (
    "rsa",
    "ppa",
    "aide_logement",
    "af",
    "cf",
    "asf",
    "aah",
    "aspa",
    "ars",
    "cheque_energie",
    "bourse_college",
    "bourse_lycee",
)


def copie_avec_salaire(menage: Menage, salaire: float) -> Menage:
    personnes = []
    for p in menage.personnes:
        if p is menage.demandeur:
            revenus = [r for r in p.revenus if r.nature != NatureRevenu.SALAIRE]
            activite = p.activite
            if salaire > 0:
                revenus.append(Revenu(nature=NatureRevenu.SALAIRE, montant_mensuel=salaire))
                if activite not in (Activite.SALARIE, Activite.INDEPENDANT):
                    activite = Activite.SALARIE
            elif activite == Activite.SALARIE:
                activite = (
                    Activite.CHOMEUR if any(r.nature == NatureRevenu.CHOMAGE for r in revenus) else Activite.AUTRE
                )
            p = p.model_copy(update={"revenus": revenus, "activite": activite})
        personnes.append(p)
    return menage.model_copy(update={"personnes": personnes})


def courbe(menage: Menage, *, salaire_max: int = SALAIRE_MAX, pas: int = PAS) -> dict:
    salaires = list(range(0, salaire_max + 1, pas))
    copies = [copie_avec_salaire(menage, s) for s in salaires]
    resultats = simuler_lot(copies, prestations=CODES_MONETAIRES)
    autres = sum(
        r.moyenne_mensuelle * (-1 if r.nature == NatureRevenu.PENSION_ALIMENTAIRE_VERSEE else 1)
        for p in menage.personnes
        for r in p.revenus
        if not (p is menage.demandeur and r.nature == NatureRevenu.SALAIRE)
    )
    series = {code: [] for code in CODES_MONETAIRES}
    totaux = []
    for s, r in zip(salaires, resultats, strict=True):
        total = s + autres
        for code in CODES_MONETAIRES:
            p = r.prestation(code)
            montant = p.montant_mensuel if p and compte_dans_le_total(eligible=p.eligible) else 0.0
            series[code].append(round(montant, 2))
            total += montant
        totaux.append(round(total, 2))
    series = {code: v for code, v in series.items() if any(v)}
    falaises = [
        {"de": salaires[i - 1], "a": salaires[i], "perte": round(totaux[i - 1] - totaux[i], 2)}
        for i in range(1, len(totaux))
        if totaux[i] < totaux[i - 1]
    ]
    return {
        "salaires": salaires,
        "autres_revenus_mensuels": round(autres, 2),
        "total": totaux,
        "prestations": [
            {"code": code, "libelle": PAR_CODE[code].libelle, "montants_mensuels": v} for code, v in series.items()
        ],
        "falaises": falaises,
    }
