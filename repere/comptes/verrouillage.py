"""Login rate-limiting key for django-axes: the e-mail typed in the login form, lower-cased."""


def identifiant_connexion(request, credentials=None) -> str | None:
    valeur = (credentials or {}).get("username") or getattr(request, "POST", {}).get("username")
    return valeur.strip().lower() if valeur else None
