"""Password strength as the ANSSI recommends (guide on multi-factor authentication and passwords, 2021).

Strength is measured as entropy, from the length and the kinds of characters used, rather than forced
composition rules: at least 12 characters and about 80 bits (the ANSSI's "strong" level), so that a long
passphrase of lowercase words passes and a short mixed password does not. Repeated characters count less.
Common passwords are refused by Django's list (CommonPasswordValidator); there is no expiry and no maximum
length below Django's. The admins also need a second factor (repere/comptes/double_facteur.py).
"""

import math
import string

from django.core.exceptions import ValidationError

CLASSES = (
    (set(string.ascii_lowercase), 26),
    (set(string.ascii_uppercase), 26),
    (set(string.digits), 10),
    (set(string.punctuation + " "), 33),
)
AUTRES = 40  # accented letters and other characters


def entropie(mot_de_passe: str) -> float:
    taille_alphabet = sum(taille for classe, taille in CLASSES if classe & set(mot_de_passe))
    if any(not any(c in classe for classe, _ in CLASSES) for c in mot_de_passe):
        taille_alphabet += AUTRES
    longueur_utile = min(len(mot_de_passe), 3 * len(set(mot_de_passe)))
    return longueur_utile * math.log2(taille_alphabet) if taille_alphabet else 0.0


class RobustesseValidator:
    def __init__(self, longueur_min: int = 12, entropie_min: float = 80):
        self.longueur_min = longueur_min
        self.entropie_min = entropie_min

    def validate(self, password, user=None):
        if len(password) < self.longueur_min:
            raise ValidationError(
                f"Le mot de passe doit compter au moins {self.longueur_min} caractères (il en a {len(password)}).",
                code="password_too_short",
            )
        if entropie(password) < self.entropie_min:
            raise ValidationError(
                "Ce mot de passe est trop facile à deviner : allongez-le (une phrase de plusieurs mots convient) "
                "ou mêlez minuscules, majuscules, chiffres et signes.",
                code="password_too_weak",
            )

    def get_help_text(self):
        return (
            f"Au moins {self.longueur_min} caractères ; une phrase de quatre ou cinq mots est plus sûre et plus "
            "facile à retenir qu'un mot court compliqué."
        )
