"""Validation of a chunk by column: the households of the file checked with vectorised tests, straight
into the engine's columns (``repere.droits.lot.MenagesColonnes``), no Python object per person.

One definition of each rule:
- a cell is read by the very parser of ``colonnes.py`` (``lire_cellule``), once per distinct value for
  the columns with few values (choices, yes/no, integers, communes), or by a vectorised form of it for
  amounts and dates that falls back to that parser for any cell outside the plain forms;
- the bounds, enumerations and household rules are those of the shared model ``repere.droits.menage``
  (read from its pydantic field constraints: ``borne``), applied to whole columns.

The vectorised checks only decide that a household is *surely valid*. Every household with a suspect
cell or rule goes through ``assemblage.construire_menage`` (``Menage.model_validate``), which writes the
detailed French message (line, column, value) exactly as before; if it finds the household valid after
all, it is computed from its ``Menage`` (``rattrapes``). So every rejected line is still reported, with
the same words, and no household is accepted that the model would refuse.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from repere.depistage.assemblage import NOMS, MenageBrut
from repere.depistage.colonnes import PAR_NOM, PERCUS, REVENUS, ErreurCellule, lire_cellule
from repere.droits import lot
from repere.droits.menage import (
    MAX_PERSONNES,
    MOIS_MAX,
    MOIS_MIN,
    Activite,
    Logement,
    Menage,
    NiveauScolaire,
    Personne,
    PrestationRecue,
    Role,
    StatutLogement,
    aujourd_hui,
)

_ERREUR = object()


def borne(modele, champ: str, nom: str) -> float:
    """A bound of a field of the model (``ge`` / ``le`` of its pydantic constraints)."""
    for contrainte in modele.model_fields[champ].metadata:
        if hasattr(contrainte, nom):
            return getattr(contrainte, nom)
    raise LookupError(f"{modele.__name__}.{champ} n'a pas de contrainte {nom}")


# Bounds derived from the model (the file's column maxima also apply: both are checked).
MAX_MONTANT = borne(PrestationRecue, "montant_mensuel", "le")
BORNES = {
    "age": borne(Personne, "age", "le"),
    "taux_incapacite": borne(Personne, "taux_incapacite", "le"),
    "loyer": borne(Logement, "loyer", "le"),
    "charges": borne(Logement, "charges", "le"),
    "revenu_fiscal_reference_n2": borne(Menage, "revenu_fiscal_reference_n2", "le"),
    **dict.fromkeys((*REVENUS, *PERCUS), MAX_MONTANT),
}
_COLONNES_MENAGE = (
    "commune",
    "statut_logement",
    "loyer",
    "charges",
    "colocation",
    "logement_social",
    "meuble",
    "revenu_fiscal_reference_n2",
    "isolement_recent",
)
_MONTANT_SIMPLE = r"^[0-9]{1,9}([.,][0-9]{1,2})?$"
_DATE_FR = r"^(?P<j>[0-9]{1,2})/(?P<m>[0-9]{1,2})/(?P<a>[0-9]{4})$"
_DATE_ISO = r"^(?P<a>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<j>[0-9]{1,2})$"


@dataclass
class Lecture:
    """The chunk read by column: the valid households as columns, and the suspect ones."""

    colonnes: lot.MenagesColonnes | None
    ids: list[str] = field(default_factory=list)
    suspects: list[MenageBrut] = field(default_factory=list)


def _distincts(texte: pa.Array, nom: str, *, vide=None):
    """Parse each distinct value once with the file's own parser: (values per distinct, indices)."""
    encode = texte.dictionary_encode()
    valeurs = []
    colonne = PAR_NOM[nom]
    for t in encode.dictionary.to_pylist():
        if not t.strip():
            valeurs.append(vide)
            continue
        try:
            valeurs.append(lire_cellule(colonne, t))
        except ErreurCellule:
            valeurs.append(_ERREUR)
    return valeurs, encode.indices.to_numpy(zero_copy_only=False)


