from django.contrib import admin

from repere.territoires.models import Territoire


@admin.register(Territoire)
class TerritoireAdmin(admin.ModelAdmin):
    list_display = ["nom", "type", "code", "population"]
    list_filter = ["type"]
    search_fields = ["nom_recherche", "code"]
    raw_id_fields = ["commune_parente", "epci", "departement", "region"]
    exclude = ["geometrie"]
