"""`make bench`, the server under load: 200 readers and 10 writers for 60 s on loopback, against `lwf serve`
(gunicorn) and, in the same run, Django's development server (`lwf serve --dev`) and gunicorn without the page cache.

Readers are Debian's `wrk` (apt-get install wrk): 200 connections, each asking for the next page as soon as the last
one arrived, cycling through the atlas, site pages in both languages, the about page and the API (benchmarks/
readers.lua). A C client, so the 2 cores go to the server rather than to the load generator (httpx spent 4.4 ms of
CPU per request). Writers are editors in the admin, driven with httpx: each signs in, then opens a source's change
form and saves it with a new title, pausing LWF_BENCH_WRITER_PAUSE_S (default 2 s) between edits (a real edit: a
database write and a ledger entry). Every request has a 30 s timeout; everything stops by itself after
LWF_BENCH_SECONDS (default 60). Only loopback addresses are used. The figures go to the terminal and to
docs/benchmarks.md with the machine and its load.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from run import _write_section as write_section

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the admin-form reader the tests use, so writers post what a browser would
from admin_form import form_values  # noqa: E402

LWF = Path(sys.executable).with_name("lwf")
DATA_DIR = (Path(os.environ.get("LWF_DATA_DIR") or REPO / "var" / "bench") / "serving").resolve()
SECONDS = float(os.environ.get("LWF_BENCH_SECONDS", "60"))
READERS = int(os.environ.get("LWF_BENCH_READERS", "200"))
WRITERS = int(os.environ.get("LWF_BENCH_WRITERS", "10"))
WRITER_PAUSE_S = float(os.environ.get("LWF_BENCH_WRITER_PAUSE_S", "2"))
TIMEOUT_S = 30.0
PASSWORD = "bench writer passphrase 1"
GOAL_P95_S = 1.0


@dataclass
class Tally:
    """What one role saw: each request's latency in seconds, and the errors by kind."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def summary(self) -> dict[str, float | int | dict[str, int]]:
        ordered = sorted(self.latencies)
        served = len(ordered)

        def percentile(share: float) -> float:
            return ordered[min(served - 1, int(share * served))] if served else float("nan")

        return {
            "served": served,
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors),
            "p50_s": round(percentile(0.50), 4),
            "p95_s": round(percentile(0.95), 4),
            "max_s": round(ordered[-1], 4) if ordered else float("nan"),
            "mean_s": round(statistics.fmean(ordered), 4) if ordered else float("nan"),
        }


def _lwf(*args: str, env: dict[str, str]) -> None:
    subprocess.run([str(LWF), *args], env=env, check=True, capture_output=True)


