"""The register at scale: viewport, search, site page, API lists and the streamed export over synthetic sites, on SQLite
and PostgreSQL, beside PostGIS's GiST bounding box and pg_trgm name search on the same rows in the same PostgreSQL.

    python benchmarks/register_scale.py [--sizes 10000,100000] [--databases sqlite,postgresql] [--repeat 30]
    LWF_BENCH_SITES=10000,100000,1000000 make bench        # a million too (about 15-25 min a database here)
    python benchmarks/register_scale.py --sizes 1000000 --databases sqlite --generate-only   # make the data now,
    python benchmarks/register_scale.py --sizes 1000000 --reuse                              # measure it later
    python benchmarks/register_scale.py --report-only      # the table again from the last results kept

Sites are made by `register.synthetic.generate` (the project's own models, `Site.derive_public_location`, the search
index and view cells of `register`, written by its bulk paths; names of real places of Ukraine in Latin, Ukrainian
and Russian) after the Izium demo, with a progress bar on the terminal. Generation alone relaxes durability in the
benchmark's own database (SQLite synchronous=OFF and a larger page cache, PostgreSQL synchronous_commit=off for its
session); the schema and settings queried are the product's. Times are server time: each request goes through
Django's whole stack in the process (django.test.Client), without a network; median and 95th percentile of --repeat
runs after one warm-up. The export runs in a process of its own that does nothing else, and its memory is that
process's peak resident set (VmHWM) while it streamed the whole atlas.
PostgreSQL runs need LWF_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/lwf_bench_register; each size
gets its own database, that name with _<size>, dropped and made again unless --reuse finds it complete); PostGIS is
used if the server has it, else its reference is skipped and says so.
Each database and size runs in its own process; the figures go to the terminal, to var/bench/register/<db>-<size>.json
and to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from run import _write_section as write_section

REPO = Path(__file__).resolve().parents[1]
DATA_ROOT = Path(os.environ.get("LWF_DATA_DIR") or REPO / "var" / "bench").resolve() / "register"
POSTGRES_URL = os.environ.get("LWF_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/lwf_bench_register")
SPELLINGS = ("Izium", "Izyum", "Izum", "Ізюм", "Изюм", "Ізюмі")
VIEWS = {
    "country": ("22.0,44.0,40.5,52.5", 6),
    "oblast": ("34.8,48.5,38.5,50.5", 8),
    "city": ("36.10,49.90,36.40,50.05", 12),
}
ENVELOPE = "ST_MakeEnvelope(%s, %s, %s, %s, 4326)"
GOAL_MS = {"viewport": 50.0, "search": 50.0, "api": 200.0}
# What the atlas page asks at the country view besides the clusters: the list beside the map and the timeline (each
# on every pan and zoom), and the clusters again with one filter chosen (values the synthetic sites hold: every kind
# is drawn alike, events fall between 24 February 2022 and August 2024, places all over Ukraine).
COUNTRY_ASKED = {
    "/api/viewport/list, country": ("/api/viewport/list", {}),
    "/api/viewport/timeline, country": ("/api/viewport/timeline", {}),
    "/api/viewport, country, kind=mass_grave": ("/api/viewport", {"kind": "mass_grave"}),
    "/api/viewport, country, from=2022-09-01 to=2022-12-31": (
        "/api/viewport",
        {"from": "2022-09-01", "to": "2022-12-31"},
    ),
    "/api/viewport, country, oblast=Kharkiv": ("/api/viewport", {"oblast": "Kharkiv"}),
    "/api/viewport, country, q=Izium": ("/api/viewport", {"q": "Izium"}),
    "/api/viewport/list, country, kind=mass_grave": ("/api/viewport/list", {"kind": "mass_grave"}),
    "/api/viewport/timeline, country, kind=mass_grave": ("/api/viewport/timeline", {"kind": "mass_grave"}),
}


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": round(statistics.median(ordered) * 1000, 2), "p95": round(p95 * 1000, 2)}


def _timed(call: Any, repeat: int) -> dict[str, float]:
    call()
    values = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        values.append(time.perf_counter() - start)
    return _ms(values)


def _get(client: Any, url: str, params: dict[str, Any] | None = None) -> Any:
    response = client.get(url, params or {})
    if response.status_code != 200:
        raise SystemExit(f"{url} {params}: {response.status_code} {response.getvalue()[:300]!r}")
    return response


def _database_url(size: int) -> str:
    return f"{POSTGRES_URL}_{size}"


def _environment(database: str, size: int) -> Path:
    """Point Django at this database and size's data directory and database; returns the data directory."""
    data = DATA_ROOT / f"{database}-{size}"
    os.environ["LWF_DATA_DIR"] = str(data)
    os.environ["LWF_PAGE_CACHE_SECONDS"] = "0"
    if database == "postgresql":
        os.environ["DATABASE_URL"] = _database_url(size)
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lestweforget.settings")
    return data


