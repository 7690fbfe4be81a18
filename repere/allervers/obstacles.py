"""The obstacles people meet on the way to a right, and the types of non-take-up (Odenore:
non-connaissance, non-demande, non-réception, non-proposition), by body. Recorded in the capture of
a contact, in an interview and when a right is refused or abandoned; counted in the observatory's
barometer (repere.observatoire.barometre), secret rule applied."""

OBSTACLES = [
    ("ne_connait_pas", "Ne connaissait pas le droit"),
    ("se_croit_non_eligible", "Se croyait non éligible"),
    ("demarche_en_ligne", "Démarche uniquement en ligne"),
    ("pieces_demandees", "Pièces justificatives demandées"),
    ("delais", "Délais de traitement"),
    ("sans_reponse", "Pas de réponse de l'organisme"),
    ("refus_incompris", "Refus non compris"),
    ("complexite", "Démarche trop complexe"),
    ("peur_stigmatisation", "Crainte d'être stigmatisé"),
    ("peur_controle", "Crainte d'un contrôle ou d'un indu"),
    ("langue", "Barrière de la langue"),
    ("mobilite", "Difficulté de déplacement"),
    ("numerique", "Pas d'équipement ou d'aisance numérique"),
    ("montant_faible", "Montant jugé trop faible"),
    ("autre", "Autre obstacle"),
]
OBSTACLES_CODES = frozenset(c for c, _ in OBSTACLES)

TYPES_NON_RECOURS = [
    ("non_connaissance", "Non-connaissance (l'offre n'est pas connue)"),
    ("non_demande", "Non-demande (l'offre est connue mais pas demandée)"),
    ("non_reception", "Non-réception (demandée mais pas obtenue)"),
    ("non_proposition", "Non-proposition (l'offre n'a pas été proposée)"),
]
TYPES_NON_RECOURS_CODES = frozenset(c for c, _ in TYPES_NON_RECOURS)

ORGANISMES = [
    ("caf", "CAF"),
    ("cpam", "CPAM (Assurance maladie)"),
    ("msa", "MSA"),
    ("france_travail", "France Travail"),
    ("departement", "Conseil départemental"),
    ("carsat", "Carsat / retraite"),
    ("ccas", "CCAS / commune"),
    ("impots", "Impôts"),
    ("bailleur", "Bailleur / fournisseur d'énergie"),
    ("autre", "Autre organisme"),
]
ORGANISMES_CODES = frozenset(c for c, _ in ORGANISMES)

SOURCES = [
    ("contact", "Contact d'aller-vers"),
    ("entretien", "Entretien"),
    ("refus", "Droit refusé"),
    ("abandon", "Démarche abandonnée"),
]

# The non-take-up type a refusal or an abandonment implies when none is given.
TYPE_PAR_DEFAUT = {"refus": "non_reception", "abandon": "non_demande"}


def libelle(liste, code: str) -> str:
    return dict(liste).get(code, code)
