import os

from .base import *  # noqa: F403
from .base import DATABASES, HUEY, env

DEBUG = False
SECRET_KEY = "test-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HUEY = {**HUEY, "immediate": True}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/repere-test-media")
REPERE_DEMO = False
# Two-factor authentication is off for the other tests (they log admins in directly);
# tests/comptes/test_double_facteur.py turns it on and proves it is enforced.
REPERE_DOUBLE_FACTEUR = False
REPERE_GEOCODEUR_URL = ""  # tests never reach the network
# The web layer's simulation cache (droits/cache_resultats.py) is off: tests that change the engine or its
# scales must see their change; tests/exploitation/test_charge_web.py turns it on and proves it.
REPERE_CACHE_SIMULATION_S = 0

# SQLite: a file rather than the in-memory default, so that the live server thread of the browser
# tests and the test thread use two real connections (WAL + busy timeout) instead of sharing one.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": env("REPERE_TEST_SQLITE", default=f"/tmp/repere-test-{os.getpid()}.sqlite3")
    }
