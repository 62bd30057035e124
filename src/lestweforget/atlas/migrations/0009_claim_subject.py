"""Claims point at a ClaimSubject chosen from a list instead of a typed key; each key already in use becomes a
subject, labelled as its first claim labelled it."""

import django.db.models.deletion
from django.db import migrations, models


def subjects_from_keys(apps, schema_editor):
    Claim = apps.get_model("atlas", "Claim")
    ClaimSubject = apps.get_model("atlas", "ClaimSubject")
    for claim in Claim.objects.order_by("subject", "id"):
        subject, _created = ClaimSubject.objects.get_or_create(
            key=claim.subject,
            defaults={"label_en": claim.subject_label_en or claim.subject, "label_uk": claim.subject_label_uk},
        )
        if not subject.label_uk and claim.subject_label_uk:
            subject.label_uk = claim.subject_label_uk
            subject.save(update_fields=["label_uk"])
        claim.subject_ref = subject
        claim.save(update_fields=["subject_ref"])


def keys_from_subjects(apps, schema_editor):
    Claim = apps.get_model("atlas", "Claim")
    for claim in Claim.objects.select_related("subject_ref"):
        claim.subject = claim.subject_ref.key
        claim.subject_label_en = claim.subject_ref.label_en
        claim.subject_label_uk = claim.subject_ref.label_uk
        claim.save(update_fields=["subject", "subject_label_en", "subject_label_uk"])


class Migration(migrations.Migration):
    dependencies = [
        ("atlas", "0008_site_confirmed_problems"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClaimSubject",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.SlugField(max_length=80, unique=True, verbose_name="key")),
                ("label_en", models.CharField(max_length=200, verbose_name="label (English)")),
                ("label_uk", models.CharField(blank=True, max_length=200, verbose_name="label (Ukrainian)")),
            ],
            options={
                "verbose_name": "claim subject",
                "verbose_name_plural": "claim subjects",
                "ordering": ["key"],
            },
        ),
        migrations.AddField(
            model_name="claim",
            name="subject_ref",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="atlas.claimsubject",
            ),
        ),
        migrations.RunPython(subjects_from_keys, keys_from_subjects),
        migrations.RemoveConstraint(model_name="claim", name="claim_once_per_source"),
        migrations.AlterModelOptions(
            name="claim",
            options={
                "ordering": ["subject__key", "asserted", "id"],
                "verbose_name": "claim",
                "verbose_name_plural": "claims",
            },
        ),
        # Defaults first, so that undoing the removals can add the columns back to rows that exist.
        migrations.AlterField(
            model_name="claim",
            name="subject",
            field=models.SlugField(default="", max_length=80, verbose_name="subject"),
        ),
        migrations.AlterField(
            model_name="claim",
            name="subject_label_en",
            field=models.CharField(default="", max_length=200, verbose_name="subject (English)"),
        ),
        migrations.RemoveField(model_name="claim", name="subject"),
        migrations.RemoveField(model_name="claim", name="subject_label_en"),
        migrations.RemoveField(model_name="claim", name="subject_label_uk"),
        migrations.RenameField(model_name="claim", old_name="subject_ref", new_name="subject"),
        migrations.AlterField(
            model_name="claim",
            name="subject",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="claims",
                to="atlas.claimsubject",
                verbose_name="subject",
            ),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.UniqueConstraint(
                fields=("site", "subject", "value", "source"), name="claim_once_per_source"
            ),
        ),
    ]
