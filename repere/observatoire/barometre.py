"""The barometer of the obstacles people meet (Odenore's baromètre du non-recours): obstacles
recorded in outreach (contacts, interviews, refusals and abandonments), crossed with the body
concerned or the non-take-up type, per territory and period, with the statistical secret applied
(repere.observatoire.secret: primary and secondary masking on the table and its margins)."""

from __future__ import annotations

from dataclasses import dataclass

from repere.allervers import obstacles as taxonomie
from repere.allervers import selectors as allervers
from repere.observatoire import secret
from repere.observatoire.geographie import Lieu, geographie
from repere.observatoire.selectors import peut_voir_activite, territoires_autorises


@dataclass
class Barometre:
    territoire: Lieu | None
    par: str
    lignes: list[tuple[str, str]]  # (code, label) of obstacles
    colonnes: list[tuple[str, str]]  # (code, label) of bodies or types
    valeurs: dict  # (ligne, colonne) -> count, margins with None
    masques: set
    total: int
    demo: bool
    du: object = None
    au: object = None
    autorise: bool = True

    def cellule(self, ligne, colonne) -> str:
        if (ligne, colonne) in self.masques:
            return "secret"
        return str(self.valeurs.get((ligne, colonne), 0))


def barometre(*, user, territoire: Lieu | None, du=None, au=None, par: str = "organisme") -> Barometre:
    geo = geographie()
    autorises = territoires_autorises(user)
    colonnes_ref = taxonomie.ORGANISMES if par == "organisme" else taxonomie.TYPES_NON_RECOURS
    if territoire is None:
        communes = sorted({c for n, code in autorises for c in geo.communes_de(n, code)})
        autorise = bool(autorises)
    else:
        autorise = peut_voir_activite(user, territoire, autorises)
        communes = geo.communes_de(territoire.niveau, territoire.code)
    if not autorise:
        return Barometre(territoire, par, [], [], {}, set(), 0, False, du, au, autorise=False)
    lignes_brutes = allervers.obstacles_comptes(communes=communes, du=du, au=au)
    effectifs: dict = {}
    for r in lignes_brutes:
        colonne = r[par] or "non_precise"
        cle = (r["obstacle"], colonne)
        effectifs[cle] = effectifs.get(cle, 0) + r["n"]
    colonnes = list(colonnes_ref) + [("non_precise", "Non précisé")]
    utilisees_l = {k[0] for k in effectifs}
    utilisees_c = {k[1] for k in effectifs}
    lignes = [(c, label) for c, label in taxonomie.OBSTACLES if c in utilisees_l]
    colonnes = [(c, label) for c, label in colonnes if c in utilisees_c]
    valeurs, masques = secret.table_croisee(effectifs, lignes=[c for c, _ in lignes], colonnes=[c for c, _ in colonnes])
    return Barometre(
        territoire=territoire,
        par=par,
        lignes=lignes,
        colonnes=colonnes,
        valeurs=valeurs,
        masques=masques,
        total=valeurs.get((None, None), 0),
        demo=any(r["est_demo"] for r in lignes_brutes),
        du=du,
        au=au,
    )
