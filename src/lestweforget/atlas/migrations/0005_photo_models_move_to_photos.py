from django.db import migrations


class Migration(migrations.Migration):
    """The photo models now belong to the `photos` app, which took over their rows and tables (photos 0001); here
    they only leave the atlas's idea of its models."""

    dependencies = [
        ("atlas", "0004_site_name_note_in_both_languages"),
        ("photos", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DiaryEntry"),
                migrations.DeleteModel(name="Diary"),
                migrations.DeleteModel(name="QuarantinedFile"),
                migrations.DeleteModel(name="Photo"),
                migrations.DeleteModel(name="Contributor"),
            ],
        ),
    ]