def _categorie(texte: pa.Array, nom: str, membres: tuple, *, vide: int, suspect: np.ndarray) -> np.ndarray:
    """Index in ``membres`` (the model's enumeration values) of each cell; empty -> ``vide``."""
    valeurs, indices = _distincts(texte, nom)
    table = np.empty(len(valeurs), dtype=np.int8)
    mauvais = np.zeros(len(valeurs), dtype=bool)
    for k, v in enumerate(valeurs):
        if v is None:
            table[k] = vide
        elif v is _ERREUR or v not in membres:
            table[k], mauvais[k] = 0, True
        else:
            table[k] = membres.index(v)
    suspect |= mauvais[indices]
    return table[indices]


def _valeurs(texte: pa.Array, nom: str, *, vide, dtype, suspect: np.ndarray) -> np.ndarray:
    valeurs, indices = _distincts(texte, nom, vide=vide)
    mauvais = np.array([v is _ERREUR for v in valeurs], dtype=bool)
    table = np.array([vide if v is _ERREUR else v for v in valeurs], dtype=dtype)
    suspect |= mauvais[indices]
    return table[indices]


def _montants(texte: pa.Array, nom: str, *, suspect: np.ndarray) -> np.ndarray:
    """Amounts (empty -> NaN); the plain forms vectorised, any other cell through ``lire_montant``.
    Most amount columns are mostly empty (incomes of past months, benefits received): only the cells
    that hold something are trimmed, matched and cast (``_montants_remplis``)."""
    if texte.null_count == 0 and len(texte):
        remplies = np.flatnonzero(np.asarray(pc.utf8_length(texte)) > 0)
        if len(remplies) < len(texte):
            out = np.full(len(texte), np.nan)
            if len(remplies):
                suspect_remplies = np.zeros(len(remplies), dtype=bool)
                out[remplies] = _montants_remplis(texte.take(pa.array(remplies)), nom, suspect=suspect_remplies)
                suspect[remplies] |= suspect_remplies
            return out
    return _montants_remplis(texte, nom, suspect=suspect)


def _montants_remplis(texte: pa.Array, nom: str, *, suspect: np.ndarray) -> np.ndarray:
    texte = pc.utf8_trim_whitespace(texte)
    simple = pc.match_substring_regex(texte, _MONTANT_SIMPLE).to_numpy(zero_copy_only=False)
    vide = pc.equal(texte, "").to_numpy(zero_copy_only=False)
    nombres = pc.cast(pc.replace_substring(pc.if_else(simple, texte, "0"), ",", "."), pa.float64()).to_numpy()
    out = np.where(vide, np.nan, nombres)
    autres = np.flatnonzero(~simple & ~vide)
    if len(autres):
        colonne = PAR_NOM[nom]
        cellules = texte.take(pa.array(autres)).to_pylist()
        for i, t in zip(autres.tolist(), cellules, strict=True):
            try:
                out[i] = lire_cellule(colonne, t)
            except ErreurCellule:
                suspect[i] = True
                out[i] = 0.0
    maximum = min(BORNES[nom], PAR_NOM[nom].maximum or np.inf)
    suspect |= out > maximum
    return out


