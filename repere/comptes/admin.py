from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils.html import format_html

from repere.comptes.models import EvenementSecurite, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_superuser"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Droits", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(EvenementSecurite)
class EvenementSecuriteAdmin(admin.ModelAdmin):
    """The second-factor audit trail, read-only, for the platform admin only: nothing here is written by hand
    (the events come from comptes' services), and staff accounts given model permissions do not see it either."""

    list_display = ["quand", "quoi", "compte"]
    list_filter = ["quoi", ("quand", admin.DateFieldListFilter)]
    date_hierarchy = "quand"
    # non-personal fields only: the kind of event (its code or its label); never the account's name or e-mail
    search_fields = ["quoi"]
    list_select_related = ["user"]
    fields = ["quand", "quoi", "compte"]
    readonly_fields = fields
    list_per_page = 100

    @admin.display(description="compte", ordering="user_id")
    def compte(self, obj):
        # the account's number, linked to its page: who, without copying a name or an e-mail into every line
        lien = reverse("admin:comptes_user_change", args=[obj.user_id])
        return format_html('<a href="{}">compte n° {}</a>', lien, obj.user_id)

    def get_search_results(self, request, queryset, search_term):
        # the displayed label (« code de secours refusé ») is what the admin reads, so search it too
        queryset, doublons = super().get_search_results(request, queryset, search_term)
        terme = search_term.strip().lower()
        if terme:
            codes = [code for code, libelle in EvenementSecurite.Quoi.choices if terme in libelle.lower()]
            queryset |= self.model.objects.filter(quoi__in=codes)
        return queryset, doublons

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
