"""Checking a definition file's keys: texts where texts belong, and an unknown key refused by
name with the key it may have meant (pdfplumber's table settings, invoice2data's templates)."""

from __future__ import annotations

import difflib


def labels_of(value, where: str, fail) -> tuple[str, ...]:
    """A list of texts (a single text counts as a list of one)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        fail(f"{where}应为文字列表")
    return tuple(str(v) for v in value)


def reject_unknown(mapping: dict, allowed: set[str], where: str, fail) -> None:
    for key in mapping:
        if key not in allowed:
            fail(f"{where}有未知的键「{key}」{suggest(str(key), allowed)}；可用的键：{'、'.join(sorted(allowed))}")


def suggest(value, choices) -> str:
    close = difflib.get_close_matches(str(value), list(choices), n=1)
    return f"（是否要写「{close[0]}」？）" if close else ""
