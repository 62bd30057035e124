# Made by Django's makemigrations, then the vendor-specific search indexes added by hand.

import django.db.models.deletion
from django.db import migrations, models


def create_search_indexes(apps, schema_editor):
    """PostgreSQL: pg_trgm and a GIN trigram index on the keys; SQLite: an FTS5 table with the trigram tokenizer."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS register_sitesearch_text_trgm ON register_sitesearch USING gin (text gin_trgm_ops)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS register_sitesearch_fts USING fts5(text, tokenize='trigram')"
        )


def drop_search_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS register_sitesearch_text_trgm")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS register_sitesearch_fts")


def index_existing_sites(apps, schema_editor):
    """Sites loaded before this app came get their entries now (the saved-site signal keeps them after)."""
    from lestweforget.register.names import fts_text, name_keys

    Site = apps.get_model("atlas", "Site")
    SiteSearch = apps.get_model("register", "SiteSearch")
    entries = []
    for site in Site.objects.select_related("settlement").prefetch_related("names").iterator(chunk_size=2000):
        names = [n.name for n in site.names.all()]
        if site.settlement is not None:
            s = site.settlement
            names += [s.name_en, s.name_uk, s.name_ru, s.other_names]
        names.append(site.slug.replace("-", " "))
        entries.append(SiteSearch(site_id=site.pk, text=name_keys([n for n in names if n])))
    SiteSearch.objects.bulk_create(entries, batch_size=500)
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO register_sitesearch_fts(rowid, text) VALUES (%s, %s)",
                [(e.site_id, fts_text(e.text)) for e in entries],
            )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("atlas", "0005_photo_models_move_to_photos"),
    ]

    operations = [
        migrations.CreateModel(
            name="SiteSearch",
            fields=[
                (
                    "site",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="atlas.site",
                        verbose_name="site",
                    ),
                ),
                ("text", models.TextField(blank=True, verbose_name="search keys")),
            ],
            options={
                "verbose_name": "site search entry",
                "verbose_name_plural": "site search entries",
            },
        ),
        migrations.RunPython(create_search_indexes, drop_search_indexes),
        migrations.RunPython(index_existing_sites, migrations.RunPython.noop),
    ]
