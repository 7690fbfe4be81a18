from django.contrib import admin

from repere.organisations.models import Invitation, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["nom", "type", "est_demo"]
    list_filter = ["type", "est_demo"]
    search_fields = ["nom", "siret"]
    filter_horizontal = []
    raw_id_fields = ["territoires"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "role", "cree_le", "expire_le", "acceptee_le", "annulee_le"]
    exclude = ["jeton"]
