"""Turn OpenFisca values into results a person understands: eligible or not, why, what is missing.

Curated rules per benefit, reading the household's answers and a few OpenFisca intermediates
(resources taken into account, ceilings, forfait logement). No raw trace is shown.
"""

from __future__ import annotations

import numpy as np

from repere.droits.menage import Activite, Menage, NatureRevenu, NiveauScolaire, Role, StatutLogement
from repere.droits.prestations import PAR_CODE


def euros(x: float) -> str:
    """French formatting: 1 234,56 € (no decimals when round)."""
    x = round(float(x), 2)
    if abs(x - round(x)) < 0.005:
        texte = f"{round(x):,}".replace(",", "\u202f")
    else:
        texte = f"{x:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{texte} €"


def _v(valeurs: dict, variable: str, j: int, defaut=0.0):
    tab = valeurs.get(variable)
    if tab is None:
        return defaut
    x = tab[j]
    if isinstance(x, np.generic):
        x = x.item()
    return x


class _Contexte:
    """Everything the per-benefit rules need for household ``j`` of the batch."""

    def __init__(self, menage: Menage, j: int, valeurs: dict, contexte: dict):
        self.m = menage
        self.j = j
        self.valeurs = valeurs
        self.faits = contexte["faits"]
        self.structure = contexte["structure"]
        self.pertinence = contexte["pertinence"]
        self.jour = menage.premier_jour
        self.f = int(self.structure.famille_principale[j])
        self.rfr = float(self.faits["rfr"][self.f])
        self.rfr_declare = bool(self.faits["rfr_declare"][self.f])
        self.adultes = [p for p in menage.personnes if p.role in (Role.DEMANDEUR, Role.CONJOINT)]
        self.enfants = menage.enfants
        self.seul = menage.conjoint is None
        self.a_independant = any(
            r.nature == NatureRevenu.INDEPENDANT for p in menage.personnes for r in p.revenus if p.role != Role.AUTRE
        )

    def v(self, variable: str, defaut=0.0):
        return _v(self.valeurs, variable, self.j, defaut)

    def revenu_mensuel(self, *natures: NatureRevenu, personnes=None) -> float:
        personnes = personnes if personnes is not None else self.adultes
        return sum(r.moyenne_mensuelle for p in personnes for r in p.revenus if r.nature in natures)

    def age(self, p) -> int:
        return p.age_au(self.jour)

    @property
    def revenus_activite(self) -> float:
        return self.revenu_mensuel(NatureRevenu.SALAIRE, NatureRevenu.INDEPENDANT)


# --- one function per benefit: returns (montant, eligible, raisons, manquant) ----------------------------


def _rsa(c: _Contexte):
    montant = c.v("rsa")
    raisons, manquant = [], []
    d = c.m.demandeur
    jeune = c.age(d) < 25 and not c.enfants and not any(p.enceinte for p in c.adultes)
    if c.v("rsa_non_calculable", "calculable") != "calculable" or c.a_independant:
        return (
            montant,
            "incertain",
            [
                "Avec des revenus d'indépendant, le RSA se calcule sur le chiffre d'affaires déclaré : l'estimation est incertaine."
            ],
            ["Chiffre d'affaires et bénéfice des 3 derniers mois"],
        )
    if jeune:
        raisons.append(
            "Le RSA est réservé aux personnes de 25 ans ou plus, sauf avec un enfant à charge ou une grossesse "
            "(le « RSA jeune actif » demande 2 ans d'activité sur les 3 dernières années)."
        )
    if d.activite == Activite.ETUDIANT:
        raisons.append("Les étudiants n'ont en général pas droit au RSA, sauf revenus d'activité suffisants.")
    socle = c.v("rsa_socle")
    ressources = c.v("rsa_base_ressources")
    forfait = c.v("rsa_forfait_logement")
    if montant > 0 and socle:
        raisons.append(
            f"Montant forfaitaire pour votre foyer : {euros(socle)} par mois ; ressources prises en compte : "
            f"{euros(ressources)} (revenus des mois M-4 à M-2 et prestations familiales)."
        )
    elif montant > 0:
        raisons.append(
            "Vos ressources (revenus des mois M-4 à M-2) sont inférieures au montant forfaitaire de votre foyer."
        )
        if c.v("rsa_majore_eligibilite", False):
            raisons.append("Majoration pour parent isolé (enfant à charge ou grossesse, isolement) comprise.")
    elif not jeune and socle:
        raisons.append(
            f"Vos ressources prises en compte ({euros(ressources)} par mois, plus le forfait logement) dépassent "
            f"le montant forfaitaire de votre foyer ({euros(socle)})."
        )
    if forfait > 0:
        raisons.append(_raison_forfait_logement(c, forfait))
    if c.seul and c.enfants and not c.m.isolement_recent and montant >= 0:
        manquant.append("Êtes-vous séparé(e) depuis moins de 18 mois ? (RSA majoré pour parent isolé)")
    return montant, "oui" if montant > 0 else "non", raisons, manquant


