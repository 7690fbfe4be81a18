"""Turn pydantic / ninja validation errors into French messages naming the field."""

import re

MESSAGES = {
    "missing": "ce champ est obligatoire",
    "int_parsing": "doit être un nombre entier",
    "int_type": "doit être un nombre entier",
    "float_parsing": "doit être un nombre",
    "float_type": "doit être un nombre",
    "decimal_parsing": "doit être un nombre",
    "bool_parsing": "doit valoir vrai ou faux",
    "bool_type": "doit valoir vrai ou faux",
    "string_type": "doit être un texte",
    "string_too_short": "est trop court",
    "string_too_long": "est trop long",
    "date_parsing": "doit être une date au format AAAA-MM-JJ",
    "date_from_datetime_parsing": "doit être une date au format AAAA-MM-JJ",
    "date_type": "doit être une date au format AAAA-MM-JJ",
    "greater_than": "doit être supérieur à {gt}",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than": "doit être inférieur à {lt}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "literal_error": "valeur inconnue (valeurs possibles : {expected})",
    "enum": "valeur inconnue (valeurs possibles : {expected})",
    "list_type": "doit être une liste",
    "too_long": "contient trop d'éléments (au plus {max_length})",
    "too_short": "ne contient pas assez d'éléments (au moins {min_length})",
    "extra_forbidden": "champ inconnu",
    "dict_type": "doit être un objet",
    "model_type": "doit être un objet",
    "json_invalid": "le corps de la requête n'est pas du JSON valide",
    "string_pattern_mismatch": "n'a pas le format attendu",
}

# The location prefixes ninja adds ("query", "body", "path"), and the name under which a view receives
# a query-parameter schema ("params"), are kept out of the field path shown to the user.
_LOCATIONS = {"query", "body", "path", "form", "header", "cookie", "payload", "params"}


def champ(loc) -> str:
    parts = [str(p) for p in loc if str(p) not in _LOCATIONS]
    out = ""
    for p in parts:
        if p.isdigit():
            out += f"[{p}]"
        else:
            out += ("." if out else "") + p
    return out or "requête"


# A model-level validator (no field of its own) names the field it speaks of by starting its message with the
# field's path: « personnes[3].date_naissance : la personne n'est pas encore née ».
_CHAMP_EN_TETE = re.compile(r"^(?P<champ>[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+)*) : (?P<texte>.+)$", re.S)


def erreurs_validation(errors) -> list[dict]:
    result = []
    for err in errors:
        path = champ(err.get("loc", ()))
        kind = err.get("type", "")
        ctx = err.get("ctx") or {}
        if kind == "value_error":
            # Our own validators raise ValueError with a French message already.
            text = str(ctx.get("error", err.get("msg", ""))).removeprefix("Value error, ")
            en_tete = _CHAMP_EN_TETE.match(text) if path == "requête" else None
            if en_tete:
                path, text = en_tete["champ"], en_tete["texte"]
        elif kind in MESSAGES:
            try:
                ctx = {k: str(v).replace(" or ", " ou ") for k, v in ctx.items()}
                text = MESSAGES[kind].format(**ctx)
            except (KeyError, IndexError):
                text = MESSAGES[kind]
        else:
            text = "valeur invalide"
        result.append({"champ": path, "message": f"{path} : {text}", "code": kind})
    return result
