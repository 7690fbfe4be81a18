"""The person's right of access (everything held about them) and the journals of their record."""

from django.forms.models import model_to_dict

from repere.allervers import referentiels
from repere.allervers.journal import journaliser_lecture
from repere.allervers.models import Historique, JournalAcces, Personne
from repere.allervers.permissions import note_privee_pour

__all__ = ["donnees_de", "ecritures", "journaliser_lecture", "lectures"]


def _d(objet, exclure=()):
    return {k: v for k, v in model_to_dict(objet).items() if k not in exclure}


def donnees_de(*, personne: Personne, lecteur) -> dict:
    """Everything Repère holds about the person (art. 15 RGPD): identity, record, write history, the
    referrals' identity copy and comments. An interview's private note appears only when ``lecteur``
    is its author (as everywhere else). Users appear by name; internal technical ids are left out."""

    def nom(u):
        return str(u) if u else None

    return {
        "reference": personne.reference,
        "organisation": str(personne.organisation),
        "identite": {
            "prenom": personne.prenom,
            "nom": personne.nom,
            "date_naissance": personne.date_naissance,
            "telephone": personne.telephone,
            "email": personne.email,
            "adresse": personne.adresse,
            "commune": str(personne.commune) if personne.commune else None,
        },
        "referent": nom(personne.referent),
        "campagne": str(personne.campagne) if personne.campagne else None,
        "foyer": personne.menage,
        "besoins": [referentiels.libelle_thematique(b) for b in personne.besoins],
        "cree_le": personne.cree_le,
        "dernier_contact": personne.derniere_interaction_le,
        "accords": [
            {
                "finalite": c.get_finalite_display(),
                "recueilli_par": nom(c.recueilli_par),
                "recueilli_le": c.recueilli_le,
                "notice": f"{c.notice.titre} (version {c.notice.version})",
                "base_legale": c.notice.base_legale,
                "organisations": [str(o) for o in c.organisations.all()],
                "retire_le": c.retire_le,
            }
            for c in personne.consentements.select_related("notice", "recueilli_par")
        ],
        "contacts": [
            {
                "date": c.date,
                "campagne": str(c.campagne),
                "canal": c.get_canal_display(),
                "secteur": c.secteur,
                "situations": c.situations,
                "reponses_prereperage": c.reponses,
                "besoins": [referentiels.libelle_thematique(b.thematique) for b in c.besoins.all()],
                "droits_reperes": [f"{d.libelle} ({d.certitude})" for d in c.droits.all()],
            }
            for c in personne.contacts.select_related("campagne")
        ],
        "entretiens": [
            {
                "date": e.date,
                "canal": e.get_canal_display(),
                "auteur": nom(e.auteur),
                "organisation": str(e.organisation),
                "besoins": [referentiels.libelle_thematique(b) for b in e.besoins],
                "resume": e.resume,
                "note_privee": note_privee_pour(e, lecteur),
            }
            for e in personne.entretiens.select_related("auteur", "organisation")
        ],
        "simulations": [
            {
                "date": s.lancee_le,
                "version_moteur": s.version_moteur,
                "total_mensuel": s.total_mensuel,
                "prestations": [
                    {
                        "libelle": p.get("libelle"),
                        "eligible": p.get("eligible"),
                        "montant_mensuel": p.get("montant_mensuel"),
                    }
                    for p in s.resultats
                ],
            }
            for s in personne.simulations.all()
        ],
        "droits": [
            {
                "prestation": d.libelle,
                "etape": d.get_statut_display(),
                "montant_estime": d.montant_estime,
                "montant_confirme": d.montant_confirme,
                "detecte_le": d.detecte_le,
                "demarche_le": d.demarche_le,
                "depose_le": d.depose_le,
                "ouvert_le": d.ouvert_le,
                "cloture_le": d.cloture_le,
                "motif": d.motif_refus,
            }
            for d in personne.droits.all()
        ],
        "rappels": [{"echeance": r.echeance, "objet": r.objet, "fait_le": r.fait_le} for r in personne.rappels.all()],
        "partages": [
            {"organisation": str(m.organisation), "depuis": m.ajoute_le, "fin": m.fin_le}
            for m in personne.groupe.select_related("organisation")
        ],
        "orientations": _orientations(personne),
        "historique_des_modifications": [
            {
                "quand": h.quand,
                "qui": nom(h.utilisateur),
                "objet": h.objet,
                "action": h.action,
                "changements": h.changements,
            }
            for h in ecritures(personne=personne)
        ],
        "journal_des_acces": [
            {
                "quand": j.quand,
                "qui": nom(j.utilisateur),
                "organisation": str(j.organisation) if j.organisation else None,
                "quoi": j.quoi,
            }
            for j in lectures(personne=personne)
        ],
    }


def _orientations(personne: Personne) -> list[dict]:
    from repere.annuaire.selectors import donnees_orientations

    return donnees_orientations(ids=list(personne.orientations.values_list("orientation_id", flat=True)))


def lectures(*, personne: Personne):
    return JournalAcces.objects.filter(personne=personne).select_related("utilisateur", "organisation")


def ecritures(*, personne: Personne):
    return Historique.objects.filter(personne=personne).select_related("utilisateur")