def _raison_forfait_logement(c: _Contexte, forfait: float) -> str:
    statut = c.m.logement.statut
    if statut == StatutLogement.HEBERGE_GRATUITEMENT:
        motif = "vous êtes hébergé(e) gratuitement"
    elif statut in (StatutLogement.PROPRIETAIRE,):
        motif = "vous êtes propriétaire sans loyer à payer"
    else:
        motif = "vous percevez une aide au logement"
    return f"Un forfait logement de {euros(forfait)} est compté dans vos ressources car {motif}."


def _ppa(c: _Contexte):
    montant = c.v("ppa")
    raisons, manquant = [], []
    if c.a_independant:
        return (
            montant,
            "incertain",
            [
                "Pour un travailleur indépendant, la prime d'activité se calcule sur le chiffre d'affaires déclaré "
                "chaque trimestre : l'estimation est incertaine."
            ],
            ["Chiffre d'affaires des 3 derniers mois"],
        )
    if c.revenus_activite <= 0:
        raisons.append("La prime d'activité suppose des revenus d'activité (salaire ou activité indépendante).")
    elif montant > 0:
        raisons.append(
            f"Vous travaillez ({euros(c.revenus_activite)} par mois pour le foyer) et vos ressources restent "
            "modestes : la prime complète vos revenus."
        )
    else:
        base = c.v("ppa_base_ressources")
        detail = f" ({euros(base)} par mois prises en compte)" if base else ""
        raisons.append(
            f"Vos ressources{detail} sont trop élevées pour votre composition familiale, ou la prime calculée "
            "est inférieure à 15 € (non versée)."
        )
    if c.age(c.m.demandeur) < 18:
        raisons.append("La prime d'activité est ouverte à partir de 18 ans.")
    if any(p.activite == Activite.ETUDIANT for p in c.adultes) and montant <= 0:
        manquant.append(
            "Étudiant(e) : la prime est possible si vous gagnez au moins 78 % du SMIC net (environ 1 100 €)."
        )
    return montant, "oui" if montant > 0 else "non", raisons, manquant


