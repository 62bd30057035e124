"""`lwf`: thin commands over the libraries and the atlas app. Each prints what it did; bad input exits non-zero."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from lestweforget.terminal_table import Column, print_table

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


def safe_text(value: object) -> str:
    """``value`` as text that is safe to print with rich: each control character, direction override and
    undecodable byte as a visible escape (``\\x1b``), and rich's markup escaped, so that data from files, names
    and records can neither move the cursor, recolour the terminal, reorder text nor be read as markup."""
    from lestweforget.exports.plain_text import TERMINAL_UNSAFE, visible_controls

    return escape(visible_controls(str(value), TERMINAL_UNSAFE))


class CommandError(Exception):
    """A command that cannot do what was asked; the message says what is wrong."""


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lestweforget.settings")
    import django

    django.setup()


def cmd_migrate(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from django.conf import settings

    console.print(f"[green]Database ready:[/green] {settings.DATABASES['default']['NAME']}")


def cmd_units(args: argparse.Namespace) -> None:
    from lestweforget.atlas.units import assign_all, store_units

    with err_console.status("Reading the codifier and the gazetteer…"):
        unit_count, place_count = store_units()
    with err_console.status("Placing the sites…"):
        site_count = assign_all()
    console.print(
        f"[green]Units stored:[/green] {unit_count} oblasts and raions, {place_count} settlements that place a point; "
        f"{site_count} sites placed by their public points"
    )


def _print_load_summary(summary: object, what: str) -> None:
    console.print(
        f"[green]{what}:[/green] {summary.sites} sites, {summary.settlements} settlements, "  # type: ignore[attr-defined]
        f"{summary.events} events, {summary.claims} claims, {summary.sources} sources"  # type: ignore[attr-defined]
    )


def cmd_demo(args: argparse.Namespace) -> None:
    from lestweforget.atlas.demo import demo_path, load_demo

    _print_load_summary(load_demo(), f"Loaded the demo record {demo_path().name}")


def cmd_load(args: argparse.Namespace) -> None:
    from lestweforget.atlas.demo import RecordFileError, load_record_file

    try:
        summary = load_record_file(Path(args.file), publish=not args.unpublished)
    except RecordFileError as error:
        raise CommandError(str(error)) from error
    _print_load_summary(summary, f"Loaded {args.file}")


# `lwf export FORMAT` options for the whole atlas: the query parameters `atlas.filters.parse` reads, by name.
EXPORT_FILTERS = {
    "bbox": "west,south,east,north in degrees (the points as published)",
    "q": "a name in any script or common spelling",
    "kind": "site kinds, comma-separated",
    "status": "statuses the site has reached, comma-separated",
    "oblast": "oblasts, comma-separated: KATOTTG codes, P-codes or names in any spelling",
    "raion": "raions, comma-separated, as --oblast (within the chosen oblasts)",
    "from": "YYYY-MM-DD: sites with an event on or after",
    "to": "YYYY-MM-DD: sites with an event on or before",
}


def filters_of(args: argparse.Namespace, sites: Any) -> Any:
    """``sites`` narrowed by the export's filter options, read by the same parser as the API's query parameters;
    CommandError naming the option that cannot be read, or filters given with --site."""
    from lestweforget.atlas import filters

    params = {name: value for name in EXPORT_FILTERS if (value := getattr(args, name, None)) is not None}
    if getattr(args, "has_photos", False):
        params["has_photos"] = "1"
    if params and args.site:
        raise CommandError(f"--{next(iter(params)).replace('_', '-')}: filters narrow the whole atlas, not --site")
    try:
        chosen = filters.parse(params)
    except filters.FilterError as error:
        raise CommandError(f"--{error.parameter.replace('_', '-')}: {error.message}") from None
    return filters.apply(sites, chosen)


def cmd_export(args: argparse.Namespace) -> int | None:
    if args.format == "evidence":
        return _export_evidence(args)
    from lestweforget.atlas import public
    from lestweforget.atlas.models import Site
    from lestweforget.exports import FORMATS

    export = FORMATS[args.format]
    all_sites = filters_of(args, public.public_sites())
    if args.site:
        try:
            site = public.public_site(args.site)
        except Site.DoesNotExist:
            known = ", ".join(public.public_sites().values_list("slug", flat=True)) or "none"
            raise CommandError(f"--site {args.site!r}: no published site has that slug (published: {known})") from None
        collection = public.site_collection(site, args.base_url)
        pieces: Iterable[str] = [export.write(collection)]
        count = 1
    else:
        count = all_sites.count()
        pieces = public.export_stream(args.format, all_sites, args.base_url, "Lest We Forget: atlas")
    if args.output and args.output != "-":
        out = Path(args.output)
        if out.is_dir():
            raise CommandError(f"-o {out}: is a folder; give a file name such as {out / ('atlas.' + export.extension)}")
        try:
            with out.open("w", encoding="utf-8", newline="") as stream:
                for piece in pieces:
                    stream.write(piece)
        except OSError as error:
            raise CommandError(f"-o {out}: cannot write ({error.strerror})") from error
        err_console.print(f"[green]Wrote[/green] {count} site(s) as {export.label} to {safe_text(out)}")
    else:
        for piece in pieces:
            sys.stdout.write(piece)
    return None


def cmd_sites(args: argparse.Namespace) -> None:
    from lestweforget.atlas import public

    sites = list(public.public_sites())
    rows = [
        (
            safe_text(site.slug),
            safe_text(site.name("en")),
            safe_text(site.kind),
            public.location_forms(site).decimal.value,
            f"{site.public_uncertainty_m:.0f}",
        )
        for site in sites
    ]
    print_table(
        console,
        "Published sites",
        [
            Column("slug", whole=True),
            Column("name"),
            Column("kind", whole=True),
            Column("public point", whole=True),
            Column("± m", whole=True, justify="right"),
        ],
        rows,
    )


WHERE_LABELS = {
    "decimal": "decimal",
    "dms": "DMS",
    "ddm": "DDM",
    "mgrs": "MGRS",
    "utm": "UTM",
    "plus_code": "Plus Code",
    "sk42": "SK-42",
    "geo_uri": "geo URI",
    "osm_url": "OpenStreetMap",
    "osm_directions_url": "OpenStreetMap directions",
    "google_maps_url": "Google Maps",
    "google_directions_url": "Google directions",
    "apple_maps_url": "Apple Maps",
    "apple_directions_url": "Apple directions",
}


def cmd_where(args: argparse.Namespace) -> None:
    from rich.markup import escape

    from lestweforget import geo

    text = " ".join(args.text)
    try:
        found = geo.parse_location(text)
        uncertainty_m = args.uncertainty if args.uncertainty is not None else found.uncertainty_m
        forms = geo.location_forms(found.point, uncertainty_m)
    except geo.GeoError as error:
        raise CommandError(str(error)) from error
    console.print(f"Read as {escape(found.read_as)}.")
    if uncertainty_m is None:
        console.print("Uncertainty: not given (add --uncertainty M to put it in the geo URI).")
    else:
        given = "--uncertainty" if args.uncertainty is not None else "the input"
        console.print(f"Uncertainty: ± {uncertainty_m:g} m (from {given}).")
    if found.altitude_m is not None:
        console.print(f"Altitude: {found.altitude_m:g} m.")
    for note in found.notes:
        console.print(f"[yellow]Note:[/yellow] {escape(note)}")
    # One plain line per form, never folded or cut (the console soft-wraps): a link copied from a narrow
    # terminal is the whole link.
    width = max(len(label) for label in WHERE_LABELS.values()) + 2
    for name, form in forms.written():
        value = escape(form.value) if form.available else f"[yellow]not available:[/yellow] {escape(form.unavailable)}"
        console.print(f"{WHERE_LABELS[name] + ':':<{width}}{value}", highlight=False)


def cmd_serve(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.core.management import call_command

    from lestweforget.server import ServerOptions, serve

    if not args.no_collectstatic:
        call_command("collectstatic", interactive=False, verbosity=0)
        console.print(f"Static files ready in {settings.STATIC_ROOT}", highlight=False)
    address = f"http://{args.host}:{args.port}/"
    if args.dev:
        console.print(
            f"[bold green]Lest We Forget[/bold green] (Django's development server) is at [link]{address}[/link]"
        )
        call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
        return
    options = ServerOptions(
        host=args.host,
        port=args.port,
        workers=args.workers or 0,
        threads=args.threads,
        timeout_s=args.timeout,
        access_log=args.access_log,
    )
    chosen = options.gunicorn_settings()
    console.print(
        f"[bold green]Lest We Forget[/bold green] is at [link]{address}[/link] (gunicorn: {chosen['workers']} "
        f"workers × {chosen['threads']} threads, {chosen['timeout']} s timeout; access log "
        f"{'standard output' if args.access_log == '-' else args.access_log or 'off'})",
        highlight=False,
    )
    serve(options)


def cmd_manage(args: argparse.Namespace) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lwf manage", *args.rest])


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    )


def cmd_import_photos(args: argparse.Namespace) -> int:
    from lestweforget.photos.diaries import DiaryError, checked_title
    from lestweforget.photos.ingest import ImportOptions, IngestError, import_photos

    if args.diary is not None:
        try:
            checked_title(args.diary)
        except DiaryError as error:
            raise CommandError(str(error)) from error

    options = ImportOptions(
        site_slug=args.site,
        author=args.author,
        track=Path(args.track) if args.track else None,
        track_offset_hours=args.track_offset,
        max_distance_km=args.max_distance_km,
        publish=args.publish,
        workers=args.workers,
        follow_links_outside=args.follow_links_outside,
    )
    with _progress() as progress:
        task = progress.add_task("Finding files", total=None)

        def advance(done: int, total: int, name: str) -> None:
            progress.update(task, completed=done, total=total, description=safe_text(Path(name).name[-40:]))

        try:
            report = import_photos(args.paths, options, advance)
        except IngestError as error:
            raise CommandError(str(error)) from error
    _print_import_report(report)
    if report.stopped_by:
        from lestweforget.interrupts import exit_status

        err_console.print(
            f"[bold red]lwf import photos:[/bold red] stopped by {report.stopped_by}; "
            f"{report.files_not_started} files not started. What is listed above is stored, ledgered and in the "
            "database; nothing half-done was left in the store's tmp/. Run the same import again to do the rest.",
            highlight=False,
        )
        return exit_status(report.stopped_by)
    if args.diary is not None:
        _make_diary(args, report)
    return 0 if report.ok else 1


def cmd_import_article(args: argparse.Namespace) -> int:
    import json

    from lestweforget.atlas.evidence_records import operator_actor
    from lestweforget.intake.drafts import draft_as_dict
    from lestweforget.intake.importing import IntakeError, import_article, read_article_file

    try:
        data = read_article_file(args.file)
        with err_console.status(f"Reading {Path(args.file).name}"):
            result = import_article(data, Path(args.file).name, operator_actor(), url=args.url, site_slug=args.site)
    except IntakeError as error:
        raise CommandError(str(error)) from error
    row = result.article
    for sentence in () if args.json else result.ignored:
        err_console.print(f"[bold yellow]lwf import article:[/bold yellow] {safe_text(sentence)}", highlight=False)
    if args.json:
        console.print_json(
            json.dumps(
                {"created": result.created, "ignored": list(result.ignored), **draft_as_dict(row)}, ensure_ascii=False
            )
        )
    elif result.refused:
        again = "" if result.created else " (imported before; nothing changed)"
        err_console.print(
            f"[bold red]lwf import article:[/bold red] {row.error}{again}\n"
            f"The file's bytes are kept as evidence: sha256 {row.sha256}.",
            highlight=False,
        )
    else:
        _print_draft(row, result.created, result.ledger_entries_added)
    return 1 if result.refused else 0


def cmd_import_sites(args: argparse.Namespace) -> int:
    import json

    from lestweforget.atlas.evidence_records import operator_actor
    from lestweforget.datasets import MergeRule
    from lestweforget.register.importing import ImportOptions, ImportRefused, import_sites

    options = ImportOptions(
        path=Path(args.file),
        format=args.format,
        mapping_path=Path(args.mapping) if args.mapping else None,
        only=tuple(args.only or ()),
        publish=args.publish,
        dry_run=args.dry_run,
        skip_bad_rows=args.skip_bad_rows,
        rule=MergeRule(distance_m=args.merge_distance, window_days=args.merge_days, name_distance_m=args.name_distance),
        actor=operator_actor(),
    )
    with _progress() as progress:
        task = progress.add_task("Importing rows", total=None)
        try:
            report = import_sites(options, lambda done, total: progress.update(task, completed=done, total=total))
        except ImportRefused as error:
            if args.json:
                document = {
                    "error": str(error),
                    "problems": [
                        {"row": p.row, "id": p.external_id, "column": p.column, "message": p.message}
                        for p in error.problems
                    ],
                }
                sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
            for problem in error.problems:
                err_console.print(f"[red]✗[/red] {safe_text(problem)}", highlight=False)
            raise CommandError(str(error)) from None
    if args.json:
        sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        _print_sites_report(report)
    if report.stopped_by:
        from lestweforget.interrupts import exit_status

        err_console.print(
            f"[bold red]lwf import sites:[/bold red] stopped by {report.stopped_by} after {report.batches} "
            f"batch(es); {report.rows_left} row(s) not imported yet. What was imported is whole and stored; run the "
            "same command again to import the rest.",
            highlight=False,
        )
        return exit_status(report.stopped_by)
    return 1 if report.bad_rows else 0


def _print_sites_report(report: object) -> None:
    from lestweforget.register.importing import ImportReport

    assert isinstance(report, ImportReport)
    for problem in report.bad_rows:
        err_console.print(f"[red]✗ left out:[/red] {safe_text(problem)}", highlight=False)
    for problem in report.implausible[:20]:
        err_console.print(f"[yellow]! implausible point:[/yellow] {safe_text(problem)}", highlight=False)
    if len(report.implausible) > 20:
        err_console.print(f"[yellow]![/yellow] … and {len(report.implausible) - 20} more implausible points")
    for note in report.notes[:20]:
        err_console.print(f"[yellow]![/yellow] {safe_text(note)}", highlight=False)
    if len(report.notes) > 20:
        err_console.print(f"[yellow]![/yellow] … and {len(report.notes) - 20} more notes (--json lists them all)")
    for changed in report.changed[:20]:
        err_console.print(
            f"[yellow]changed since imported, left as it was:[/yellow] {safe_text(changed)}", highlight=False
        )
    what = "Would import (dry run: nothing stored)" if report.dry_run else "Imported"
    # One measure per line: nine columns folded into unreadable stubs on an 80-column terminal.
    counts = (
        ("rows read", report.rows_read),
        ("skipped (category)", sum(report.skipped.values())),
        ("bad (left out)", len({p.row for p in report.bad_rows})),
        ("unchanged (imported before)", report.unchanged),
        ("imported", report.imported),
        ("new sites", len(report.sites_made)),
        ("rows joining a site", sum(report.joined.values())),
        ("new events", report.events_made),
        ("rows joining an event", report.events_joined),
        ("events waiting for publication", report.events_waiting),
        ("new sources", report.sources_made),
        ("links already a source (cited again)", report.sources_reused),
        ("implausible points (not published)", len(report.implausible)),
    )
    print_table(
        console,
        f"{what}: {safe_text(report.file)} ({report.format}, dataset {safe_text(report.dataset)})",
        [Column("rows and records"), Column("count", whole=True, justify="right")],
        [(label, str(count)) for label, count in counts],
    )
    console.print(f"Read as {safe_text(report.read_as)}.", highlight=False)
    console.print(f"Merge rule: {safe_text(report.rule)}.", highlight=False)
    console.print(f"Uncertainty: {safe_text(report.uncertainty_rule)}.", highlight=False)
    if not report.dry_run:
        console.print(f"The file is kept as evidence: sha256 {report.file_sha256} (lwf verify checks it).")
    if report.join_reasons:
        reasons = ", ".join(f"{n} by {safe_text(reason)}" for reason, n in sorted(report.join_reasons.items()))
        console.print(f"Rows that joined a site: {reasons}.", highlight=False)
    for slug, count in report.joined.most_common(10):
        console.print(f"  {count} row(s) joined {safe_text(slug)}", highlight=False)
    if report.skipped:
        skipped = "; ".join(f"{safe_text(name)} {n}" for name, n in sorted(report.skipped.items()))
        console.print(f"Skipped by category (not a site, or not among --only): {skipped}.", highlight=False)
    if report.graphic_rows:
        console.print(f"{report.graphic_rows} row(s) marked graphic: their sources carry the content note.")
    for refusal in report.refused_publication:
        console.print(f"[yellow]Not published:[/yellow] {safe_text(refusal)}", highlight=False)
    if report.published:
        earlier = f", {report.published_earlier} of them imported by an earlier run" if report.published_earlier else ""
        console.print(f"Published: {report.published} row(s){earlier}.")
    elif report.publish and not report.refused_publication:
        console.print("Published: none; the file's rows were all published before.")
    elif not report.dry_run and report.imported and not report.publish:
        console.print(
            "Nothing is public yet: an editor publishes the rows in the admin (Imported rows → "
            '"Publish the selected rows"), or pass --publish.',
            highlight=False,
        )


def _print_draft(row: object, created: bool, ledger_entries: int) -> None:
    from lestweforget.intake.models import ArticleImport

    assert isinstance(row, ArticleImport)
    source = row.source
    assert source is not None
    if not created:
        console.print(f"{row.original_name}: imported before as source {source.key}; nothing changed.")
        return
    published = source.published.isoformat() if source.published else "no date"
    console.print(f"{row.original_name}: archived as sha256 {row.sha256} ({ledger_entries} ledger entries)")
    console.print(
        f"Source {source.key}: {source.title!r}, {source.author or 'no byline'}, {published}, {source.language}"
    )
    # The slug, the date, the figure and the point are values people copy: a column of their own, never broken.
    rows: list[tuple[str, str, str, str]] = []
    for site in row.proposed_sites.all():
        where = "" if site.site else f": {site.name} at {site.place_label or 'a map point'}"
        rows.append(
            (
                "site",
                safe_text(f"{site.get_proposal_display()}{where}"),
                safe_text(site.site.slug) if site.site else "—",
                safe_text(site.reason_text()),
            )
        )
    for event in row.proposed_events.all():
        rows.append(("event", "", safe_text(f"{event.date} ({event.precision})"), safe_text(event.as_written)))
    for claim in row.proposed_claims.all():
        notes = [claim.as_written]
        headings = {"agree": "as recorded", "disagree": "sources disagree", "other": "also recorded"}
        for group, values in claim.beside().items():
            if values:
                notes.append(f"{headings[group]}: " + ", ".join(f"{value} ({len(keys)})" for value, keys in values))
        rows.append(("claim", "", safe_text(f"{claim.value} {claim.unit}"), safe_text("; ".join(notes))))
    for location in row.proposed_locations.all():
        rows.append(("location", "", f"{location.latitude:.5f}, {location.longitude:.5f}", safe_text(location.how)))
    print_table(
        console,
        "Draft for review (nothing is public until an editor accepts it)",
        [Column("item"), Column("proposal"), Column("value", whole=True), Column("from the article")],
        rows,
    )
    console.print("Review it in the admin: /admin/intake/articleimport/")


def _make_diary(args: argparse.Namespace, report: object) -> None:
    from lestweforget.photos.diaries import DiaryError, diary_from_photos
    from lestweforget.photos.ingest import ImportReport

    assert isinstance(report, ImportReport)
    # Photos already in the atlas from an earlier run belong to this visit too.
    photos = [f.sha256 for f in report.files if f.status in ("imported", "duplicate") and f.sha256]
    try:
        made = diary_from_photos(report.site_slug, args.diary, photos, args.author, publish=args.publish)
    except DiaryError as error:
        raise CommandError(str(error)) from error
    diary = made.diary
    if made.created:
        what = f"[green]Made the diary[/green] “{safe_text(diary.title_en)}” of {safe_text(report.site_slug)}"
    elif made.added:
        what = f"[green]Added to the diary[/green] “{safe_text(diary.title_en)}” of {safe_text(report.site_slug)}"
    else:
        what = f"Unchanged: the diary “{safe_text(diary.title_en)}” of {safe_text(report.site_slug)}"
    details = [
        f"{made.added} entries added, {made.entries} entries in all (new ones in capture order)",
        f"visited {diary.visit_date.isoformat()}" if diary.visit_date else "visit date unknown",
        f"author {safe_text(diary.author.pseudonym)}" if diary.author else "no author",
        "published" if diary.is_published else "unpublished (publish it in the admin, or pass --publish)",
    ]
    console.print(f"{what}: {'; '.join(details)}.", highlight=False)


def cmd_guide(args: argparse.Namespace) -> int:
    from lestweforget.atlas import public
    from lestweforget.atlas.models import Site
    from lestweforget.exports import ExportError
    from lestweforget.photos.field_guide import FieldGuideError, site_guide

    try:
        site = public.public_site(args.slug)
    except Site.DoesNotExist:
        known = ", ".join(public.public_sites().values_list("slug", flat=True)) or "none"
        raise CommandError(f"{args.slug!r}: no published site has that slug (published: {known})") from None
    out = Path(args.output)
    if out.is_dir():
        raise CommandError(f"-o {out}: is a folder; give a file name such as {out / (site.slug + '-guide.zip')}")
    try:
        data = site_guide(site, args.language, args.base_url)
    except (FieldGuideError, ExportError) as error:
        raise CommandError(str(error)) from error
    try:
        out.write_bytes(data)
    except OSError as error:
        raise CommandError(f"-o {out}: cannot write ({error.strerror})") from error
    console.print(
        f"[green]Wrote the field guide[/green] of {safe_text(site.slug)} ({args.language}) to {safe_text(out)}: "
        f"{len(data)} bytes. "
        "Unzip it on the phone and open index.html; it needs no network.",
        highlight=False,
    )
    return 0


def _print_import_report(report: object) -> None:
    from lestweforget.photos.ingest import ImportReport

    assert isinstance(report, ImportReport)
    for note in report.track_notes:
        err_console.print(f"[yellow]track[/yellow] {safe_text(note)}", highlight=False)
    for outcome in report.files:
        if outcome.status in ("quarantined", "failed"):
            err_console.print(f"[red]✗[/red] {safe_text(outcome.message)}", highlight=False)
        elif outcome.status == "skipped":
            err_console.print(f"[dim]· {safe_text(outcome.message)}[/dim]", highlight=False)
        elif outcome.message and outcome.status == "imported":
            err_console.print(f"[yellow]![/yellow] {safe_text(outcome.message)}", highlight=False)
    for outcome in report.held_back:
        if outcome.status == "imported":
            console.print(
                f"[yellow]held back[/yellow] {safe_text(outcome.path)}: {safe_text(outcome.held_back_reason)}",
                highlight=False,
            )
    for outcome in report.near_duplicates:
        console.print(
            f"[yellow]near-duplicate[/yellow] {safe_text(outcome.path)} "
            f"resembles {safe_text(outcome.near_duplicate_of)} "
            f"({outcome.near_duplicate_bits} of 64 bits differ)",
            highlight=False,
        )
    for outcome in report.placed_from_track:
        if outcome.status == "imported":
            console.print(
                f"[cyan]placed from the track[/cyan] {safe_text(outcome.path)}: "
                f"{outcome.track_gap_s:.0f} s from the nearest track point",
                highlight=False,
            )
    print_table(
        console,
        f"Import into {safe_text(report.site_slug)}",
        [
            Column(header, whole=True, justify="right")
            for header in ("imported", "duplicates", "near-duplicates", "held back", "placed from track", "failed")
        ],
        [
            (
                str(report.count("imported")),
                str(report.count("duplicate")),
                str(len(report.near_duplicates)),
                str(sum(1 for f in report.held_back if f.status == "imported")),
                str(sum(1 for f in report.placed_from_track if f.status == "imported")),
                str(len(report.problems)),
            )
        ],
    )
    published = sum(1 for f in report.files if f.status == "imported" and f.published)
    console.print(
        f"Published: {published} (publication is an editor's decision: pass --publish, or use the admin). "
        f"Ledger: {report.ledger_entries_added} entries added"
        + ("; checkpoint signed." if report.checkpoint_made else "."),
        highlight=False,
    )
    stages = ", ".join(f"{stage} {seconds:.2f}" for stage, seconds in report.stage_seconds.items())
    console.print(f"[dim]{report.wall_seconds:.2f} s wall; CPU seconds by stage: {stages}[/dim]", highlight=False)


def cmd_verify(args: argparse.Namespace) -> int:
    from lestweforget.atlas import evidence_records
    from lestweforget.evidence import EvidenceError

    with _progress() as progress:
        task = progress.add_task("Re-hashing the store", total=None)
        try:
            report = evidence_records.verify_atlas(
                lambda done, total: progress.update(task, completed=done, total=total), repair=args.repair
            )
        except EvidenceError as error:
            if not evidence_records.has_records():
                console.print(f"No evidence yet ({safe_text(error)}); nothing to verify.", highlight=False)
                return 0
            raise CommandError(f"cannot verify: {error}") from error
    for note in report.notes:
        console.print(safe_text(note), highlight=False)
    for problem in report.problems:
        console.print(
            f"[red]{safe_text(problem.kind)}[/red] {safe_text(problem.object)}: {safe_text(problem.message)}",
            highlight=False,
        )
    interrupted = report.of_kind("import-interrupted")
    if interrupted:
        console.print(
            f"[bold]An import was interrupted[/bold]: {len(interrupted)} objects stored and ledgered without their "
            "record. Re-run the import, or `lwf verify --repair` to let the records catch up from the stored "
            "copies (the ledger is append-only: nothing is deleted).",
            highlight=False,
        )
    console.print(
        f"Checked {report.objects_checked} files ({report.bytes_hashed} bytes re-hashed), "
        f"{report.entries_checked} ledger entries, {report.checkpoints_checked} checkpoints; "
        f"checks run: {', '.join(report.checks_run) or 'none'}.",
        highlight=False,
    )
    if report.ok:
        console.print("[green]OK[/green]: the store, the ledger and the database agree.")
        return 0
    kinds = ", ".join(f"{len(report.of_kind(kind))} {kind}" for kind in sorted(report.kinds()))
    console.print(f"[bold red]{len(report.problems)} problems[/bold red]: {kinds}", highlight=False)
    return 1


def _export_evidence(args: argparse.Namespace) -> int:
    from lestweforget.atlas import evidence_records
    from lestweforget.editorial.evidence_access import EvidenceAccessError, investigator_actor
    from lestweforget.evidence import EvidenceError
    from lestweforget.photos.evidence_bag import export_site_evidence

    try:
        actor = investigator_actor(args.as_user)
        bag = export_site_evidence(args.site, Path(args.out), actor, made_by=evidence_records.operator_actor())
    except (EvidenceError, EvidenceAccessError) as error:
        raise CommandError(str(error)) from error
    console.print(
        f"[green]Wrote[/green] the evidence bag {safe_text(bag.path)}: {bag.originals} originals, {bag.ledger_entries} "
        f"ledger entries, under checkpoint {bag.checkpoint.size} ({bag.checkpoint.root_hash[:16]}…); the ledger "
        f"records the export for {safe_text(args.as_user)} ({actor}).",
        highlight=False,
    )
    return 0


def cmd_invite(args: argparse.Namespace) -> int:
    from lestweforget.atlas.evidence_records import operator_actor
    from lestweforget.editorial.accounts import AccountError, invite

    try:
        invitation = invite(
            args.email, args.role, invited_by=operator_actor(), base_url=args.base_url, language=args.language
        )
    except AccountError as error:
        raise CommandError(str(error)) from error
    what = "Invited" if invitation.created else "Invited again"
    console.print(
        f"[green]{what}[/green] {safe_text(invitation.user.email)} as {args.role} "
        f"(account {safe_text(invitation.user.username)}); the link, sent by e-mail, works once: "
        f"{safe_text(invitation.link)}",
        highlight=False,
    )
    return 0


def cmd_photos(args: argparse.Namespace) -> int:
    import json

    from lestweforget.atlas import evidence_records
    from lestweforget.atlas.models import Site
    from lestweforget.photos.models import Photo
    from lestweforget.photos.summary import photo_summary

    if not Site.objects.filter(slug=args.site).exists():
        raise CommandError(f"--site {args.site!r}: no site has that slug")
    photos = Photo.objects.filter(site__slug=args.site).select_related("site", "contributor")
    store = evidence_records.open_store(create=False) if photos else None
    summaries = [photo_summary(photo, store) for photo in photos]
    if args.json:
        sys.stdout.write(json.dumps(summaries, ensure_ascii=False, indent=2) + "\n")
        return 0
    rows = []
    for s in summaries:
        when, place = s["capture_time"], s["position"]
        offset = when["utc_offset_minutes"]
        clock = (when["camera_clock"] or "—") + (f" {offset:+d} min" if offset is not None else " (no offset)")
        where = f"{place['latitude']:.6f}, {place['longitude']:.6f}" if place["latitude"] is not None else "—"
        gap = f", {place['track_gap_s']:.0f} s from a track point" if place["track_gap_s"] is not None else ""
        rows.append(
            (
                safe_text(s["original_name"]),
                s["sha256"][:16] + "…",
                safe_text(clock),
                safe_text(when["utc"] or "—"),
                where,
                f"{safe_text(place['source'])}{gap}",
                f"{s['heading']['degrees']:.0f}°" if s["heading"]["degrees"] is not None else "—",
                safe_text(", ".join(s["flags"]) or "—"),
                "published" if s["published"] else ("held back" if s["held_back_reason"] else "unpublished"),
            )
        )
    # The file name, the hash, the times and the point are copied whole (`lwf photos --json` has the full hash).
    print_table(
        console,
        f"Photos of {safe_text(args.site)}",
        [
            Column("photo", whole=True),
            Column("SHA-256", whole=True),
            Column("camera clock", whole=True),
            Column("UTC", whole=True),
            Column("position", whole=True),
            Column("from"),
            Column("heading", whole=True, justify="right"),
            Column("flags"),
            Column("state"),
        ],
        rows,
    )
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """What waits for review, as the editors' queue page lists it (the same function), oldest first."""
    import json

    from lestweforget.editorial import review

    try:
        waiting = list(review.waiting(site=args.site or "", kind=args.kind or "", contributor=args.contributor or ""))
    except review.ReviewError as error:
        raise CommandError(str(error)) from error
    rows = [
        {
            "id": s.pk,
            "submitted": s.created.isoformat(timespec="seconds"),
            "kind": s.kind,
            "site": s.site.slug if s.site else "",
            "record": f"{s.record_type.model}:{s.record_id}" if s.record_type else "",
            "fields": sorted(s.proposed),
            "from": f"user:{s.submitted_by_id}" if s.submitted_by_id else "anonymous",
        }
        for s in waiting
    ]
    if args.json:
        console.print_json(json.dumps(rows))
        return 0
    print_table(
        console,
        f"Waiting for review: {len(rows)} (decide at /editorial/queue/)",
        [
            Column("id", whole=True, justify="right"),
            Column("submitted", whole=True),
            Column("kind", whole=True),
            Column("site", whole=True),
            Column("record", whole=True),
            Column("fields"),
            Column("from", whole=True),
        ],
        [[safe_text(", ".join(v) if isinstance(v, list) else str(v)) for v in row.values()] for row in rows],
    )
    articles = review.articles_waiting()
    if articles:
        console.print(
            f"Imported articles with items waiting: {len(articles)} (decided on each article's admin page).",
            highlight=False,
        )
    return 0


