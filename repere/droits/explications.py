"""Turn the engine's values into results a person understands: eligible or not, why, what is missing.

Eligibility and amounts are decided ONCE, by the array path (``repere.droits.lot`` through the
coherent combination ``repere.droits.combinaison``); this module never decides them again. Every
sentence that states a fact about the household (a benefit received, a resource counted, a
threshold passed) is built from the computed values it quotes, and is only said when those values
make it true (tests/droits/test_explications.py checks it on random households). Plain French:
short sentences, amounts rounded to the euro, months spelled out, « 1 enfant » / « 2 enfants ».
"""

from __future__ import annotations

import numpy as np

from repere.droits import a_demander as regle
from repere.droits.combinaison import a_change
from repere.droits.menage import Activite, Menage, NatureRevenu, NiveauScolaire, Role, StatutLogement
from repere.droits.prestations import NOMS_COURTS, NOMS_RECUS, PAR_CODE
from repere.droits.schemas import CommentDemanderSchema, ResultatPrestation, ResultatSimulation
from repere.droits.textes import euros, liste, mois_reference, pluriel
from repere.utils.text import de


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
        injections = contexte.get("injections") or {}
        # Benefits estimated as obtained (probable, not declared), counted as received in past months.
        self.estimees = {c: float(v[j]) for c, v in injections.items() if float(v[j]) > 0}
        self.declarees = {r.code for r in menage.prestations_recues}

    def v(self, variable: str, defaut=0.0):
        return _v(self.valeurs, variable, self.j, defaut)

    def revenu_mensuel(self, *natures: NatureRevenu, personnes=None) -> float:
        personnes = personnes if personnes is not None else self.adultes
        return sum(r.moyenne_mensuelle for p in personnes for r in p.revenus if r.nature in natures)

    def age(self, p) -> int:
        return p.age_au(self.jour)

    def recue_ou_estimee(self, code: str) -> str | None:
        """ "declaree" (declared as received with an amount), "estimee" (to claim, counted), or None."""
        if code in self.declarees and self.m.montant_recu(code) > 0:
            return "declaree"
        if code in self.estimees:
            return "estimee"
        return None

    @property
    def revenus_activite(self) -> float:
        return self.revenu_mensuel(NatureRevenu.SALAIRE, NatureRevenu.INDEPENDANT)

    @property
    def annee_n2(self) -> int:
        return int(self.m.mois[:4]) - 2


def _rfr(c: _Contexte) -> str:
    return f"revenu fiscal de référence {c.annee_n2} ({euros(c.rfr)}, sur l'avis d'impôt {c.annee_n2 + 1})"


# --- one function per benefit: returns (raisons, manquant) ------------------------------------------------


def _motif_forfait(c: _Contexte) -> str:
    """Why a forfait logement is counted, from the household's answers and the benefits counted."""
    etat = c.recue_ou_estimee("aide_logement")
    if etat == "declaree":
        return "vous recevez une aide au logement"
    if etat == "estimee":
        return "vous devriez recevoir une aide au logement (elle est comptée comme déjà obtenue)"
    statut = c.m.logement.statut
    if statut == StatutLogement.HEBERGE_GRATUITEMENT:
        return "vous êtes logé(e) gratuitement"
    if statut in (StatutLogement.PROPRIETAIRE, StatutLogement.ACCEDANT):
        return "vous êtes propriétaire de votre logement"
    return "votre logement vous coûte peu"


