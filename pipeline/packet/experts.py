"""The experts file: who reviews, in which group, and which units each must not review."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExpertsFileError
from ..naming import NameAllocator
from ..records import load_records

EXPERT_COLUMNS = ("姓名", "单位", "组别")
AVOID_COLUMN = "回避单位"
_AVOID_SPLIT = re.compile(r"[、;；\n]+")
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass
class Expert:
    name: str
    unit: str
    group: str
    avoid: list[str] = field(default_factory=list)
    row: int = 0  # the row in the experts file (for messages)
    file_stem: str = ""  # set by load_experts: distinct for every expert of the file

    @property
    def stem(self) -> str:
        """The file name (without suffix) of this expert's packet and score sheet."""
        return self.file_stem or _UNSAFE_NAME.sub("_", f"{self.group}-{self.name}")


def load_experts(path) -> list[Expert]:
    """Read the experts file (.xlsx, .csv, .yaml or .json with the columns 姓名, 单位, 组别)."""

    path = Path(path)
    records = load_records(path)
    columns = set()
    for record in records:
        columns.update(str(k).strip() for k in record.fields)
    for column in EXPERT_COLUMNS:
        if column not in columns:
            raise ExpertsFileError(path, f"缺少「{column}」列（专家名单应有 {'、'.join(EXPERT_COLUMNS)} 列，"
                                         f"可选「{AVOID_COLUMN}」列）；现有的列：{'、'.join(sorted(columns)) or '无'}")
    experts, seen = [], {}
    for record in records:
        row = record.index + 2  # header on row 1
        values = {str(k).strip(): _cell(v) for k, v in record.fields.items()}
        name, unit, group = values.get("姓名", ""), values.get("单位", ""), values.get("组别", "")
        if not name:
            raise ExpertsFileError(path, f"第{row}行没有填写专家姓名（「姓名」列）")
        if not group:
            raise ExpertsFileError(path, f"第{row}行的专家「{name}」没有填写组别（「组别」列），"
                                         "每位专家须属于一个评审组")
        if not unit:
            raise ExpertsFileError(path, f"第{row}行的专家「{name}」没有填写单位（「单位」列），"
                                         "无法判断是否需要回避")
        key = (group, name)
        if key in seen:
            raise ExpertsFileError(path, f"第{seen[key]}行和第{row}行是同一组「{group}」的同名专家「{name}」，"
                                         "请在姓名后加以区分（如「王伟（北京）」）")
        seen[key] = row
        avoid = [u.strip() for u in _AVOID_SPLIT.split(values.get(AVOID_COLUMN, "")) if u.strip()]
        experts.append(Expert(name=name, unit=unit, group=group, avoid=avoid, row=row))
    if not experts:
        raise ExpertsFileError(path, "名单中没有任何专家")
    # 「王 伟」 and 「王　伟」 are two rows but one file name once spaces are made safe: the
    # second gets 「-2」, so neither packet replaces the other
    names = NameAllocator()
    for expert in experts:
        expert.file_stem = names.claim(expert.stem, (".pdf", ".xlsx"))
    return experts


def _cell(value) -> str:
    return "" if value is None else str(value).strip()

