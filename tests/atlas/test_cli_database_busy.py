"""A command that finds the SQLite database locked by another process for longer than the busy timeout says so in
one line and exits 75 (EX_TEMPFAIL), instead of ending in a traceback; other database errors are not hidden."""

from __future__ import annotations

import pytest
from django.db.utils import OperationalError

from lestweforget.atlas import demo
from lestweforget.atlas.models import Site
from lestweforget.cli import main


def _locked_on_write(*args: object, **kwargs: object) -> None:
    # What SQLite raises (sqlite3.OperationalError, wrapped by Django) when another writer holds the lock longer
    # than the connection's busy timeout.
    raise OperationalError("database is locked")


@pytest.mark.django_db
def test_a_locked_database_is_named_in_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "load_demo", _locked_on_write)
    assert main(["demo"]) == 75
    err = " ".join(capsys.readouterr().err.split())
    assert "lwf demo: the database is busy: another process" in err and "Run it again when that process ends" in err
    assert "Traceback" not in err
    assert Site.objects.count() == 0


@pytest.mark.django_db
def test_other_database_errors_are_not_dressed_as_a_busy_database(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OperationalError("no such table: atlas_site")

    monkeypatch.setattr(demo, "load_demo", broken)
    with pytest.raises(OperationalError, match="no such table"):
        main(["demo"])
