"""A form definition as plain data: its fields and how each is found, who the form is about,
what a blind copy must hide, and the rules of its 形式审查 (kept as written, applied by
:mod:`pipeline.validate`)."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form and how to find it."""

    key: str
    labels: tuple[str, ...]
    find: str
    kind: str = "text"
    under: str | None = None
    prompts: tuple[str, ...] = ()
    until: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    #: signature area: (labels it starts after, labels it ends before)
    between: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    #: signature: the key of the field holding the signer's name (a red e-signature stamped
    #: under a 公章 is told from the seal's own characters by reading that name)
    signer: str = ""
    #: row tables: column name → header labels
    columns: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: row tables: what the first column of a total row says (「合计」): that row is no row
    totals: tuple[str, ...] = ()
    #: a table's total row, one column of it (``经费决算[].决算数``): the value printed in that
    #: column of the row whose first cell is one of ``labels`` (「合计」)
    total_of: str = ""

    @property
    def is_mark(self) -> bool:
        return self.find in ("seal", "signature")


@dataclass(frozen=True)
class Identity:
    """Who a submission of this form is: the keys reports, packets and the conflict rule use."""

    #: the key of the unit that hands the form in (how reports and packets name a submission)
    applicant: str
    #: the keys shown beside each submission in reports, assignment tables and score sheets
    columns: tuple[str, ...]
    #: the keys of units an expert must not review (his 单位 or 回避单位 among them)
    conflicts: tuple[str, ...]


@dataclass(frozen=True)
class Blind:
    """What a blind-review copy of this form must not show."""

    #: key patterns (``*`` any run, ``[]`` any row) whose values are painted over
    redact: tuple[str, ...] = ()
    #: scanned pages (1-based) withheld whole: where names sit that OCR may not read
    withhold_scanned_pages: tuple[int, ...] = ()


@dataclass(frozen=True)
class FormDefinition:
    """A whole form: its fields in order, the labels that identify it, and what it owns."""

    name: str
    title: str
    path: Path
    fields: tuple[FieldSpec, ...]
    identify_labels: tuple[str, ...] = ()
    min_found: int = 1
    groups: tuple[str, ...] = field(default=())
    identity: Identity | None = None
    blind: Blind = field(default_factory=Blind)
    #: the ``checks`` section, as written (pipeline.validate interprets it)
    checks: dict = field(default_factory=dict, compare=False, hash=False)

    def field(self, key: str) -> FieldSpec:
        for spec in self.fields:
            if spec.key == key:
                return spec
        raise KeyError(key)

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]

    @property
    def mark_keys(self) -> list[str]:
        return [f.key for f in self.fields if f.is_mark]

    @property
    def row_keys(self) -> list[str]:
        return [f.key for f in self.fields if f.find == "rows"]

    @property
    def signer_labels(self) -> tuple[str, ...]:
        """The printed labels a signer writes after (「（签章）：」), from the signature fields."""
        return tuple(dict.fromkeys(label for f in self.fields if f.find == "signature" for label in f.between[0]))

    @property
    def all_labels(self) -> set[str]:
        """Every printed label of the form: a box whose row holds one of these is not a continuation."""
        labels = set(self.identify_labels) | set(self.groups)
        for spec in self.fields:
            labels.update(spec.labels)
            for _, names in spec.columns:
                labels.update(names)
        return labels

    def applicant_of(self, fields: dict) -> str:
        """The applicant's name as read (「」 when the form has no identity or it was not read)."""
        return text_value(fields.get(self.identity.applicant)) if self.identity else ""


def text_value(value) -> str:
    """A scalar field's text; "" for nothing, a mark, or a row table."""
    return "" if value is None or isinstance(value, (dict, list, bool)) else str(value).strip()


def key_matches(pattern: str, key: str) -> bool:
    """Whether a field key (``主要参与团队[2].单位``) fits a pattern of the form definition:
    ``*`` stands for any run of characters, ``[]`` for any row number."""
    generic = re.sub(r"\[\d+\]", "[]", key)
    return generic == pattern or fnmatch.fnmatchcase(generic, pattern.replace("[]", "[[]]"))


def flat_items(fields: dict):
    """(key, value) for scalar fields, and for each row cell as ``表[i].列``."""
    for key, value in fields.items():
        if isinstance(value, list):
            for i, row in enumerate(value):
                for column, cell in (row or {}).items():
                    yield f"{key}[{i}].{column}", cell
        else:
            yield key, value