_JOURS_DU_MOIS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _dates(texte: pa.Array, *, suspect: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Birth dates (NaT when empty) and their (year, month, day) as a 3 x n array; JJ/MM/AAAA and AAAA-MM-JJ
    vectorised on the filled cells only, anything else via ``lire_date``."""
    n = len(texte)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    composantes = np.zeros((3, n), dtype=np.int64)
    remplies = np.flatnonzero(pc.utf8_length(texte).to_numpy(zero_copy_only=False) > 0)
    if not len(remplies):
        return out, composantes
    t = pc.utf8_trim_whitespace(texte.take(pa.array(remplies)))
    m = len(t)
    annee, mois, jour = (np.zeros(m, dtype=np.int64) for _ in range(3))
    trouve = np.zeros(m, dtype=bool)
    for motif in (_DATE_FR, _DATE_ISO):
        reste = np.flatnonzero(~trouve)
        if not len(reste):
            break
        parties = pc.extract_regex(t if len(reste) == m else t.take(pa.array(reste)), motif)
        ok = parties.is_valid().to_numpy(zero_copy_only=False)
        if not ok.any():
            continue
        parties, ici = parties.filter(pa.array(ok)), reste[ok]
        for tab, cle in ((annee, "a"), (mois, "m"), (jour, "j")):
            tab[ici] = pc.cast(parties.field(cle), pa.int64()).to_numpy()
        trouve[ici] = True
    mois_ok = (mois >= 1) & (mois <= 12)
    bissextile = (annee % 4 == 0) & ((annee % 100 != 0) | (annee % 400 == 0))
    jours_du_mois = _JOURS_DU_MOIS[np.clip(mois, 1, 12) - 1] + ((mois == 2) & bissextile)
    valide = trouve & mois_ok & (jour >= 1) & (jour <= jours_du_mois)  # 31/02 does not exist
    debut_mois = ((annee - 1970) * 12 + np.clip(mois, 1, 12) - 1).astype("datetime64[M]").astype("datetime64[D]")
    dates = np.where(valide, debut_mois + (jour - 1).astype("timedelta64[D]"), np.datetime64("NaT"))
    vide = pc.equal(t, "").to_numpy(zero_copy_only=False)
    autres = np.flatnonzero(~valide & ~vide)
    if len(autres):
        colonne = PAR_NOM["date_naissance"]
        for i, cellule in zip(autres.tolist(), t.take(pa.array(autres)).to_pylist(), strict=True):
            try:
                date = lire_cellule(colonne, cellule)
            except ErreurCellule:
                suspect[remplies[i]] = True
                continue
            dates[i] = np.datetime64(date, "D")
            annee[i], mois[i], jour[i] = date.year, date.month, date.day
    out[remplies] = dates
    composantes[:, remplies] = (annee, mois, jour)
    suspect |= out > np.datetime64(aujourd_hui(), "D")  # lire_date: a birth date in the future
    return out, composantes


@dataclass
class Bloc:
    """The lines of a chunk as columns: one text array per column of ``NOMS`` (one cell per line, in file
    order), the households as runs of lines (``debuts``: first line of each, plus the end), their ids and
    the line numbers. Built by Arrow from the file (``partitions.lire_partition``) or from ``MenageBrut``."""

    colonnes: dict[str, pa.Array]
    debuts: np.ndarray
    ids: list[str]
    numeros: np.ndarray
    bruts: list[MenageBrut] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def de_bruts(cls, bruts: list[MenageBrut]) -> Bloc:
        lignes = [valeurs for b in bruts for _, valeurs in b.lignes]
        if lignes:
            colonnes = {nom: pa.array(c, pa.string()) for nom, c in zip(NOMS, zip(*lignes, strict=True), strict=True)}
        else:
            colonnes = {nom: pa.array([], pa.string()) for nom in NOMS}
        return cls(
            colonnes=colonnes,
            debuts=np.concatenate(([0], np.cumsum([len(b.lignes) for b in bruts], dtype=np.int64))),
            ids=[b.id_menage for b in bruts],
            numeros=np.array([numero for b in bruts for numero, _ in b.lignes], dtype=np.int64),
            bruts=bruts,
        )

    def brut(self, k: int) -> MenageBrut:
        """Household ``k`` as the line-by-line reader gives it (for the model's detailed messages)."""
        if self.bruts is not None:
            return self.bruts[k]
        a, b = int(self.debuts[k]), int(self.debuts[k + 1])
        cellules = [self.colonnes[nom].slice(a, b - a).to_pylist() for nom in NOMS]
        numeros = self.numeros[a:b].tolist()
        return MenageBrut(self.ids[k], list(zip(numeros, zip(*cellules, strict=True), strict=True)))


def lire_lot(bruts: list[MenageBrut], *, mois: str) -> Lecture:
    """Check the households of a chunk by column; see the module's docstring."""
    return lire_bloc(Bloc.de_bruts(bruts), mois=mois)


def _lignes_en_double(colonnes: dict[str, pa.Array], h: np.ndarray) -> np.ndarray:
    """Lines of a household given twice, by the model's rule (``assemblage.construire_menage``): the same
    ``id_personne``, or, between lines without one, the very same cells. Only the lines without an
    ``id_personne`` have their cells joined into a key (a file that numbers its persons joins none)."""
    idp = pc.utf8_trim_whitespace(colonnes["id_personne"])
    a_id = pc.not_equal(idp, "").to_numpy(zero_copy_only=False)
    double = np.zeros(len(h), dtype=bool)
    avec = np.flatnonzero(a_id)
    sans = np.flatnonzero(~a_id)
    if len(avec) == len(h):
        cles = [(avec, idp)]
    else:
        entieres = pc.binary_join_element_wise(*(colonnes[nom].take(pa.array(sans)) for nom in NOMS), "\x1f")
        cles = [(avec, idp.take(pa.array(avec))), (sans, entieres)]
    for lignes, cle in cles:
        if len(lignes) > 1:
            codes = cle.dictionary_encode().indices.to_numpy(zero_copy_only=False).astype(np.int64)
            double[lignes] = _repetees(h[lignes] * (int(codes.max()) + 1) + codes)
    return double


def _repetees(valeurs: np.ndarray) -> np.ndarray:
    """Whether each value occurs more than once."""
    ordre = np.argsort(valeurs, kind="stable")
    triees = valeurs[ordre]
    egales = triees[1:] == triees[:-1]
    repetee = np.zeros(len(valeurs), dtype=bool)
    repetee[1:] |= egales
    repetee[:-1] |= egales
    out = np.empty(len(valeurs), dtype=bool)
    out[ordre] = repetee
    return out


def lire_bloc(bloc: Bloc, *, mois: str) -> Lecture:
    """Check the households of a chunk (as columns) with vectorised tests; see the module's docstring."""
    n = len(bloc)
    if n == 0:
        return Lecture(None)
    nb_lignes = np.diff(bloc.debuts)
    h = np.repeat(np.arange(n, dtype=np.int64), nb_lignes)
    colonnes = bloc.colonnes
    nb = len(h)
    suspect = np.zeros(nb, dtype=bool)  # per line
    menage_suspect = np.zeros(n, dtype=bool)
    if not (MOIS_MIN <= mois <= MOIS_MAX):
        menage_suspect[:] = True

    roles = tuple(r.value for r in lot.ROLES)
    role = _categorie(colonnes["role"], "role", roles, vide=0, suspect=suspect)
    suspect |= pc.equal(pc.utf8_trim_whitespace(colonnes["role"]), "").to_numpy(zero_copy_only=False)
    activites = tuple(a.value for a in Activite)
    activite = _categorie(
        colonnes["activite"], "activite", activites, vide=activites.index(Activite.AUTRE.value), suspect=suspect
    )
    niveaux = ("", *(x.value for x in NiveauScolaire))
    niveau = _categorie(colonnes["niveau_scolaire"], "niveau_scolaire", niveaux, vide=0, suspect=suspect)
    age = _valeurs(colonnes["age"], "age", vide=-1, dtype=np.int64, suspect=suspect)
    suspect |= age > BORNES["age"]
    taux = _valeurs(colonnes["taux_incapacite"], "taux_incapacite", vide=0, dtype=np.int64, suspect=suspect)
    suspect |= taux > BORNES["taux_incapacite"]
    restriction = _valeurs(
        colonnes["restriction_emploi"], "restriction_emploi", vide=False, dtype=bool, suspect=suspect
    )
    enceinte = _valeurs(colonnes["enceinte"], "enceinte", vide=False, dtype=bool, suspect=suspect)
    naissance, (annee_n, mois_n, jour_n) = _dates(colonnes["date_naissance"], suspect=suspect)
    suspect |= pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(colonnes["id_personne"])), 64).to_numpy(
        zero_copy_only=False
    )
    revenus = {nom: _montants(colonnes[nom], nom, suspect=suspect) for nom in REVENUS}
    percus = {nom: _montants(colonnes[nom], nom, suspect=suspect) for nom in PERCUS}

    # Persons: age or birth date; ages by role (Personne._age_ou_date, at today's date as the model does).
    sans_date = np.isnat(naissance)
    suspect |= sans_date & (age < 0)
    aujourdhui = aujourd_hui()
    age_reel = np.where(sans_date, age, lot.ages_des_dates(annee_n, mois_n, jour_n, aujourdhui))
    adulte = (role == roles.index(Role.DEMANDEUR.value)) | (role == roles.index(Role.CONJOINT.value))
    suspect |= adulte & (age_reel < 15)
    suspect |= (role == roles.index(Role.ENFANT.value)) & (age_reel > 25)
    suspect |= ~sans_date & (annee_n < aujourdhui.year - 120)
    premier = dt.date(int(mois[:4]), int(mois[5:7]), 1) if len(mois) == 7 else aujourdhui
    fin_du_mois = np.datetime64((premier + dt.timedelta(days=32)).replace(day=1), "D")
    suspect |= ~sans_date & (naissance >= fin_du_mois)

    # Household: one demandeur, at most one conjoint, at most MAX_PERSONNES, no duplicate line.
    demandeur = role == roles.index(Role.DEMANDEUR.value)
    menage_suspect |= np.bincount(h[demandeur], minlength=n) != 1
    menage_suspect |= np.bincount(h[role == roles.index(Role.CONJOINT.value)], minlength=n) > 1
    menage_suspect |= np.bincount(h, minlength=n) > MAX_PERSONNES
    suspect |= _lignes_en_double(colonnes, h)

    # Household columns: read on the demandeur's line, the same (or empty) on the others.
    ligne_demandeur = np.zeros(n, dtype=np.int64)
    ligne_demandeur[h[demandeur][::-1]] = np.flatnonzero(demandeur)[::-1]  # first demandeur line
    du_demandeur = ligne_demandeur[h]
    autres = np.flatnonzero(np.arange(nb) != du_demandeur)  # every line but its household's demandeur line
    for nom in _COLONNES_MENAGE:
        # Only the filled cells of the other lines are compared (most files leave them empty), trimmed.
        a_voir = autres[pc.utf8_length(colonnes[nom]).to_numpy(zero_copy_only=False)[autres] > 0]
        if len(a_voir):
            ici = pc.utf8_trim_whitespace(colonnes[nom].take(pa.array(a_voir)))
            la = pc.utf8_trim_whitespace(colonnes[nom].take(pa.array(du_demandeur[a_voir])))
            suspect[a_voir] |= pc.and_(pc.not_equal(ici, ""), pc.not_equal(ici, la)).to_numpy(zero_copy_only=False)
    communes_d = colonnes["commune"].take(pa.array(ligne_demandeur))
    suspect_m = np.zeros(n, dtype=bool)
    communes = _valeurs(communes_d, "commune", vide="", dtype=object, suspect=suspect_m)
    suspect_m |= communes == ""
    suspect_m |= pc.starts_with(communes_d, "\x00").to_numpy(zero_copy_only=False)  # unknown commune
    statuts = tuple(s.value for s in lot.STATUTS)
    statut = _categorie(
        colonnes["statut_logement"].take(pa.array(ligne_demandeur)),
        "statut_logement",
        statuts,
        vide=-1,
        suspect=suspect_m,
    )
    suspect_m |= statut < 0
    menage = {}
    for nom in ("loyer", "charges", "revenu_fiscal_reference_n2"):
        menage[nom] = _montants(colonnes[nom].take(pa.array(ligne_demandeur)), nom, suspect=suspect_m)
    for nom in ("colocation", "logement_social", "meuble", "isolement_recent"):
        menage[nom] = _valeurs(
            colonnes[nom].take(pa.array(ligne_demandeur)), nom, vide=False, dtype=bool, suspect=suspect_m
        )
    loyer = np.nan_to_num(menage["loyer"])
    paie = np.isin(statut, [statuts.index(StatutLogement.LOCATAIRE.value), statuts.index(StatutLogement.FOYER.value)])
    gratuit = np.isin(
        statut,
        [statuts.index(StatutLogement.HEBERGE_GRATUITEMENT.value), statuts.index(StatutLogement.SANS_DOMICILE.value)],
    )
    suspect_m |= (paie & (loyer <= 0)) | (gratuit & (loyer > 0))
    recus = {}
    for nom, code in PERCUS.items():
        if np.isnan(percus[nom]).all():
            continue  # nobody declared it received (the column is empty)
        somme = np.round(np.bincount(h, weights=np.nan_to_num(percus[nom]), minlength=n), 2)
        suspect_m |= somme > MAX_MONTANT
        if somme.any():
            recus[code] = somme

    menage_suspect |= suspect_m | (np.bincount(h, weights=suspect, minlength=n) > 0)
    if bloc.bruts is not None:  # a household with a line longer than the header (grouper) goes to the model
        menage_suspect |= np.fromiter((b.coupee for b in bloc.bruts), dtype=bool, count=n)
    garde = ~menage_suspect
    lecture = Lecture(None, suspects=[bloc.brut(k) for k in np.flatnonzero(menage_suspect).tolist()])
    if not garde.any():
        return lecture
    p = garde[h]
    renumero = np.cumsum(garde) - 1
    par_nature = np.zeros((int(p.sum()), len(lot.NATURES)))
    for nom, nature in REVENUS.items():
        v = np.nan_to_num(revenus[nom][p])
        par_nature[:, lot.NATURES.index(nature)] = np.where(v > 0, v, 0.0)
    revenus_p = np.repeat(par_nature[:, :, None], 4, axis=2)  # the same amount each of the 4 months
    jour = premier
    naissance_p = np.where(sans_date[p], lot.naissance_depuis_age(np.maximum(age[p], 0), jour), naissance[p]).astype(
        "datetime64[D]"
    )
    i_independant = lot.NATURES.index(REVENUS["revenu_independant"])
    recus_gardes = {c: v for c, v in ((c, v[garde]) for c, v in recus.items()) if v.any()}  # as the model
    lecture.colonnes = lot.MenagesColonnes(
        mois=mois,
        commune=communes[garde],
        statut=statut[garde].astype(np.int8),
        loyer=loyer[garde],
        charges=np.nan_to_num(menage["charges"])[garde],
        colocation=menage["colocation"][garde],
        logement_social=menage["logement_social"][garde],
        meuble=menage["meuble"][garde],
        rfr=menage["revenu_fiscal_reference_n2"][garde],
        isolement=menage["isolement_recent"][garde],
        recus=recus_gardes,
        declares={c: v > 0 for c, v in recus_gardes.items()},
        p_menage=renumero[h[p]],
        role=role[p].astype(np.int8),
        naissance=naissance_p,
        activite=activite[p].astype(np.int8),
        taux=taux[p],
        restriction=restriction[p],
        enceinte=enceinte[p],
        niveau=niveau[p].astype(np.int8),
        revenus=revenus_p,
        independant_declare=revenus_p[:, i_independant, 0] > 0,
    )
    if garde.all():
        lecture.ids = list(bloc.ids)
    else:
        lecture.ids = [ident for ident, g in zip(bloc.ids, garde.tolist(), strict=True) if g]
    return lecture
