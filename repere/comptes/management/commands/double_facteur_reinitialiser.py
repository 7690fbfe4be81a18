from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from repere.comptes.codes_secours import auditer
from repere.comptes.models import AppareilCodesSecours, EvenementSecurite, User
from repere.utils.commandes import Commande


class Command(Commande):
    help = "Supprime l'application d'authentification d'un compte (téléphone perdu) : il en enregistrera une nouvelle."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"Aucun compte n'a l'adresse {email}.")
        nombre, _ = TOTPDevice.objects.filter(user=user).delete()
        AppareilCodesSecours.objects.filter(user=user).delete()  # its backup codes with it
        auditer(user=user, quoi=EvenementSecurite.Quoi.REINITIALISE)
        self.stdout.write(
            f"{nombre} application(s) supprimée(s) pour {user.email} : un nouveau QR code et de nouveaux codes de secours lui seront présentés."
        )