def _aide_logement(c: _Contexte):
    montant = c.v("aide_logement")
    raisons, manquant = [], []
    statut = c.m.logement.statut
    if statut in (StatutLogement.HEBERGE_GRATUITEMENT, StatutLogement.SANS_DOMICILE):
        raisons.append("Les aides au logement aident à payer un loyer : sans loyer, pas d'aide.")
        return 0.0, "non", raisons, manquant
    if statut == StatutLogement.PROPRIETAIRE:
        raisons.append("Un propriétaire qui ne rembourse plus de prêt n'a pas droit aux aides au logement.")
        return 0.0, "non", raisons, manquant
    if c.v("aide_logement_non_calculable", "calculable") != "calculable":
        return (
            montant,
            "incertain",
            ["En foyer ou résidence, le montant dépend de la convention du foyer : demandez au gestionnaire."],
            ["Le foyer est-il conventionné APL (résidence sociale, FJT) ?"],
        )
    if montant > 0:
        if c.v("apl") > 0:
            type_aide = "APL (logement conventionné)"
        elif c.v("alf") > 0:
            type_aide = "ALF (allocation de logement familiale)"
        else:
            type_aide = "ALS (allocation de logement sociale)"
        base = c.v("aide_logement_base_ressources")
        detail = f" ({euros(base)} par an prises en compte)" if base else ""
        raisons.append(
            f"{type_aide} : calculée sur votre loyer ({euros(c.m.logement.loyer)}, plafonné selon la zone), "
            f"la composition du foyer et les ressources des 12 derniers mois{detail}."
        )
    else:
        base = c.v("aide_logement_base_ressources")
        detail = f" ({euros(base)} par an prises en compte)" if base else ""
        raisons.append(
            f"Vos ressources{detail} sont trop élevées par rapport à votre loyer et à la composition du foyer."
        )
    if statut == StatutLogement.ACCEDANT:
        manquant.append("Prêt signé avant 2018 ou logement ancien en zone 3 ? (l'aide à l'accession est limitée)")
    if c.m.logement.charges == 0:
        manquant.append("Charges locatives (un forfait est appliqué de toute façon)")
    eligible = "incertain" if c.a_independant and montant > 0 else ("oui" if montant > 0 else "non")
    return montant, eligible, raisons, manquant


def _css_gratuite(c: _Contexte):
    gratuite = bool(c.v("cmu_c", False))
    raisons = []
    ressources = c.v("css_cmu_base_ressources")
    plafond = c.v("cmu_c_plafond")
    if c.m.montant_recu("rsa") > 0 and gratuite:
        raisons.append("Les allocataires du RSA y ont droit sans condition supplémentaire.")
    if gratuite and plafond:
        raisons.append(
            f"Ressources des 12 derniers mois ({euros(ressources)}) inférieures au plafond de votre foyer "
            f"({euros(plafond)}) : mutuelle gratuite."
        )
    elif gratuite:
        raisons.append("Ressources des 12 derniers mois sous le plafond de votre foyer : mutuelle gratuite.")
    elif plafond:
        raisons.append(
            f"Ressources des 12 derniers mois ({euros(ressources)}) au-dessus du plafond de la CSS gratuite "
            f"({euros(plafond)})."
        )
    return 0.0, "oui" if gratuite else "non", raisons, []


def _css_participation(c: _Contexte):
    participation = c.v("css_participation_forfaitaire")
    gratuite = bool(c.v("cmu_c", False))
    raisons = []
    if gratuite:
        raisons.append("Vous pouvez avoir la complémentaire santé solidaire sans participation (voir plus haut).")
        return 0.0, "non", raisons, []
    plafond = c.v("acs_plafond")
    detail = f" ({euros(plafond)} par an pour votre foyer)" if plafond else ""
    if participation > 0:
        raisons.append(
            f"Ressources entre les deux plafonds{detail} : mutuelle pour {euros(participation)} par mois pour "
            "tout le foyer, au lieu d'une mutuelle classique."
        )
        return 0.0, "oui", raisons, []
    raisons.append(f"Ressources des 12 derniers mois au-dessus du plafond{detail}.")
    return 0.0, "non", raisons, []


def _cheque_energie(c: _Contexte):
    montant = c.v("cheque_energie")
    raisons, manquant = [], []
    if c.m.logement.statut == StatutLogement.SANS_DOMICILE:
        raisons.append(
            "Le chèque énergie est envoyé au logement déclaré aux impôts : il faut un logement imposable à la taxe d'habitation."
        )
    annee_n2 = int(c.m.mois[:4]) - 2
    if montant > 0:
        raisons.append(
            f"Revenu fiscal de référence {annee_n2} ({euros(c.rfr)}) sous le plafond, rapporté au nombre d'unités "
            "de consommation du logement."
        )
    else:
        raisons.append(
            f"Revenu fiscal de référence {annee_n2} ({euros(c.rfr)}) trop élevé pour la composition du logement."
        )
    if not c.rfr_declare:
        manquant.append(f"Revenu fiscal de référence {annee_n2} (avis d'impôt {annee_n2 + 1}) : il a été estimé")
    return montant, "oui" if montant > 0 else "non", raisons, manquant


