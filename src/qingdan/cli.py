"""The command line.  Each command parses its options, calls one library function
and turns a QingdanError into its message and exit status (1 data, 2 usage)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from . import words as W
from .errors import QingdanError


@contextmanager
def _reported():
    try:
        yield
    except QingdanError as exc:
        click.echo(exc.message, err=True)
        sys.exit(exc.exit_code)


@click.group(help=W.HELP_MAIN, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qingdan")
def cli() -> None:
    pass


@cli.command("import", help=W.HELP_IMPORT)
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--master", type=click.Path(path_type=Path), help=W.HELP_IMPORT_OUT)
@click.option("--year", type=click.IntRange(1900, 2100), help=W.HELP_YEAR)
@click.option("--force", is_flag=True, help=W.HELP_FORCE)
def import_cmd(source: Path, master: Path | None, year: int | None, force: bool) -> None:
    from .document import import_document
    from .show import make_console, show_import

    with _reported():
        result = import_document(source, master, year=year, force=force)
    show_import(make_console(), result)


@cli.command("demo", help=W.HELP_DEMO)
@click.option("-o", "--output", "folder", type=click.Path(path_type=Path),
              default=Path("output") / "demo", show_default=True, help=W.HELP_DEMO_OUT)
def demo_cmd(folder: Path) -> None:
    from .demo import run_demo
    from .show import make_console

    with _reported():
        run_demo(folder, make_console())


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``qingdan`` command and ``python -m qingdan``."""
    cli.main(args=argv, prog_name="qingdan")
