"""Settings shared by every environment.

Everything that differs per deployment is read from environment variables
(see docs/deploiement.md).
"""

from email.utils import getaddresses
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "huey.contrib.djhuey",
    "ninja",
    # Repère, one app per domain
    "repere.utils",
    "repere.territoires",
    "repere.comptes",
    "repere.organisations",
    "repere.pages",
    "repere.droits",
    "repere.depistage",
    "repere.annuaire",
    "repere.allervers",
    "repere.journal",
    "repere.exploitation",
    "repere.observatoire",
    "repere.pilotage",
    "repere.concertation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "repere.comptes.double_facteur.DoubleFacteurMiddleware",
    "repere.exploitation.middleware.CacheDonneesPersonnellesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "repere.pages.middleware.PagesErreurEnFrancais",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "repere" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "repere.utils.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'repere.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "comptes.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "repere.comptes.proconnect.ProConnectBackend",
]
# Optional ProConnect login for agents (repere/comptes/proconnect.py): the issuer, the client's id and secret.
PROCONNECT_URL = env("PROCONNECT_URL", default="").rstrip("/")
OIDC_RP_CLIENT_ID = env("PROCONNECT_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("PROCONNECT_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email given_name usual_name uid siret"
OIDC_OP_AUTHORIZATION_ENDPOINT = f"{PROCONNECT_URL}/authorize"
OIDC_OP_TOKEN_ENDPOINT = f"{PROCONNECT_URL}/token"
OIDC_OP_USER_ENDPOINT = f"{PROCONNECT_URL}/userinfo"
OIDC_OP_JWKS_ENDPOINT = f"{PROCONNECT_URL}/jwks"
OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": "eidas1"}
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "/compte/connexion/"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Password policy as the ANSSI recommends: length and entropy, no forced composition, no expiry (repere/comptes/mots_de_passe.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "repere.comptes.mots_de_passe.RobustesseValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Two-factor authentication (TOTP) for organisation admins and the platform admin (repere/comptes/double_facteur.py).
REPERE_DOUBLE_FACTEUR = env.bool("REPERE_DOUBLE_FACTEUR", default=True)
OTP_TOTP_ISSUER = env("REPERE_INSTANCE_NAME", default="Repère")
LOGIN_URL = "comptes:login"
LOGIN_REDIRECT_URL = "comptes:compte"
LOGOUT_REDIRECT_URL = "pages:accueil"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # 1 jour
# Throttling (shared cache): password reset (per address, and 5 × that per IP) in a window of seconds;
# invitations (per inviting account, per invited address of an organisation) in a window of seconds.
REPERE_LIMITE_REINITIALISATION = (3, 60 * 60)
REPERE_LIMITE_INVITATIONS = (30, 3, 60 * 60 * 24)

# Login rate-limiting (django-axes): 5 failures lock the (e-mail, IP) pair for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "comptes/verrouille.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "repere.comptes.verrouillage.identifiant_connexion"
AXES_VERBOSE = False  # never write e-mails of people in logs

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "repere.pages.views.erreur_csrf"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"


def _origine(url: str) -> list[str]:
    parties = urlsplit(url)
    return [f"{parties.scheme}://{parties.netloc}"] if parties.scheme and parties.netloc else []


# Content-Security-Policy (django-csp): scripts only from the site's own static files or with the request's
# nonce (templates: <script nonce="{{ request.csp_nonce }}">, <style nonce=…>), no style="…" attribute (computed
# styles: data-css-<property>, applied by js/styles-dynamiques.js), no inline event handler, no
# external host except the optional map tiles; violations are reported to /csp-rapport/ (logged, no path).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *_origine(env("REPERE_TUILES_URL", default=""))],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF, *_origine(env("PROCONNECT_URL", default=""))],
        "frame-ancestors": [NONE],
        "report-uri": "/csp-rapport/",
    }
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "repere" / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Repère <ne-pas-repondre@repere.localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Who receives the server errors by e-mail: ADMINS="Exploitation <exploitation@exemple.fr>, autre@exemple.fr".
ADMINS = [(nom or adresse, adresse) for nom, adresse in getaddresses([env("ADMINS", default="")]) if adresse]
DEFAULT_EXCEPTION_REPORTER_FILTER = "repere.exploitation.journaux.FiltreRapportSansDonnees"

# Background worker (huey): SQLite file by default, Redis when REDIS_URL is set.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # PriorityRedisHuey: background jobs are served fairly between organisations (depistage.services)
    HUEY = {"huey_class": "huey.PriorityRedisHuey", "name": "repere", "url": REDIS_URL, "immediate": False}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "repere",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
    }