def _aah(c: _Contexte):
    montant = c.v("aah")
    raisons, manquant = [], []
    taux = max((p.taux_incapacite for p in c.adultes), default=0)
    if taux < 50:
        raisons.append("L'AAH demande un taux d'incapacité reconnu par la MDPH d'au moins 50 %.")
        if taux == 0:
            manquant.append("Un taux d'incapacité a-t-il été reconnu par la MDPH ?")
        return 0.0, "non", raisons, manquant
    rsdae = any(p.restriction_emploi for p in c.adultes if p.taux_incapacite >= 50)
    if taux < 80 and not rsdae:
        raisons.append(
            "Avec un taux de 50 à 79 %, l'AAH demande que la MDPH reconnaisse une restriction substantielle "
            "et durable d'accès à l'emploi."
        )
        manquant.append("La MDPH a-t-elle reconnu une restriction substantielle et durable d'accès à l'emploi ?")
        return montant, "incertain" if montant <= 0 else "oui", raisons, manquant
    if montant > 0:
        raisons.append(
            "Taux d'incapacité suffisant et ressources inférieures au plafond ; depuis octobre 2023 les revenus "
            "du conjoint ne sont plus pris en compte."
        )
    else:
        raisons.append(
            "Ressources personnelles trop élevées, ou âge de la retraite atteint (l'ASPA prend alors le relais)."
        )
    return montant, "oui" if montant > 0 else "non", raisons, manquant


def _enfants_de_moins_de(c: _Contexte, age: int) -> int:
    return sum(1 for e in c.enfants if c.age(e) < age)


def _af(c: _Contexte):
    montant = c.v("af")
    raisons, manquant = [], []
    n = _enfants_de_moins_de(c, 20)
    if n < 2:
        raisons.append("Les allocations familiales sont versées à partir de 2 enfants à charge de moins de 20 ans.")
    elif montant > 0:
        raisons.append(f"{n} enfants à charge ; montant modulé selon le revenu fiscal de référence ({euros(c.rfr)}).")
    if not c.rfr_declare and montant > 0:
        manquant.append(
            "Revenu fiscal de référence N-2 : il a été estimé (le montant baisse au-delà de 77 000 € environ)"
        )
    return montant, "oui" if montant > 0 else "non", raisons, manquant


def _cf(c: _Contexte):
    montant = c.v("cf")
    raisons, manquant = [], []
    n = sum(1 for e in c.enfants if 3 <= c.age(e) < 21)
    if n < 3:
        raisons.append("Le complément familial demande au moins 3 enfants à charge de 3 à 21 ans.")
    elif montant > 0:
        raisons.append(f"{n} enfants de 3 à 21 ans et revenu fiscal de référence ({euros(c.rfr)}) sous le plafond.")
    else:
        raisons.append(f"Revenu fiscal de référence ({euros(c.rfr)}) au-dessus du plafond.")
    if not c.rfr_declare and n >= 3:
        manquant.append("Revenu fiscal de référence N-2 (avis d'impôt) : il a été estimé")
    return montant, "oui" if montant > 0 else "non", raisons, manquant


def _asf(c: _Contexte):
    montant = c.v("asf")
    raisons, manquant = [], []
    if not c.enfants:
        raisons.append("L'ASF concerne les personnes qui élèvent un enfant.")
    elif not c.seul:
        raisons.append("L'ASF est réservée à la personne qui élève seule un enfant (pas en couple).")
    elif montant > 0:
        recue = c.revenu_mensuel(NatureRevenu.PENSION_ALIMENTAIRE_RECUE)
        raisons.append(
            "Vous élevez seul(e) vos enfants"
            + (
                f" ; la pension alimentaire reçue ({euros(recue)}) est déduite."
                if recue
                else " sans pension alimentaire déclarée."
            )
        )
        manquant.append(
            "L'autre parent verse-t-il une pension alimentaire ? (l'ASF complète une pension faible ou absente)"
        )
    else:
        raisons.append("La pension alimentaire reçue dépasse le montant de l'ASF.")
    return montant, "oui" if montant > 0 else "non", raisons, manquant