def _prepare(database: str, size: int, reuse: bool) -> dict[str, Any]:
    """A database of ``size`` sites (the demo and synthetic ones): kept from an earlier run if ``reuse`` finds it
    complete, else made afresh. Returns how it was generated (seconds, load average)."""
    data = _environment(database, size)
    record = data / "generated.json"
    if reuse and record.exists():
        import django

        django.setup()
        from lestweforget.atlas.models import Site

        generated: dict[str, Any] = json.loads(record.read_text())
        if Site.objects.count() == size:
            return {**generated, "reused": True, "migrated": _migrate_kept(database)}
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    if database == "postgresql":
        import psycopg

        url = _database_url(size)
        base, name = url.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from lestweforget.atlas.demo import load_demo

    load_demo()
    generated = _generate(database, size)
    record.write_text(json.dumps(generated))
    return generated


def _migrate_kept(database: str) -> list[str]:
    """Bring a kept database to the code being measured, as a deployment's `lwf migrate` would (their data
    migrations included); on PostgreSQL then VACUUM ANALYZE, as autovacuum would after such updates. Returns the
    migrations applied."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return []
    call_command("migrate", verbosity=0)
    if database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def _generate(database: str, size: int) -> dict[str, Any]:
    from django.db import connection
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from lestweforget.atlas.models import Site
    from lestweforget.register import synthetic

    relax, restore = _SPEED[database]
    with connection.cursor() as cursor:
        for statement in relax:
            cursor.execute(statement)
    load_before = os.getloadavg()[0]
    count = size - Site.objects.count()
    columns = (TextColumn(f"{database} {size:,}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, TimeRemainingColumn(), console=Console(stderr=True)) as progress:
        task = progress.add_task("generating", total=count)
        started, cpu_started = time.perf_counter(), time.process_time()
        synthetic.generate(count, seed=size, progress=lambda made: progress.update(task, completed=made))
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    with connection.cursor() as cursor:
        for statement in restore:
            cursor.execute(statement)
        if database == "postgresql":
            cursor.execute("ANALYZE")
    return {
        "seconds": round(seconds, 1),
        # On a crowded machine the wall time is mostly waiting for a core; this is what generating itself cost
        # (this process only: PostgreSQL's own work is not in it).
        "CPU seconds": round(cpu_seconds, 1),
        "load": f"{load_before:.1f}-{os.getloadavg()[0]:.1f}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


# Generation only, in the benchmark's own database: durability relaxed while it writes, then the product's settings
# back (settings.py's SQLite pragmas; PostgreSQL's server default) before anything is measured.
_SPEED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sqlite": (
        ("PRAGMA synchronous=OFF", "PRAGMA cache_size=-262144"),
        ("PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-2000"),
    ),
    "postgresql": (("SET synchronous_commit TO off",), ("RESET synchronous_commit",)),
}


def _postgis_reference(repeat: int) -> dict[str, Any]:
    """The same questions asked of PostGIS (GiST on the public points) and pg_trgm (GIN on the raw names)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
        if cursor.fetchone() is None:
            return {"skipped": "PostGIS is not installed on this PostgreSQL (Debian: postgresql-15-postgis-3)"}
        cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute("ALTER TABLE atlas_site ADD COLUMN IF NOT EXISTS ref_point geometry(Point, 4326)")
        cursor.execute(
            "UPDATE atlas_site SET ref_point = ST_SetSRID(ST_MakePoint(public_longitude, public_latitude), 4326)"
        )
        cursor.execute("CREATE INDEX IF NOT EXISTS ref_point_gist ON atlas_site USING gist (ref_point)")
        cursor.execute("CREATE INDEX IF NOT EXISTS ref_name_trgm ON atlas_sitename USING gin (name gin_trgm_ops)")
        cursor.execute("ANALYZE atlas_site")
        cursor.execute("ANALYZE atlas_sitename")
        result: dict[str, Any] = {}
        for view, (bbox, _zoom) in VIEWS.items():
            west, south, east, north = (float(part) for part in bbox.split(","))

            def rows(w: float = west, s: float = south, e: float = east, n: float = north) -> None:
                cursor.execute(
                    "SELECT id, public_latitude, public_longitude FROM atlas_site"
                    f" WHERE is_published AND ref_point && {ENVELOPE}",
                    [w, s, e, n],
                )
                cursor.fetchall()

            def clustered(w: float = west, s: float = south, e: float = east, n: float = north) -> None:
                cursor.execute(
                    f"SELECT h3_r5, count(*), avg(public_latitude), avg(public_longitude) FROM atlas_site"
                    f" WHERE is_published AND ref_point && {ENVELOPE} GROUP BY h3_r5",
                    [w, s, e, n],
                )
                cursor.fetchall()

            result[f"gist bbox rows, {view}"] = _timed(rows, repeat)
            result[f"gist bbox + count per h3_r5, {view}"] = _timed(clustered, repeat)
        trigram: list[float] = []
        for spelling in SPELLINGS:

            def search(text: str = spelling) -> None:
                cursor.execute("SELECT DISTINCT site_id FROM atlas_sitename WHERE %s <%% name LIMIT 50", [text])
                cursor.fetchall()

            search()
            for _ in range(max(3, repeat // len(SPELLINGS))):
                start = time.perf_counter()
                search()
                trigram.append(time.perf_counter() - start)
        result["pg_trgm word similarity on raw names (all spellings)"] = _ms(trigram)
        return result


def worker(
    database: str,
    size: int,
    repeat: int,
    reuse: bool,
    generate_only: bool,
    export_alongside: bool = False,
    skip_export: bool = False,
) -> dict[str, Any]:
    generated = _prepare(database, size, reuse)
    load_before = os.getloadavg()[0]
    from django.test import Client

    from lestweforget.atlas import paging
    from lestweforget.atlas.models import Site

    result: dict[str, Any] = {"database": database, "sites": Site.objects.count(), "generated": generated}
    if generate_only:
        return result
    # With --export-alongside the export streams in its own process while the queries are timed (they then share the
    # cores with it): at a million sites it takes many minutes, the queries a few.
    export = _start_export(database, size) if export_alongside and not skip_export else None
    client = Client()
    result["published"] = Site.objects.filter(is_published=True).count()
    html = _get(client, "/").content
    result["atlas_html_bytes"] = len(html)
    for view, (bbox, zoom) in VIEWS.items():
        body = _get(client, "/api/viewport", {"bbox": bbox, "zoom": zoom}).json()
        result[f"viewport {view}"] = {
            **_timed(lambda b=bbox, z=zoom: _get(client, "/api/viewport", {"bbox": b, "zoom": z}), repeat),
            "in view": body["total"],
            "shown as": f"{len(body['clusters'])} clusters" if "clusters" in body else f"{len(body['points'])} points",
        }
    country_bbox, country_zoom = VIEWS["country"]
    for key, (url, asked) in COUNTRY_ASKED.items():
        params = {"bbox": country_bbox, "zoom": country_zoom, **asked}
        body = _get(client, url, params).json()
        result[key] = {
            **_timed(lambda u=url, p=params: _get(client, u, p), repeat),
            "answer": _answered(body),
        }
    search_times: list[float] = []
    found = {}
    for spelling in SPELLINGS:
        items = _get(client, "/api/sites", {"q": spelling}).json()["items"]
        found[spelling] = [" ".join(name["name"] for name in item["names"]) for item in items]
        for _ in range(max(3, repeat // len(SPELLINGS))):
            start = time.perf_counter()
            _get(client, "/api/sites", {"q": spelling})
            search_times.append(time.perf_counter() - start)
    result["search /api/sites?q= (all spellings)"] = _ms(search_times)
    # Best match first: at scale the first page is the sites named after Izium (shortest names first, so the demo's
    # longer name need not be among them), every one of them, whichever spelling was typed.
    result["search finds Izium"] = all(
        names and all(any(form in name.casefold() for form in ("izium", "izyum", "ізюм", "изюм")) for name in names)
        for names in found.values()
    )
    result["site page"] = _timed(lambda: _get(client, "/sites/izium-mass-burial-site/"), max(5, repeat // 3))
    result["/api/sites first page"] = _timed(lambda: _get(client, "/api/sites"), max(5, repeat // 3))
    last = Site.objects.filter(is_published=True).order_by("-pk").values_list("pk", flat=True)[200]
    deep = paging.encode([last])
    result["/api/sites deep page"] = _timed(lambda: _get(client, "/api/sites", {"cursor": deep}), max(5, repeat // 3))
    result["/api/events first page"] = _timed(lambda: _get(client, "/api/events"), max(5, repeat // 3))
    result["/api/sources first page"] = _timed(lambda: _get(client, "/api/sources"), max(5, repeat // 3))
    if database == "postgresql":  # the reference right after the queries it is compared with, in the same conditions
        result["reference"] = _postgis_reference(repeat)
    if not skip_export:
        result["streamed GeoJSON export"] = _export_result(export or _start_export(database, size))
        result["streamed GeoJSON export"]["alongside the queries"] = export is not None
    result["load"] = f"{load_before:.1f}-{os.getloadavg()[0]:.1f}"
    return result


def _answered(body: dict[str, Any]) -> str:
    """What a viewport, list or timeline answer held, in a few words."""
    if "clusters" in body:
        return f"{body['total']:,} in view, {len(body['clusters'])} clusters"
    if "points" in body:
        return f"{body['total']:,} in view, {len(body['points'])} points"
    if "items" in body:
        return f"{len(body['items'])} items" + (", more" if body.get("next_cursor") else "")
    if "months" in body:
        return f"{body['total']:,} events, {len(body['months'])} months"
    return f"{body.get('total', 0):,} events"


def _start_export(database: str, size: int) -> subprocess.Popen[str]:
    # The child finds the data as this script was started (the worker pointed LWF_DATA_DIR at its own directory).
    environment = {**os.environ, "LWF_DATA_DIR": str(DATA_ROOT.parent)}
    command = [sys.executable, __file__, "--export-worker", database, str(size)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=environment)


def _export_result(process: subprocess.Popen[str]) -> dict[str, Any]:
    output, _ = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"the export worker failed ({process.returncode})")
    export: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return export


def _memory_mb(key: str) -> float:
    """A figure of this process's memory from /proc/self/status (VmRSS now, VmHWM the peak), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"/proc/self/status has no {key}")


def export_worker(database: str, size: int) -> dict[str, Any]:
    """Stream the whole atlas's GeoJSON once in this fresh process: its time, size and the process's peak memory."""
    _environment(database, size)
    import django

    django.setup()
    from django.test import Client

    client = Client()
    _get(client, "/api/sites")  # URLs, templates and the database connection loaded, as in a running server
    before = _memory_mb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from now
    start = time.perf_counter()
    response = _get(client, "/export/atlas.geojson")
    size_bytes = sum(len(piece) for piece in response.streaming_content)
    return {
        "seconds": round(time.perf_counter() - start, 1),
        "MB": round(size_bytes / 1e6, 1),
        "RSS before MB": round(before),
        "peak RSS MB": round(_memory_mb("VmHWM")),
    }


def _machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    load = os.getloadavg()[0]
    return (
        f"{model}, {os.cpu_count()} cores (shared; load average {load:.1f} at the end),"
        f" Python {platform.python_version()}"
    )


def _cell(value: Any) -> str:
    if isinstance(value, dict) and "median" in value:
        return f"{value['median']:.1f} / {value['p95']:.1f}"
    return str(value)


def _report(results: list[dict[str, Any]]) -> str:
    columns = [f"{r['database']} {r['sites']:,}" for r in results]
    rows = [
        key
        for key in results[0]
        if key not in ("database", "sites", "reference", "load") and not key.startswith("viewport ")
    ]
    lines = [
        "Server time in ms, median / p95 (django.test.Client, in process, no network); goals: viewport and search p95"
        f" under {GOAL_MS['viewport']:.0f} ms, API lists under {GOAL_MS['api']:.0f} ms, atlas HTML under 100 KB,"
        " export memory under 200 MB. The export runs in a fresh process of its own (after the queries, or alongside"
        " them where the table says so): its time, its size and the process's peak resident memory while it streamed"
        " (from what the process held before). Search is the whole `/api/sites?q=` request (the first page of"
        " matches, names and all), each spelling in turn. `generated` is"
        " the time `register.synthetic.generate` took to make the sites (with the load average over it); `load`"
        " the load average (1 min) before and after each column's measurements.",
        "",
        "| measure | " + " | ".join(columns) + " |",
        "| --- | " + " | ".join("---" for _ in columns) + " |",
    ]
    for view in VIEWS:
        key = f"viewport {view}"
        cells = [f"{_cell(r[key])} ({r[key]['in view']:,} in view, {r[key]['shown as']})" for r in results]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    for key in rows:
        cells = []
        for r in results:
            value = r.get(key, "")
            if key == "streamed GeoJSON export":
                value = (
                    f"{value['seconds']} s, {value['MB']} MB; process peak {value['peak RSS MB']} MB"
                    f" (from {value['RSS before MB']} MB)"
                    + (", alongside the queries" * value.get("alongside the queries", False))
                    + (f", load {value['load']}" if "load" in value else "")
                )
            elif key == "generated":
                cpu = f", {value['CPU seconds']:,.0f} s CPU" if "CPU seconds" in value else ""
                value = f"{value['seconds']:,.0f} s{cpu} (load {value['load']})"
            cells.append(_cell(value))
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    lines.append("| load | " + " | ".join(str(r.get("load", "")) for r in results) + " |")
    for r in results:
        reference = r.get("reference")
        if not reference:
            continue
        lines += ["", f"Reference in the same PostgreSQL, {r['sites']:,} sites (ms, median / p95):", ""]
        if "skipped" in reference:
            lines.append(f"- skipped: {reference['skipped']}")
            continue
        lines += [f"- {name}: {_cell(value)}" for name, value in reference.items()]
    lines += ["", f"Machine: {_machine()}. Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}."]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("LWF_BENCH_SITES", "10000,100000"))
    parser.add_argument("--databases", default=os.environ.get("LWF_BENCH_DATABASES", "sqlite,postgresql"))
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="measure a database an earlier run generated completely")
    parser.add_argument("--generate-only", action="store_true", help="make the databases, measure nothing")
    parser.add_argument(
        "--export-alongside", action="store_true", help="stream the export while the queries are timed (saves time)"
    )
    parser.add_argument("--no-export", action="store_true", help="time the queries only, not the export")
    parser.add_argument("--report-only", action="store_true", help="the table from the results kept, run nothing")
    parser.add_argument("--worker", nargs=2, metavar=("DATABASE", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--export-worker", nargs=2, metavar=("DATABASE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        result = worker(
            args.worker[0],
            int(args.worker[1]),
            args.repeat,
            args.reuse,
            args.generate_only,
            args.export_alongside,
            args.no_export,
        )
        print(json.dumps(result))
        return 0
    if args.export_worker:
        print(json.dumps(export_worker(args.export_worker[0], int(args.export_worker[1]))))
        return 0
    from rich.console import Console

    console = Console(stderr=True)
    results = []
    for size in (int(part) for part in args.sizes.split(",")):
        for database in args.databases.split(","):
            kept = DATA_ROOT / f"{database}-{size}.json"
            if args.report_only:
                if kept.exists():
                    results.append(json.loads(kept.read_text()))
                continue
            console.print(f"register at scale: {database}, {size:,} sites …")
            command = [sys.executable, __file__, "--worker", database, str(size), "--repeat", str(args.repeat)]
            command += ["--reuse"] * args.reuse + ["--generate-only"] * args.generate_only
            command += ["--export-alongside"] * args.export_alongside + ["--no-export"] * args.no_export
            # The worker's progress bar and errors go straight to the terminal; its figures come on stdout.
            done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
            if done.returncode != 0:
                return done.returncode
            result = json.loads(done.stdout.strip().splitlines()[-1])
            console.print(result)
            if not args.generate_only:
                kept.write_text(json.dumps(result))
                results.append(result)
    if not results:
        return 0
    report = _report(results)
    print(report)
    write_section("The register at scale", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
