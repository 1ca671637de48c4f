"""What the commands share: error handling, progress bars, common options."""

from __future__ import annotations

import datetime as _dt
import functools
import sys
import threading

import click

from ..dates import read_day
from ..errors import KexieError
from ..incidents import internal_error
from ..processes import exit_on_signals


def reports_errors(command):
    """Turn a KexieError into its Chinese message on stderr and its exit code (one place); any
    other exception is a fault in kexie: logged with its traceback, named in Chinese, exit 3."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            exit_on_signals()  # SIGTERM/SIGHUP unwind: temporary folders go, workers with us
        try:
            return command(*args, **kwargs)
        except KexieError as exc:
            click.secho(f"错误：{exc.message}", fg="red", err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.ClickException, click.exceptions.Abort, click.exceptions.Exit):
            raise
        except Exception as exc:  # noqa: BLE001 — the user gets a message and the log a traceback
            error = internal_error(exc, f"执行 kexie {command.__name__}")
            click.secho(f"错误：{error.message}", fg="red", err=True)
            sys.exit(error.exit_code)

    return wrapper


def progress_bar(length: int, label: str):
    """A progress bar on stderr, shown only for batches and only on a terminal."""
    return click.progressbar(length=length, label=label, file=sys.stderr,
                             show_pos=True, hidden=length < 2 or not sys.stderr.isatty())


program_option = click.option(
    "--program", "program_path", type=click.Path(dir_okay=False),
    help="年度计划文件（YAML）：日期、经费、公示、评审标准等规则。")


class DateParam(click.ParamType):
    """A day typed as 2026-03-05 or 2026年3月5日, as a ``datetime.date``. Not ``click.DateTime``,
    whose usage line shows 「[%Y-%m-%d]」 and which calls 2026-06-31 a format mistake: a day the
    calendar lacks is 「日期不存在」 (issue 13 part 6)."""

    name = "日期"

    def get_metavar(self, *args, **kwargs) -> str:
        return "日期"

    def convert(self, value, param, ctx):
        if isinstance(value, _dt.date):
            return value
        try:
            return read_day(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateParam()


class Count(click.IntRange):
    """A whole number within bounds, its range said in Chinese (「不小于0」, 「1至64」) where Click
    would show 「[x>=0]」 in the help and in its 「不在范围」 message."""

    def _describe_range(self) -> str:  # Click's hook for how a range reads
        if self.min is not None and self.max is not None:
            return f"{self.min}至{self.max}"
        if self.min is not None:
            return f"不小于{self.min}"
        return f"不大于{self.max}"
