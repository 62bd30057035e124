"""Shared fixtures: records are built through the same loader users call (`lwf demo`, `lwf load`)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

try:
    import xml.etree.ElementTree

    import fastkml.config
except ImportError:  # fastkml is a test extra; the tests that need it skip without it
    pass
else:
    # fastkml reads with lxml whenever lxml is installed (trafilatura brings it in for the article reader), and then
    # refuses text carrying an XML declaration and validates real files strictly against the schema. The tests use
    # fastkml as an independent reader of what we write and of real tracks, as it reads with the standard library.
    fastkml.config.set_etree_implementation(xml.etree.ElementTree)

import migrating
from lestweforget.atlas.demo import LoadSummary, load_demo, load_record_file
from lestweforget.config import prepare_data_dir

# The settings create nothing; the suite's data directory is set up as `lwf migrate` would.
prepare_data_dir()

# No timed tests: Hypothesis's per-example deadline is a timing assertion, and on a shared two-core machine a
# busy moment fails a correct property. Speed is measured in `make bench` instead.
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")

REPO = Path(__file__).resolve().parents[1]
SHARED_TESTDATA = REPO.parent / "shared" / "testdata"

# A sensitive site whose precise point must never be published. Its digits are searched for in every public output.
SENSITIVE_LAT = 48.512347
SENSITIVE_LON = 35.876541
SENSITIVE_RECORD = textwrap.dedent(
    f"""
    sources:
      - key: test-witness
        kind: testimony
        title: "[Witness statement, test record]"
        publisher: "Test NGO"
        url: "https://example.org/statement"
        published: "2023-05-02"
        language: uk
      # Cited only by the precise location and the directions: its URL holds the precise point, so a generalised
      # site must not list it anywhere public.
      - key: test-gps-fix
        kind: testimony
        title: "[GPS fix shared by the witness]"
        publisher: "Test NGO"
        url: "https://www.openstreetmap.org/?mlat={SENSITIVE_LAT}&mlon={SENSITIVE_LON}"
        published: "2023-05-02"
        language: uk
    claim_subjects:
      - {{key: victims, label: {{en: "Victims", uk: "Жертви"}}}}
    settlements: []
    sites:
      - slug: sensitive-test-site
        kind: execution_site
        sensitivity: generalised
        generalise_m: 2000
        names:
          - {{language: en, name: "Sensitive test site", primary: true}}
          - {{language: uk, name: "Чутливе тестове місце", primary: true}}
        summary: {{en: "A test site whose precise point is restricted.", uk: "Тестове місце з обмеженою точкою."}}
        location:
          latitude: {SENSITIVE_LAT}
          longitude: {SENSITIVE_LON}
          uncertainty_m: 15
          method: {{en: "GPS fix by a witness", uk: "GPS-точка свідка"}}
          source: test-gps-fix
        approach:
          start_name: {{en: "Village shop", uk: "Сільська крамниця"}}
          start_latitude: 48.51
          start_longitude: 35.87
          mode: walk
          directions: {{en: "Secret directions to the exact spot", uk: "Таємні вказівки"}}
          safety: {{en: "Unexploded ordnance reported nearby.", uk: "Поруч повідомляли про вибухонебезпечні предмети."}}
          last_checked: "2024-01-10"
          sources: [test-gps-fix]
        claims:
          - subject: victims
            value: "3"
            number: 3
            status: reported
            asserted: "2023-05-02"
            source: test-witness
    events: []
    """
)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a test of a data migration (`migrating.migrate`), every app back at its newest migration, even when the
    test failed or migrated only some apps forward again; before the test's fixtures end, so that a transactional
    test's flush meets the tables it knows (the database is still open to the test then)."""
    if migrating.moved:
        migrating.migrate_to_latest()
    return (yield)


@pytest.fixture
def demo(db: None) -> LoadSummary:
    return load_demo()


@pytest.fixture
def sensitive_site(db: None, tmp_path: Path) -> LoadSummary:
    path = tmp_path / "sensitive.yaml"
    path.write_text(SENSITIVE_RECORD, encoding="utf-8")
    return load_record_file(path)


@pytest.fixture
def shared_testdata() -> Path:
    if not SHARED_TESTDATA.is_dir():
        pytest.skip(f"shared test data not found at {SHARED_TESTDATA}")
    return SHARED_TESTDATA


@pytest.fixture(autouse=True)
def evidence_dir(settings: object, tmp_path: Path) -> Path:
    """Each test gets its own evidence store and ledger, so record edits never pile up in a shared one."""
    settings.EVIDENCE_DIR = tmp_path / "evidence"  # type: ignore[attr-defined]
    return tmp_path / "evidence"


@pytest.fixture(autouse=True)
def no_page_cache(settings: object) -> None:
    """Tests read what they just wrote; the page cache's own tests turn it back on."""
    settings.PAGE_CACHE_SECONDS = 0  # type: ignore[attr-defined]


def pytest_report_header() -> str:
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or ''} {database['NAME']}".rstrip()
