import django.db.models.deletion
from django.db import migrations, models


def remplir_communes(apps, schema_editor):
    """Existing referrals: the commune of their service (else its structure), by INSEE code or by a
    commune name that matches exactly one commune; the others stay empty."""
    from repere.annuaire.services import commune_parmi

    Orientation = apps.get_model("annuaire", "Orientation")
    Territoire = apps.get_model("territoires", "Territoire")
    communes = Territoire.objects.filter(type="commune")
    for orientation in Orientation.objects.filter(commune__isnull=True).select_related("service__structure"):
        commune = commune_parmi(communes, orientation.service, orientation.service.structure)
        if commune is not None:
            Orientation.objects.filter(pk=orientation.pk).update(commune=commune)


class Migration(migrations.Migration):
    dependencies = [
        ("annuaire", "0007_imports_assistant"),
        ("territoires", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="orientation",
            name="commune",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="territoires.territoire",
            ),
        ),
        migrations.RunPython(remplir_communes, migrations.RunPython.noop),
    ]
