"""Rendering Word templates (docxtpl) in a sandboxed Jinja environment.

A template is a ``.docx`` with Jinja tags plus a sidecar ``.yaml`` of the same name:

    标题: 项目任务书            # what the document is
    说明: …                     # one sentence for ``kexie check``
    文件名: "{申报单位}-任务书"  # default output-name pattern
    默认值: {…}                 # values deep-merged beneath every record
    可选: [试点单位, …]          # values that may be blank (a form left for the applicant)
    汇总: false                 # true: one document from all records (``记录``)
    别名: [责任书]               # other names the template is found by (``kexie fill 责任书``)
    名称依据: 协议.名称          # the programme key the name used must equal (else a usage error)

Without a sidecar (or a 文件名), documents are named 「模板名-序号」 from the record's 序号 column,
else from its position (「模板名-03」): no column is required for a name.

Templates are data, not code: the environment is Jinja's ``SandboxedEnvironment`` (no access to
Python internals) with strict undefined variables, so a missing value is an error naming the
template, the record and the variable — never an empty blank in a signed document.
"""

from __future__ import annotations

import datetime as _dt
import io
import operator
import os
import re
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .errors import MissingVariable, TemplateError, UnsafeTemplate
from .filters import FILTERS
from .files import check_unzipped
from .messages import exception_kind, jinja_reason, readable, yaml_reason
from .records import MAX_UNZIPPED_BYTES, safe_yaml

#: where named templates live: $KEXIE_TEMPLATES, else the project's templates/ folder
TEMPLATE_DIR = Path(os.environ.get("KEXIE_TEMPLATES") or Path(__file__).resolve().parent.parent / "templates")

_META_KEYS = {"标题", "说明", "文件名", "默认值", "可选", "汇总", "别名", "名称依据"}


@dataclass
class TemplateSpec:
    """A template file and its sidecar description."""

    name: str
    path: Path
    title: str = ""
    description: str = ""
    name_pattern: str = ""
    defaults: dict[str, Any] = field(default_factory=dict)
    optional: tuple[str, ...] = ()  # dotted paths that may be blank (and everything beneath them)
    aggregate: bool = False
    named_by: str = ""  # programme key the name used must equal (「协议.名称」: 任务书 or 责任书)

    @property
    def blob(self) -> bytes:
        return self.path.read_bytes()


def find_template(name_or_path: str) -> TemplateSpec:
    """Find a template by name (``任务书``) in the template folder, or by path to a .docx."""
    candidate = Path(name_or_path)
    if candidate.suffix.lower() == ".docx" or candidate.exists():
        path = candidate
    else:
        path = TEMPLATE_DIR / f"{name_or_path}.docx"
        if not path.is_file():
            path = _aliased(name_or_path) or path
    if not path.is_file():
        known = sorted(p.stem for p in TEMPLATE_DIR.glob("*.docx")) if TEMPLATE_DIR.is_dir() else []
        hint = f"；可用的模板：{'、'.join(known)}" if known else ""
        raise TemplateError(name_or_path, f"找不到模板文件「{path}」{hint}")
    if path.suffix.lower() != ".docx":
        raise TemplateError(name_or_path, "模板应为 Word（.docx）文件")
    check_unzipped(path, MAX_UNZIPPED_BYTES, lambda p, reason: TemplateError(name_or_path, f"模板文件「{p}」{reason}"))
    spec = TemplateSpec(name=path.stem if path.stem == candidate.stem else name_or_path, path=path)
    sidecar = path.with_suffix(".yaml")
    if sidecar.is_file():
        _read_sidecar(spec, sidecar)
    return spec


