"""Curated catalogue of the national benefits the engine covers: labels, how to apply, documents.

Data only (no formula: amounts come from OpenFisca-France). ``PRESTATIONS`` is ordered as shown to
users when amounts are equal. Links are the official procedures (service-public.fr, caf.fr, ameli.fr,
education.gouv.fr, chequeenergie.gouv.fr), checked in November 2026.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CommentDemander:
    organisme: str
    demarche: str
    lien: str
    formulaire: str = ""
    pieces: tuple[str, ...] = ()
    delai: str = ""

    def en_dict(self) -> dict:
        return {
            "organisme": self.organisme,
            "demarche": self.demarche,
            "lien": self.lien,
            "formulaire": self.formulaire,
            "pieces": list(self.pieces),
            "delai": self.delai,
        }


@dataclass(frozen=True)
class Prestation:
    code: str
    libelle: str
    description: str
    periode: str  # "mensuel" or "annuel": the period of the amount shown
    comment_demander: CommentDemander
    rapide: bool = True  # computed in the quick pre-screen (mode="rapide")
    codes_recus: tuple[str, ...] = field(default_factory=tuple)  # codes of Menage.prestations_recues


_PIECES_CAF = (
    "pièce d'identité ou titre de séjour",
    "RIB",
    "justificatifs de ressources des 3 derniers mois (bulletins de salaire, attestations France Travail)",
)

PRESTATIONS: tuple[Prestation, ...] = (
    Prestation(
        code="rsa",
        libelle="Revenu de solidarité active (RSA)",
        description="Revenu minimum pour les personnes de 25 ans ou plus (ou plus jeunes avec un enfant ou une grossesse) sans ressources ou avec de faibles ressources.",
        periode="mensuel",
        codes_recus=("rsa",),
        comment_demander=CommentDemander(
            organisme="CAF (ou MSA pour le régime agricole)",
            demarche="Demande de RSA en ligne sur caf.fr (rubrique « Faire une demande de prestation »), ou auprès du CCAS ou du Département.",
            lien="https://www.service-public.fr/particuliers/vosdroits/N19775",
            formulaire="Demande en ligne ; formulaire papier cerfa n° 15481",
            pieces=_PIECES_CAF + ("avis d'imposition", "justificatif de domicile"),
            delai="Droit ouvert à partir du mois de la demande : ne pas attendre.",
        ),
    ),
    Prestation(
        code="ppa",
        libelle="Prime d'activité",
        description="Complément de revenus pour les personnes qui travaillent (dès 18 ans) et dont les revenus sont modestes.",
        periode="mensuel",
        codes_recus=("ppa",),
        comment_demander=CommentDemander(
            organisme="CAF (ou MSA)",
            demarche="Demande en ligne sur caf.fr (rubrique « Faire une demande de prestation » > Prime d'activité), puis déclaration trimestrielle des ressources.",
            lien="https://www.service-public.fr/particuliers/vosdroits/F2882",
            formulaire="Demande en ligne uniquement",
            pieces=("RIB", "bulletins de salaire des 3 derniers mois", "numéro de sécurité sociale"),
            delai="Pas de rétroactivité : la prime est due à partir du mois de la demande.",
        ),
    ),
    Prestation(
        code="aide_logement",
        libelle="Aide au logement (APL, ALF ou ALS)",
        description="Aide pour payer le loyer (ou la mensualité d'un prêt dans certains cas), versée selon les ressources, le loyer et la commune.",
        periode="mensuel",
        codes_recus=("aide_logement",),
        comment_demander=CommentDemander(
            organisme="CAF (ou MSA)",
            demarche="Demande d'aide au logement en ligne sur caf.fr ; le propriétaire remplit l'attestation de loyer.",
            lien="https://www.service-public.fr/particuliers/vosdroits/N20360",
            formulaire="Demande en ligne ; attestation de loyer cerfa n° 10840",
            pieces=(
                "bail ou contrat de location",
                "attestation de loyer remplie par le bailleur",
                "RIB",
                "pièce d'identité ou titre de séjour",
            ),
            delai="Versée à partir du mois suivant l'entrée dans le logement : faire la demande dès l'entrée.",
        ),
    ),
    Prestation(
        code="css_gratuite",
        libelle="Complémentaire santé solidaire sans participation",
        description="Mutuelle gratuite : prise en charge de la part complémentaire des soins (consultations, hospitalisation, lunettes, dentaire...).",
        periode="mensuel",
        codes_recus=("css",),
        comment_demander=CommentDemander(
            organisme="Assurance maladie (CPAM) ou MSA",
            demarche="Demande en ligne depuis le compte ameli (rubrique « Mes démarches »), ou formulaire papier à la CPAM.",
            lien="https://www.service-public.fr/particuliers/vosdroits/F10027",
            formulaire="Cerfa n° 15765 (demande de complémentaire santé solidaire)",
            pieces=("justificatifs des ressources des 12 derniers mois", "pièce d'identité ou titre de séjour"),
            delai="Réponse sous 2 mois ; droit ouvert pour 12 mois. Automatique pour les allocataires du RSA qui l'ont demandée.",
        ),
    ),
    Prestation(
        code="css_participation",
        libelle="Complémentaire santé solidaire avec participation",
        description="Mutuelle à moins de 1 € par jour et par personne (8 à 30 € par mois selon l'âge) : le montant indiqué est la participation à payer.",
        periode="mensuel",
        codes_recus=("css",),
        comment_demander=CommentDemander(
            organisme="Assurance maladie (CPAM) ou MSA",
            demarche="Demande en ligne depuis le compte ameli (rubrique « Mes démarches »), ou formulaire papier à la CPAM.",
            lien="https://www.service-public.fr/particuliers/vosdroits/F10027",
            formulaire="Cerfa n° 15765 (demande de complémentaire santé solidaire)",
            pieces=("justificatifs des ressources des 12 derniers mois", "pièce d'identité ou titre de séjour"),
            delai="Réponse sous 2 mois ; droit ouvert pour 12 mois.",
        ),
    ),
    Prestation(
        code="cheque_energie",
        rapide=False,
        libelle="Chèque énergie",
        description="Aide annuelle pour payer les factures d'énergie (électricité, gaz, fioul, bois) ou des travaux de rénovation énergétique.",
        periode="annuel",
        comment_demander=CommentDemander(
            organisme="Agence de services et de paiement (ASP), pour l'État",
            demarche="Envoi automatique au printemps aux foyers éligibles d'après la déclaration de revenus : il suffit de déclarer ses revenus chaque année, même nuls. Réclamation sur chequeenergie.gouv.fr.",
            lien="https://www.service-public.fr/particuliers/vosdroits/F35587",
            formulaire="Aucun : déclaration de revenus annuelle",
            pieces=("avis d'impôt sur le revenu",),
            delai="Vérifier l'adresse de déclaration fiscale : le chèque est envoyé à cette adresse.",
        ),
    ),
    Prestation(
        code="aah",
        libelle="Allocation aux adultes handicapés (AAH)",
        description="Revenu minimum pour les personnes handicapées (taux d'incapacité d'au moins 80 %, ou 50 à 79 % avec une restriction d'accès à l'emploi).",
        periode="mensuel",
        codes_recus=("aah",),
        comment_demander=CommentDemander(
            organisme="MDPH (Maison départementale des personnes handicapées), puis CAF ou MSA pour le paiement",
            demarche="Dépôt du dossier à la MDPH du département (en ligne sur mdphenligne.cnsa.fr quand la MDPH le permet) ; la CAF calcule ensuite le montant.",
            lien="https://www.service-public.fr/particuliers/vosdroits/F12242",
            formulaire="Cerfa n° 15692 (demande à la MDPH) et certificat médical cerfa n° 15695",
            pieces=(
                "certificat médical de moins d'un an",
                "pièce d'identité",
                "justificatif de domicile",
            ),
            delai="Décision de la CDAPH en 4 mois en moyenne.",
        ),
    ),
    Prestation(
        code="af",
        libelle="Allocations familiales",
        description="Versées dès 2 enfants à charge de moins de 20 ans ; montant modulé selon les revenus.",
        periode="mensuel",
        codes_recus=("af",),
        comment_demander=CommentDemander(
            organisme="CAF (ou MSA)",
            demarche="Déclaration de situation en ligne sur caf.fr (naissance, arrivée d'un enfant) ; versement automatique ensuite.",
            lien="https://www.service-public.fr/particuliers/vosdroits/F13213",
            formulaire="Demande en ligne ; cerfa n° 11423 (déclaration de situation)",
            pieces=("livret de famille ou acte de naissance des enfants", "RIB"),
        ),
    ),
    Prestation(
        code="cf",
        rapide=False,
        libelle="Complément familial",
        description="Pour les familles d'au moins 3 enfants de 3 à 21 ans, sous conditions de ressources.",
        periode="mensuel",
        codes_recus=("cf",),
        comment_demander=CommentDemander(
            organisme="CAF (ou MSA)",
            demarche="Versé automatiquement aux allocataires qui remplissent les conditions ; sinon déclaration de situation sur caf.fr.",
            lien="https://www.service-public.fr/particuliers/vosdroits/F13214",
            formulaire="Aucun si déjà allocataire",
            pieces=("dernier avis d'impôt sur le revenu",),
        ),
    ),
    Prestation(
        code="asf",
        libelle="Allocation de soutien familial (ASF)",
        description="Pour la personne qui élève seule un enfant privé de l'aide de l'un de ses parents (pension alimentaire non versée ou faible).",
        periode="mensuel",
        codes_recus=("asf",),
        comment_demander=CommentDemander(
            organisme="CAF (ou MSA)",
            demarche="Demande en ligne sur caf.fr ; la CAF peut aussi aider à fixer ou recouvrer la pension alimentaire (service ARIPA).",
            lien="https://www.service-public.fr/particuliers/vosdroits/F815",
            formulaire="Cerfa n° 12057 (demande d'ASF)",
            pieces=("jugement fixant la pension alimentaire s'il existe", "RIB", "acte de naissance des enfants"),
        ),
    ),
    Prestation(
        code="ars",
        rapide=False,
        libelle="Allocation de rentrée scolaire (ARS)",
        description="Versée en août pour chaque enfant scolarisé de 6 à 18 ans, sous conditions de ressources.",
        periode="annuel",
        codes_recus=("ars",),
        comment_demander=CommentDemander(
            organisme="CAF (ou MSA)",
            demarche="Versement automatique aux allocataires ayant des enfants de 6 à 15 ans ; pour 16-18 ans, déclarer la scolarité sur caf.fr.",
            lien="https://www.service-public.fr/particuliers/vosdroits/F1878",
            formulaire="Déclaration de scolarité en ligne (16-18 ans)",
            pieces=("certificat de scolarité pour les 16-18 ans",),
            delai="Versée fin août ; montant indiqué pour l'année civile du mois simulé.",
        ),
    ),
    Prestation(
        code="aspa",
        libelle="Allocation de solidarité aux personnes âgées (ASPA)",
        description="Minimum vieillesse pour les personnes de 65 ans ou plus (62 ans en cas d'inaptitude) aux revenus faibles.",
        periode="mensuel",
        codes_recus=("aspa",),
        comment_demander=CommentDemander(
            organisme="Caisse de retraite (Assurance retraite / Carsat, MSA) ; mairie pour les personnes sans retraite",
            demarche="Demande en ligne sur lassuranceretraite.fr (« Demander l'Aspa ») ou formulaire auprès de la caisse de retraite.",
            lien="https://www.service-public.fr/particuliers/vosdroits/F16871",
            formulaire="Cerfa n° 13710 (demande d'Aspa)",
            pieces=("justificatifs de ressources des 3 derniers mois", "avis d'imposition", "RIB"),
            delai="Les sommes versées peuvent être reprises sur l'héritage, seulement si celui-ci dépasse 107 616 € (2026) : la maison ou les économies d'un héritage plus petit ne sont pas touchées.",
        ),
    ),
    Prestation(
        code="bourse_college",
        rapide=False,
        libelle="Bourse de collège",
        description="Aide annuelle pour les frais de scolarité des collégiens, selon les revenus et le nombre d'enfants.",
        periode="annuel",
        comment_demander=CommentDemander(
            organisme="Éducation nationale (le collège)",
            demarche="Demande en ligne sur educonnect / Scolarité services à la rentrée (septembre-octobre), ou dossier papier au secrétariat du collège.",
            lien="https://www.service-public.fr/particuliers/vosdroits/F984",
            formulaire="Téléservice « Bourse de collège » ou formulaire du collège",
            pieces=("dernier avis d'impôt sur le revenu",),
            delai="Campagne de rentrée : se renseigner auprès du collège.",
        ),
    ),
    Prestation(
        code="bourse_lycee",
        rapide=False,
        libelle="Bourse de lycée",
        description="Aide annuelle pour les lycéens (général, technologique, professionnel), selon les revenus et le nombre d'enfants.",
        periode="annuel",
        comment_demander=CommentDemander(
            organisme="Éducation nationale (le lycée)",
            demarche="Demande en ligne sur Scolarité services (campagne au printemps pour la rentrée suivante, puis à la rentrée), ou dossier papier au lycée.",
            lien="https://www.service-public.fr/particuliers/vosdroits/F616",
            formulaire="Téléservice « Bourse de lycée » ou cerfa n° 12539",
            pieces=("dernier avis d'impôt sur le revenu",),
        ),
    ),
)

PAR_CODE = {p.code: p for p in PRESTATIONS}

# Short names for sentences (« demandez d'abord l'AAH »), with their article.
NOMS_COURTS = {
    "rsa": "le RSA",
    "ppa": "la prime d'activité",
    "aide_logement": "l'aide au logement",
    "css_gratuite": "la complémentaire santé solidaire gratuite",
    "css_participation": "la complémentaire santé solidaire avec participation",
    "cheque_energie": "le chèque énergie",
    "aah": "l'AAH",
    "af": "les allocations familiales",
    "cf": "le complément familial",
    "asf": "l'allocation de soutien familial",
    "ars": "l'allocation de rentrée scolaire",
    "aspa": "l'ASPA",
    "bourse_college": "la bourse de collège",
    "bourse_lycee": "la bourse de lycée",
}
# Names of the benefits a household may declare as received (Menage.prestations_recues codes).
NOMS_RECUS = {
    **{c: NOMS_COURTS[c] for c in ("rsa", "ppa", "aide_logement", "aah", "af", "cf", "asf", "ars", "aspa")},
    "ass": "l'allocation de solidarité spécifique (ASS)",
    "paje": "la PAJE (jeune enfant)",
    "css": "la complémentaire santé solidaire",
    "autre": "une autre aide",
}
CODES = tuple(PAR_CODE)
CODES_RAPIDES = tuple(p.code for p in PRESTATIONS if p.rapide)


def prestation(code: str) -> Prestation:
    return PAR_CODE[code]
