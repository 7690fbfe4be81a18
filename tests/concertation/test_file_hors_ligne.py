"""One offline queue (static/js/file-hors-ligne.js) for the workshop fiche and the outreach contacts."""

from pathlib import Path

RACINE = Path(__file__).resolve().parents[2] / "repere"
JS = RACINE / "static" / "js"


def test_les_deux_saisies_hors_connexion_utilisent_la_meme_file():
    for nom in ("concertation-fiche.js", "allervers-file.js"):
        texte = (JS / nom).read_text()
        assert "FileHorsLigne.creer(" in texte, nom
        assert "localStorage." not in texte and "fetch(c.api" not in texte and "getRandomValues" not in texte, nom


def test_le_module_partage_est_charge_avant_chaque_page_et_mis_en_cache_avec_nonce():
    for gabarit, script in (
        ("concertation/saisie.html", "concertation-fiche.js"),
        ("allervers/saisie.html", "allervers-file.js"),
        ("allervers/accueil.html", "allervers-file.js"),
    ):
        texte = (RACINE / "templates" / gabarit).read_text()
        partage = texte.index("js/file-hors-ligne.js")
        assert partage < texte.index(f"js/{script}"), gabarit
        balise = texte[texte.rindex("<script", 0, partage) : partage]
        assert 'nonce="{{ request.csp_nonce }}"' in balise, gabarit
    for sw in ("concertation/sw.js", "allervers/sw.js"):
        assert "js/file-hors-ligne.js" in (RACINE / "templates" / sw).read_text(), sw
