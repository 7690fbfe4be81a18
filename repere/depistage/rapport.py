"""Summary report of a screening: counts and amounts by benefit and by commune, with charts.

A standalone, printable HTML page (inline CSS and SVG charts, no script, no external resource):
it can be e-mailed or archived and opens offline. Aggregates only: no household appears in it.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path

from repere.droits.prestations import PAR_CODE
from repere.utils.text import mois_en_lettres

_DEBUT_PRESTATIONS = 6  # first benefit cell in a result row (see sortie.SCHEMA_PART)
TRANCHES = ((0, 0), (0.01, 50), (50, 100), (100, 200), (200, 500), (500, 1000), (1000, None))
# Non-take-up is what is estimated and NOT received: it can be told only if the file says what is received.
# Below this share of households with an estimated right that declare any amount received, the « perçu »
# columns are taken as empty, and figures are shown as « droits estimés », never as « non-recours ».
SEUIL_PERCUS_RENSEIGNES = 0.10


def non_recours_mesurable(*, menages_droit: int, menages_percu: int) -> bool:
    """True when the file's « perçu » columns are filled enough to tell non-take-up (the one rule)."""
    return menages_droit > 0 and menages_percu / menages_droit >= SEUIL_PERCUS_RENSEIGNES


@dataclass
class Synthese:
    codes: tuple[str, ...]
    menages: int = 0
    menages_non_recours: int = 0
    menages_droit: int = 0  # households with at least one estimated right
    menages_percu: int = 0  # households declaring at least one amount received
    montant_total: float = 0.0
    # code -> [droit estimé, NR, montant en jeu (its share of the priorities: they add up to montant_total), perçus]
    par_prestation: dict[str, list] = field(default_factory=dict)
    par_commune: dict[str, list] = field(default_factory=dict)  # code INSEE -> [ménages, ménages NR, montant]
    tranches: list[int] = field(default_factory=lambda: [0] * len(TRANCHES))

    def ajouter_table(self, table) -> None:
        """Add a block of rows (``sortie.SCHEMA_RESULTAT`` or ``SCHEMA_PART``)."""
        import numpy as np

        from repere.depistage.sortie import part_de_priorite

        if not table.num_rows:
            return
        decalage = 1 if table.column_names[0] == "rang" else 0
        colonne = lambda i: table.column(i + decalage).to_numpy(zero_copy_only=False)  # noqa: E731
        n = table.num_rows
        self.menages += n
        communes, priorite, nb_nr = colonne(1), colonne(3).astype(float), colonne(4)
        self.menages_non_recours += int((nb_nr > 0).sum())
        self.montant_total += float(priorite.sum())
        uniques, inverse = np.unique(communes.astype(str), return_inverse=True)
        nb = np.bincount(inverse, minlength=len(uniques))
        nr = np.bincount(inverse, weights=nb_nr > 0, minlength=len(uniques))
        montant = np.bincount(inverse, weights=priorite, minlength=len(uniques))
        for k, code in enumerate(uniques.tolist()):
            c = self.par_commune.setdefault(code, [0, 0, 0.0])
            c[0] += int(nb[k])
            c[1] += int(nr[k])
            c[2] += float(montant[k])
        restant = np.ones(n, dtype=bool)
        for i, (bas, haut) in enumerate(TRANCHES):
            dedans = restant & (priorite >= bas) & (True if haut is None else priorite <= haut)
            self.tranches[i] += int(dedans.sum())
            restant &= ~dedans
        droit = np.zeros(n, dtype=bool)
        percu_declare = np.zeros(n, dtype=bool)
        for k, code in enumerate(self.codes):
            debut = _DEBUT_PRESTATIONS + 4 * k
            if table.column(debut + decalage).null_count == n:
                continue
            estime = np.nan_to_num(colonne(debut).astype(float))
            percu = np.nan_to_num(colonne(debut + 1).astype(float))
            ecart = np.nan_to_num(colonne(debut + 2).astype(float))
            nr = colonne(debut + 3).astype(bool)
            droit |= (estime > 0) | nr
            percu_declare |= percu > 0
            stats = self.par_prestation.setdefault(code, [0, 0, 0.0, 0])
            stats[0] += int(((estime > 0) | nr).sum())
            stats[1] += int(nr.sum())
            stats[2] += float(part_de_priorite(code, ecart).sum())  # its share of the total in play
            stats[3] += int((percu != 0).sum())
        self.menages_droit += int(droit.sum())
        self.menages_percu += int(percu_declare.sum())

    def en_dict(self) -> dict:
        """The figures (JSON), to be added to another synthesis: ``ajouter_synthese``."""
        return {nom: valeur for nom, valeur in asdict(self).items() if nom != "codes"}

    def ajouter_synthese(self, autre: dict) -> None:
        """Add the figures of other rows (``en_dict``): a file's synthesis is the sum of its chunks', each
        computed where its chunk was computed, so the merge never reads the rows again for the report."""
        for nom in ("menages", "menages_non_recours", "menages_droit", "menages_percu", "montant_total"):
            setattr(self, nom, getattr(self, nom) + autre[nom])
        for cible, source in ((self.par_prestation, autre["par_prestation"]), (self.par_commune, autre["par_commune"])):
            for code, valeurs in source.items():
                deja = cible.setdefault(code, [0] * len(valeurs))
                for i, v in enumerate(valeurs):
                    deja[i] += v
        self.tranches = [a + b for a, b in zip(self.tranches, autre["tranches"], strict=True)]

    @property
    def non_recours_mesurable(self) -> bool:
        return non_recours_mesurable(menages_droit=self.menages_droit, menages_percu=self.menages_percu)