def cmd_ledger(args: argparse.Namespace) -> int:
    import json

    from lestweforget.atlas import evidence_records
    from lestweforget.evidence import EvidenceError

    try:
        ledger = evidence_records.open_ledger(create=False)
        if args.checkpoint:
            evidence_records.checkpoint_if_needed(ledger)
        entries = ledger.entries()
        checkpoints = ledger.checkpoints()
    except EvidenceError as error:
        raise CommandError(f"cannot read the ledger: {error}; run `lwf verify` to see what is wrong") from error
    if args.object:
        entries = tuple(e for e in entries if e.object == args.object)
    shown = entries if args.all or args.object else entries[-args.tail :] if args.tail else ()
    if args.json:
        latest = checkpoints[-1] if checkpoints else None
        document = {
            "size": ledger.size(),
            "checkpoint": json.loads(latest.to_line()) if latest else None,
            # None when it cannot be checked (the key is missing); the reason is in checkpoint_problem.
            "checkpoint_verifies": None
            if latest is None or ledger.key_problem()
            else ledger.signature_problem(latest) is None,
            "checkpoint_problem": ledger.signature_problem(latest) if latest else None,
            "entries": [e.fields() for e in shown],
        }
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return 0
    console.print(
        f"Ledger {safe_text(ledger.path)}: {ledger.size()} entries, {len(checkpoints)} checkpoints.", highlight=False
    )
    if checkpoints:
        latest = checkpoints[-1]
        wrong = ledger.signature_problem(latest)
        signed = (
            "[green]signature verifies[/green]"
            if wrong is None
            else f"[red]{'cannot check the signature' if ledger.key_problem() else 'BAD SIGNATURE'}: "
            f"{safe_text(wrong)}[/red]"
        )
        console.print(
            f"Latest checkpoint: size {latest.size}, root {latest.root_hash}, {latest.time}, {signed}",
            highlight=False,
        )
    # One entry per line and its details whole on the next, never folded or cut by a narrow terminal (the
    # console soft-wraps), so a hash or an object id copies as it is.
    for e in shown:
        details = json.dumps(dict(e.details), ensure_ascii=False, sort_keys=True)
        console.print(
            f"{e.seq:>6}  {safe_text(e.time)}  {safe_text(e.actor)}  {safe_text(e.action)}  {safe_text(e.object)}",
            highlight=False,
        )
        console.print(f"        {safe_text(details)}", highlight=False)
    return 0


