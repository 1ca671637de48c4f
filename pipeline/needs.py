"""What a template needs from its data: the values it reads, and which of them may be absent or blank.

``kexie check`` and ``kexie fill`` ask the same question here, so a record check passed is a record
fill renders: a value the template prints must be present and not blank (「缺少的变量是错误……
不会留下空白」), unless the template tests it first (``{% if X is defined %}``, ``X if X else …``)
or its sidecar declares it 可选.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2
from jinja2 import nodes

from .errors import BlankValue, MissingVariable, TemplateError
from .messages import jinja_reason
from .render import document_parts, make_environment, template_source

#: names every template may use without the data supplying them
PROVIDED = {"今天", "计划", "公示期", "记录", "loop"}
#: the list an aggregate template (汇总: true) loops over, one item per record
ROWS = "记录[]."


@dataclass
class Needs:
    """The values a template reads (dotted paths, ``[]`` for each row of a list)."""

    variables: list[str] = field(default_factory=list)
    if_defined: set[str] = field(default_factory=set)  # read only after ``is defined``
    may_be_blank: set[str] = field(default_factory=set)  # tested for truth before it is printed
    optional: tuple[str, ...] = ()  # declared 可选 in the sidecar

    def covers(self, variable: str, declared) -> bool:
        """Whether ``variable`` is ``declared`` itself or lies beneath one of them."""
        v = variable.removeprefix(ROWS)
        return any(v == d or v.startswith(d + ".") or v.startswith(d + "[")
                   for d in (d.removeprefix(ROWS) for d in declared))


def read_needs(spec) -> Needs:
    """What the template ``spec`` needs from its data (TemplateError on a syntax error)."""
    document, parts = document_parts(spec)
    return parse_needs(spec, template_source(document, parts))


def parse_needs(spec, source: str) -> Needs:
    """The ``Needs`` of a template's Jinja source, read in the environment templates render in."""
    env = make_environment()
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(spec.name, f"模板语法错误，{jinja_reason(exc)}") from None
    return analyse(tree, spec.optional, env.globals)


def analyse(tree, optional=(), globals_=()) -> Needs:
    """The ``Needs`` of a parsed Jinja template; ``globals_`` are the environment's (``range`` …)."""
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
    # names the template makes itself: {% set %}, macros and their parameters, {% with %}, call blocks
    made = {n.name for kind in (nodes.Assign, nodes.AssignBlock, nodes.With, nodes.Macro, nodes.CallBlock)
            for block in tree.find_all(kind)
            for n in _targets(block)}
    local = made | set(aliases) | derived | set(globals_) | {"loop", "caller", "varargs", "kwargs"}

    def paths_in(node) -> set[str]:
        found = {_path(n, aliases) for n in node.find_all((nodes.Getattr, nodes.Getitem, nodes.Name))}
        found = {p for p in found | {_path(node, aliases)} if p and _root(p) not in local}
        # keep only the longest paths: 申报单位负责人 is implied by 申报单位负责人.姓名
        return {p for p in found if not any(q.startswith(p + ".") or q.startswith(p + "[") for q in found)}

    paths = paths_in(tree)
    needs = Needs(sorted(paths), optional=tuple(optional))
    for test in tree.find_all(nodes.Test):
        if test.name == "defined":
            needs.if_defined |= paths_in(test.node)
    for used in tree.find_all(nodes.Filter):
        if used.name in ("default", "d"):  # {{ X|default('') }}: absent is fine
            needs.if_defined |= paths_in(used.node)
    for branch in list(tree.find_all(nodes.If)) + list(tree.find_all(nodes.CondExpr)):
        needs.may_be_blank |= paths_in(branch.test)
    return needs


def _targets(block) -> list:
    """The names a block binds."""
    if isinstance(block, nodes.Macro):
        return [nodes.Name(block.name, "store")] + list(block.args)
    if isinstance(block, nodes.CallBlock):
        return list(block.args)
    if isinstance(block, nodes.With):
        return [n for t in block.targets for n in t.find_all(nodes.Name)] + \
            [t for t in block.targets if isinstance(t, nodes.Name)]
    target = block.target
    return [target] if isinstance(target, nodes.Name) else list(target.find_all(nodes.Name))


def variable_paths(tree) -> set[str]:
    """Dotted paths of the values a template reads (``申报单位负责人.姓名``, ``主要参与团队[].姓名``)."""
    return set(analyse(tree).variables)


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


def gaps(needs: Needs, context: dict, variables=None) -> tuple[list[str], list[str]]:
    """The values ``context`` lacks and those it leaves blank, each as the path a user can find."""
    missing, blank = [], []
    for variable in needs.variables if variables is None else variables:
        if _root(variable) in PROVIDED - {"计划", "公示期"} or needs.covers(variable, needs.if_defined):
            continue
        for path, value in _values(context, variable):
            if value is _ABSENT:
                missing.append(path)
            elif _is_blank(value) and not needs.covers(variable, needs.may_be_blank) \
                    and not needs.covers(variable, needs.optional):
                blank.append(path)
    return missing, blank


def record_error(template: str, needs: Needs, context: dict, record: str, variables=None):
    """(missing, blank, the error that stops this record or None)."""
    missing, blank = gaps(needs, context, variables)
    if blank:
        return missing, blank, BlankValue(template, blank, missing, record=record)
    if missing:
        return missing, blank, MissingVariable(template, missing[0], record=record)
    return missing, blank, None


_ABSENT = object()
_OPAQUE = object()


def _values(node, variable: str, prefix: str = ""):
    """(concrete path, value) for each value a dotted path with ``[]`` reaches; _ABSENT if none."""
    head, sep, rest = variable.partition("[]")
    value = node
    for part in head.split("."):
        if value is None:  # a blank above the value: the value is blank too
            return [(prefix + head, None)]
        if not isinstance(value, dict):  # an attribute of a value (a date's .year): not ours to judge
            return [(prefix + head, _OPAQUE)]
        if part not in value:
            return [(prefix + head, _ABSENT)]
        value = value[part]
    where = prefix + head
    if not sep:
        return [(where, value)]
    if not isinstance(value, list):
        return [(where, value)]
    rest = rest.lstrip(".")
    found = []
    for i, row in enumerate(value):
        if not rest:
            found.append((f"{where}[{i}]", row))
        elif isinstance(row, dict):
            found.extend(_values(row, rest, f"{where}[{i}]."))
    return found


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
