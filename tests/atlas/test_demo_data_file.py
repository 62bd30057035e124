"""The Izium demo record as plain YAML (no Django): references resolve, texts are bilingual, facts sane."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

DATA_FILE = Path(__file__).resolve().parents[2] / "src" / "lestweforget" / "atlas" / "data" / "izium.yaml"
# The day the record was last reviewed; nothing in it may be dated later.
REVIEWED_ON = dt.date(2026, 11, 25)
BURIAL_SITE = "izium-mass-burial-site"
POLICE_STATION = "izium-police-station-basement"
CITY_POINT = (49.21278, 37.25694)

DATE_FIELDS = {"published", "retrieved", "date", "date_end", "asserted", "last_checked"}
# Fields where "" means "unknown"; the rest must carry a date.
OPTIONAL_DATE_FIELDS = {"published", "retrieved", "date_end", "asserted"}

ALLOWED = {
    "source kind": {"article", "official", "report", "dataset", "satellite", "encyclopedia", "testimony"},
    # en, uk and ru are the schema's languages; one HRW caption page survives only in French.
    "source language": {"en", "uk", "ru", "fr"},
    "site kind": {"mass_grave", "burial_site", "execution_site", "detention_site", "memorial", "other"},
    "sensitivity": {"public", "generalised"},
    "status": {"reported", "verified", "exhumed", "memorialised"},
    "claim status": {"reported", "confirmed", "disputed"},
    "precision": {"day", "month", "year", "by", "range", "approx"},
    "event kind": {
        "invasion",
        "attack",
        "occupation",
        "liberation",
        "discovery",
        "exhumation",
        "identification",
        "investigation",
        "memorial",
        "reburial",
        "other",
    },
    "mode": {"walk", "drive"},
}


@pytest.fixture(scope="module")
def record() -> dict[str, Any]:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{DATA_FILE}: expected a mapping at the top level"
    return data


def _entries(node: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    """Every (path, key, value) of every mapping in the tree, depth first."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, str(key), value
            yield from _entries(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _entries(item, f"{path}[{index}]")


def _mappings(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _mappings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _mappings(item, f"{path}[{index}]")


def _parse_date(text: str) -> dt.date:
    """The first day of a "YYYY-MM-DD", "YYYY-MM" or "YYYY" date; anything else raises ValueError."""
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not YYYY-MM-DD, YYYY-MM or YYYY")


def _without_sources(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key != "sources"}


def _cited_keys(record: dict[str, Any]) -> list[tuple[str, str]]:
    cited: list[tuple[str, str]] = []
    for path, key, value in _entries(_without_sources(record)):
        if key == "source":
            cited.append((path, value))
        elif key == "sources":
            cited.extend((path, item) for item in value)
    return cited


def _site(record: dict[str, Any], slug: str) -> dict[str, Any]:
    return next(site for site in record["sites"] if site["slug"] == slug)


def _claims(record: dict[str, Any], slug: str, subject: str) -> list[dict[str, Any]]:
    return [claim for claim in _site(record, slug)["claims"] if claim["subject"] == subject]


def test_file_loads_with_safe_load_into_the_five_sections(record: dict[str, Any]) -> None:
    assert set(record) == {"sources", "claim_subjects", "settlements", "sites", "events"}
    assert all(isinstance(record[section], list) and record[section] for section in record)


def test_source_keys_are_unique_slugs(record: dict[str, Any]) -> None:
    keys = [source["key"] for source in record["sources"]]
    assert [key for key, n in Counter(keys).items() if n > 1] == []
    assert [key for key in keys if not re.fullmatch(r"[a-z0-9-]+", key)] == []


def test_every_cited_source_key_is_in_the_sources(record: dict[str, Any]) -> None:
    keys = {source["key"] for source in record["sources"]}
    missing = [(path, key) for path, key in _cited_keys(record) if key not in keys]
    assert missing == []


def test_every_listed_source_is_cited_somewhere(record: dict[str, Any]) -> None:
    cited = {key for _, key in _cited_keys(record)}
    assert [s["key"] for s in record["sources"] if s["key"] not in cited] == []


def test_sources_have_a_title_a_publisher_and_an_https_address(record: dict[str, Any]) -> None:
    for source in record["sources"]:
        assert source["title"].strip() and source["publisher"].strip(), source["key"]
        assert source["url"].startswith("https://"), source["key"]


def test_every_text_a_reader_sees_has_english_and_ukrainian(record: dict[str, Any]) -> None:
    bilingual = [(path, m) for path, m in _mappings(record) if "en" in m or "uk" in m]
    assert len(bilingual) > 90  # the walk really reached the texts
    for path, texts in bilingual:
        for language in ("en", "uk"):
            value = texts.get(language)
            assert isinstance(value, str) and value.strip(), f"{path}: no {language} text"


def test_the_schema_s_reader_facing_fields_are_all_present(record: dict[str, Any]) -> None:
    def assert_bilingual(value: Any, where: str) -> None:
        assert isinstance(value, dict) and value.get("en") and value.get("uk"), f"{where} is not bilingual"

    for settlement in record["settlements"]:
        for field in ("names", "region", "description"):
            assert_bilingual(settlement[field], f"settlement {settlement['slug']}.{field}")
    for site in record["sites"]:
        assert_bilingual(site["summary"], f"{site['slug']}.summary")
        assert_bilingual(site["location"]["method"], f"{site['slug']}.location.method")
        for field in ("start_name", "directions", "safety"):
            if "approach" in site:
                assert_bilingual(site["approach"][field], f"{site['slug']}.approach.{field}")
    for subject in record["claim_subjects"]:
        assert_bilingual(subject["label"], f"claim subject {subject['key']}")
    for event in record["events"]:
        for field in ("title", "description"):
            assert_bilingual(event[field], f"event {event['date']}.{field}")


def test_ukrainian_texts_are_written_in_cyrillic(record: dict[str, Any]) -> None:
    for path, texts in _mappings(record):
        if "uk" in texts and isinstance(texts["uk"], str):
            letters = [c for c in texts["uk"] if c.isalpha()]
            cyrillic = [c for c in letters if "\u0400" <= c <= "\u04ff"]
            assert len(cyrillic) > len(letters) / 2, f"{path}.uk does not read as Ukrainian"


def test_dates_parse_and_none_lies_after_the_review_day(record: dict[str, Any]) -> None:
    seen = 0
    for path, key, value in _entries(record):
        if key not in DATE_FIELDS:
            continue
        assert isinstance(value, str), f"{path}.{key}: {value!r} must be a quoted string, not {type(value).__name__}"
        if value == "" and key in OPTIONAL_DATE_FIELDS:
            continue
        date = _parse_date(value)
        assert date <= REVIEWED_ON, f"{path}.{key}: {value} is in the future"
        seen += 1
    assert seen > 50


def test_date_ranges_have_an_end_after_their_start(record: dict[str, Any]) -> None:
    for event in record["events"]:
        if event["precision"] == "range":
            assert event.get("date_end"), f"range event {event['date']} has no end"
            assert _parse_date(event["date_end"]) >= _parse_date(event["date"])
        else:
            assert not event.get("date_end"), f"event {event['date']} has an end but is not a range"


def test_every_point_lies_on_the_earth(record: dict[str, Any]) -> None:
    points = [(s["latitude"], s["longitude"]) for s in record["settlements"]]
    for site in record["sites"]:
        points.append((site["location"]["latitude"], site["location"]["longitude"]))
        assert site["location"]["uncertainty_m"] > 0
        if "approach" in site:
            points.append((site["approach"]["start_latitude"], site["approach"]["start_longitude"]))
    for lat, lon in points:
        assert isinstance(lat, float) and isinstance(lon, float)
        assert -90 <= lat <= 90 and -180 <= lon <= 180


def test_every_claim_cites_a_source(record: dict[str, Any]) -> None:
    keys = {source["key"] for source in record["sources"]}
    for site in record["sites"]:
        for claim in site["claims"]:
            assert claim.get("source") in keys, f"{site['slug']}: {claim['subject']}={claim['value']} cites nothing"


def test_every_claim_names_a_listed_subject_and_every_subject_is_used(record: dict[str, Any]) -> None:
    keys = [subject["key"] for subject in record["claim_subjects"]]
    assert len(keys) == len(set(keys))
    used = {claim["subject"] for site in record["sites"] for claim in site["claims"]}
    assert used == set(keys)
    assert not any("subject_label" in claim for site in record["sites"] for claim in site["claims"])


def test_a_subject_with_several_values_has_a_claim_row_for_each(record: dict[str, Any]) -> None:
    for site in record["sites"]:
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for claim in site["claims"]:
            rows[claim["subject"]].append(claim)
        for subject, claims in rows.items():
            values = {str(claim["value"]) for claim in claims}
            assert len(claims) >= len(values) >= 1, subject
            if len(values) > 1:
                assert len(claims) >= 2, subject


@pytest.mark.parametrize(
    "subject", ["bodies_exhumed", "soldiers_among_dead", "violent_death_share", "children", "unidentified"]
)
def test_known_disagreements_are_kept_side_by_side(record: dict[str, Any], subject: str) -> None:
    claims = _claims(record, BURIAL_SITE, subject)
    assert len({claim["value"] for claim in claims}) >= 2
    assert len({claim["source"] for claim in claims}) >= 2


def test_plain_numeric_values_match_their_number(record: dict[str, Any]) -> None:
    for site in record["sites"]:
        for claim in site["claims"]:
            if re.fullmatch(r"\d+", str(claim["value"])):
                assert claim.get("number") == int(claim["value"]), f"{claim['subject']}={claim['value']}"


def test_each_site_has_one_primary_name_in_english_and_one_in_ukrainian(record: dict[str, Any]) -> None:
    for site in record["sites"]:
        primaries = Counter(name["language"] for name in site["names"] if name.get("primary"))
        assert primaries["en"] == 1 and primaries["uk"] == 1, site["slug"]
        assert all(n <= 1 for n in primaries.values()), site["slug"]


def test_burial_site_names_include_the_agreed_forms_and_not_the_unverified_one(
    record: dict[str, Any],
) -> None:
    names = {(n["language"], n["name"]) for n in _site(record, BURIAL_SITE)["names"]}
    assert ("uk", "Масове поховання в Ізюмі") in names
    assert ("ru", "Массовое захоронение в Изюме") in names
    assert not any("Песчанск" in name for _, name in names)


def test_burial_site_is_the_cir_pin_with_a_300_m_uncertainty(record: dict[str, Any]) -> None:
    location = _site(record, BURIAL_SITE)["location"]
    assert (location["latitude"], location["longitude"]) == (49.220922, 37.244553)
    assert location["uncertainty_m"] == 300
    source = next(s for s in record["sources"] if s["key"] == location["source"])
    assert source["kind"] == "dataset" and "CIR" in source["publisher"]


def test_police_station_is_only_a_generalised_city_point(record: dict[str, Any]) -> None:
    site = _site(record, POLICE_STATION)
    assert site["sensitivity"] == "generalised" and site["generalise_m"] > 0
    assert (site["location"]["latitude"], site["location"]["longitude"]) == CITY_POINT
    assert site["location"]["uncertainty_m"] == 2000
    assert "approach" not in site


def test_the_final_exhumation_count_of_447_is_confirmed(record: dict[str, Any]) -> None:
    rows = [c for c in _claims(record, BURIAL_SITE, "bodies_exhumed") if c["value"] == "447"]
    assert rows and all(c["status"] == "confirmed" for c in rows)


def test_the_governor_s_436_stands_beside_the_447(record: dict[str, Any]) -> None:
    rows = {c["value"]: c for c in _claims(record, BURIAL_SITE, "bodies_exhumed")}
    assert "436" in rows and rows["436"]["status"] != "confirmed"
    assert rows["436"]["source"] != rows["447"]["source"]


def test_enumerated_fields_hold_values_the_schema_allows(record: dict[str, Any]) -> None:
    def check(kind: str, value: str) -> None:
        assert value in ALLOWED[kind], f"{kind} {value!r} is not one of {sorted(ALLOWED[kind])}"

    for source in record["sources"]:
        check("source kind", source["kind"])
        check("source language", source["language"])
    for site in record["sites"]:
        check("site kind", site["kind"])
        check("sensitivity", site["sensitivity"])
        if "approach" in site:
            check("mode", site["approach"]["mode"])
        for status in site["statuses"]:
            check("status", status["status"])
            check("precision", status["precision"])
        for claim in site["claims"]:
            check("claim status", claim["status"])
    for event in record["events"]:
        check("event kind", event["kind"])
        check("precision", event["precision"])


def test_each_event_belongs_to_exactly_one_known_site_or_settlement(record: dict[str, Any]) -> None:
    sites = {site["slug"] for site in record["sites"]}
    settlements = {settlement["slug"] for settlement in record["settlements"]}
    for event in record["events"]:
        owners = [key for key in ("site", "settlement") if event.get(key)]
        assert len(owners) == 1, f"event {event['date']} belongs to {owners}"
        assert event[owners[0]] in (sites if owners[0] == "site" else settlements)
    assert all(site["settlement"] in settlements for site in record["sites"])


def test_rows_the_database_keeps_unique_are_unique_in_the_file(record: dict[str, Any]) -> None:
    claims = Counter(
        (site["slug"], c["subject"], str(c["value"]), c["source"]) for site in record["sites"] for c in site["claims"]
    )
    statuses = Counter((site["slug"], s["status"], s["date"]) for site in record["sites"] for s in site["statuses"])
    names = Counter((site["slug"], n["language"], n["name"]) for site in record["sites"] for n in site["names"])
    events = Counter(
        (e.get("site") or e.get("settlement"), e["kind"], e["date"], e["title"]["en"]) for e in record["events"]
    )
    for counter in (claims, statuses, names, events):
        assert [row for row, n in counter.items() if n > 1] == []


def test_status_history_runs_oldest_first(record: dict[str, Any]) -> None:
    for site in record["sites"]:
        dates = [_parse_date(status["date"]) for status in site["statuses"]]
        assert dates == sorted(dates), site["slug"]


def test_timeline_runs_from_the_invasion_to_the_memorial_service(record: dict[str, Any]) -> None:
    dates = sorted(_parse_date(event["date"]) for event in record["events"])
    assert dates[0] == dt.date(2022, 2, 24)
    assert dates[-1] == dt.date(2025, 12, 9)


def test_occupation_start_names_the_disagreement(record: dict[str, Any]) -> None:
    event = next(e for e in record["events"] if e["kind"] == "occupation")
    assert event["date"] == "2022-04-01"
    assert "7 March" in event["description"]["en"] and "7 березня" in event["description"]["uk"]


def test_directions_put_mines_first_and_say_they_are_unverified(record: dict[str, Any]) -> None:
    approach = _site(record, BURIAL_SITE)["approach"]
    assert approach["safety"]["en"].startswith("Mines first")
    assert approach["safety"]["uk"].startswith("Спершу — міни")
    assert "not verified on the ground by us" in approach["directions"]["en"]
    assert "не перевіряли" in approach["directions"]["uk"]
    assert approach["last_checked"] == "2026-11-01"


# Words that point at a place on the page ("set out below", "the table above", "нижче"): the same text is written
# into KML balloons, GPX descriptions, CSV cells and the field guide, where no such place exists. ("On the left" in
# directions points at the road, so it is not among them.)
PAGE_LAYOUT_WORDS = re.compile(
    r"\b(below|above|side by side|on this page|in the table|the list beside)\b"
    r"|(?<!\w)(нижче|вище наведен\w*|на цій сторінці|у таблиці)(?!\w)",
    re.IGNORECASE,
)


def test_no_reader_facing_text_refers_to_the_page_s_layout(record: dict[str, Any]) -> None:
    texts = [(path, m) for path, m in _mappings(record) if "en" in m or "uk" in m]
    found = [
        f"{path}.{language}: {match.group()!r}"
        for path, mapping in texts
        for language in ("en", "uk")
        if isinstance(mapping.get(language), str) and (match := PAGE_LAYOUT_WORDS.search(mapping[language]))
    ]
    assert found == []
