from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-secret-key-not-for-production")
REPERE_DEMO = env.bool("REPERE_DEMO", default=True)

# E-mails: written readable to var/courriels/ (one log line each) unless EMAIL_URL says otherwise.
if not env("EMAIL_URL", default=""):
    EMAIL_BACKEND = "repere.utils.courriels.CourrielsLisibles"
