# Made by Django's makemigrations, then the filling of the new columns added by hand.

from django.db import migrations, models
from django.db.models import F


def fill_published_points(apps, schema_editor):
    """Every stored site gets its point as published: the public point, rounded for a generalised site by the rule
    `Site.derive_public_location` applies on every save after this (`geo.rounded_point`)."""
    from lestweforget import geo

    Site = apps.get_model("atlas", "Site")
    Site.objects.update(published_latitude=F("public_latitude"), published_longitude=F("public_longitude"))
    batch = []
    for site in (
        Site.objects.filter(sensitivity="generalised")
        .only("pk", "public_latitude", "public_longitude", "public_uncertainty_m")
        .iterator(chunk_size=2000)
    ):
        site.published_latitude, site.published_longitude = geo.rounded_point(
            site.public_latitude, site.public_longitude, site.public_uncertainty_m
        )
        batch.append(site)
        if len(batch) >= 2000:
            Site.objects.bulk_update(batch, ["published_latitude", "published_longitude"])
            batch = []
    Site.objects.bulk_update(batch, ["published_latitude", "published_longitude"])


class Migration(migrations.Migration):
    dependencies = [
        ("atlas", "0012_indexes_for_public_lists"),
    ]

    operations = [
        migrations.AddField(
            model_name="site",
            name="published_latitude",
            field=models.FloatField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="site",
            name="published_longitude",
            field=models.FloatField(default=0, editable=False),
        ),
        # The index before the filling: PostgreSQL refuses CREATE INDEX on a table with pending trigger events
        # (the deferred foreign-key checks of the rows just updated) in the same transaction.
        migrations.AddIndex(
            model_name="site",
            index=models.Index(fields=["published_latitude", "published_longitude"], name="site_published_point"),
        ),
        migrations.RunPython(fill_published_points, migrations.RunPython.noop),
    ]
