"""Who asserted a claim, in English and Ukrainian; a source's publisher as Ukrainian pages cite it.

The one `asserted_by` held English text that Ukrainian pages showed as it was. Its value moves to
`asserted_by_en` (row by row, so nothing is lost; reversed, the English value goes back), and editors add the
Ukrainian one in the admin.
"""

from django.db import migrations, models


def _copy(apps, source_field: str, target_field: str) -> None:
    claim = apps.get_model("atlas", "Claim")
    for row in claim.objects.exclude(**{source_field: ""}).only("pk", source_field).iterator():
        claim.objects.filter(pk=row.pk).update(**{target_field: getattr(row, source_field)})


def forwards(apps, schema_editor) -> None:
    _copy(apps, "asserted_by", "asserted_by_en")


def backwards(apps, schema_editor) -> None:
    _copy(apps, "asserted_by_en", "asserted_by")


class Migration(migrations.Migration):
    dependencies = [
        ("atlas", "0009_claim_subject"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="asserted_by_en",
            field=models.CharField(blank=True, max_length=300, verbose_name="asserted by (English)"),
        ),
        migrations.AddField(
            model_name="claim",
            name="asserted_by_uk",
            field=models.CharField(blank=True, max_length=300, verbose_name="asserted by (Ukrainian)"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="claim", name="asserted_by"),
        migrations.AddField(
            model_name="source",
            name="publisher_uk",
            field=models.CharField(
                blank=True,
                help_text="How Ukrainian pages name the publisher, when it differs: “Вікіпедія (англійська)”.",
                max_length=200,
                verbose_name="publisher (Ukrainian)",
            ),
        ),
    ]
