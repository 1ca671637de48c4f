"""The programme file's schema (pipeline/data/program_schema.yaml): read, checked, described.

The YAML file is the one truth for the programme file's keys; this module turns it into ``Key``
objects the loader walks, and into the Chinese reference ``kexie program --schema`` prints.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SCHEMA_FILE = Path(__file__).resolve().parent / "data" / "program_schema.yaml"
#: the kinds a key may have; scalars are checked by pipeline/program.py
SCALARS = ("文字", "整数", "数字", "日期", "是否", "文字列表", "日期列表")
CONTAINERS = ("键值对", "列表", "按年份")
_ATTRIBUTES = {"类型", "必填", "说明", "例", "可选值", "键", "每项"}


@dataclass
class Key:
    """One key of the programme file (or one item shape of a list)."""

    name: str
    kind: str
    required: bool = False
    meaning: str = ""
    example: Any = None
    choices: tuple = ()
    keys: dict[str, "Key"] = field(default_factory=dict)  # sub-keys of a 键值对
    item: "Key | None" = None  # the shape of each item of a 列表 or 按年份

    def expected(self) -> str:
        """How the value should be written: 「{前缀, 年份, 序号}，例如 {…}」."""
        if self.kind == "键值对":
            return f"{{{', '.join(self.keys)}}}，例如 {flow(self.sample())}"
        if self.kind == "列表" and self.item is not None:
            return f"列表，每项写成 {self.item.expected()}"
        if self.kind == "按年份":
            return f"按年份的键值对，每年写成 {self.item.expected()}" if self.item else "按年份的键值对"
        if self.choices:
            return f"{'或'.join(self.choices)}"
        return f"{self.kind}，例如 {flow(self.example)}" if self.example is not None else self.kind

    def sample(self, every: bool = False):
        """An example value built from the examples of the key and its sub-keys (``every``: the
        optional sub-keys too). A container's own 例 wins (two payments adding up to 100)."""
        if self.example is not None:
            return self.example
        if self.kind == "键值对":
            if every:
                return {k.name: k.sample(every) for k in self.keys.values()}
            chosen = [k for k in self.keys.values() if k.required] or list(self.keys.values())
            return {k.name: k.sample() for k in chosen}
        if self.kind == "列表" and self.item is not None:
            return [self.item.sample(every)]
        if self.kind == "按年份" and self.item is not None:
            return {2027: self.item.sample(every)}
        return None


def flow(value) -> str:
    """A value written the way it is typed in the YAML file, on one line."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6, sort_keys=False)
    return text.strip().removesuffix("...").strip()


def _key(name: str, spec: dict) -> Key:
    # the schema file is ours: a mistake in it is a bug in kexie, caught by its tests
    unknown = set(spec) - _ATTRIBUTES
    if unknown or spec.get("类型") not in SCALARS + CONTAINERS:
        raise ValueError(f"program_schema.yaml: key {name!r} has {sorted(unknown)} / type {spec.get('类型')!r}")
    key = Key(name, spec["类型"], bool(spec.get("必填", False)), str(spec.get("说明", "")),
              spec.get("例"), tuple(spec.get("可选值") or ()))
    key.keys = {str(k): _key(str(k), v) for k, v in (spec.get("键") or {}).items()}
    if "每项" in spec:
        key.item = _key(name, spec["每项"])
    return key


@functools.lru_cache(maxsize=1)
def program_schema() -> Key:
    """The whole programme file as one 键值对 key."""
    data = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    return Key("计划文件", "键值对", True, keys={str(k): _key(str(k), v) for k, v in data.items()})


def describe(key: Key | None = None, depth: int = 0) -> list[str]:
    """The Chinese reference of the programme file: one line per key, sub-keys indented."""
    key = key or program_schema()
    lines = []
    for sub in key.keys.values():
        lines.extend(_describe_one(sub, depth))
    return lines


def _describe_one(key: Key, depth: int) -> list[str]:
    kind = key.kind
    if key.kind == "列表" and key.item is not None:
        kind = "列表，每项为键值对" if key.item.kind == "键值对" else "列表"
    flags = [kind, "必填" if key.required else "可不写"]
    text = f"{'  ' * depth}{key.name}（{'，'.join(flags)}）：{key.meaning}"
    if key.choices:
        text += f"；只能是{'或'.join(key.choices)}"
    if key.kind in SCALARS and key.example is not None:
        text += f"。例：{flow(key.example)}"
    lines = [text]
    inner = key.item if key.item is not None else key
    if inner.keys:
        if key.kind == "按年份":
            lines.append(f"{'  ' * (depth + 1)}（每个年份，如 2027:）")
        lines.extend(describe(inner, depth + 1))
    return lines


def example_file() -> str:
    """A whole programme file written from the schema's examples, each key under its meaning."""
    lines = ["# 计划文件示例：由 kexie 的键说明（pipeline/data/program_schema.yaml）生成。",
             "# 「可不写」的键不用时整段删去；写好后运行 kexie program check 文件名.yaml。"]
    for key in program_schema().keys.values():
        lines.append(f"# {key.name}（{'必填' if key.required else '可不写'}）：{key.meaning}")
        text = yaml.safe_dump({key.name: key.sample(every=True)}, allow_unicode=True, sort_keys=False,
                              default_flow_style=False, width=10**6)
        if key.kind == "按年份":  # dates of a real year must come from the State Council's notice
            text = "".join(f"# {line}\n" for line in text.splitlines())
        lines.append(text.rstrip("\n"))
    return "\n".join(lines) + "\n"
