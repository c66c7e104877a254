"""The command line.  Each command parses its options, calls one library function
and turns a QingdanError into its message and exit status (1 data, 2 usage)."""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__
from . import clitext as C
from .errors import QingdanError
from .layout import terminal_columns


@contextmanager
def _reported():
    try:
        yield
    except QingdanError as exc:
        click.echo(exc.message, err=True)
        sys.exit(exc.exit_code)


def _usage_message(exc: click.UsageError) -> str:
    """click's English usage errors, said in Chinese."""
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        return C.U_MISSING.format(name=exc.param.human_readable_name)
    if isinstance(exc, click.NoSuchOption):
        return C.U_NO_OPTION.format(option=exc.option_name)
    if isinstance(exc, click.BadParameter):
        hint = exc.param_hint or (exc.param.get_error_hint(exc.ctx) if exc.param and exc.ctx else "")
        return C.U_BAD_VALUE.format(param=hint.strip("'\""), message=exc.message)
    return exc.message


_NO_LINE_START = "，。；：、）》」』！？,.;:)!?"


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` cut into lines of at most ``width`` columns: between Chinese
    characters, not inside an ASCII word, no line starting with a closing mark."""
    units: list[str] = []
    for unit in re.findall(r"[!-~]+|\s+|.", text):
        if units and unit[0] in _NO_LINE_START:
            units[-1] += unit
        else:
            units.append(unit)
    lines, line = [], ""
    for unit in units:
        if line and terminal_columns(line + unit) > width:
            lines.append(line.rstrip())
            line = unit.lstrip()
        else:
            line += unit
    return [*lines, line] if line else lines or [""]


def _write_dl(formatter: click.HelpFormatter, rows: list[tuple[str, str]], limit: int = 30) -> None:
    """click's write_dl, with columns counted as a terminal shows them (click counts
    characters, so the help texts after Chinese option values went out of line)."""
    first = min(max(terminal_columns(term) for term, _ in rows), limit)
    indent = " " * formatter.current_indent
    width = max(formatter.width - formatter.current_indent - first - 2, 20)
    for term, text in rows:
        lines = _wrapped(text, width)
        if terminal_columns(term) <= first:
            formatter.write(f"{indent}{term}{' ' * (first - terminal_columns(term) + 2)}{lines[0]}\n")
        else:
            formatter.write(f"{indent}{term}\n")
            formatter.write(f"{indent}{' ' * (first + 2)}{lines[0]}\n")
        for line in lines[1:]:
            formatter.write(f"{indent}{' ' * (first + 2)}{line}\n")


class _ChineseHelp:
    """Help pages in Chinese: click's own headings and help-option text are English."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", C.U_OPTIONS_METAVAR)
        if isinstance(self, click.Group):
            kwargs.setdefault("subcommand_metavar", C.U_COMMAND_METAVAR)
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = C.HELP_HELP
        return option

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=C.U_USAGE)

    def format_options(self, ctx, formatter):
        rows = [record for param in self.get_params(ctx)
                if isinstance(param, click.Option) and (record := param.get_help_record(ctx))]
        if rows:
            with formatter.section(C.U_OPTIONS):
                _write_dl(formatter, rows)
        if isinstance(self, click.Group):
            names = [n for n in self.list_commands(ctx) if not self.get_command(ctx, n).hidden]
            if names:
                limit = formatter.width - 6 - max(len(n) for n in names)
                with formatter.section(C.U_COMMANDS):
                    _write_dl(formatter, [(n, self.get_command(ctx, n).get_short_help_str(limit)) for n in names])


class _Command(_ChineseHelp, click.Command):
    pass


class _Group(_ChineseHelp, click.Group):
    """The qingdan command group: help and usage errors in Chinese, exit status 2."""

    command_class = _Command

    def resolve_command(self, ctx, args):
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError:
            raise click.UsageError(C.U_NO_COMMAND.format(command=args[0]), ctx) from None

    def main(self, args=None, prog_name=None, **extra):
        # A console on Chinese Windows (or output redirected there) is GBK: a
        # character it lacks must not crash the run after the work is done.
        for stream in (sys.stdout, sys.stderr):
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="replace")
        try:
            code = super().main(args, prog_name, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.format_message())
            sys.exit(2)
        except click.UsageError as exc:
            path = exc.ctx.command_path if exc.ctx else "qingdan"
            click.echo(_usage_message(exc) + "\n" + C.U_HINT.format(command=path), err=True)
            sys.exit(2)
        except click.Abort:
            click.echo(C.U_ABORTED, err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


class _Year(click.ParamType):
    name = "YYYY"

    def convert(self, value, param, ctx):
        text = str(value).strip()
        if text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2100:
            return int(text)
        self.fail(C.M_BAD_YEAR.format(value=value), param, ctx)


@click.group(name="qingdan", cls=_Group, help=C.HELP_MAIN, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qingdan", message=C.VERSION_MESSAGE, help=C.HELP_VERSION)
def cli() -> None:
    pass


@cli.command("import", help=C.HELP_IMPORT)
@click.argument("source", type=click.Path(path_type=Path), metavar=C.METAVAR_SOURCE)
@click.option("-o", "--master", type=click.Path(path_type=Path), metavar=C.METAVAR_MASTER, help=C.HELP_IMPORT_OUT)
@click.option("--year", type=_Year(), help=C.HELP_YEAR)
@click.option("--force", is_flag=True, help=C.HELP_FORCE)
def import_cmd(source: Path, master: Path | None, year: int | None, force: bool) -> None:
    from .document import import_document
    from .show import make_console, show_import

    with _reported():
        result = import_document(source, master, year=year, force=force)
    show_import(make_console(), result)


class _Period(click.ParamType):
    name = "期次"

    def convert(self, value, param, ctx):
        from .periods import parse_period

        try:
            return parse_period(value)
        except QingdanError as exc:
            self.fail(exc.message.rstrip("。"), param, ctx)


@cli.command("split", help=C.HELP_SPLIT)
@click.option("--master", type=click.Path(path_type=Path), metavar=C.METAVAR_MASTER_FILE, help=C.HELP_MASTER)
@click.option("--period", type=_Period(), metavar=C.METAVAR_PERIOD, help=C.HELP_PERIOD)
@click.option("--office", "offices", multiple=True, metavar=C.METAVAR_OFFICE, help=C.HELP_OFFICE)
@click.option("--due", metavar=C.METAVAR_DATE, help=C.HELP_DUE)
@click.option("-o", "--output", "folder", type=click.Path(path_type=Path), metavar=C.METAVAR_FOLDER,
              help=C.HELP_SPLIT_OUT)
@click.option("--force", is_flag=True, help=C.HELP_SPLIT_FORCE)
def split_cmd(master: Path | None, period, offices: tuple[str, ...], due: str | None, folder: Path | None,
              force: bool) -> None:
    from .show import LazyProgress, make_console, show_split
    from .split import split

    progress = LazyProgress(C.PROGRESS_SPLIT)
    with _reported():
        try:
            result = split(master, period, list(offices) or None, due, folder, progress=progress, force=force)
        finally:
            progress.close()
    show_split(make_console(), result)
    if result.failed or result.log_error:
        sys.exit(1)


@cli.command("mail", help=C.HELP_MAIL)
@click.option("--master", type=click.Path(path_type=Path), metavar=C.METAVAR_MASTER_FILE, help=C.HELP_MASTER)
@click.option("--period", type=_Period(), metavar=C.METAVAR_PERIOD, help=C.HELP_MAIL_PERIOD)
@click.option("--remind", is_flag=True, help=C.HELP_REMIND)
@click.option("--send", is_flag=True, help=C.HELP_SEND)
@click.option("--office", "offices", multiple=True, metavar=C.METAVAR_OFFICE, help=C.HELP_MAIL_OFFICE)
def mail_cmd(master: Path | None, period, remind: bool, send: bool, offices: tuple[str, ...]) -> None:
    from .mail import mail
    from .show import make_console, show_mail

    with _reported():
        result = mail(master, period, remind=remind, send=send, offices=list(offices) or None)
    show_mail(make_console(), result)
    if result.failed or result.log_error:
        sys.exit(1)


@cli.command("merge", help=C.HELP_MERGE)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar=C.METAVAR_RETURNS)
@click.option("--master", type=click.Path(path_type=Path), metavar=C.METAVAR_MASTER_FILE, help=C.HELP_MASTER)
@click.option("--dry-run", is_flag=True, help=C.HELP_DRY_RUN)
def merge_cmd(paths: tuple[Path, ...], master: Path | None, dry_run: bool) -> None:
    from .merge import merge
    from .show import LazyProgress, make_console, show_merge

    progress = LazyProgress(C.PROGRESS_MERGE)
    with _reported():
        try:
            result = merge(list(paths), master, dry_run=dry_run, progress=progress)
        finally:
            progress.close()
    show_merge(make_console(), result)
    if result.refused:
        sys.exit(1)


@cli.command("status", help=C.HELP_STATUS)
@click.option("--master", type=click.Path(path_type=Path), metavar=C.METAVAR_MASTER_FILE, help=C.HELP_MASTER)
@click.option("--period", type=_Period(), metavar=C.METAVAR_PERIOD, help=C.HELP_STATUS_PERIOD)
def status_cmd(master: Path | None, period) -> None:
    from .show import make_console, show_status
    from .status import status

    with _reported():
        result = status(master, period)
    show_status(make_console(), result)


@cli.command("report", help=C.HELP_REPORT)
@click.option("--master", type=click.Path(path_type=Path), metavar=C.METAVAR_MASTER_FILE, help=C.HELP_MASTER)
@click.option("--period", type=_Period(), metavar=C.METAVAR_PERIOD, help=C.HELP_REPORT_PERIOD)
@click.option("--as-of", "as_of", metavar=C.METAVAR_DATE, help=C.HELP_AS_OF)
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), metavar=C.METAVAR_FILE, help=C.HELP_REPORT_OUT)
@click.option("--pdf", is_flag=True, help=C.HELP_PDF)
def report_cmd(master: Path | None, period, as_of: str | None, out: Path | None, pdf: bool) -> None:
    from .report import report
    from .show import LazyProgress, make_console, show_report

    progress = LazyProgress(C.PROGRESS_REPORT)
    with _reported():
        try:
            result = report(master, period, as_of, out, pdf, progress=progress)
        finally:
            progress.close()
    show_report(make_console(), result)
    if result.pdf_error or result.log_error:
        sys.exit(1)


@cli.command("demo", help=C.HELP_DEMO)
@click.option("-o", "--output", "folder", type=click.Path(path_type=Path),
              default=Path("output") / "demo", metavar=C.METAVAR_FOLDER, help=C.HELP_DEMO_OUT)
def demo_cmd(folder: Path) -> None:
    from .demo import run_demo
    from .show import make_console

    with _reported():
        run_demo(folder, make_console())


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``qingdan`` command and ``python -m qingdan``."""
    cli.main(args=argv, prog_name="qingdan")