def _at_least(lowest: int) -> Callable[[str], int]:
    """An argparse type: a whole number no smaller than `lowest`, refused with the value named otherwise."""

    def read(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < lowest:
            raise argparse.ArgumentTypeError(f"{value} is less than {lowest}")
        return value

    return read


def _metres(text: str) -> float:
    """An argparse type: a distance in metres, above 0 and finite."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of metres") from None
    if not 0 < value < 1_000_000:
        raise argparse.ArgumentTypeError(f"{text} m is not between 0 and 1,000 km")
    return value


def _port(text: str) -> int:
    """An argparse type: a TCP port, 1..65535."""
    port = _at_least(1)(text)
    if port > 65535:
        raise argparse.ArgumentTypeError(f"{port} is more than 65535")
    return port


def _base_url() -> str:
    from django.conf import settings

    return str(settings.BASE_URL)


def build_parser() -> argparse.ArgumentParser:
    from lestweforget.exports import FORMATS

    parser = argparse.ArgumentParser(prog="lwf", description="Lest We Forget: atlas of war-crime sites.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Callable[[argparse.Namespace], int | None], help_text: str) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    add("migrate", cmd_migrate, "Create or update the database tables.")
    add("demo", cmd_demo, "Load the Izium demo record (idempotent: run it again and nothing is duplicated).")
    add(
        "units",
        cmd_units,
        "Store Ukraine's oblasts and raions from the installed KATOTTG codifier (after upgrading it: renamed units "
        "keep their codes) and place every site in them by its public point.",
    )
    load = add("load", cmd_load, "Load a record file (YAML in the demo's format).")
    load.add_argument("file")
    load.add_argument("--unpublished", action="store_true", help="keep the loaded sites unpublished")
    export = add(
        "export",
        cmd_export,
        "Write published sites as GeoJSON, KML, GPX or CSV, or a site's evidence as a bag.",
    )
    # One sub-command per format, so that `export evidence --site SLUG OUT` can take its folder after --site.
    formats = export.add_subparsers(dest="format", required=True, metavar="FORMAT")
    for name in sorted(FORMATS):
        site_format = formats.add_parser(name, help=f"published sites as {FORMATS[name].label}")
        site_format.add_argument("--site", metavar="SLUG", help="only this site")
        site_format.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
        site_format.add_argument(
            "--base-url",
            default=_base_url(),
            help="for links to site pages",
        )
        # The whole atlas takes the API's and the web download's filters (atlas.filters reads them all).
        narrowing = site_format.add_argument_group("filters of the whole atlas (as /api/sites and /export/atlas.*)")
        for option, meaning in EXPORT_FILTERS.items():
            narrowing.add_argument(f"--{option}", metavar="VALUE", help=meaning)
        narrowing.add_argument("--has-photos", action="store_true", help="only sites with published photos")
    evidence = formats.add_parser(
        "evidence",
        help="a site's evidence as a BagIt bag",
        description="Write a BagIt 1.0 bag of copies of the site's originals, its ledger entries with proofs "
        "against a signed checkpoint, and its photo metadata (device included: the bag is for investigators, "
        "not the public). The store is only read. --as names the investigator or admin the bag is for: the export "
        "is refused for anyone else and is recorded in the ledger under their account (and this operator).",
    )
    evidence.add_argument("--site", required=True, metavar="SLUG", help="the site whose evidence to export")
    evidence.add_argument(
        "--as",
        dest="as_user",
        required=True,
        metavar="USERNAME",
        help="the investigator or admin the export is for (it is ledgered under their account)",
    )
    evidence.add_argument("out", metavar="OUT", help="the folder to write the bag to (new or empty)")
    invite = add(
        "invite",
        cmd_invite,
        "Invite someone by e-mail with a role; they get a link to choose a password (sent by LWF_EMAIL_URL, "
        "printed here when no mail server is set).",
    )
    invite.add_argument("email", metavar="EMAIL")
    invite.add_argument("--role", required=True, choices=["contributor", "editor", "investigator", "admin"])
    invite.add_argument("--language", choices=["en", "uk"], default="en", help="of the e-mail and the link")
    invite.add_argument(
        "--base-url",
        default=_base_url(),
        help="the atlas's address, for the link (default LWF_BASE_URL)",
    )
    add("sites", cmd_sites, "List the published sites.")
    where = add("where", cmd_where, "Read coordinates or a map link and print every coordinate form.")
    where.add_argument(
        "text",
        nargs="+",
        help='e.g. "49.2209, 37.2446", an MGRS or SK-42 reference, a map link, or a share-sheet sentence holding one',
    )
    where.add_argument(
        "--uncertainty",
        type=float,
        default=None,
        metavar="M",
        help="uncertainty in metres (default: what the input says, such as a geo: URI's u=, else none)",
    )
    serve = add(
        "serve",
        cmd_serve,
        "Serve the atlas with gunicorn (static files through WhiteNoise). Behind an HTTPS reverse proxy, set "
        "LWF_HTTPS=1 (see README, Deploying).",
    )
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="the port (default 8000)")
    serve.add_argument("--workers", type=_at_least(1), metavar="N", help="worker processes (default 2 × cores + 1)")
    serve.add_argument("--threads", type=_at_least(1), default=8, metavar="N", help="threads per worker (default 8)")
    serve.add_argument(
        "--timeout", type=_at_least(1), default=30, metavar="S", help="end a request after S seconds (default 30)"
    )
    serve.add_argument(
        "--access-log",
        default="-",
        metavar="FILE",
        help='the access log: a file, "-" for standard output (default), or "" for none',
    )
    serve.add_argument("--no-collectstatic", action="store_true", help="do not collect static files first")
    serve.add_argument("--dev", action="store_true", help="Django's development server instead (not for the internet)")
    imports = add(
        "import",
        cmd_import_photos,
        "Import evidence: `lwf import photos PATH... --site SLUG`, `lwf import article FILE [--url URL]`, "
        "`lwf import sites FILE --format FORMAT`.",
    )
    import_what = imports.add_subparsers(dest="what", required=True, metavar="WHAT")
    photos_import = import_what.add_parser(
        "photos",
        help="Import photo files and folders (recursively) into a site as evidence.",
        description="Import photo files and folders (recursively) into a site: every original is kept "
        "write-once under its SHA-256, every step is in the ledger, clean derivatives are made. Nothing is "
        "published unless --publish is given. Running it again changes nothing. Exit 1 if any file failed. "
        "A file that is not a photo is quarantined: the first LWF_QUARANTINE_KEEP_MB megabytes kept (default 100; 0: "
        "only hash, size and name); files above LWF_MAX_PHOTO_MB (default 256) are hashed by streaming, never read "
        "whole.",
    )
    photos_import.set_defaults(handler=cmd_import_photos)
    photos_import.add_argument("paths", nargs="+", metavar="PATH", help="photo files or folders")
    photos_import.add_argument("--site", required=True, metavar="SLUG", help="the site the photos document")
    photos_import.add_argument("--author", metavar="PSEUDONYM", help="the contributor, by pseudonym only")
    photos_import.add_argument(
        "--track", metavar="FILE", help="a GPX or KML track placing photos that have no GPS, by capture time"
    )
    photos_import.add_argument(
        "--track-offset",
        type=float,
        metavar="HOURS",
        help="the camera clock's offset from UTC (e.g. 3 for Kyiv in summer), for photos whose files do not "
        "say it; without it such photos are not placed from the track",
    )
    photos_import.add_argument(
        "--max-distance-km",
        type=float,
        default=5.0,
        metavar="KM",
        help="hold back photos taken farther than this from the site (default 5)",
    )
    photos_import.add_argument(
        "--publish", action="store_true", help="publish the imported photos that are not held back"
    )
    photos_import.add_argument(
        "--workers", type=_at_least(1), metavar="N", help="worker processes (default: one per core)"
    )
    photos_import.add_argument(
        "--follow-links-outside",
        action="store_true",
        help="import what symbolic links lead to even outside the folders given (refused by default: a link on a "
        "card can point anywhere, at a key or a password file)",
    )
    photos_import.add_argument(
        "--diary",
        metavar="TITLE",
        help="also make (or, run again, add to) the site's photo diary TITLE: one entry per photo of this run, "
        "in capture order; with --publish the new diary is published too",
    )
    article_import = import_what.add_parser(
        "article",
        help="Import a saved article (web page, text or Markdown) as evidence and as a draft for review.",
        description="Import a saved article: its bytes are hashed, kept write-once as evidence and recorded in "
        "the ledger; it is read (title, byline, date, language, places, dates, figures, map links) into an "
        "unpublished draft of proposed sites, events, claims and locations for an editor to accept or reject in "
        "the admin. A file that is not an article is kept and refused (exit 1). Running it again changes nothing.",
    )
    article_import.set_defaults(handler=cmd_import_article)
    article_import.add_argument("file", metavar="FILE", help="the saved page (.html), text (.txt) or Markdown (.md)")
    article_import.add_argument("--url", metavar="URL", help="where the article was published")
    article_import.add_argument("--site", metavar="SLUG", help="the site the article is about, if known")
    article_import.add_argument("--json", action="store_true", help="print the draft as JSON for scripts")
    sites_import = import_what.add_parser(
        "sites",
        help="Import a dataset of sites: CSV or GeoJSON with a mapping, timemap events, or the Russia-Ukraine "
        "Monitor's table.",
        description="Import a dataset's rows as sites with their events and sources. Rows describing the same place "
        "and happening join one site (the rule and its thresholds are printed); a row keeps its id in the dataset, so "
        "importing the file again changes nothing and a stopped run resumes. The whole file is checked first: any bad "
        "row refuses it, naming the row and column, and nothing is stored. Nothing is published unless --publish "
        "is given.",
    )
    sites_import.set_defaults(handler=cmd_import_sites)
    sites_import.add_argument("file", metavar="FILE", help="the dataset file")
    sites_import.add_argument(
        "--format", required=True, choices=("csv", "geojson", "timemap", "cir"), help="the file's format"
    )
    sites_import.add_argument(
        "--mapping", metavar="FILE.yaml", help="columns, categories, date formats and dataset name (see README)"
    )
    sites_import.add_argument(
        "--only", nargs="+", metavar="GROUP", help="keep only rows of these categories (e.g. 'Mass grave or Burial')"
    )
    sites_import.add_argument("--publish", action="store_true", help="publish what is imported")
    sites_import.add_argument("--dry-run", action="store_true", help="read, check and merge, but store nothing")
    sites_import.add_argument("--json", action="store_true", help="print the report as JSON for scripts")
    sites_import.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the good rows and list the bad ones (exit 1) instead of refusing the file",
    )
    sites_import.add_argument(
        "--merge-distance", type=_metres, default=250.0, metavar="M", help="same place within M metres (default 250)"
    )
    sites_import.add_argument(
        "--merge-days", type=_at_least(0), default=7, metavar="DAYS", help="and within DAYS days (default 7)"
    )
    sites_import.add_argument(
        "--name-distance",
        type=_metres,
        default=2000.0,
        metavar="M",
        help="the same name joins a site within M metres (default 2000)",
    )
    guide = add(
        "guide",
        cmd_guide,
        "Write a site's offline field guide: a ZIP whose index.html works on a phone with no network "
        "(public data and clean photo derivatives only).",
    )
    guide.add_argument("slug", metavar="SLUG", help="the published site")
    guide.add_argument("-o", "--output", required=True, metavar="FILE", help="the ZIP file to write")
    guide.add_argument("--language", choices=("en", "uk"), default="en", help="the guide's language")
    guide.add_argument(
        "--base-url",
        default=_base_url(),
        help="the atlas's address, for the guide's link to the online page",
    )
    verify = add(
        "verify",
        cmd_verify,
        "Re-hash every original and derivative, check the ledger from its first entry, and check that the "
        "database, the store and the ledger agree. Exit 1 on any problem. Temporary files an interrupted write "
        "left in the store's tmp/ are removed first (unless an import is running).",
    )
    verify.add_argument(
        "--repair",
        action="store_true",
        help="first let the records of objects an interrupted import stored and ledgered catch up (re-imported "
        "from the stored copies; nothing is deleted), then verify",
    )
    photos = add("photos", cmd_photos, "List a site's photos: hashes, capture time, position, flags, state.")
    photos.add_argument("--site", required=True, metavar="SLUG")
    photos.add_argument("--json", action="store_true", help="print JSON for scripts")
    ledger = add("ledger", cmd_ledger, "Print the ledger's latest signed checkpoint and its last entries.")
    ledger.add_argument("--tail", type=_at_least(0), default=20, metavar="N", help="the last N entries (default 20)")
    ledger.add_argument("--all", action="store_true", help="every entry")
    ledger.add_argument("--object", metavar="OBJECT", help="only entries about OBJECT, e.g. sha256:<hash>")
    ledger.add_argument("--checkpoint", action="store_true", help="sign a checkpoint first if entries are new")
    ledger.add_argument("--json", action="store_true", help="print JSON for scripts")
    review = add("review", cmd_review, "List what waits for an editor's review, oldest first (decide on the web).")
    review.add_argument("--site", metavar="SLUG", help="only what concerns this site")
    review.add_argument("--kind", metavar="KIND", help="site, event, claim, source, photo, diary-entry or suggestion")
    review.add_argument("--contributor", metavar="ID", help="an account number, or 'anonymous'")
    review.add_argument("--json", action="store_true", help="print JSON for scripts")
    manage = add("manage", cmd_manage, "Run a Django management command (createsuperuser, shell, ...).")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


# Commands that work without the atlas's tables; every other one needs `lwf migrate` to have run.
NO_DATABASE_COMMANDS = frozenset({"migrate", "manage", "where", "serve"})
# Commands that create the data directory when it is missing, and those that never touch it.
DATA_DIR_COMMANDS = frozenset({"migrate", "manage", "serve"})
NO_DATA_DIR_COMMANDS = frozenset({"where", None})


def _require_tables() -> None:
    from django.conf import settings
    from django.db import DatabaseError, connection

    name = settings.DATABASES["default"]["NAME"]
    on_disk = connection.vendor == "sqlite" and not connection.is_in_memory_db()
    if on_disk and not Path(str(name)).exists():
        # Opening it would leave an empty database file behind.
        raise CommandError(f"the database {name} does not exist yet; run `lwf migrate` first")
    try:
        tables = connection.introspection.table_names()
    except DatabaseError as error:
        raise CommandError(f"cannot open the database {name}: {error}") from error
    if "atlas_site" not in tables:
        raise CommandError(f"the database {name} has no atlas tables yet; run `lwf migrate` first")


def _data_dir_for(command: str | None) -> None:
    """Create the data directory for the commands that set it up; refuse the others, naming it, when it does
    not exist (a read-only command must leave nothing behind)."""
    from lestweforget.config import check_all, data_dir, prepare_data_dir

    check_all()
    if command in DATA_DIR_COMMANDS:
        prepare_data_dir()
    elif command not in NO_DATA_DIR_COMMANDS and not data_dir().is_dir():
        raise CommandError(
            f"the data directory {data_dir()} (LWF_DATA_DIR) does not exist; run `lwf migrate` to create it"
        )


def main(argv: Sequence[str] | None = None) -> int:
    from django.core.exceptions import ImproperlyConfigured
    from django.db.utils import OperationalError

    words = list(sys.argv[1:] if argv is None else argv)
    command = next((word for word in words if not word.startswith("-")), None)
    try:
        _data_dir_for(command)
        _setup_django()
    except (CommandError, ImproperlyConfigured) as error:
        # A bad LWF_* value (config.SettingError) or a missing data directory: one line, never a traceback.
        err_console.print(f"[bold red]lwf {command or ''}:[/bold red] {safe_text(error)}", highlight=False)
        return 2
    args = build_parser().parse_args(argv)
    if args.command not in NO_DATABASE_COMMANDS:
        try:
            _require_tables()
        except CommandError as error:
            err_console.print(f"[bold red]lwf {args.command}:[/bold red] {safe_text(error)}", highlight=False)
            return 2
    from lestweforget.atlas.evidence_records import operator_actor
    from lestweforget.atlas.record_ledger import acting_as, checkpointed

    try:
        # A command's record edits go into the ledger under this installation's pseudonymous operator id, and are
        # signed by one checkpoint when it ends.
        with acting_as(operator_actor), checkpointed():
            code = args.handler(args)
    except CommandError as error:
        err_console.print(f"[bold red]lwf {args.command}:[/bold red] {safe_text(error)}", highlight=False)
        return 2
    except OperationalError as error:
        if "database is locked" not in str(error):
            raise
        # SQLite lets one process write at a time, and a writer waits for the lock as long as the settings' database
        # "timeout" (20 s) before giving up; what this command had not committed is rolled back with its transaction.
        err_console.print(
            f"[bold red]lwf {args.command}:[/bold red] the database is busy: another process (an import, a server "
            "under load) kept it locked; what this command had not yet stored was rolled back. Run it again when "
            "that process ends.",
            highlight=False,
        )
        return 75  # EX_TEMPFAIL (sysexits.h): try again later
    return code or 0


if __name__ == "__main__":
    sys.exit(main())
