"""Password policy (ANSSI): length and entropy, common passwords refused, passphrases accepted."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from repere.comptes.mots_de_passe import entropie
from repere.organisations.demo import MOT_DE_PASSE_DEMO


@pytest.mark.parametrize(
    "mot_de_passe",
    ["Motdepasse12", "azertyuiop12", "aaaaaaaaaaaaaaaaaaaaaaaa", "123456789012345", "court-1A!"],
)
def test_mots_de_passe_refuses(mot_de_passe):
    with pytest.raises(ValidationError):
        validate_password(mot_de_passe)


@pytest.mark.parametrize(
    "mot_de_passe",
    ["cheval agrafe batterie correcte", "Tr0ub4dor&3-Zq9!", MOT_DE_PASSE_DEMO, "éléphant rose à vélo"],
)
def test_mots_de_passe_acceptes(mot_de_passe):
    validate_password(mot_de_passe)


def test_message_en_francais_avec_la_longueur():
    with pytest.raises(ValidationError, match="au moins 12 caractères \\(il en a 9\\)"):
        validate_password("court-1A!")


def test_entropie():
    assert entropie("abcdefghijkl") == pytest.approx(12 * 4.70, abs=0.1)
    assert entropie("aaaaaaaaaaaaaaaa") < 15