def _rsa(c: _Contexte, e: str):
    montant = c.v("rsa")
    raisons, manquant = [], []
    d = c.m.demandeur
    if e == "incertain":
        return (
            [
                "Avec des revenus d'indépendant, le RSA se calcule sur le chiffre d'affaires déclaré. Le montant est incertain."
            ],
            ["Chiffre d'affaires et bénéfice des 3 derniers mois"],
        )
    jeune = c.age(d) < 25 and not c.enfants and not any(p.enceinte for p in c.adultes)
    if jeune:
        raisons.append("Le RSA est pour les personnes de 25 ans ou plus.")
        raisons.append("Avant 25 ans, il faut un enfant à charge ou attendre un bébé.")
    if d.activite == Activite.ETUDIANT and montant <= 0:
        raisons.append("Les étudiants n'ont en général pas droit au RSA.")
    periode = mois_reference(c.m.mois, du=4, au=2)
    ressources = c.v("rsa_base_ressources")
    forfait = c.v("rsa_forfait_logement")
    familiales = c.v("rsa_base_ressources_prestations_familiales")
    minima = c.v("rsa_base_ressources_minima_sociaux")
    base = max(c.v("rsa_socle"), c.v("rsa_socle_majore") if c.v("rsa_majore_eligibilite", False) else 0.0)
    if ressources > 0.5:
        dont = []
        if familiales > 0.5:
            dont.append(f"{euros(familiales)} de prestations familiales")
        if minima > 0.5:
            noms = [n for code, n in (("aah", "AAH"), ("aspa", "ASPA"), ("ass", "ASS")) if c.recue_ou_estimee(code)]
            if c.v("aspa") > 0 and "ASPA" not in noms:
                noms.append("ASPA")
            dont.append(f"{euros(minima)} d'allocations ({', '.join(noms) or 'minima sociaux'})")
        raisons.append(
            f"Ressources comptées : {euros(ressources)} par mois (moyenne {de(periode)})"
            + (f", dont {liste(dont)}." if dont else ".")
        )
    if forfait > 0:
        raisons.append(
            f"{euros(forfait)} par mois sont ajoutés à vos ressources (forfait logement) : {_motif_forfait(c)}."
        )
    if montant > 0 and base and abs(base - ressources - forfait - montant) < 1:
        raisons.append(f"Le RSA de votre foyer peut aller jusqu'à {euros(base)} par mois.")
        raisons.append("On enlève vos ressources comptées. Il reste le montant indiqué.")
        if c.v("rsa_majore_eligibilite", False):
            raisons.append("Ce montant est majoré car vous élevez seul(e) un enfant ou attendez un bébé.")
    elif montant > 0:
        raisons.append("Vos ressources comptées sont plus faibles que le RSA de votre foyer : le RSA complète.")
    elif not jeune and base and ressources + forfait >= base:
        raisons.append(
            f"Vos ressources comptées ({euros(ressources + forfait)} par mois) dépassent le RSA de votre foyer "
            f"({euros(base)})."
        )
    elif not jeune and montant <= 0 and not raisons:
        raisons.append("Les conditions du RSA ne sont pas remplies d'après vos réponses.")
    return raisons, manquant


def _ppa(c: _Contexte, e: str):
    montant = c.v("ppa")
    raisons, manquant = [], []
    if e == "incertain":
        return (
            [
                "Pour un travailleur indépendant, la prime d'activité se calcule sur le chiffre d'affaires déclaré chaque trimestre.",
                "Le montant est incertain.",
            ],
            ["Chiffre d'affaires des 3 derniers mois"],
        )
    if c.revenus_activite <= 0:
        raisons.append("La prime d'activité est pour les personnes qui travaillent.")
    elif montant > 0:
        raisons.append(f"Vous travaillez : {euros(c.revenus_activite)} par mois pour le foyer.")
        raisons.append("Vos ressources restent modestes : la prime complète vos revenus.")
    else:
        base = c.v("ppa_base_ressources")
        detail = f" ({euros(base)} par mois comptées)" if base > 0.5 else ""
        raisons.append(
            f"Vos ressources{detail} sont trop élevées pour votre foyer, ou la prime serait de moins de 15 € par mois."
        )
        raisons.append("Sous 15 €, elle n'est pas versée.")
    if c.age(c.m.demandeur) < 18:
        raisons.append("La prime d'activité commence à 18 ans.")
    if any(p.activite == Activite.ETUDIANT for p in c.adultes) and montant <= 0:
        manquant.append("Étudiant(e) : la prime est possible si vous gagnez au moins environ 1 100 € par mois.")
    return raisons, manquant


