"""The register at scale: viewport, search, site page, API lists and the streamed export over synthetic sites, on SQLite
and PostgreSQL, beside PostGIS's GiST bounding box and pg_trgm name search on the same rows in the same PostgreSQL.

    python benchmarks/register_scale.py [--sizes 10000,100000] [--databases sqlite,postgresql] [--repeat 30]

Sites are made by `register.synthetic.generate` (the project's own models and search index; names of real places of
Ukraine in Latin, Ukrainian and Russian) after the Izium demo. Times are server time: each request goes through
Django's whole stack in the process (django.test.Client), without a network; median and 95th percentile of --repeat
runs after one warm-up. The export's peak is the largest Python allocation tracemalloc saw while it streamed.
PostgreSQL runs need LWF_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/lwf_bench_register, dropped
and made again); PostGIS is used if the server has it, else its reference is skipped and says so.
Each database and size runs in its own process; the figures go to the terminal and to docs/benchmarks.md.
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
import tracemalloc
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


def _fresh(database: str, size: int) -> None:
    data = DATA_ROOT / f"{database}-{size}"
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    os.environ["LWF_DATA_DIR"] = str(data)
    os.environ["LWF_PAGE_CACHE_SECONDS"] = "0"
    if database == "postgresql":
        import psycopg

        base, name = POSTGRES_URL.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = POSTGRES_URL
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lestweforget.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from lestweforget.atlas.demo import load_demo

    load_demo()


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


def worker(database: str, size: int, repeat: int) -> dict[str, Any]:
    _fresh(database, size)
    from django.test import Client

    from lestweforget.atlas import paging
    from lestweforget.atlas.models import Site
    from lestweforget.register import synthetic

    started = time.perf_counter()
    synthetic.generate(size - Site.objects.count(), seed=size)
    generated_s = time.perf_counter() - started
    if database == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    result: dict[str, Any] = {"database": database, "sites": Site.objects.count(), "generated_s": round(generated_s, 1)}
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
    search_times: list[float] = []
    found = {}
    for spelling in SPELLINGS:
        found[spelling] = [s["slug"] for s in _get(client, "/api/sites", {"q": spelling}).json()["items"]][:2]
        for _ in range(max(3, repeat // len(SPELLINGS))):
            start = time.perf_counter()
            _get(client, "/api/sites", {"q": spelling})
            search_times.append(time.perf_counter() - start)
    result["search /api/sites?q= (all spellings)"] = _ms(search_times)
    result["search finds Izium"] = all("izium-mass-burial-site" in slugs for slugs in found.values())
    result["site page"] = _timed(lambda: _get(client, "/sites/izium-mass-burial-site/"), max(5, repeat // 3))
    result["/api/sites first page"] = _timed(lambda: _get(client, "/api/sites"), max(5, repeat // 3))
    last = Site.objects.filter(is_published=True).order_by("-pk").values_list("pk", flat=True)[200]
    deep = paging.encode([last])
    result["/api/sites deep page"] = _timed(lambda: _get(client, "/api/sites", {"cursor": deep}), max(5, repeat // 3))
    result["/api/events first page"] = _timed(lambda: _get(client, "/api/events"), max(5, repeat // 3))
    result["/api/sources first page"] = _timed(lambda: _get(client, "/api/sources"), max(5, repeat // 3))
    tracemalloc.start()
    start = time.perf_counter()
    response = _get(client, "/export/atlas.geojson")
    size_bytes = sum(len(piece) for piece in response.streaming_content)
    export_s = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result["streamed GeoJSON export"] = {
        "seconds": round(export_s, 2),
        "MB": round(size_bytes / 1e6, 1),
        "peak traced MB": round(peak / 1e6, 1),
    }
    if database == "postgresql":
        result["reference"] = _postgis_reference(repeat)
    return result


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
        key for key in results[0] if key not in ("database", "sites", "reference") and not key.startswith("viewport ")
    ]
    lines = [
        "Server time in ms, median / p95 (django.test.Client, in process, no network); goals: viewport and search p95"
        f" under {GOAL_MS['viewport']:.0f} ms, API lists under {GOAL_MS['api']:.0f} ms, atlas HTML under 100 KB.",
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
            if isinstance(value, dict) and "seconds" in value:
                value = f"{value['seconds']} s, {value['MB']} MB, peak {value['peak traced MB']} MB"
            cells.append(_cell(value))
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
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
    parser.add_argument("--worker", nargs=2, metavar=("DATABASE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker[0], int(args.worker[1]), args.repeat)))
        return 0
    from rich.console import Console

    console = Console(stderr=True)
    results = []
    for size in (int(part) for part in args.sizes.split(",")):
        for database in args.databases.split(","):
            console.print(f"register at scale: {database}, {size:,} sites …")
            done = subprocess.run(
                [sys.executable, __file__, "--worker", database, str(size), "--repeat", str(args.repeat)],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                console.print(done.stderr[-3000:])
                return done.returncode
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            console.print(results[-1])
    report = _report(results)
    print(report)
    write_section("The register at scale", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
