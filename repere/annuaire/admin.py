from django.contrib import admin

from repere.annuaire.models import Fermeture, ImportAnnuaire, LieuService, Service, SourceImport, Structure


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["nom", "source", "identifiant", "commune", "organisation", "statut_moderation", "est_demo"]
    list_filter = ["source", "statut_moderation", "est_demo"]
    search_fields = ["nom", "identifiant", "commune"]
    raw_id_fields = ["organisation", "revendiquee_par"]
    actions = ["retirer"]

    @admin.action(description="Retirer de l'annuaire, avec tous leurs services")
    def retirer(self, request, queryset):
        from repere.annuaire.services import retirer_structures

        n = retirer_structures(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{queryset.count()} structure(s) retirée(s), {n} service(s) retiré(s) avec elles.")


@admin.register(SourceImport)
class SourceImportAdmin(admin.ModelAdmin):
    list_display = ["libelle", "code", "organisation", "modifie_le"]
    search_fields = ["libelle", "code"]
    raw_id_fields = ["organisation"]


@admin.register(ImportAnnuaire)
class ImportAnnuaireAdmin(admin.ModelAdmin):
    list_display = ["nom_fichier", "source", "statut", "code_sortie", "cree_le"]
    list_filter = ["statut"]
    readonly_fields = ["resume", "problemes", "nombre_problemes", "debut_le", "fin_le"]


class LieuInline(admin.TabularInline):
    model = LieuService
    extra = 0


class FermetureInline(admin.TabularInline):
    model = Fermeture
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    """Referrals (personal data) are deliberately not in the admin: platform admins get no implicit access."""

    list_display = ["nom", "structure", "source", "statut", "verifie_le", "est_demo"]
    list_filter = ["source", "statut", "est_demo"]
    search_fields = ["nom", "identifiant"]
    raw_id_fields = ["structure", "verifie_par"]
    inlines = [LieuInline, FermetureInline]
    readonly_fields = ["texte_recherche", "thematiques_cle", "zone_cle", "horaires_effectifs", "recherchable"]


def _reindexer_apres_sauvegarde(modele_admin):
    enregistrer = modele_admin.save_model

    def save_model(self, request, obj, form, change):
        enregistrer(self, request, obj, form, change)
        from repere.annuaire.services import reindexer

        reindexer([obj] if isinstance(obj, Service) else obj.services.select_related("structure"))

    modele_admin.save_model = save_model


_reindexer_apres_sauvegarde(StructureAdmin)
_reindexer_apres_sauvegarde(ServiceAdmin)