def _aide_logement(c: _Contexte, e: str):
    montant = c.v("aide_logement")
    raisons, manquant = [], []
    statut = c.m.logement.statut
    if statut in (StatutLogement.HEBERGE_GRATUITEMENT, StatutLogement.SANS_DOMICILE):
        return ["Les aides au logement aident à payer un loyer. Sans loyer, pas d'aide."], []
    if statut == StatutLogement.PROPRIETAIRE:
        return ["Un propriétaire qui ne rembourse plus de prêt n'a pas droit aux aides au logement."], []
    if c.v("aide_logement_non_calculable", "calculable") != "calculable":
        return (
            ["En foyer ou en résidence, le montant dépend du foyer. Demandez au gestionnaire."],
            ["Le foyer est-il conventionné APL (résidence sociale, foyer de jeunes travailleurs) ?"],
        )
    base = c.v("aide_logement_base_ressources")
    detail = f" ({euros(base)} par an comptées)" if base > 0.5 else ""
    if montant > 0:
        if c.v("apl") > 0:
            type_aide = "APL (logement conventionné)"
        elif c.v("alf") > 0:
            type_aide = "ALF (allocation de logement familiale)"
        else:
            type_aide = "ALS (allocation de logement sociale)"
        raisons.append(f"{type_aide}.")
        raisons.append(
            f"Elle dépend de votre loyer ({euros(c.m.logement.loyer)} par mois), de votre commune, "
            f"du nombre de personnes et de vos ressources des 12 derniers mois{detail}."
        )
    else:
        raisons.append(f"Vos ressources{detail} sont trop élevées pour votre loyer et votre foyer.")
    if statut == StatutLogement.ACCEDANT:
        manquant.append("Prêt signé avant 2018, ou logement ancien en zone 3 ? (l'aide pour un achat est limitée)")
    if c.m.logement.charges == 0:
        manquant.append("Charges locatives (un montant fixe est compté de toute façon)")
    return raisons, manquant


def _css_gratuite(c: _Contexte, e: str):
    raisons = []
    ressources = c.v("css_cmu_base_ressources")
    plafond = c.v("cmu_c_plafond")
    if e == "oui" and c.v("rsa") > 0:
        raisons.append("Avec le RSA, la complémentaire santé solidaire est gratuite.")
    elif e == "oui" and plafond and ressources <= plafond:
        raisons.append(
            f"Vos ressources des 12 derniers mois ({euros(ressources)}) sont sous le plafond de votre foyer "
            f"({euros(plafond)} par an) : la mutuelle est gratuite."
        )
    elif e == "oui":
        raisons.append(
            "Vos ressources des 12 derniers mois sont sous le plafond de votre foyer : la mutuelle est gratuite."
        )
    elif plafond and ressources > plafond:
        raisons.append(
            f"Vos ressources des 12 derniers mois ({euros(ressources)}) dépassent le plafond de la mutuelle gratuite "
            f"({euros(plafond)} par an)."
        )
    else:
        raisons.append("Les conditions de la mutuelle gratuite ne sont pas remplies d'après vos réponses.")
    return raisons, []


def _css_participation(c: _Contexte, e: str):
    participation = c.v("css_participation_forfaitaire")
    if bool(c.v("cmu_c", False)):
        return ["Vous pouvez avoir la complémentaire santé solidaire gratuite (voir plus haut)."], []
    plafond = c.v("acs_plafond")
    detail = f" ({euros(plafond)} par an pour votre foyer)" if plafond else ""
    if e == "oui":
        return (
            [
                f"Vos ressources sont entre les deux plafonds{detail}.",
                f"La mutuelle coûte {euros(participation)} par mois pour tout le foyer, moins qu'une mutuelle classique.",
            ],
            [],
        )
    return [f"Vos ressources des 12 derniers mois dépassent le plafond{detail}."], []


def _cheque_energie(c: _Contexte, e: str):
    montant = c.v("cheque_energie")
    brut = c.v("cheque_energie_montant")
    logement_ok = bool(c.v("cheque_energie_eligibilite_logement", True))
    raisons, manquant = [], []
    if montant > 0:
        raisons.append(f"Votre {_rfr(c)} est sous le plafond pour le nombre de personnes de votre logement.")
    elif brut > 0 or not logement_ok:
        raisons.append("Le chèque énergie est envoyé au logement déclaré aux impôts.")
        raisons.append("Sans logement à vous (sans domicile ou logé(e) par quelqu'un), vous ne le recevez pas.")
    else:
        raisons.append(f"Votre {_rfr(c)} est au-dessus du plafond pour le nombre de personnes de votre logement.")
    if not c.rfr_declare:
        manquant.append(f"Revenu fiscal de référence {c.annee_n2} (avis d'impôt {c.annee_n2 + 1}) : il a été estimé")
    return raisons, manquant