# Deployment's territory: regions whose detailed geometries are loaded (Pays de la Loire = 52).
REPERE_REGIONS = env.list("REPERE_REGIONS", default=["52"])
REPERE_INSTANCE_NAME = env("REPERE_INSTANCE_NAME", default="Repère")
REPERE_DEMO = env.bool("REPERE_DEMO", default=False)
# Address shown on /securite/ to report a vulnerability (the operator's security contact).
REPERE_CONTACT_SECURITE = env("REPERE_CONTACT_SECURITE", default="")
# Who operates this instance: shown on the legal notices and personal-data pages (empty = the page says
# that the operator has not filled it in, never a placeholder presented as real).
REPERE_EXPLOITANT = {
    "nom": env("REPERE_EXPLOITANT_NOM", default=""),
    "adresse": env("REPERE_EXPLOITANT_ADRESSE", default=""),
    "siret": env("REPERE_EXPLOITANT_SIRET", default=""),
    "directeur_publication": env("REPERE_DIRECTEUR_PUBLICATION", default=""),
    "contact": env("REPERE_CONTACT", default=""),
    "dpo": env("REPERE_DPO", default=""),
    "hebergeur": env("REPERE_HEBERGEUR", default=""),
    "hebergeur_adresse": env("REPERE_HEBERGEUR_ADRESSE", default=""),
}

# Per-deployment settings of the pillars (environment variables).
# Annuaire: optional map tiles (none by default: outlines from the stored geometries only), and the
# folder of referral attachments, outside MEDIA_ROOT (default: "<MEDIA_ROOT>-prive").
REPERE_TUILES_URL = env("REPERE_TUILES_URL", default="")
REPERE_TUILES_ATTRIBUTION = env("REPERE_TUILES_ATTRIBUTION", default="")
if env("REPERE_STOCKAGE_PRIVE", default=""):
    REPERE_STOCKAGE_PRIVE = env("REPERE_STOCKAGE_PRIVE")
# Geocoder of the Base Adresse Nationale (address search and batch geocoding); empty = no network: services
# are placed at their commune's centre and flagged « localisation approximative ».
REPERE_GEOCODEUR_URL = env("REPERE_GEOCODEUR_URL", default="https://api-adresse.data.gouv.fr")
# Former INSEE codes (COG's history of changes): the pinned npm package installed by bin/install (npm ci).
REPERE_DECOUPAGE_ADMINISTRATIF = env(
    "REPERE_DECOUPAGE_ADMINISTRATIF", default=str(BASE_DIR / "node_modules" / "@etalab" / "decoupage-administratif")
)
# Dépistage: retention of uploaded files and results, upload limit, computing processes, Dask scheduler.
DEPISTAGE_CONSERVATION_JOURS = env.int("DEPISTAGE_CONSERVATION_JOURS", default=30)
DEPISTAGE_TAILLE_MAX_MO = env.int("DEPISTAGE_TAILLE_MAX_MO", default=200)
DEPISTAGE_PROCESSUS = env.int("DEPISTAGE_PROCESSUS", default=1)
DEPISTAGE_DASK = env("DEPISTAGE_DASK", default="")
if env("DEPISTAGE_REPERTOIRE", default=""):
    DEPISTAGE_REPERTOIRE = env("DEPISTAGE_REPERTOIRE")
# Aller-vers: retention of person records after the last contact, notice before, access-log retention.
REPERE_ALLERVERS_CONSERVATION_JOURS = env.int("REPERE_ALLERVERS_CONSERVATION_JOURS", default=730)
REPERE_ALLERVERS_PREAVIS_JOURS = env.int("REPERE_ALLERVERS_PREAVIS_JOURS", default=30)
REPERE_ALLERVERS_JOURNAL_JOURS = env.int("REPERE_ALLERVERS_JOURNAL_JOURS", default=365)
# First name and number of a person met at the door who asked to be called back: deleted after the call,
# at the latest after this many days.
REPERE_ALLERVERS_RECONTACT_JOURS = env.int("REPERE_ALLERVERS_RECONTACT_JOURS", default=90)
# Observatoire: statistical secret threshold (counts below it, and values whose denominator is below it, are hidden).
REPERE_SECRET_SEUIL = env.int("REPERE_SECRET_SEUIL", default=11)

# Logs: one JSON object a line (LOG_FORMAT=json, the default in production) or plain text; server errors are
# also e-mailed to ADMINS, without request parameters or variables (repere.exploitation.journaux).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "simple": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "repere.exploitation.journaux.FormatJson"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": env("LOG_FORMAT", default="simple")},
        "admins": {"level": "ERROR", "()": "repere.exploitation.journaux.ErreurAuxAdministrateurs"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request lines carry paths only; URLs never carry personal data in Repère.
        "django.request": {"level": "ERROR", "handlers": ["console", "admins"], "propagate": False},
        # one line per event: the worker's logger goes through its handlers only (run_huey adds its own
        # handler when this one has none, and every line was printed twice)
        "huey": {"level": env("LOG_LEVEL", default="INFO"), "handlers": ["console", "admins"], "propagate": False},
        "repere": {"level": "INFO", "handlers": ["console", "admins"], "propagate": False},
        "axes": {"level": "WARNING"},
        "numexpr": {"level": "WARNING"},
    },
}
# Limits of one background screening job (fair queue per organisation: repere.depistage.services)
DEPISTAGE_DUREE_MAX_MINUTES = env.int("DEPISTAGE_DUREE_MAX_MINUTES", default=120)
DEPISTAGE_MEMOIRE_MAX_MO = env.int("DEPISTAGE_MEMOIRE_MAX_MO", default=2048)
REPERE_CLASSEUR_DECOMPRESSE_MAX_MO = env.int("REPERE_CLASSEUR_DECOMPRESSE_MAX_MO", default=1024)
