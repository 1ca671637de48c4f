"""Records from data files: YAML, JSON, CSV or Excel rosters with Chinese headers.

Every loader returns a list of ``Record``: the fields as a (possibly nested) mapping plus a
label that names the record in messages (「第3行（申报单位=某某科协）」). Column headers with dots
(``申报单位负责人.姓名``) become nested mappings, so a flat roster can feed a nested template.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import DataFileError
from .files import check_unzipped
from .messages import exception_kind, yaml_reason

#: refuse data files larger than this; a roster of thousands of units is a few MB
MAX_DATA_BYTES = 64 * 1024 * 1024

#: what an .xlsx or .docx may unpack to: a roster or a template is a few MB (a 1.5 MB zip
#: bomb once unpacked to gigabytes)
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024

#: fields tried, in order, to name a record in messages
LABEL_FIELDS = ("申报单位", "承担单位", "试点单位", "单位", "姓名", "项目名称", "名称")


@dataclass
class Record:
    """One record of a data file: its fields and where it came from."""

    fields: dict[str, Any]
    label: str
    index: int = 0
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def load_records(path) -> list[Record]:
    """Read a data file and return its records, in order."""
    path = Path(path)
    if not path.exists():
        raise DataFileError(path, "文件不存在")
    if path.is_dir():
        raise DataFileError(path, "这是一个目录，请给出数据文件")
    size = path.stat().st_size
    if size > MAX_DATA_BYTES:
        raise DataFileError(path, f"文件过大（{size / 1048576:.0f} MB，上限 {MAX_DATA_BYTES // 1048576} MB）")
    if size == 0:
        raise DataFileError(path, "文件是空的")
    suffix = path.suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        raise DataFileError(path, f"不支持的数据格式「{suffix or '无扩展名'}」，请使用 .yaml、.json、.csv 或 .xlsx")
    rows, kind = loader(path)
    records = []
    for i, row in enumerate(rows):
        fields = unflatten(path, row)
        records.append(Record(fields=fields, label=_label(kind, i, fields), index=i, source=str(path)))
    if not records:
        raise DataFileError(path, "没有任何记录")
    return records


def _label(kind: str, i: int, fields: dict) -> str:
    where = f"第{i + 2}行" if kind == "table" else f"第{i + 1}条"
    for key in LABEL_FIELDS:
        value = fields.get(key)
        if isinstance(value, (str, int)) and str(value).strip():
            shown = str(value).encode("utf-8", "backslashreplace").decode("utf-8")  # a lone surrogate
            return f"{where}（{key}={shown}）"
    return where


# --- bounded YAML ---------------------------------------------------------------------------

#: a document may stand for at most this many values once its aliases are expanded; a roster of
#: thousands of units is a few hundred thousand, a 447-byte 「billion laughs」 is 9⁹
MAX_YAML_NODES = 2_000_000


class UnboundedYaml(yaml.YAMLError):
    """A YAML document whose aliases expand without bound, or refer to themselves."""

    problem_mark = None

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem

    def __str__(self) -> str:
        return self.problem


class _DataLoader(yaml.SafeLoader):
    """YAML's safe loader, except that a date the calendar lacks (2026-02-30) stays text: PyYAML
    raises a bare ValueError for it; the template's date filter (data files) and the programme
    check (programme files) name it 「日期不存在」 with its key."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_DataLoader.add_constructor("tag:yaml.org,2002:timestamp", _DataLoader.construct_yaml_timestamp)


