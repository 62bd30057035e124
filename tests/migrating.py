"""Moving the test database's schema to chosen migrations, for tests of data migrations.

Imported by tests (`from migrating import migrate, models_at`); tests/ is on sys.path (rootdir conftest).
"""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    """Migrate (forwards or backwards) to ``targets`` ([(app label, migration name or None)]); the executor after."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def models_at(targets: list[tuple[str, str | None]]) -> Apps:
    """Migrate to ``targets`` and return the historical models there (``.get_model(app, name)``)."""
    return migrate(targets).loader.project_state(targets).apps


def migrate_to_latest() -> None:
    """Leave the schema as every other test expects it: every app at its newest migration."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
