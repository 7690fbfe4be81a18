class ErreurMetier(Exception):
    """A business rule refused the operation; the message is French and shown to the user as is."""

    def __init__(self, message: str, *, champ: str | None = None):
        super().__init__(message)
        self.message = message
        self.champ = champ
