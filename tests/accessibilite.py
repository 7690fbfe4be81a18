"""Automated accessibility check (axe-core, bundled by axe-playwright-python) for browser journeys."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def violations_graves(page) -> list[str]:
    """Serious and critical axe-core violations of the current page, as readable lines."""
    resultats = _axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in resultats.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def verifier_accessibilite(page) -> None:
    graves = violations_graves(page)
    assert not graves, f"Violations d'accessibilité sur {page.url} :\n" + "\n".join(graves)
