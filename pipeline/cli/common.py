"""What the commands share: error handling, progress bars, common options."""

from __future__ import annotations

import functools
import sys

import click

from ..errors import KexieError


def reports_errors(command):
    """Turn a KexieError into its Chinese message on stderr and its exit code (one place)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except KexieError as exc:
            click.secho(f"错误：{exc.message}", fg="red", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def progress_bar(length: int, label: str):
    """A progress bar on stderr, shown only for batches and only on a terminal."""
    return click.progressbar(length=length, label=label, file=sys.stderr,
                             show_pos=True, hidden=length < 2 or not sys.stderr.isatty())


program_option = click.option(
    "--program", "program_path", type=click.Path(dir_okay=False),
    help="年度计划文件（YAML）：日期、经费、公示、评审标准等规则。")