def _ars(c: _Contexte):
    montant = c.v("ars_nette_crds")
    raisons, manquant = [], []
    n = sum(1 for e in c.enfants if 6 <= c.age(e) <= 18)
    if n == 0:
        raisons.append("L'ARS concerne les enfants scolarisés de 6 à 18 ans.")
    elif montant > 0:
        raisons.append(f"{n} enfant(s) de 6 à 18 ans ; revenu fiscal de référence ({euros(c.rfr)}) sous le plafond.")
    else:
        raisons.append(f"Revenu fiscal de référence ({euros(c.rfr)}) au-dessus du plafond pour {n} enfant(s).")
    if not c.rfr_declare and n:
        manquant.append("Revenu fiscal de référence N-2 (avis d'impôt) : il a été estimé")
    return montant, "oui" if montant > 0 else "non", raisons, manquant


def _aspa(c: _Contexte):
    montant = c.v("aspa")
    raisons, manquant = [], []
    age_max = max((c.age(p) for p in c.adultes), default=0)
    inapte = any(p.activite == Activite.INAPTE or p.taux_incapacite >= 50 for p in c.adultes)
    if age_max < 62 or (age_max < 65 and not inapte):
        raisons.append("L'ASPA est ouverte à partir de 65 ans (62 ans en cas d'inaptitude au travail ou de handicap).")
    elif montant > 0:
        raisons.append(
            "Âge atteint et ressources (retraites brutes comprises) sous le plafond du minimum vieillesse : "
            "l'ASPA complète vos ressources jusqu'à ce plafond."
        )
        manquant.append("Avez-vous demandé toutes vos retraites (de base et complémentaires) ? C'est une condition.")
    else:
        raisons.append("Vos ressources (retraites brutes comprises) dépassent le plafond du minimum vieillesse.")
    return montant, "oui" if montant > 0 else "non", raisons, manquant


def _bourse(c: _Contexte, niveau: NiveauScolaire, variable: str, nom: str):
    montant = c.v(variable)
    raisons, manquant = [], []
    n = sum(1 for e in c.enfants if e.niveau_scolaire == niveau)
    if n == 0:
        raisons.append(f"Aucun enfant au {nom} déclaré.")
    elif montant > 0:
        raisons.append(
            f"{n} enfant(s) au {nom} ; revenu fiscal de référence ({euros(c.rfr)}) sous le plafond pour "
            f"{len(c.enfants)} enfant(s) à charge. Montant pour l'année scolaire."
        )
    else:
        raisons.append(
            f"Revenu fiscal de référence ({euros(c.rfr)}) au-dessus du plafond pour {len(c.enfants)} enfant(s)."
        )
    if not c.rfr_declare and n:
        manquant.append("Revenu fiscal de référence N-2 (avis d'impôt N-1) : il a été estimé")
    return montant, "oui" if montant > 0 else "non", raisons, manquant


REGLES = {
    "rsa": _rsa,
    "ppa": _ppa,
    "aide_logement": _aide_logement,
    "css_gratuite": _css_gratuite,
    "css_participation": _css_participation,
    "cheque_energie": _cheque_energie,
    "aah": _aah,
    "af": _af,
    "cf": _cf,
    "asf": _asf,
    "ars": _ars,
    "aspa": _aspa,
    "bourse_college": lambda c: _bourse(c, NiveauScolaire.COLLEGE, "bourse_college", "collège"),
    "bourse_lycee": lambda c: _bourse(c, NiveauScolaire.LYCEE, "bourse_lycee", "lycée"),
}