def _aliased(name: str) -> Path | None:
    """The template whose sidecar lists ``name`` among its 别名 (责任书 → 任务书.docx)."""
    for sidecar in sorted(TEMPLATE_DIR.glob("*.yaml")) if TEMPLATE_DIR.is_dir() else []:
        try:
            meta = safe_yaml(sidecar.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue  # a broken sidecar is reported, with its reason, when its own template is used
        if isinstance(meta, dict) and name in (meta.get("别名") or []) and sidecar.with_suffix(".docx").is_file():
            return sidecar.with_suffix(".docx")
    return None


def default_name(spec: TemplateSpec, fields: dict, position: int, count: int) -> str:
    """The file-name pattern of a record when neither --name nor the sidecar gives one."""
    if count <= 1:
        return spec.name
    if fields.get("序号") not in (None, ""):
        return f"{spec.name}-{{序号}}"
    return f"{spec.name}-{position:0{len(str(count))}d}"


def document_parts(spec: TemplateSpec):
    """(where, XML element) of the body and each own header and footer, and the loaded document."""
    document = DocxTemplate(str(spec.path))
    document.init_docx()
    parts = [("正文", document.docx.element.body)]
    for section in document.docx.sections:
        for kind, part in (("页眉", section.header), ("页脚", section.footer)):
            if not part.is_linked_to_previous:
                parts.append((kind, part._element))
    return document, parts


def template_source(document, parts) -> str:
    """The Jinja source of the parts, as docxtpl renders it (its tag clean-up applied)."""
    return "".join(document.patch_xml(document.xml_to_string(element)) for _w, element in parts)


def _read_sidecar(spec: TemplateSpec, sidecar: Path) -> None:
    try:
        meta = safe_yaml(sidecar.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise TemplateError(spec.name, f"说明文件「{sidecar}」格式错误，{yaml_reason(exc) if isinstance(exc, yaml.YAMLError) else exception_kind(exc)}") from None
    if not isinstance(meta, dict):
        raise TemplateError(spec.name, f"说明文件「{sidecar}」应为键值对")
    unknown = set(meta) - _META_KEYS
    if unknown:
        raise TemplateError(spec.name, f"说明文件「{sidecar}」中有未知的键：{'、'.join(sorted(map(str, unknown)))}"
                            f"（可用：{'、'.join(sorted(_META_KEYS))}）")
    spec.title = str(meta.get("标题") or spec.name)
    spec.description = str(meta.get("说明") or "")
    spec.name_pattern = str(meta.get("文件名") or spec.name_pattern)
    defaults = meta.get("默认值") or {}
    if not isinstance(defaults, dict):
        raise TemplateError(spec.name, f"说明文件「{sidecar}」中「默认值」应为键值对")
    spec.defaults = defaults
    optional = meta.get("可选") or []
    if not isinstance(optional, list) or any(isinstance(v, (dict, list)) for v in optional):
        raise TemplateError(spec.name, f"说明文件「{sidecar}」中「可选」应为字段名列表，如 [试点单位, 邮编]")
    spec.optional = tuple(str(v) for v in optional)
    spec.aggregate = bool(meta.get("汇总", False))
    spec.named_by = str(meta.get("名称依据") or "")


# --- the environment -----------------------------------------------------------------------


class _Missing(jinja2.UndefinedError):
    """An undefined variable, with its full dotted name."""

    def __init__(self, variable: str):
        super().__init__(variable)
        self.variable = variable


class _StrictPathUndefined(jinja2.StrictUndefined):
    """StrictUndefined that names the whole path (``申报单位负责人.姓名``), not just the leaf."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args, **kwargs):
        if self._undefined_exception is not jinja2.UndefinedError:  # e.g. the sandbox's SecurityError
            return super()._fail_with_undefined_error(*args, **kwargs)
        name = self._undefined_name or "?"
        parent = getattr(self._undefined_obj, "path", None)
        raise _Missing(f"{parent}.{name}" if parent else str(name))


# Jinja binds StrictUndefined's ``__str__``, ``__iter__``, ``__eq__``… to the base class's
# ``_fail_with_undefined_error`` when the class is made, so the override above would never run for
# them (a row lacking 已支出金额 gave 「'Fields object' has no attribute」): bind them again.
for _name in dir(jinja2.StrictUndefined):
    if getattr(jinja2.StrictUndefined, _name, None) is jinja2.Undefined._fail_with_undefined_error:
        setattr(_StrictPathUndefined, _name, _StrictPathUndefined._fail_with_undefined_error)
del _name


class Fields(dict):
    """A mapping that knows its dotted path, so a missing key can be named in full."""

    __slots__ = ("path",)

    def __init__(self, data, path: str = ""):
        super().__init__(data)
        self.path = path


# --- budgets: a template is data, so its work is bounded (issue 15: 9**(9**10), 'a'*10**9) ---

#: the most characters one document's XML part may render to, and one value may hold
MAX_OUTPUT_CHARS = 50_000_000
MAX_VALUE_CHARS = 5_000_000
#: the most bits an integer a template computes may have (a 100-digit number is 333 bits)
MAX_INT_BITS = 4096


def render_seconds() -> float:
    """Seconds one record may take to render ($KEXIE_RENDER_SECONDS, default 60)."""
    return float(os.environ.get("KEXIE_RENDER_SECONDS") or 60)


class OverBudget(Exception):
    """A template asked for more work than a document needs; the message says which."""


_BINOPS = {"**": operator.pow, "*": operator.mul}


def _size(value) -> int | None:
    if isinstance(value, (str, bytes, list, tuple)):
        return len(value)
    return None


def _checked_binop(operator: str, left, right):
    """``**``, ``*`` and ``%`` with their result's size computed first, never a runaway."""
    ints = isinstance(left, int) and isinstance(right, int)
    if operator == "**" and ints and right > 0 and abs(left) > 1:
        if left.bit_length() * right > MAX_INT_BITS:
            raise OverBudget(f"乘方 {left}**{right} 的结果过大")
    elif operator == "*" and ints:
        if left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise OverBudget("乘积过大")
    elif operator == "*":
        for seq, times in ((left, right), (right, left)):
            if _size(seq) is not None and isinstance(times, int) and _size(seq) * times > MAX_VALUE_CHARS:
                raise OverBudget(f"重复 {times} 次后的内容过长（上限 {MAX_VALUE_CHARS:,} 个字符）")
    return _BINOPS[operator](left, right)


class _BudgetTemplate(jinja2.Template):
    """A template whose output is counted as it is made: stopped past MAX_OUTPUT_CHARS."""

    def render(self, *args, **kwargs):
        ctx = self.new_context(dict(*args, **kwargs))
        parts, total = [], 0
        try:
            for part in self.root_render_func(ctx):
                total += len(part)
                if total > MAX_OUTPUT_CHARS:
                    raise OverBudget(f"生成的内容超过 {MAX_OUTPUT_CHARS:,} 个字符")
                parts.append(part)
        except OverBudget:
            raise
        except Exception:
            self.environment.handle_exception()
        return self.environment.concat(parts)


class _Sandbox(SandboxedEnvironment):
    """The sandbox, remembering compiled parts: a batch renders the same XML many times."""

    # intercepted operators are also never folded at compile time (9**(9**10) in the source)
    intercepted_binops = frozenset({"**", "*"})
    template_class = _BudgetTemplate

    def __init__(self, **options):
        super().__init__(**options)
        self._compiled: dict[str, jinja2.Template] = {}

    def call_binop(self, context, operator, left, right):
        return _checked_binop(operator, left, right)

    def from_string(self, source, globals=None, template_class=None):
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            if len(self._compiled) > 64:
                self._compiled.clear()
            self._compiled[source] = super().from_string(source)
        return self._compiled[source]


def make_environment() -> SandboxedEnvironment:
    """The one Jinja environment templates render in: sandboxed, strict, XML-escaping."""
    env = _Sandbox(undefined=_StrictPathUndefined, autoescape=True, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    return env


# --- context -------------------------------------------------------------------------------

# XML 1.0 forbids most control characters; docxtpl turns \a and \f into paragraph and page
# breaks, so user text must not carry them. A newline in a value starts a new paragraph.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")


def _clean_text(text: str) -> str:
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.replace("\n", "\a")


def wrap_fields(value, path: str = ""):
    """Prepare data for rendering: path-aware mappings, cleaned text."""
    if isinstance(value, dict):
        return Fields({k: wrap_fields(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()}, path)
    if isinstance(value, (list, tuple)):
        return [wrap_fields(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, str):
        return _clean_text(value)
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_encodable(spec: TemplateSpec, value, record: str | None = None, path: str = "") -> None:
    """Refuse a record holding a lone surrogate (JSON's ``"\\ud800"``): no file can store it, and
    it must fail its own record, not the batch."""
    if isinstance(value, dict):
        for key, item in value.items():
            check_encodable(spec, item, record, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            check_encodable(spec, item, record, f"{path}[{i}]")
    elif isinstance(value, str) and _SURROGATE.search(value):
        code = f"U+{ord(_SURROGATE.search(value).group()):04X}"
        raise TemplateError(spec.name, f"数据中「{path}」含有无法保存的字符（孤立的代理码位 {code}，"
                                       "多为数据导出时出错），请更正数据文件中这一项后重试", record=record)


def deep_merge(base: dict, over: dict) -> dict:
    """``over`` on top of ``base``, merging nested mappings."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def build_context(spec: TemplateSpec, fields: dict, program: dict | None = None,
                  extra: dict | None = None, today: _dt.date | None = None) -> dict:
    """The mapping a template sees: defaults, then the record, then 计划/今天/extras."""
    context = deep_merge(spec.defaults, fields)
    context["今天"] = today or _dt.date.today()
    if program is not None:
        context["计划"] = program
    if extra:
        context.update(extra)
    return context


# --- rendering -----------------------------------------------------------------------------


_PATCHED: dict[str, str] = {}


class _Document(DocxTemplate):
    """A docxtpl document whose tag clean-up (``patch_xml``, regex-heavy) is done once per XML."""

    def patch_xml(self, src_xml):
        if src_xml not in _PATCHED:
            if len(_PATCHED) > 64:
                _PATCHED.clear()
            _PATCHED[src_xml] = super().patch_xml(src_xml)
        return _PATCHED[src_xml]


def render_memory() -> int:
    """Bytes of address space one record's render may add ($KEXIE_RENDER_MEMORY, default 1 GiB)."""
    return int(os.environ.get("KEXIE_RENDER_MEMORY") or 1 << 30)


@contextmanager
def _memory_budget(extra: int):
    """Let the render grow the process by at most ``extra`` bytes: past it an allocation fails
    with MemoryError (a string doubled in a loop, which no operator check sees). Linux's address
    space limit, lowered for the render and put back after; elsewhere nothing."""
    try:
        import resource

        pages = int(Path("/proc/self/statm").read_text().split()[0])
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError, IndexError):
        yield
        return
    budget = pages * os.sysconf("SC_PAGE_SIZE") + extra
    if extra <= 0 or (soft != resource.RLIM_INFINITY and soft <= budget):
        yield  # already held tighter than that
        return
    if hard != resource.RLIM_INFINITY:
        budget = min(budget, hard)
    resource.setrlimit(resource.RLIMIT_AS, (budget, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextmanager
def _time_budget(seconds: float):
    """Stop the render with OverBudget after ``seconds`` (a loop of 10¹⁰ steps); only the main
    thread can take a signal, and every CLI render and pool worker runs there."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def expired(_signum, _frame):
        raise OverBudget(f"渲染超过 {seconds:g} 秒仍未完成")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_docx(spec: TemplateSpec, context: dict, record: str | None = None,
                env: SandboxedEnvironment | None = None, blob: bytes | None = None) -> bytes:
    """Render one document; return the .docx bytes. Errors name template, record, variable."""
    env = env or make_environment()
    document = _Document(io.BytesIO(blob if blob is not None else spec.blob))
    try:
        with _time_budget(render_seconds()), _memory_budget(render_memory()):
            document.render(wrap_fields(context), jinja_env=env, autoescape=True)
    except MemoryError:
        raise TemplateError(spec.name, f"模板所需的内存超出限制（{render_memory() >> 20} MB），已停止渲染；"
                                       "请检查模板中的循环和拼接", record=record) from None
    except OverBudget as exc:
        raise TemplateError(spec.name, f"模板所需的计算超出限制（{exc}），已停止渲染；"
                                       "请检查模板中的循环和运算", record=record) from None
    except RecursionError:  # a macro that calls itself without end
        raise TemplateError(spec.name, "模板中的宏无休止地调用自身，已停止渲染；请检查模板中的宏",
                            record=record) from None
    except _Missing as exc:
        raise MissingVariable(spec.name, exc.variable, record=record) from None
    except SecurityError as exc:
        raise UnsafeTemplate(spec.name, jinja_reason(exc), record=record) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(spec.name, f"模板语法错误，{jinja_reason(exc)}", record=record) from None
    except jinja2.TemplateError as exc:
        raise TemplateError(spec.name, f"渲染失败，{jinja_reason(exc)}", record=record) from None
    except (ValueError, TypeError, ArithmeticError) as exc:  # raised by filters on bad values
        raise TemplateError(spec.name, f"数据有误：{readable(exc)}", record=record) from None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
