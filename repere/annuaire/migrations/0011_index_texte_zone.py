"""The search text and eligibility zone copied onto the IndexRecherche rows (filtered there, before any
service row is read), and the existing rows rewritten in the order of the geographic index."""

from django.db import migrations, models

TRIER = (
    "ORDER BY i.thematique, CASE WHEN i.latitude IS NULL THEN 0 ELSE 1 END, i.latitude, i.longitude, i.service_id"
)


def recopier(apps, schema_editor):
    with schema_editor.connection.cursor() as curseur:
        curseur.execute("SELECT MAX(id) FROM annuaire_indexrecherche")
        dernier = curseur.fetchone()[0]
        if dernier is None:
            return
        curseur.execute(
            "INSERT INTO annuaire_indexrecherche (service_id, thematique, latitude, longitude, texte_recherche, "
            "zone_cle) SELECT i.service_id, i.thematique, i.latitude, i.longitude, s.texte_recherche, s.zone_cle "
            "FROM annuaire_indexrecherche i INNER JOIN annuaire_service s ON s.id = i.service_id "
            f"WHERE i.id <= %s {TRIER}",
            [dernier],
        )
        curseur.execute("DELETE FROM annuaire_indexrecherche WHERE id <= %s", [dernier])


class Migration(migrations.Migration):
    dependencies = [
        ("annuaire", "0010_empreinte_service"),
    ]

    operations = [
        migrations.AddField(
            model_name="indexrecherche",
            name="texte_recherche",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="indexrecherche",
            name="zone_cle",
            field=models.CharField(blank=True, default="", editable=False, max_length=2000),
        ),
        migrations.RunPython(recopier, migrations.RunPython.noop),
    ]