def _prepare() -> dict[str, str]:
    if DATA_DIR.exists():
        shutil.rmtree(DATA_DIR)
    DATA_DIR.mkdir(parents=True)
    env = {**os.environ, "LWF_DATA_DIR": str(DATA_DIR), "DATABASE_URL": "", "LWF_DEBUG": ""}
    _lwf("migrate", env=env)
    _lwf("demo", env=env)
    # Editors sign in with a password and a code from their authenticator (the admin asks every editor for both):
    # each writer gets a confirmed TOTP device with a key the benchmark knows.
    users = "; ".join(
        f"TOTPDevice.objects.create(user=User.objects.create_superuser('writer{n}', 'writer{n}@example.org', "
        f"{PASSWORD!r}), name='bench', confirmed=True, key={_totp_key(n)!r})"
        for n in range(WRITERS)
    )
    imports = "from django.contrib.auth.models import User; from django_otp.plugins.otp_totp.models import TOTPDevice"
    _lwf("manage", "shell", "-c", f"{imports}; {users}", env=env)
    _lwf("manage", "collectstatic", "--noinput", env=env)
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    log = open(DATA_DIR / f"server-{port}.log", "wb")  # noqa: SIM115 (closed with the process)
    server = subprocess.Popen(
        [str(LWF), "serve", "--port", str(port), "--no-collectstatic", *command],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}; see {log.name}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/about/", timeout=2).close()
            return server
        except OSError:
            time.sleep(0.3)
    _stop(server)
    raise RuntimeError(f"the server did not answer within 60 s; see {log.name}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


async def _timed(tally: Tally, request: Awaitable[httpx.Response], expected: int) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response = await request
    except httpx.TimeoutException:
        tally.error("timeout")
        return None
    except httpx.HTTPError as error:
        tally.error(type(error).__name__)
        return None
    if response.status_code != expected:
        tally.error(f"HTTP {response.status_code}")
        return None
    tally.latencies.append(time.perf_counter() - started)
    return response


def _totp_key(number: int) -> str:
    """Writer ``number``'s authenticator key, 20 bytes in hex as django-otp keeps it."""
    return f"{number:040x}"


def _totp_code(number: int) -> str:
    """The code writer ``number``'s authenticator shows now (RFC 6238, django-otp's own function)."""
    from django_otp.oath import totp

    return str(totp(bytes.fromhex(_totp_key(number)), step=30, t0=0, digits=6, drift=0)).zfill(6)


async def _writer(base: str, number: int, deadline: float, tally: Tally, source_ids: list[int]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT_S) as client:
        login = await _timed(tally, client.get("/accounts/sign-in/?next=/admin/"), 200)
        if login is None:
            return
        token = form_values(login.text, "sign-in")["csrfmiddlewaretoken"][0]
        signed_in = await _timed(
            tally,
            client.post(
                "/accounts/sign-in/?next=/admin/",
                data={"username": f"writer{number}", "password": PASSWORD, "csrfmiddlewaretoken": token},
            ),
            302,
        )
        if signed_in is None:
            return
        second = await _timed(tally, client.get(signed_in.headers["location"]), 200)
        if second is None:
            return
        data = form_values(second.text, "two-factor")
        data["otp_token"] = [_totp_code(number)]
        # A code is taken once per 30-second step (RFC 6238 §5.2): the servers of one run share the accounts, so a
        # writer signing in again within the step waits for the next code, as a person would.
        if (await client.post(signed_in.headers["location"], data=data)).status_code != 302:
            await asyncio.sleep(30.5 - time.time() % 30)
            data["otp_token"] = [_totp_code(number)]
            if await _timed(tally, client.post(signed_in.headers["location"], data=data), 302) is None:
                return
        source_id = source_ids[number % len(source_ids)]
        edit = 0
        while time.monotonic() < deadline:
            url = f"/admin/atlas/source/{source_id}/change/"
            form = await _timed(tally, client.get(url), 200)
            if form is not None:
                data = form_values(form.text, "source_form")
                edit += 1
                data["title"] = [re.sub(r" \(edit \d+\)$", "", data["title"][0]) + f" (edit {edit})"]
                data["_save"] = ["Save"]
                await _timed(tally, client.post(url, data=data), 302)
            await asyncio.sleep(WRITER_PAUSE_S)


async def _readers(base: str) -> dict[str, object]:
    """wrk's 200 readers for SECONDS; its script prints one JSON line of what it saw (latencies in microseconds)."""
    command = [
        "wrk",
        f"--connections={READERS}",
        "--threads=2",
        f"--duration={SECONDS:.0f}s",
        f"--timeout={TIMEOUT_S:.0f}s",
        f"--script={Path(__file__).with_name('readers.lua')}",
        base,
    ]
    process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
    output, _ = await asyncio.wait_for(process.communicate(), timeout=SECONDS + TIMEOUT_S + 30)
    line = next(line for line in output.decode().splitlines() if line.startswith("{"))
    seen = json.loads(line)
    errors = {kind: count for kind, count in seen["errors"].items() if count}
    # wrk counts a response with an error status among its requests; a timeout or a socket error is not a response.
    return {
        "served": seen["requests"] - seen["errors"]["HTTP status >= 400"],
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "p50_s": seen["p50_us"] / 1e6,
        "p95_s": seen["p95_us"] / 1e6,
        "max_s": seen["max_us"] / 1e6,
        "mean_s": seen["mean_us"] / 1e6,
    }


async def _load(base: str, source_ids: list[int]) -> dict[str, dict[str, object]]:
    writers = Tally()
    deadline = time.monotonic() + SECONDS
    # Bounded whatever happens: the loops stop at the deadline and a request gives up after TIMEOUT_S.
    readers, *_ = await asyncio.wait_for(
        asyncio.gather(_readers(base), *(_writer(base, n, deadline, writers, source_ids) for n in range(WRITERS))),
        timeout=SECONDS + 2 * TIMEOUT_S + 40,
    )
    return {"readers": readers, "writers": writers.summary()}


def _source_ids(env: dict[str, str]) -> list[int]:
    code = "from lestweforget.atlas.models import Source; print(list(Source.objects.values_list('id', flat=True)))"
    result = subprocess.run([str(LWF), "manage", "shell", "-c", code], env=env, capture_output=True, text=True)
    # The shell may print a line of its own first (the objects it imported); the list is the last line.
    return json.loads(result.stdout.strip().splitlines()[-1])[:WRITERS]  # type: ignore[no-any-return]


def _load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return (
        f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


CONFIGURATIONS = (
    ("lwf serve (gunicorn, page cache on)", [], {}),
    ("lwf serve (gunicorn, page cache off)", [], {"LWF_PAGE_CACHE_SECONDS": "0"}),
    ("Django development server (lwf serve --dev, page cache on)", ["--dev"], {}),
)


def main() -> int:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if shutil.which("wrk") is None:
        console.print("[red]benchmarks/serving.py needs Debian's wrk for its readers: apt-get install wrk[/red]")
        return 2
    with console.status("a fresh data directory with the demo record and 10 editors"):
        env = _prepare()
        source_ids = _source_ids(env)
    results = []
    for name, command, extra in CONFIGURATIONS:
        port = _free_port()
        before = _load_average()
        with console.status(f"{name}: {READERS} readers and {WRITERS} writers for {SECONDS:.0f} s"):
            access_log = str(DATA_DIR / f"access-{port}.log")
            server = _start([*command, "--access-log", access_log], {**env, **extra}, port)
            try:
                tallies = asyncio.run(_load(f"http://127.0.0.1:{port}", source_ids))
            finally:
                _stop(server)
        results.append(
            {
                "server": name,
                "load_before": before,
                "load_after": _load_average(),
                **tallies,
            }
        )
    table = Table(title=f"{READERS} readers + {WRITERS} writers, {SECONDS:.0f} s each, loopback, same run")
    for column in ("server", "role", "served", "per s", "errors", "p50 (s)", "p95 (s)", "max (s)"):
        table.add_column(column, justify="right" if column not in ("server", "role") else "left")
    for result in results:
        for role in ("readers", "writers"):
            row = result[role]
            table.add_row(
                str(result["server"]),
                role,
                str(row["served"]),
                f"{row['served'] / SECONDS:.0f}",
                str(row["errors"]) + (f" {row['error_kinds']}" if row["errors"] else ""),
                f"{row['p50_s']:.3f}",
                f"{row['p95_s']:.3f}",
                f"{row['max_s']:.3f}",
            )
    console.print(table)
    ours = results[0]
    met = ours["readers"]["errors"] == 0 and ours["writers"]["errors"] == 0 and ours["readers"]["p95_s"] < GOAL_P95_S
    console.print(f"goal (lwf serve: 0 errors, readers' p95 under {GOAL_P95_S:.0f} s): {'met' if met else 'NOT met'}")
    record = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "seconds": SECONDS,
        "readers": READERS,
        "writers": WRITERS,
        "writer_pause_s": WRITER_PAUSE_S,
        "results": results,
        "goal_met": met,
    }
    (DATA_DIR / "results.json").write_text(json.dumps(record, indent=2))
    _write_docs(record)
    console.print("wrote docs/benchmarks.md")
    return 0


def _write_docs(record: dict[str, object]) -> None:
    out = io.StringIO()
    out.write(
        f"Measured {record['when']} on {record['machine']}. The machine is shared with other work: its load average "
        "(1 / 5 / 15 min) is given before and after each run.\n\n"
        f"{record['readers']} readers (wrk's connections), each asking for the next page as soon as the last one "
        "came (the atlas, site pages in English and Ukrainian, the about page and the API, in turn), and "
        f"{record['writers']} editors in the admin, each opening a source's change form and saving a new title, "
        f"then pausing {record['writer_pause_s']:g} s; {record['seconds']:.0f} s per server, on loopback, one after "
        "the other in the same run, against the same data. Every request has a 30 s timeout. The load generators "
        "(wrk for the readers; benchmarks/serving.py with httpx for the editors) run on the same 2 cores as the "
        "server.\n\n"
    )
    out.write("| server | role | requests served | per second | errors | p50 (s) | p95 (s) | max (s) | load |\n")
    out.write("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n")
    for result in record["results"]:  # type: ignore[attr-defined]
        for role in ("readers", "writers"):
            row = result[role]
            errors = str(row["errors"]) + (
                f" ({', '.join(f'{k}: {v}' for k, v in row['error_kinds'].items())})" if row["errors"] else ""
            )
            out.write(
                f"| {result['server']} | {role} | {row['served']} | {row['served'] / record['seconds']:.0f} | "  # type: ignore[operator]
                f"{errors} | {row['p50_s']:.3f} | {row['p95_s']:.3f} | {row['max_s']:.3f} | "
                f"{result['load_before']} → {result['load_after']} |\n"
            )
    out.write(
        f"\nGoal: `lwf serve` with 0 errors and the readers' p95 under 1 s — "
        f"{'met' if record['goal_met'] else 'not met'} in this run. Writers count both requests of an edit (the form, "
        "then the save), each of which must succeed (200, then 302).\n"
    )
    busiest = max(float(str(result["load_before"]).split(" / ")[0]) for result in record["results"])  # type: ignore[attr-defined]
    if busiest > (os.cpu_count() or 1):
        out.write(
            f"\nOther work kept the machine's load average at up to {busiest:.0f} on its {os.cpu_count()} cores during "
            "this run, so the server and the load generators had only a share of them: the latencies are those of a "
            "crowded machine. Compare the servers with each other, which ran under the same conditions, and run "
            "`make bench` again when `uptime` shows a load below 1 for figures of the machine itself.\n"
        )
    write_section("Serving under load", out.getvalue())


if __name__ == "__main__":
    sys.exit(main())
