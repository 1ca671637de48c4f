"""Output file names from a pattern of fields, safe on every file system."""

from __future__ import annotations

import re
import unicodedata

from .errors import MissingVariable

_FIELD = re.compile(r"\{([^{}]+)\}")
# Forbidden on Windows (and '/' everywhere); control characters anywhere.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
#: most file systems allow 255 bytes per name; keep room for a suffix like "-12.docx"
MAX_NAME_BYTES = 200


def lookup(fields: dict, dotted: str):
    """The value at a dotted path (``计划.名称``), or KeyError."""
    node = fields
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(dotted)
        node = node[part]
    return node


def expand_pattern(pattern: str, fields: dict, template: str = "", record: str | None = None) -> str:
    """Fill ``{字段}`` placeholders of a name pattern from a record."""

    def value(match):
        key = match.group(1).strip()
        try:
            found = lookup(fields, key)
        except KeyError:
            raise MissingVariable(f"{template}（文件名「{pattern}」）", key, record=record) from None
        return str(found)

    return _FIELD.sub(value, pattern)


def safe_filename(name: str) -> str:
    """Make a name safe: no separators, no '..', no control characters, not too long."""
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .-_")
    name = re.sub(r"\.{2,}", ".", name)
    if name.upper().split(".")[0] in _RESERVED:
        name = "_" + name
    encoded = name.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        name = encoded[:MAX_NAME_BYTES].decode("utf-8", errors="ignore").rstrip(" .")
    return name or "未命名"


class NameAllocator:
    """Hands out unique names within a batch: the second 「X」 becomes 「X-2」."""

    def __init__(self, taken: set[str] | None = None):
        self._taken = {n.casefold() for n in (taken or set())}

    def claim(self, stem: str, suffixes=(".docx",)) -> str:
        """A free stem for which every ``stem + suffix`` is unclaimed; claims them all."""
        candidate, n = stem, 1
        while any((candidate + s).casefold() in self._taken for s in suffixes):
            n += 1
            candidate = f"{stem}-{n}"
        self._taken.update((candidate + s).casefold() for s in suffixes)
        return candidate