def _aah(c: _Contexte, e: str):
    montant = c.v("aah")
    raisons, manquant = [], []
    taux = max((p.taux_incapacite for p in c.adultes), default=0)
    if taux < 50:
        raisons.append("L'AAH demande un taux d'incapacité d'au moins 50 %, reconnu par la MDPH.")
        if taux == 0:
            manquant.append("La MDPH a-t-elle reconnu un taux d'incapacité ?")
        return raisons, manquant
    rsdae = any(p.restriction_emploi for p in c.adultes if p.taux_incapacite >= 50)
    if taux < 80 and not rsdae:
        raisons.append(
            "Avec un taux de 50 à 79 %, la MDPH doit aussi reconnaître que le handicap limite beaucoup l'accès à un emploi."
        )
        manquant.append("La MDPH a-t-elle reconnu une « restriction substantielle et durable d'accès à l'emploi » ?")
        return raisons, manquant
    if montant > 0:
        raisons.append(f"Taux d'incapacité de {taux} % et ressources sous le plafond.")
        raisons.append("Les revenus du conjoint ne sont plus comptés (depuis octobre 2023).")
    else:
        raisons.append(
            "Vos ressources personnelles sont trop élevées, ou vous avez l'âge de la retraite (l'ASPA prend alors le relais)."
        )
    return raisons, manquant


def _enfants_de_moins_de(c: _Contexte, age: int) -> int:
    return sum(1 for e in c.enfants if c.age(e) < age)


def _af(c: _Contexte, e: str):
    montant = c.v("af")
    raisons, manquant = [], []
    n = _enfants_de_moins_de(c, 20)
    if n < 2:
        raisons.append("Les allocations familiales commencent à 2 enfants à charge de moins de 20 ans.")
    elif montant > 0:
        raisons.append(f"{pluriel(n, 'enfant')} à charge de moins de 20 ans.")
        raisons.append(f"Le montant dépend du {_rfr(c)}.")
    if not c.rfr_declare and montant > 0:
        manquant.append(
            "Revenu fiscal de référence (avis d'impôt) : il a été estimé ; le montant baisse au-delà de "
            f"{euros(77_000)} environ"
        )
    return raisons, manquant


def _cf(c: _Contexte, e: str):
    montant = c.v("cf")
    raisons, manquant = [], []
    n = sum(1 for x in c.enfants if 3 <= c.age(x) < 21)
    if n < 3:
        raisons.append("Le complément familial demande au moins 3 enfants à charge de 3 à 21 ans.")
    elif montant > 0:
        raisons.append(f"{pluriel(n, 'enfant')} de 3 à 21 ans, et {_rfr(c)} sous le plafond.")
    else:
        raisons.append(f"Votre {_rfr(c)} est au-dessus du plafond.")
    if not c.rfr_declare and n >= 3:
        manquant.append("Revenu fiscal de référence (avis d'impôt) : il a été estimé")
    return raisons, manquant


def _asf(c: _Contexte, e: str):
    montant = c.v("asf")
    raisons, manquant = [], []
    if not c.enfants:
        raisons.append("L'ASF est pour une personne qui élève un enfant.")
    elif not c.seul:
        raisons.append("L'ASF est pour la personne qui élève seule un enfant (pas en couple).")
    elif montant > 0:
        recue = c.revenu_mensuel(NatureRevenu.PENSION_ALIMENTAIRE_RECUE)
        raisons.append("Vous élevez seul(e) vos enfants.")
        raisons.append(
            f"La pension alimentaire reçue ({euros(recue)} par mois) est déduite."
            if recue
            else "Vous n'avez pas déclaré de pension alimentaire reçue."
        )
        manquant.append(
            "L'autre parent verse-t-il une pension alimentaire ? (l'ASF complète une pension faible ou absente)"
        )
    else:
        raisons.append("La pension alimentaire reçue dépasse le montant de l'ASF.")
    return raisons, manquant


def _ars(c: _Contexte, e: str):
    montant = c.v("ars_nette_crds")
    raisons, manquant = [], []
    n = sum(1 for x in c.enfants if 6 <= c.age(x) <= 18)
    if n == 0:
        raisons.append("L'ARS est pour les enfants de 6 à 18 ans qui vont à l'école.")
    elif montant > 0:
        raisons.append(f"{pluriel(n, 'enfant')} de 6 à 18 ans, et {_rfr(c)} sous le plafond.")
    else:
        raisons.append(f"Votre {_rfr(c)} est au-dessus du plafond pour {pluriel(n, 'enfant')}.")
    if not c.rfr_declare and n:
        manquant.append("Revenu fiscal de référence (avis d'impôt) : il a été estimé")
    return raisons, manquant


