import pytest


@pytest.fixture(autouse=True)
def _repertoire_depistage(settings, tmp_path):
    settings.DEPISTAGE_REPERTOIRE = str(tmp_path / "depistage")
    yield
