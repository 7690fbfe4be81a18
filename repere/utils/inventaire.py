"""Every table and every file of Repère, and what happens to what it holds about the people accompanied.

The right to erasure and the retention periods must reach every place a person's data can be: this
inventory names them all. tests/securite/test_effacement.py fails when a model of any installed app is
missing here (a new table cannot hold personal data unnoticed), and checks after an erasure that no
table and no file still holds the person's name, phone or e-mail. Each app erases its own rows through
its own service; the outreach module calls the directory's ``effacer_orientations``.

``PERSONNE``: holds data about an accompanied person, with how it is erased and when it is anonymised.
``AGENTS``: data about the professionals using Repère (their accounts), not about the people.
``SANS``: nothing personal (reference data, codes, counts, technical rows).
"""

PERSONNE, AGENTS, SANS = "personne", "agents", "sans"
TRAITEMENTS = {PERSONNE, AGENTS, SANS}

INVENTAIRE: dict[str, tuple[str, str]] = {
    # Django and libraries
    "admin.LogEntry": (AGENTS, "actions de l'admin Django ; aucun modèle de personne n'y est enregistré"),
    "auth.Permission": (SANS, "permissions techniques"),
    "auth.Group": (SANS, "groupes techniques"),
    "contenttypes.ContentType": (SANS, "types techniques"),
    "sessions.Session": (
        PERSONNE,
        "réponses du simulateur public (anonymes, sans nom) ; expirent avec la session (SESSION_COOKIE_AGE)",
    ),
    "axes.AccessFailureLog": (AGENTS, "tentatives de connexion échouées des comptes"),
    "axes.AccessAttempt": (AGENTS, "tentatives de connexion des comptes"),
    "axes.AccessAttemptExpiration": (AGENTS, "expiration des blocages de connexion"),
    "axes.AccessLog": (AGENTS, "connexions des comptes"),
    "otp_totp.TOTPDevice": (AGENTS, "seconds facteurs des comptes"),
    "exploitation.Battement": (SANS, "signe de vie du travailleur de fond"),
    # Repère
    "territoires.Territoire": (SANS, "référentiel territorial"),
    "territoires.CodePostal": (SANS, "référentiel territorial"),
    "territoires.CodeAncien": (SANS, "référentiel territorial (codes INSEE anciens du COG)"),
    "comptes.User": (AGENTS, "comptes des professionnels et bénévoles"),
    "comptes.AppareilCodesSecours": (AGENTS, "codes de secours du second facteur des comptes"),
    "comptes.CodeSecours": (AGENTS, "empreintes des codes de secours (jamais le code)"),
    "comptes.EvenementSecurite": (AGENTS, "journal des événements du second facteur des comptes"),
    "organisations.Organisation": (SANS, "organisations"),
    "organisations.Membership": (AGENTS, "rôles des comptes"),
    "organisations.Invitation": (AGENTS, "e-mail de l'agent invité"),
    "droits.AideLocale": (SANS, "règles des aides locales"),
    "journal.Lecture": (AGENTS, "qui a lu quelle page, par identifiant technique ; supprimé après 365 jours"),
    "depistage.Depistage": (
        PERSONNE,
        "fichier de foyers déposé et ses résultats : supprimés après DEPISTAGE_CONSERVATION_JOURS "
        "(depistage.services, purger_depistages) ; la ligne ne garde que des totaux",
    ),
    "depistage.ActiviteCommune": (
        SANS,
        "comptes anonymes d'un dépistage par commune et prestation (ménages, droits à demander, montants) ; "
        "aucun identifiant de ménage",
    ),
    "annuaire.Structure": (SANS, "structures de l'annuaire"),
    "annuaire.AdresseGeocodee": (SANS, "adresses de structures géocodées"),
    "annuaire.SourceImport": (SANS, "sources d'import de l'annuaire"),
    "annuaire.ImportAnnuaire": (SANS, "imports de l'annuaire (structures et services)"),
    "annuaire.Service": (SANS, "services de l'annuaire"),
    "annuaire.LieuService": (SANS, "lieux des services"),
    "annuaire.Fermeture": (SANS, "fermetures des services"),
    "annuaire.IndexRecherche": (SANS, "index de recherche"),
    "annuaire.GroupeSynonymes": (SANS, "synonymes de la recherche de l'annuaire"),
    "annuaire.Orientation": (
        PERSONNE,
        "copie d'identité, besoins, commentaire de réponse, pièce jointe : effacés par "
        "annuaire.services.effacer_orientations (droit à l'effacement), pièce jointe supprimée 6 mois et "
        "données anonymisées 2 ans après la dernière activité, close ou non (orientations_retention)",
    ),
    "annuaire.EvenementOrientation": (
        PERSONNE,
        "commentaires de l'historique : vidés avec l'orientation (mêmes services)",
    ),
    "allervers.NoticeInformation": (SANS, "notices d'information"),
    "allervers.Campagne": (SANS, "campagnes"),
    "allervers.Contact": (SANS, "contact anonyme ; lien vers la fiche coupé à l'effacement"),
    "allervers.ContactBesoin": (SANS, "besoins d'un contact anonyme"),
    "allervers.ContactDroit": (SANS, "droits repérés d'un contact anonyme"),
    "allervers.CompteurJour": (SANS, "compteurs"),
    "allervers.ObstacleRencontre": (SANS, "obstacles comptés par mois et commune, sans personne"),
    "allervers.DemandeRecontact": (
        PERSONNE,
        "prénom et coordonnées d'une personne à rappeler : supprimés quand une fiche est créée ou l'appel fait, "
        "au plus tard après REPERE_ALLERVERS_RECONTACT_JOURS (allervers)",
    ),
    "allervers.PersonneAnonymisee": (SANS, "statistiques anonymes"),
    "allervers.DroitAnonymise": (SANS, "statistiques anonymes"),
    **{
        f"allervers.{modele}": (
            PERSONNE,
            "supprimé, délié ou vidé par allervers.anonymisation.anonymiser_personne (effacement, et 2 ans "
            "après le dernier contact) ; détail champ par champ dans allervers.anonymisation.CLASSIFICATION",
        )
        for modele in (
            "Personne",
            "Consentement",
            "Entretien",
            "Simulation",
            "DroitSuivi",
            "Rappel",
            "MembreGroupeSuivi",
            "OrientationPersonne",
            "JournalAcces",
            "Historique",
        )
    },
    **{
        f"observatoire.{m}": (SANS, "indicateurs publics et leurs imports (agrégats, secret statistique)")
        for m in ("Indicateur", "ImportFichier", "Valeur")
    },
    "observatoire.ContourIris": (SANS, "contours publics des IRIS de l'IGN"),
    **{
        f"pilotage.{m}": (SANS, "pilotage du Pacte (plans, actions, budgets, documents de travail)")
        for m in (
            "CadreNational",
            "AxeNational",
            "MesureNationale",
            "Plan",
            "Axe",
            "Action",
            "Etape",
            "Financeur",
            "LigneBudget",
            "MouvementBudget",
            "Indicateur",
            "ValeurIndicateur",
            "Note",
            "Document",
            "Historique",
        )
    },
    **{
        f"concertation.{m}": (SANS, "concertation (groupes, réunions, ateliers, contributions des participants)")
        for m in (
            "GroupeTravail",
            "Reunion",
            "Decision",
            "Tache",
            "Evenement",
            "Kiosque",
            "Atelier",
            "Contribution",
            "Synthese",
            "Enseignement",
        )
    },
}

FICHIERS: dict[str, str] = {
    "REPERE_STOCKAGE_PRIVE/orientations/": "pièces jointes des orientations (0600), supprimées avec l'orientation",
    "DEPISTAGE_REPERTOIRE/": "fichiers de foyers et résultats, supprimés après DEPISTAGE_CONSERVATION_JOURS",
}
