"""The photo models moved from `atlas` to `photos` with their rows: an installation migrated before the move keeps
every photo, diary and contributor, and the permissions granted on them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from migrating import migrate, migrate_to_latest

BEFORE = ("atlas", "0004_site_name_note_in_both_languages")
UNMOVED = [("photos", None)]  # undoing the move undoes atlas 0005 too, which depends on it
AFTER = [("atlas", "0005_photo_models_move_to_photos"), ("photos", "0001_initial")]


@pytest.fixture
def before_the_move(transactional_db: None) -> Iterator[MigrationExecutor]:
    yield migrate(UNMOVED)
    # Whatever the test did, leave the schema as the other tests expect it: every app at its newest migration (undoing
    # the move undid every later atlas migration; migrating forward to AFTER alone left them undone).
    migrate_to_latest()


def test_rows_and_permissions_survive_the_move(before_the_move: MigrationExecutor) -> None:
    graph = before_the_move.loader.graph
    others = [node for node in graph.leaf_nodes() if node[0] in ("auth", "contenttypes")]
    old = before_the_move.loader.project_state([BEFORE, *others]).apps
    site = old.get_model("atlas", "Site").objects.create(
        slug="moved-site", kind="memorial", latitude=49.2, longitude=37.2, uncertainty_m=10
    )
    contributor = old.get_model("atlas", "Contributor").objects.create(pseudonym="Field Team")
    photo = old.get_model("atlas", "Photo").objects.create(
        site=site,
        sha256="a" * 64,
        original_name="IMG_1.jpg",
        size_bytes=10,
        format="JPEG",
        width=1,
        height=1,
        contributor=contributor,
    )
    diary = old.get_model("atlas", "Diary").objects.create(site=site, title_en="Walk", author=contributor)
    old.get_model("atlas", "DiaryEntry").objects.create(diary=diary, photo=photo, position=1)
    content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(app_label="atlas", model="photo")[
        0
    ]
    permission = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename="change_photo", defaults={"name": "Can change photo"}
    )[0]

    new = migrate(AFTER).loader.project_state([*AFTER, *others]).apps

    moved = new.get_model("photos", "Photo").objects.get(sha256="a" * 64)
    assert moved.original_name == "IMG_1.jpg"
    assert moved.contributor.pseudonym == "Field Team"
    assert moved.site.slug == "moved-site"
    entry = new.get_model("photos", "DiaryEntry").objects.get()
    assert (entry.diary.title_en, entry.photo_id, entry.position) == ("Walk", moved.pk, 1)
    assert new.get_model("photos", "Photo")._meta.db_table == "photos_photo"
    assert "photos_photo" in connection.introspection.table_names()
    assert "atlas_photo" not in connection.introspection.table_names()
    kept = new.get_model("auth", "Permission").objects.get(pk=permission.pk)
    assert (kept.content_type.app_label, kept.content_type.model) == ("photos", "photo")
