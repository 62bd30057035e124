"""`lwf`: thin commands over the libraries and the atlas app. Each prints what it did; bad input exits non-zero."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

console = Console()
err_console = Console(stderr=True)


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


def cmd_export(args: argparse.Namespace) -> None:
    from lestweforget.atlas import public
    from lestweforget.atlas.models import Site
    from lestweforget.exports import FORMATS

    export = FORMATS[args.format]
    if args.site:
        try:
            site = public.public_site(args.site)
        except Site.DoesNotExist:
            known = ", ".join(public.public_sites().values_list("slug", flat=True)) or "none"
            raise CommandError(f"--site {args.site!r}: no published site has that slug (published: {known})") from None
        sites = [site]
        title = site.name()
    else:
        sites = list(public.public_sites())
        title = "Lest We Forget: atlas"
    text = export.write(public.collection(sites, args.base_url, title=title))
    if args.output and args.output != "-":
        out = Path(args.output)
        if out.is_dir():
            raise CommandError(f"-o {out}: is a folder; give a file name such as {out / ('atlas.' + export.extension)}")
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"-o {out}: cannot write ({error.strerror})") from error
        err_console.print(f"[green]Wrote[/green] {len(sites)} site(s) as {args.format.upper()} to {out}")
    else:
        sys.stdout.write(text)


def cmd_sites(args: argparse.Namespace) -> None:
    from lestweforget.atlas import public

    table = Table(title="Published sites")
    for column in ("slug", "name", "kind", "public point", "± m"):
        table.add_column(column)
    for site in public.public_sites():
        table.add_row(
            site.slug,
            site.name("en"),
            site.kind,
            f"{site.public_latitude:.6f}, {site.public_longitude:.6f}",
            f"{site.public_uncertainty_m:.0f}",
        )
    console.print(table)


def cmd_where(args: argparse.Namespace) -> None:
    from lestweforget import geo
    from lestweforget.atlas.public import location_forms

    text = " ".join(args.text)
    try:
        point = geo.parse_location(text)
    except geo.GeoError as error:
        raise CommandError(str(error)) from error
    forms = location_forms(point, args.uncertainty)
    table = Table(show_header=False)
    for label, value in (
        ("decimal", forms.decimal),
        ("DMS", forms.dms),
        ("MGRS", forms.mgrs),
        ("Plus Code", forms.plus_code),
        ("SK-42", forms.sk42),
        ("geo URI", forms.geo_uri),
        ("OpenStreetMap", forms.osm_url),
        ("Google directions", forms.google_directions_url),
        ("Apple directions", forms.apple_directions_url),
    ):
        table.add_row(label, value)
    console.print(table)


def cmd_serve(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    console.print(f"[bold green]Lest We Forget[/bold green] is at [link]http://{args.host}:{args.port}/[/link]")
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)


def cmd_manage(args: argparse.Namespace) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lwf manage", *args.rest])


def build_parser() -> argparse.ArgumentParser:
    from lestweforget.exports import FORMATS

    parser = argparse.ArgumentParser(prog="lwf", description="Lest We Forget: atlas of war-crime sites.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Callable[[argparse.Namespace], None], help_text: str) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    add("migrate", cmd_migrate, "Create or update the database tables.")
    add("demo", cmd_demo, "Load the Izium demo record (idempotent: run it again and nothing is duplicated).")
    load = add("load", cmd_load, "Load a record file (YAML in the demo's format).")
    load.add_argument("file")
    load.add_argument("--unpublished", action="store_true", help="keep the loaded sites unpublished")
    export = add("export", cmd_export, "Write published sites as GeoJSON, KML, GPX or CSV.")
    export.add_argument("format", choices=sorted(FORMATS))
    export.add_argument("--site", metavar="SLUG", help="only this site")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    export.add_argument(
        "--base-url", default=os.environ.get("LWF_BASE_URL", "http://127.0.0.1:8000"), help="for links to site pages"
    )
    add("sites", cmd_sites, "List the published sites.")
    where = add("where", cmd_where, "Read coordinates or a map link and print every coordinate form.")
    where.add_argument("text", nargs="+", help='e.g. "49.2209, 37.2446", an MGRS string, a Google Maps link')
    where.add_argument("--uncertainty", type=float, default=10.0, metavar="M", help="uncertainty in metres")
    serve = add("serve", cmd_serve, "Serve the atlas.")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", default="8000")
    manage = add("manage", cmd_manage, "Run a Django management command (createsuperuser, shell, ...).")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _setup_django()
    args = build_parser().parse_args(argv)
    try:
        args.handler(args)
    except CommandError as error:
        err_console.print(f"[bold red]lwf {args.command}:[/bold red] {error}", highlight=False)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
