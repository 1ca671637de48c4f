"""Check a template before anything is written: its variables, the data's gaps, broken tags.

Word often breaks a tag typed into a document: it splits ``{{ 申报单位 }}`` across several runs
(after a spelling mark or a format change) or replaces straight quotes with smart ones. docxtpl
repairs some of these silently and fails on others; here each is named with its paragraph so
the author can retype it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import jinja2
from jinja2 import nodes

from .messages import jinja_reason
from .naming import lookup
from .render import TemplateSpec, build_context, make_environment

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_SMART = "“”‘’"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: names every template may use without the data supplying them
PROVIDED = {"今天", "计划", "公示期", "记录", "loop"}


@dataclass
class TagProblem:
    """A tag Word damaged: where it is and what happened."""

    where: str
    tag: str
    problem: str


@dataclass
class CheckReport:
    """The outcome of ``check_template``."""

    template: str
    variables: list[str] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)  # variable -> record labels
    tags: list[TagProblem] = field(default_factory=list)
    syntax_error: str | None = None

    @property
    def ok(self) -> bool:
        return not (self.missing or self.tags or self.syntax_error)


def check_template(spec: TemplateSpec, records=None, program: dict | None = None) -> CheckReport:
    """Inspect ``spec``; with ``records``, also name the variables each record lacks."""
    from docxtpl import DocxTemplate

    report = CheckReport(template=spec.name)
    document = DocxTemplate(str(spec.path))
    document.init_docx()
    parts = [("正文", document.docx.element.body)]
    for section in document.docx.sections:
        for kind, part in (("页眉", section.header), ("页脚", section.footer)):
            if not part.is_linked_to_previous:
                parts.append((kind, part._element))
    for where, element in parts:
        report.tags.extend(_damaged_tags(where, element))

    env = make_environment()
    xml = "".join(document.patch_xml(document.xml_to_string(element)) for _w, element in parts)
    try:
        tree = env.parse(xml)
    except jinja2.TemplateSyntaxError as exc:
        report.syntax_error = f"模板语法错误，{jinja_reason(exc)}"
        return report
    report.variables = sorted(variable_paths(tree))
    if records is not None:
        report.missing = _missing(spec, report.variables, records, program)
    return report


def _damaged_tags(where: str, body) -> list[TagProblem]:
    problems = []
    for number, paragraph in enumerate(body.iter(f"{_W}p"), start=1):
        pieces = [t.text or "" for t in paragraph.iter(f"{_W}t")]
        text = "".join(pieces)
        if "{" not in text:
            continue
        run_of = []  # index of the piece holding each character
        for i, piece in enumerate(pieces):
            run_of.extend([i] * len(piece))
        place = f"{where}第{number}段"
        for match in _TAG.finditer(text):
            tag = match.group(0)
            if run_of[match.start()] != run_of[match.end() - 1]:
                problems.append(TagProblem(place, tag, "标签被 Word 拆分到几个文字段中，请删除后整段重新输入"))
            if any(q in tag for q in _SMART):
                problems.append(TagProblem(place, tag, "标签中有中文弯引号（Word 自动更正所致），请改为直引号"))
        stripped = _TAG.sub("", text)
        for opener in ("{{", "{%"):
            if opener in stripped:
                problems.append(TagProblem(place, text.strip()[:60], f"「{opener}」没有对应的结束符"))
    return problems


def variable_paths(tree) -> set[str]:
    """Dotted paths of the values a template reads (``申报单位负责人.姓名``, ``主要参与团队[].姓名``)."""
    aliases: dict[str, str] = {}
    derived: set[str] = set()
    for loop in tree.find_all(nodes.For):
        target = loop.target
        names = {target.name} if isinstance(target, nodes.Name) else {n.name for n in target.find_all(nodes.Name)}
        iterable = loop.iter
        # pad_rows keeps the rows as they are; any other filter makes new values (installments)
        while isinstance(iterable, nodes.Filter) and iterable.name == "pad_rows":
            iterable = iterable.node
        base = None if isinstance(iterable, nodes.Filter) else _path(iterable, aliases)
        if base and isinstance(loop.target, nodes.Name):
            aliases[loop.target.name] = base + "[]"
        else:
            derived |= names
    assigned = {a.target.name for a in tree.find_all(nodes.Assign) if isinstance(a.target, nodes.Name)}
    paths = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
        path = _path(node, aliases)
        if path:
            paths.add(path)
    # keep only the longest paths: 申报单位负责人 is implied by 申报单位负责人.姓名
    paths = {p for p in paths if not any(q.startswith(p + ".") or q.startswith(p + "[") for q in paths)}
    local = assigned | set(aliases) | derived | {"loop"}
    return {p for p in paths if _root(p) not in local}


def _root(path: str) -> str:
    return path.split(".")[0].split("[")[0]


def _path(node, aliases) -> str | None:
    """The dotted path an expression reads, ignoring filters; None for literals and calls."""
    while isinstance(node, nodes.Filter):
        node = node.node
    if isinstance(node, nodes.Name):
        if node.ctx != "load":
            return None
        return aliases.get(node.name, node.name)
    if isinstance(node, nodes.Getattr):
        base = _path(node.node, aliases)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        base = _path(node.node, aliases)
        return f"{base}.{node.arg.value}" if base else None
    return None


def _missing(spec, variables, records, program) -> dict[str, list[str]]:
    missing: dict[str, list[str]] = {}
    if spec.aggregate:
        contexts = [("全部记录", build_context(spec, {"记录": [r.fields for r in records]}, program))]
        contexts += [(r.label, dict(r.fields)) for r in records]
    else:
        contexts = [(r.label, build_context(spec, r.fields, program)) for r in records]
    for variable in variables:
        if _root(variable) in PROVIDED - {"计划", "公示期"}:
            continue
        for label, context in contexts:
            if spec.aggregate and label != "全部记录":
                if not variable.startswith("记录[]."):
                    continue
                if not _has(context, variable[len("记录[]."):]):
                    missing.setdefault(variable, []).append(label)
            elif not variable.startswith("记录[]") and not _has(context, variable):
                missing.setdefault(variable, []).append(label)
    return missing


def _has(context: dict, variable: str) -> bool:
    """Whether a dotted path (with ``[]`` for every row of a list) is present."""
    head, sep, rest = variable.partition("[]")
    try:
        value = lookup(context, head)
    except KeyError:
        return False
    if not sep:
        return True
    rest = rest.lstrip(".")
    if not rest or not isinstance(value, list):
        return True
    return all(_has(row, rest) for row in value if isinstance(row, dict))
