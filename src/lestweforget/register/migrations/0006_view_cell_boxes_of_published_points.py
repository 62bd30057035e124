from django.db import migrations


def recount(apps, schema_editor):
    """The cells' boxes now span the sites' points as published (what the bbox filter matches): count them again."""
    from lestweforget.register.view_cells import RESOLUTIONS, counted

    Site = apps.get_model("atlas", "Site")
    ViewCell = apps.get_model("register", "ViewCell")
    ViewCell.objects.all().delete()
    for resolution in RESOLUTIONS:
        ViewCell.objects.bulk_create(counted(resolution, Site.objects.all(), ViewCell), batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("atlas", "0013_site_published_point"),
        ("register", "0005_importedrow_place_region"),
    ]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
