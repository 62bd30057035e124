"""Moving the test database's schema to chosen migrations, for tests of data migrations.

Imported by tests (`from migrating import migrate, models_at`); tests/ is on sys.path (rootdir conftest). Whatever
a test does after moving the schema (fails, times out, or migrates only part of the way back), tests/conftest.py's
teardown hook migrates every app to its newest migration when the test ends: a schema left behind broke every
later test of that worker ("no such column: atlas_source.publisher_uk").
"""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Set when a test moved the schema; the teardown hook of tests/conftest.py moves it back and clears it.
moved = False


def migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    """Migrate (forwards or backwards) to ``targets`` ([(app label, migration name or None)]); the executor after."""
    global moved
    moved = True
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def models_at(targets: list[tuple[str, str | None]]) -> Apps:
    """Migrate to ``targets`` and return the historical models there (``.get_model(app, name)``)."""
    return migrate(targets).loader.project_state(targets).apps


def migrate_to_latest() -> None:
    """Leave the schema as every other test expects it: every app at its newest migration."""
    global moved
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    moved = False
