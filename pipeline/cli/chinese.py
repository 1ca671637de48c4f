"""Click's own words in Chinese: usage lines, option help, error messages, value-type names.

Click marks its messages for translation with ``gettext`` (``from gettext import gettext as _``
in each of its modules) but ships no catalog, and it reads the process's locale — which on an
office PC or a server is rarely zh_CN. kexie's users read only Chinese, so the CLI installs its own
catalog (``pipeline/data/click_zh.yaml``) into Click's modules when it starts. A message the
catalog lacks stays as Click wrote it; tests/test_cli_chinese.py runs every command's help and the
usage errors and fails on any English word.
"""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata
from functools import cache
from importlib import resources

import click
import yaml

#: Click's modules that translate their messages with a module-level ``_`` / ``ngettext``
_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")

#: how the usage line names what every command and group takes
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."


@cache
def catalog() -> dict:
    text = resources.files("pipeline").joinpath("data/click_zh.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def gettext(message: str) -> str:
    return catalog()["messages"].get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    chosen = singular if n == 1 else plural
    return catalog()["plurals"].get(chosen, gettext(chosen))


def install() -> None:
    """Click's messages and value-type names in Chinese: before the commands are declared, whose
    ``click.Path`` parameters name themselves (「文件」) when made."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    formatting = importlib.import_module("click.formatting")
    formatting.term_len = display_width  # option help lines up under Chinese metavars
    formatting.HelpFormatter.write_heading = _write_heading
    click.exceptions.MissingParameter.format_message = _missing_in_chinese
    click.core.Parameter.get_error_hint = _quoted_in_chinese(click.core.Parameter.get_error_hint)
    click.core.Argument.get_error_hint = _quoted_in_chinese(click.core.Argument.get_error_hint)
    for kind in vars(click.types).values():
        if isinstance(kind, type) and issubclass(kind, click.ParamType) and getattr(kind, "name", None) in catalog()["types"]:
            kind.name = catalog()["types"][kind.name]


def _missing_in_chinese(self) -> str:
    """「缺少参数「材料...」。」: Click's own sentence ends in an ASCII full stop after a space-led hint."""
    hint = self.param_hint
    if hint is None and self.param is not None:
        hint = self.param.get_error_hint(self.ctx)
    if hint is not None and not isinstance(hint, str):
        hint = "、".join(f"「{h}」" for h in hint)
    kind = self.param_type or (self.param.param_type_name if self.param is not None else "parameter")
    missing = gettext({"argument": "Missing argument", "option": "Missing option"}.get(kind, "Missing parameter"))
    extra = [self.message] if self.message else []
    if self.param is not None:
        extra.append(self.param.type.get_missing_message(param=self.param, ctx=self.ctx) or "")
    return f"{missing}{hint or ''}。" + "".join(e for e in extra if e)


def _quoted_in_chinese(get_error_hint):
    """Click names the parameter of an error as 'x'; in a Chinese sentence it is 「x」."""
    if getattr(get_error_hint, "in_chinese", False):
        return get_error_hint

    @functools.wraps(get_error_hint)
    def hint(self, ctx):
        return re.sub(r"'([^']*)'", r"「\1」", get_error_hint(self, ctx)).replace(" / ", "或")

    hint.in_chinese = True
    return hint


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: two for a Chinese character or full-width mark."""
    plain = click.unstyle(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in plain)


def _write_heading(self, heading: str) -> None:
    self.write(f"{'':>{self.current_indent}}{heading}：\n")


def usage_in_chinese(command: click.Command) -> None:
    """How the usage lines of ``command`` and every command under it name options and commands."""
    command.options_metavar = OPTIONS_METAVAR
    if isinstance(command, click.Group):
        command.subcommand_metavar = SUBCOMMAND_METAVAR
        for sub in command.commands.values():
            usage_in_chinese(sub)