def hypotheses(c: _Contexte) -> list[str]:
    out = []
    annee = int(c.m.mois[:4])
    if not c.rfr_declare:
        out.append(
            f"Revenu fiscal de référence {annee - 2} estimé à {euros(c.rfr)} à partir des revenus actuels "
            "(90 % des revenus imposables sur 12 mois) : à vérifier sur l'avis d'impôt."
        )
    if any(p.date_naissance is None for p in c.m.personnes):
        out.append("Dates de naissance déduites des âges.")
    if any(r.montants_3_derniers_mois is None for p in c.m.personnes for r in p.revenus):
        out.append("Revenus supposés stables sur les 2 dernières années.")
    else:
        out.append("Revenus plus anciens que 3 mois supposés égaux à la moyenne des 3 derniers mois.")
    recues = [p.code for p in c.m.prestations_recues]
    out.append(
        "Prestations déjà perçues comptées pour les mois passés"
        + (f" ({', '.join(recues)})" if recues else " : aucune déclarée")
        + " ; elles ne sont pas recalculées."
    )
    return out


def resultat(menage: Menage, j: int, *, valeurs: dict, contexte: dict, tableaux, mode: str, moteur: dict):
    """The explained result of household ``j``: amounts and eligibility are row ``j`` of ``tableaux``
    (``repere.droits.lot.ResultatsLot``, the batch path's arrays); this adds the reasons, what is
    missing and how to apply."""
    from repere.droits.lot import ELIGIBILITES
    from repere.droits.moteur import CommentDemanderSchema, ResultatPrestation, ResultatSimulation

    c = _Contexte(menage, j, valeurs, contexte)
    prestations = []
    montants = tableaux.montant[j].tolist()
    mensuels = tableaux.montant_mensuel[j].tolist()
    eligibles = tableaux.eligible[j].tolist()
    recus = tableaux.recu[j].tolist()
    for k, code in enumerate(tableaux.codes):
        fiche = PAR_CODE[code]
        _, _, raisons, manquant = REGLES[code](c)
        eligible = ELIGIBILITES[eligibles[k]]
        recu = recus[k]
        prestations.append(
            ResultatPrestation(
                code=code,
                libelle=fiche.libelle,
                eligible=eligible,
                montant=montants[k],
                periode=fiche.periode,
                montant_mensuel=mensuels[k],
                raisons=raisons,
                manquant=manquant,
                comment_demander=CommentDemanderSchema(**fiche.comment_demander.en_dict()),
                recu=recu or None,
                a_demander=eligible in ("oui", "incertain") and not recu,
            )
        )
    _avertir_cumul(prestations)
    trier(prestations)
    total = round(sum(p.montant_mensuel for p in prestations if p.eligible == "oui"), 2)
    a_demander = round(sum(p.montant_mensuel for p in prestations if p.eligible == "oui" and p.a_demander), 2)
    return ResultatSimulation(
        mois=menage.mois,
        mode=mode,
        prestations=prestations,
        total_mensuel=total,
        total_a_demander_mensuel=a_demander,
        hypotheses=hypotheses(c),
        revenu_fiscal_reference=c.rfr,
        revenu_fiscal_reference_estime=not c.rfr_declare,
        moteur=moteur,
    )


_RESSOURCES_DU_RSA = ("af", "cf", "asf", "aide_logement")


def _avertir_cumul(prestations: list) -> None:
    """Benefits still to claim are not in the past resources of RSA / prime d'activité: say that
    their amounts will go down once those benefits are paid."""
    a_demander = [p for p in prestations if p.code in _RESSOURCES_DU_RSA and p.eligible == "oui" and p.a_demander]
    if not a_demander:
        return
    noms = ", ".join(p.libelle for p in a_demander)
    for p in prestations:
        if p.code in ("rsa", "ppa") and p.eligible == "oui":
            p.raisons.append(
                f"Ce montant baissera si vous obtenez aussi : {noms} (elles comptent dans les ressources "
                "des mois suivants)."
            )


_ORDRE_ELIGIBLE = {"oui": 0, "incertain": 1, "non": 2}


def trier(prestations: list) -> None:
    """Eligible first, then by monthly amount (largest first)."""
    prestations.sort(key=lambda p: (_ORDRE_ELIGIBLE[p.eligible], -p.montant_mensuel))
