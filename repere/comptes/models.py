from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: a professional, a volunteer, an observer, or a platform admin.

    Login is by e-mail. A platform admin is a Django superuser (``is_superuser``).
    """

    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField("accès à l'administration technique", default=False)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and self.is_superuser


class AppareilCodesSecours(ThrottlingMixin, Device):
    """The backup codes of a two-factor account, as a django-otp device: a code logs in instead of the
    application's code (``otp_login`` with this device), once. Only hashes are stored (``CodeSecours``)."""

    cree_le = models.DateTimeField("générés le", default=timezone.now)

    class Meta:
        verbose_name = "codes de secours (vérification en deux étapes)"

    def get_throttle_factor(self):
        return 1

    def verify_token(self, token):
        from repere.comptes import codes_secours

        return codes_secours.utiliser(appareil=self, saisie=token)


class CodeSecours(models.Model):
    """One backup code, hashed (PBKDF2, its own salt); ``utilise_le`` set when it is used (never twice)."""

    appareil = models.ForeignKey(AppareilCodesSecours, on_delete=models.CASCADE, related_name="codes")
    empreinte = models.CharField(max_length=200)
    utilise_le = models.DateTimeField("utilisé le", null=True, blank=True)

    class Meta:
        verbose_name = "code de secours"
        verbose_name_plural = "codes de secours"

    def __str__(self):
        return f"code de secours n° {self.pk}" + (" (utilisé)" if self.utilise_le else "")


class EvenementSecurite(models.Model):
    """Audit of an account's second-factor events (who, when, what): never a code, never a request's data."""

    class Quoi(models.TextChoices):
        CODES_GENERES = "codes_generes", "codes de secours générés"
        CODES_REGENERES = "codes_regeneres", "codes de secours régénérés (les anciens ne valent plus)"
        CODE_UTILISE = "code_secours_utilise", "connexion avec un code de secours"
        CODE_REFUSE = "code_secours_refuse", "code de secours refusé"
        REINITIALISE = "double_facteur_reinitialise", "vérification en deux étapes réinitialisée"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="evenements_securite")
    quand = models.DateTimeField(default=timezone.now, db_index=True)
    quoi = models.CharField(max_length=40, choices=Quoi.choices)

    class Meta:
        verbose_name = "événement de sécurité d'un compte"
        ordering = ["-quand"]

    def __str__(self):
        return f"{self.quand:%d/%m/%Y %H:%M} {self.get_quoi_display()}"