def _aspa(c: _Contexte, e: str):
    montant = c.v("aspa")
    raisons, manquant = [], []
    age_max = max((c.age(p) for p in c.adultes), default=0)
    inapte = any(p.activite == Activite.INAPTE or p.taux_incapacite >= 50 for p in c.adultes)
    if age_max < 62 or (age_max < 65 and not inapte):
        raisons.append("L'ASPA commence à 65 ans (62 ans si vous ne pouvez plus travailler ou avez un handicap).")
    elif montant > 0:
        raisons.append(
            "Vous avez l'âge, et vos ressources (retraites avant prélèvements comprises) sont sous le plafond."
        )
        raisons.append("L'ASPA complète vos ressources jusqu'à ce plafond.")
        manquant.append("Avez-vous demandé toutes vos retraites (de base et complémentaires) ? C'est une condition.")
    else:
        raisons.append("Vos ressources (retraites avant prélèvements comprises) dépassent le plafond.")
    return raisons, manquant


def _bourse(c: _Contexte, e: str, niveau: NiveauScolaire, variable: str, nom: str):
    montant = c.v(variable)
    raisons, manquant = [], []
    n = sum(1 for x in c.enfants if x.niveau_scolaire == niveau)
    a_charge = pluriel(len(c.enfants), "enfant")
    if n == 0:
        raisons.append(f"Aucun enfant au {nom} déclaré.")
    elif montant > 0:
        raisons.append(f"{pluriel(n, 'enfant')} au {nom}, et {_rfr(c)} sous le plafond pour {a_charge} à charge.")
        raisons.append("Montant pour l'année scolaire.")
    else:
        raisons.append(f"Votre {_rfr(c)} est au-dessus du plafond pour {a_charge} à charge.")
    if not c.rfr_declare and n:
        manquant.append("Revenu fiscal de référence (avis d'impôt) : il a été estimé")
    return raisons, manquant


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
    "bourse_college": lambda c, e: _bourse(c, e, NiveauScolaire.COLLEGE, "bourse_college", "collège"),
    "bourse_lycee": lambda c, e: _bourse(c, e, NiveauScolaire.LYCEE, "bourse_lycee", "lycée"),
}


def hypotheses(c: _Contexte) -> list[str]:
    out = []
    if not c.rfr_declare:
        out.append(
            f"Revenu fiscal de référence {c.annee_n2} estimé à {euros(c.rfr)} à partir de vos revenus actuels. "
            f"Vérifiez-le sur votre avis d'impôt {c.annee_n2 + 1}."
        )
    if any(p.date_naissance is None for p in c.m.personnes):
        out.append("Dates de naissance déduites des âges.")
    if any(r.montants_3_derniers_mois is None for p in c.m.personnes for r in p.revenus):
        out.append("Revenus supposés stables depuis 2 ans.")
    else:
        out.append("Revenus de plus de 3 mois supposés égaux à la moyenne des 3 derniers mois.")
    recues = [NOMS_RECUS.get(p.code, p.code) for p in c.m.prestations_recues]
    if recues:
        out.append(f"Aides que vous recevez déjà : {liste(recues)}. Elles sont comptées avec le montant déclaré.")
    if c.estimees:
        noms = [NOMS_COURTS[x] for x in c.estimees]
        out.append(
            f"Les montants sont calculés comme si vous receviez aussi {liste(noms)} : ces aides comptent dans les "
            "ressources des autres. C'est ce que vous toucheriez en tout une fois toutes vos aides demandées."
        )
    return out


def _nom_nu(code: str) -> str:
    """« RSA », « Prime d'activité »: the short name without its article, capitalised."""
    nom = NOMS_COURTS[code]
    for article in ("le ", "la ", "les ", "l'"):
        if nom.startswith(article):
            nom = nom[len(article) :]
            break
    return nom[0].upper() + nom[1:]


def _phrase_subsidiarite(code: str, aujourdhui: tuple[str, float], ensuite: tuple[str, float], noms: list[str], c):
    """« RSA : 573 € par mois aujourd'hui, 0 € une fois que vous recevrez l'AAH. Demandez d'abord l'AAH. »"""
    (e0, m0), (e1, m1) = aujourdhui, ensuite
    qui = liste(noms) if noms else "vos autres aides"
    if code == "css_gratuite":
        if e0 == "oui":
            phrase = f"Aujourd'hui, la mutuelle serait gratuite. Une fois que vous recevrez {qui}, elle ne sera plus gratuite."
        else:
            phrase = f"Aujourd'hui, la mutuelle ne serait pas gratuite. Une fois que vous recevrez {qui}, elle le sera."
    elif code == "css_participation":
        if e1 == "oui":
            cout = euros(c.v("css_participation_forfaitaire"))
            phrase = f"Une fois que vous recevrez {qui}, la mutuelle vous coûtera {cout} par mois."
        else:
            phrase = f"Une fois que vous recevrez {qui}, la mutuelle avec participation ne vous sera plus ouverte."
    else:
        phrase = f"{_nom_nu(code)} : {euros(m0)} par mois aujourd'hui, {euros(m1)} une fois que vous recevrez {qui}."
    if noms:
        phrase += f" Demandez d'abord {liste(noms)}."
    return phrase


