from django import forms
from django.contrib import admin

from repere.annuaire import taxonomies
from repere.annuaire.models import (
    Fermeture,
    GroupeSynonymes,
    ImportAnnuaire,
    LieuService,
    Service,
    SourceImport,
    Structure,
)
from repere.utils.errors import ErreurMetier


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


class GroupeSynonymesForm(forms.ModelForm):
    thematiques = forms.MultipleChoiceField(
        label="Thématiques",
        required=False,
        help_text="Les services classés sous ces thématiques répondent aussi à ces termes.",
    )

    class Meta:
        model = GroupeSynonymes
        fields = ["termes", "thematiques", "actif"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thematiques"].choices = taxonomies.choix_thematiques_groupees()

    def clean(self):
        """The rules are the service's (services.verifier_groupe_synonymes)."""
        from repere.annuaire.services import verifier_groupe_synonymes

        d = super().clean()
        try:
            verifier_groupe_synonymes(
                termes=d.get("termes") or "",
                thematiques=d.get("thematiques") or [],
                actif=d.get("actif", True),
                sauf_pk=self.instance.pk,
            )
        except ErreurMetier as exc:
            self.add_error(exc.champ if exc.champ in self.fields else None, exc.message)
        return d


@admin.register(GroupeSynonymes)
class GroupeSynonymesAdmin(admin.ModelAdmin):
    """Search synonyms: a change is seen by every search within 30 seconds, and the typo vocabulary is
    rebuilt (services.enregistrer_groupe_synonymes)."""

    form = GroupeSynonymesForm
    list_display = ["__str__", "actif", "modifie_le"]
    list_filter = ["actif"]
    search_fields = ["termes"]

    def save_model(self, request, obj, form, change):
        from repere.annuaire.services import enregistrer_groupe_synonymes

        d = form.cleaned_data
        enregistrer_groupe_synonymes(groupe=obj, termes=d["termes"], thematiques=d["thematiques"], actif=d["actif"])

    def delete_model(self, request, obj):
        from repere.annuaire.services import supprimer_groupes_synonymes

        supprimer_groupes_synonymes(ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        from repere.annuaire.services import supprimer_groupes_synonymes

        supprimer_groupes_synonymes(ids=list(queryset.values_list("pk", flat=True)))