def _euros(x: float) -> str:
    from repere.utils.nombres import euros

    return euros(x)


def _nombre(x: int) -> str:
    from repere.utils.nombres import nombre

    return nombre(x)


def _compte(x: int, mots: str) -> str:
    from repere.utils.nombres import compte

    return compte(x, mots)


def _mots(x: int, singulier: str, pluriel: str | None = None) -> str:
    from repere.utils.nombres import accord

    return accord(x, singulier, pluriel)


def _pourcentage(part: int, total: int) -> str:
    from repere.utils.nombres import pourcentage

    return pourcentage(part / total) if total else "0 %"


def barres(titre: str, donnees: list[tuple[str, float]], *, format_valeur=_nombre, couleur="#1d4e89") -> str:
    """Horizontal bar chart in HTML and CSS: each bar a line (label, bar, value) whose text keeps the page's
    size on a phone (an SVG scaled to the screen shrank it to 6 px) and wraps. The same figures are in a
    table below it (the text alternative)."""
    if not donnees:
        return ""
    donnees = sorted(donnees, key=lambda d: -d[1])  # the largest first
    maximum = max(v for _, v in donnees) or 1
    lignes = "".join(
        f'<li><span class="libelle">{escape(libelle)}</span><span class="piste">'
        f'<span class="plein" style="width:{100 * valeur / maximum:.1f}%;background:{couleur}"></span></span>'
        f'<span class="valeur">{escape(format_valeur(valeur))}</span></li>'
        for libelle, valeur in donnees
    )
    return f'<figure class="barres"><figcaption>{escape(titre)}</figcaption><ul>{lignes}</ul></figure>'


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #1d4e89}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:bold;padding:.3rem 0}
.chiffres{display:flex;flex-wrap:wrap;gap:1rem;padding:0;list-style:none}.chiffres li{border:1px solid #ccc;padding:.6rem 1rem;border-radius:4px}
.chiffres strong{display:block;font-size:1.4rem}.avertissement{border-left:4px solid #7a4b00;background:#fff4d6;padding:.5rem 1rem}figure{margin:1rem 0}figcaption{font-weight:bold}.discret{color:#555;font-size:.9rem}
.tableau{overflow-x:auto;margin:0 0 1rem}.tableau table{margin:0}.legende{font-weight:bold;margin:1rem 0 .3rem}.defiler{display:none;color:#555;font-size:.9rem;margin:0 0 .3rem}
.tableau caption{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.tableau tbody th,.tableau thead th:first-child{position:sticky;left:0;background:#fff}
@media (max-width:36rem){.defiler{display:block}}
.barres ul{list-style:none;padding:0;margin:.5rem 0}.barres li{display:grid;grid-template-columns:minmax(8rem,38%) 1fr 8.5rem;gap:.25rem .6rem;align-items:center;margin:.3rem 0}
.barres .piste{background:#eceff3;height:1rem}.barres .plein{display:block;height:100%;min-width:2px;print-color-adjust:exact;-webkit-print-color-adjust:exact}.barres .valeur{font-variant-numeric:tabular-nums;text-align:right}
@media (max-width:36rem){.barres li{grid-template-columns:1fr 7.5rem}.barres .libelle{grid-column:1/-1}}
@media print{body{margin:0;max-width:none}.tableau{overflow:visible}.legende,.defiler{display:none}.tableau caption{position:static;width:auto;height:auto;overflow:visible;clip-path:none;white-space:normal}h2{break-after:avoid}figure,table{break-inside:avoid}}
"""


def ecrire_rapport(
    chemin: Path, *, synthese: Synthese, bilan, options, noms_communes: dict[str, str], titre: str = ""
) -> None:
    s = synthese
    libelle = {c: PAR_CODE[c].libelle if c in PAR_CODE else c for c in s.codes}
    prestations = sorted(s.par_prestation.items(), key=lambda kv: (-kv[1][2], -kv[1][1]))
    communes = sorted(s.par_commune.items(), key=lambda kv: (-kv[1][2], kv[0]))

    def nom(code):
        return noms_communes.get(code) or f"commune inconnue ({code})"

    mesurable = s.non_recours_mesurable
    part_percu = _pourcentage(s.menages_percu, s.menages_droit)
    if s.menages_droit:
        declarent = _mots(s.menages_percu, "déclare", "déclarent")
        constat = (
            f"{_compte(s.menages_percu, 'ménage')} sur {_nombre(s.menages_droit)} ayant un droit estimé ({part_percu}) "
            f"{declarent} un montant perçu"
        )
    else:
        constat = "Aucun ménage calculé n'a de droit estimé"
    avertissement = (
        ""
        if mesurable
        else """<div class="avertissement" role="note"><p><strong>Aucun ménage n'a pu être calculé.</strong>
Chaque ligne rejetée est dans le fichier des lignes rejetées, avec la raison : corrigez le fichier et relancez.</p></div>"""
        if not s.menages
        else f"""<div class="avertissement" role="note"><p><strong>Le non-recours ne peut pas être mesuré avec ce fichier.</strong>
Les colonnes « perçu » sont vides ou presque : {constat}. Ne rien déclarer ne veut pas dire ne rien recevoir :
les chiffres ci-dessous sont des <strong>droits estimés</strong>, pas du non-recours. Pour mesurer le non-recours,
renseignez les montants perçus (colonnes « percu_… »).</p></div>"""
    )
    nr = "en non-recours probable" if mesurable else "avec un droit estimé"
    montant_libelle = "Montant mensuel en jeu" if mesurable else "Montant mensuel des droits estimés"

    lignes_prestations = "".join(
        f"<tr><th scope='row'>{escape(libelle[c])}</th><td class='n'>{_nombre(v[0])}</td><td class='n'>{_nombre(v[3])}</td>"
        f"<td class='n'>{_nombre(v[1])}</td><td class='n'>{_euros(v[2])}</td></tr>"
        for c, v in prestations
    )
    lignes_communes = "".join(
        f"<tr><th scope='row'>{escape(nom(c))}</th><td class='n'>{_nombre(v[0])}</td><td class='n'>{_nombre(v[1])}</td>"
        f"<td class='n'>{_euros(v[2])}</td></tr>"
        for c, v in communes[:100]
    )
    # each range holds the amounts above the previous range's top, up to its own top (50 € is in « jusqu'à 50 € »)
    libelles_tranches = [
        "0 €"
        if haut == 0
        else f"jusqu'à {_euros(haut)}"
        if k == 1
        else f"plus de {_euros(TRANCHES[k - 1][1])}" + ("" if haut is None else f", jusqu'à {_euros(haut)}")
        for k, (_bas, haut) in enumerate(TRANCHES)
    ]
    lignes_tranches = "".join(
        f"<tr><th scope='row'>{escape(t)}</th><td class='n'>{_nombre(n)}</td></tr>"
        for t, n in zip(libelles_tranches, s.tranches, strict=True)
    )
    graphiques = "".join(
        [
            barres(
                f"Ménages {nr}, par prestation",
                [(libelle[c], v[1]) for c, v in prestations if v[1]],
            ),
            barres(
                f"{montant_libelle}, par prestation",
                [(libelle[c], v[2]) for c, v in prestations if v[2]],
                format_valeur=_euros,
                couleur="#a33b20",
            ),
            barres(
                f"{montant_libelle}, par commune" + (" : les 15 premières" if len(communes) > 15 else ""),
                [(nom(c), v[2]) for c, v in communes[:15] if v[2]],
                format_valeur=_euros,
                couleur="#2e6b30",
            ),
        ]
    )
    titre_page = titre or "Synthèse du repérage du non-recours par fichier"
    maintenant = dt.datetime.now().strftime("%d/%m/%Y à %H:%M")
    html = f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(titre_page)}</title><style>{_CSS}</style></head><body>
<header><h1>{escape(titre_page)}</h1>
<p class="discret">Produit le {maintenant} — mois simulé {escape(mois_en_lettres(options.mois))} — moteur OpenFisca-France via Repère.
Estimations à confirmer avec les personnes : elles dépendent des données du fichier.</p></header>
<main>
<h2>En bref</h2>
{avertissement}
<ul class="chiffres">
<li><strong>{_nombre(s.menages)}</strong> {_mots(s.menages, "ménage calculé")}</li>
<li><strong>{_nombre(s.menages_non_recours if mesurable else s.menages_droit)}</strong> {nr} (au moins une prestation)</li>
<li><strong>{_euros(s.montant_total)}</strong> par mois {"en jeu" if mesurable else "de droits estimés non déclarés comme perçus"}</li>
<li><strong>{_nombre(bilan.menages_rejetes)}</strong> {_mots(bilan.menages_rejetes, "ménage non calculé")} ({_compte(bilan.lignes_rejetees, "ligne signalée")})</li>
</ul>
{graphiques}
<h2>Par prestation</h2>
<p class="legende" aria-hidden="true">Ménages et montants par prestation (montants mensuels ; prestations annuelles ramenées au mois)</p><p class="defiler" aria-hidden="true">Le tableau défile de côté : faites-le glisser pour voir toutes ses colonnes.</p>
<div class="tableau" role="region" tabindex="0" aria-label="Tableau (défilement horizontal)"><table><caption>Ménages et montants par prestation (montants mensuels ; prestations annuelles ramenées au mois)</caption>
<thead><tr><th scope="col">Prestation</th><th scope="col" class="n">Droit estimé</th><th scope="col" class="n">Déjà perçue</th>
<th scope="col" class="n">{"Non-recours probable" if mesurable else "Droit estimé, rien de déclaré perçu"}</th><th scope="col" class="n">{montant_libelle}</th></tr></thead>
<tbody>{lignes_prestations}</tbody></table></div>
<h2>Par commune</h2>
<p class="legende" aria-hidden="true">Ménages et {montant_libelle.lower()} par commune{" (les 100 premières)" if len(communes) > 100 else ""}</p><p class="defiler" aria-hidden="true">Le tableau défile de côté : faites-le glisser pour voir toutes ses colonnes.</p>
<div class="tableau" role="region" tabindex="0" aria-label="Tableau (défilement horizontal)"><table><caption>Ménages et {montant_libelle.lower()} par commune{" (les 100 premières)" if len(communes) > 100 else ""}</caption>
<thead><tr><th scope="col">Commune</th><th scope="col" class="n">Ménages</th><th scope="col" class="n">{"En non-recours probable" if mesurable else "Avec un droit estimé"}</th>
<th scope="col" class="n">{montant_libelle}</th></tr></thead><tbody>{lignes_communes}</tbody></table></div>
<h2>Répartition des montants en jeu par ménage</h2>
<p class="legende" aria-hidden="true">Nombre de ménages par montant mensuel en jeu</p>
<div class="tableau" role="region" tabindex="0" aria-label="Tableau (défilement horizontal)"><table><caption>Nombre de ménages par montant mensuel en jeu</caption><thead><tr><th scope="col">Montant mensuel</th>
<th scope="col" class="n">Ménages</th></tr></thead><tbody>{lignes_tranches}</tbody></table></div>
<h2>Méthode</h2>
<p>Chaque ménage est simulé avec le moteur de Repère (OpenFisca-France), exactement comme dans le simulateur.
Une prestation est en <strong>non-recours probable</strong> quand son montant estimé est positif (ou le ménage éligible)
et que rien n'est déclaré comme perçu : cela n'a de sens que si le fichier renseigne les montants perçus
(au moins {_pourcentage(int(SEUIL_PERCUS_RENSEIGNES * 100), 100)} des ménages ayant un droit estimé déclarent un montant perçu ; sinon, le rapport parle
de droits estimés). La <strong>priorité</strong> d'un ménage est la somme des écarts positifs
entre montants estimés et perçus, par mois (hors participation à la complémentaire santé solidaire) ; le montant
en jeu d'une prestation est sa part de ces écarts : les montants par prestation font le total.
La complémentaire santé solidaire <strong>sans participation</strong> est un droit sans argent versé (des soins
remboursés sans frais) : elle compte parmi les ménages en non-recours, avec un montant de 0 € ; celle <strong>avec
participation</strong> coûte au ménage une participation mensuelle, qui n'est pas un montant en jeu.</p>
<p class="discret">Durée du calcul : {_nombre(round(bilan.duree))} s. {_compte(bilan.lignes_rejetees, "ligne signalée") + " : voir le fichier des lignes rejetées." if bilan.lignes_rejetees else "Aucune ligne rejetée."}</p>
</main></body></html>
"""
    tmp = chemin.with_name(f".{chemin.name}.{os.getpid()}.partiel")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, chemin)