def resultat(menage: Menage, j: int, *, valeurs: dict, contexte: dict, tableaux, mode: str, moteur: dict):
    """The explained result of household ``j``: amounts and eligibility are row ``j`` of ``tableaux``
    (``repere.droits.lot.ResultatsLot``, the coherent combination on the batch arrays); this adds the
    reasons, what is missing, how to apply, and the « aujourd'hui / une fois obtenues » figures."""
    from repere.droits.lot import ELIGIBILITES

    c = _Contexte(menage, j, valeurs, contexte)
    d_abord_par_code = contexte.get("demander_d_abord") or {}
    prestations = []
    montants = tableaux.montant[j].tolist()
    mensuels = tableaux.montant_mensuel[j].tolist()
    eligibles = tableaux.eligible[j].tolist()
    recus = tableaux.recu[j].tolist()
    declares = tableaux.declare[j].tolist()
    mensuels_0 = tableaux.mensuel_aujourdhui[j].tolist()
    eligibles_0 = tableaux.eligible_aujourdhui[j].tolist()
    for k, code in enumerate(tableaux.codes):
        fiche = PAR_CODE[code]
        eligible = ELIGIBILITES[eligibles[k]]
        eligible_0 = ELIGIBILITES[eligibles_0[k]]
        raisons, manquant = REGLES[code](c, eligible)
        change = bool(a_change(mensuels_0[k], eligibles_0[k], mensuels[k], eligibles[k]))
        # The benefits that change it, found from the computed values (combinaison._demander_d_abord).
        d_abord = list(d_abord_par_code[code][j]) if change and code in d_abord_par_code else []
        if change:
            raisons.insert(
                0,
                _phrase_subsidiarite(
                    code, (eligible_0, mensuels_0[k]), (eligible, mensuels[k]), [NOMS_COURTS[x] for x in d_abord], c
                ),
            )
        deja = bool(declares[k])
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
                recu=recus[k] or None,
                deja_percue=deja,
                a_demander=regle.est_a_demander(eligible=eligible, deja_percue=deja),
                a_verifier=regle.est_a_verifier(eligible=eligible, deja_percue=deja),
                eligible_aujourdhui=eligible_0 if change else None,
                montant_mensuel_aujourdhui=mensuels_0[k] if change else None,
                demander_d_abord=d_abord,
            )
        )
    trier(prestations)
    total, a_demander = regle.totaux(prestations)
    avertissements = list(menage.avertissements())
    if bool(np.asarray(contexte.get("non_stables", np.zeros(j + 1, dtype=bool)))[j]):
        avertissements.append(
            "Les aides de ce foyer dépendent beaucoup les unes des autres : les montants sont moins sûrs que d'habitude."
        )
    from repere.droits.fraicheur import avertissement_baremes, avertissement_non_verifies

    provisoire = avertissement_baremes(menage.mois)
    if provisoire:
        avertissements.append(provisoire)
    avertissements.extend(avertissement_non_verifies(p.code for p in prestations if p.eligible != "non"))
    return ResultatSimulation(
        mois=menage.mois,
        mode=mode,
        prestations=prestations,
        total_mensuel=total,
        total_a_demander_mensuel=a_demander,
        total_aujourdhui_mensuel=round(sum(r.montant_mensuel for r in menage.prestations_recues), 2),
        hypotheses=hypotheses(c),
        avertissements=avertissements,
        baremes_provisoires=bool(provisoire),
        revenu_fiscal_reference=c.rfr,
        revenu_fiscal_reference_estime=not c.rfr_declare,
        moteur=moteur,
    )


_ORDRE_ELIGIBLE = {"oui": 0, "incertain": 1, "non": 2}


def trier(prestations: list) -> None:
    """Eligible first, then by monthly amount (largest first)."""
    prestations.sort(key=lambda p: (_ORDRE_ELIGIBLE[p.eligible], -p.montant_mensuel))
