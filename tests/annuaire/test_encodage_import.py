"""Défaut 4 de l'essai : l'import d'annuaire reconnaît l'UTF-16 et les fichiers non textuels comme le dépistage
(une seule règle, repere.utils.encodages), et nomme les encodages en mots."""

import pytest

from repere.annuaire.importation import ErreurFichier, fichiers
from repere.depistage import lecture

TEXTE = "id;nom\n1;Épicerie solidaire\n"


@pytest.mark.parametrize("encodage", ["utf-8", "cp1252"])
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_reconnu_quel_que_soit_l_encodage_choisi(encodage, codec):
    with pytest.raises(ErreurFichier) as exc:
        fichiers.lire(TEXTE.encode(codec), nom="services.csv", encodage=encodage)
    message = str(exc.value)
    assert message.startswith("services.csv : ")
    assert "UTF-16" in message and "« Texte Unicode » d'Excel" in message
    assert "ÿþ" not in message


def test_utf16_sans_marque_reconnu():
    with pytest.raises(ErreurFichier, match="UTF-16"):
        fichiers.lire(TEXTE.encode("utf-16-le"), nom="services.csv", encodage="cp1252")


@pytest.mark.parametrize("encodage", ["utf-8", "cp1252"])
def test_fichier_binaire_refuse_en_mots(encodage):
    binaire = bytes(range(256)) * 4
    with pytest.raises(ErreurFichier) as exc:
        fichiers.lire(binaire, nom="image.csv", encodage=encodage)
    message = str(exc.value)
    assert "cp1252" not in message
    assert "n'est pas un fichier texte" in message


def test_octet_illisible_en_windows_1252_nomme_en_mots():
    with pytest.raises(ErreurFichier) as exc:
        fichiers.lire(b"id;nom\n1;caf\x81\n", nom="services.csv", encodage="cp1252")
    message = str(exc.value)
    assert "cp1252" not in message
    assert "Windows-1252" in message


def test_meme_message_utf16_que_le_depistage(tmp_path):
    chemin = tmp_path / "foyers.csv"
    chemin.write_bytes(TEXTE.encode("utf-16"))
    with pytest.raises(lecture.ErreurFichier) as depistage, lecture.ouvrir(chemin):
        pass
    with pytest.raises(ErreurFichier) as annuaire:
        fichiers.lire(TEXTE.encode("utf-16"), nom="foyers.csv")
    assert str(annuaire.value).lower().endswith(str(depistage.value).lower())