def safe_yaml(text: str, loader_class=_DataLoader):
    """``yaml.safe_load`` that first counts the values the document stands for, aliases expanded,
    on the composed node graph (cheap: each node is sized once), and refuses an alias bomb or a
    self-referencing document before anything walks it."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _expanded_size(root) -> int:
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in _children(node))
            if sizes[key] > MAX_YAML_NODES:
                raise UnboundedYaml(f"别名（*引用）展开后超过 {MAX_YAML_NODES:,} 个值，疑为恶意构造的文件，已拒绝读取")
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise UnboundedYaml("文件中的别名（*引用）引用了它自身所在的内容，无法展开")
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)]


def _children(node):
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return ()


# --- loaders --------------------------------------------------------------------------------


def _load_yaml(path: Path):
    try:
        data = safe_yaml(_read_text(path))
    except yaml.YAMLError as exc:
        raise DataFileError(path, f"YAML 格式错误，{yaml_reason(exc)}") from None
    return _mapping_rows(path, data), "document"


def _load_json(path: Path):
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise DataFileError(path, f"JSON 格式错误（第{exc.lineno}行第{exc.colno}列）") from None
    return _mapping_rows(path, data), "document"


def _mapping_rows(path: Path, data) -> list[dict]:
    """A document holds one record (a mapping), a list of them, or a mapping with one list."""
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        if len(data) == 1 and lists:
            data = lists[0]
        else:
            return [data]
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise DataFileError(path, "内容应为一条记录（键值对）或记录的列表")
    return data


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    # Excel and WPS in China save CSV (and sometimes text) as GB18030; try UTF-8 first.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataFileError(path, "无法识别文字编码（应为 UTF-8 或 GBK）")


def _load_csv(path: Path):
    text = _read_text(path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    table = [row for row in reader]
    return _table_rows(path, table), "table"


def _load_xlsx(path: Path):
    return _table_rows(path, read_sheet(path, "名单")), "table"


def read_sheet(path, sheet_name: str) -> list[list]:
    """The cell values of an .xlsx sheet (the named one, else the first), with clear errors."""
    import zipfile

    import openpyxl

    path = Path(path)
    if not zipfile.is_zipfile(path):
        head = path.read_bytes()[:8]
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise DataFileError(path, "文件已加密或是旧版 .xls 格式：请在 Excel 中取消密码并另存为 .xlsx")
        raise DataFileError(path, "不是有效的 Excel（.xlsx）文件，可能已损坏")
    check_unzipped(path, MAX_UNZIPPED_BYTES, DataFileError)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise DataFileError(path, f"Excel 文件已损坏，无法打开（{exception_kind(exc)}）") from None
    try:
        sheet = book[sheet_name] if sheet_name in book.sheetnames else book.worksheets[0]
        return _bounded_rows(path, sheet)
    finally:
        book.close()


#: a roster of thousands of units; rows past a long run of blank ones (a stray cell at
#: XFD1048576) are not the table's, and no row is padded beyond its last filled cell
MAX_SHEET_ROWS = 100_000
MAX_BLANK_RUN = 10_000


def _bounded_rows(path: Path, sheet) -> list[list]:
    sheet.reset_dimensions()  # the declared A1:XFD1048576 would pad every row to 16384 cells
    rows, blank = [], 0
    for row in sheet.iter_rows(values_only=True):
        values = list(row)
        while values and values[-1] in (None, ""):
            values.pop()
        if not values:
            blank += 1
            if blank > MAX_BLANK_RUN and rows:
                break
            continue
        blank = 0
        rows.append(values)
        if len(rows) > MAX_SHEET_ROWS:
            raise DataFileError(path, f"表格超过 {MAX_SHEET_ROWS:,} 行，请拆分后再用")
    return rows


_LOADERS = {".yaml": _load_yaml, ".yml": _load_yaml, ".json": _load_json, ".csv": _load_csv, ".xlsx": _load_xlsx}


def _table_rows(path: Path, table: list[list]) -> list[dict]:
    """Turn a table with a header row into mappings; wholly empty rows are skipped."""
    table = [row for row in table if any(_cell(c) != "" for c in row)]
    if not table:
        raise DataFileError(path, "表格是空的")
    header = [_cell(c) for c in table[0]]
    while header and header[-1] == "":
        header.pop()
    seen = set()
    for i, name in enumerate(header):
        if name == "":
            raise DataFileError(path, f"表头第{i + 1}列没有列名")
        if name in seen:
            raise DataFileError(path, f"表头中「{name}」出现了两次")
        seen.add(name)
    rows = []
    for row in table[1:]:
        values = [_value(c) for c in row[: len(header)]]
        values += [""] * (len(header) - len(values))
        rows.append(dict(zip(header, values)))
    return rows


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


def _value(value):
    """Keep dates as dates and whole numbers as ints; everything else as trimmed text."""
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        return value.date() if value.time() == _dt.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip().replace("\r\n", "\n")
    return value


def unflatten(path, row: dict) -> dict:
    """Turn dotted keys (``申报单位负责人.姓名``) into nested mappings."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        key = str(key)
        if "." not in key:
            if isinstance(out.get(key), dict) and not isinstance(value, dict):
                raise DataFileError(path, f"「{key}」既是一个值又是一组值的名字")
            out[key] = value
            continue
        parts = key.split(".")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise DataFileError(path, f"「{key}」与同名的单个值冲突")
        node[parts[-1]] = value
    return out
