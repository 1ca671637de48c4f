"""One exception hierarchy for kexie.

Every error keeps its details as attributes (file, record, variable, …) and builds its
Chinese message from them, so the CLI can print it and a library user can inspect it.
The CLI maps ``exit_code`` to the process exit status in one place (``pipeline.cli``).
"""

from __future__ import annotations

import errno
from pathlib import Path


def _name(path) -> str:
    return str(path) if path is not None else "（未知文件）"


class KexieError(Exception):
    """Root of every error kexie raises on purpose."""

    #: process exit status when this error ends a command
    exit_code = 1
    #: short machine-readable kind, used in JSON reports
    kind = "error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):
        # Subclasses take other constructor arguments than ``args``; rebuild from the state so
        # errors cross process-pool boundaries intact.
        return (_restore, (type(self), self.__dict__.copy()))


def _restore(cls, state):
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


class UsageProblem(KexieError):
    """The user asked for something impossible: a wrong option, a missing file."""

    exit_code = 2
    kind = "usage"


# --- outputs -------------------------------------------------------------------------------


class OutputNotOurs(KexieError):
    """An output would replace a file kexie did not write, or one a person edited since."""

    kind = "output_not_ours"
    exit_code = 2

    def __init__(self, path):
        self.path = Path(path)
        super().__init__(f"文件「{self.path}」已存在，且不是 kexie 写出的，或写出后已被人修改过；为免覆盖这些修改，"
                         "未予写出。请用 --out 另指定一个输出位置，或确认该文件不再需要后将其删除再重试")


#: the operating system's refusals while writing, in words a clerk can act on
_WRITE_REASONS = {
    errno.ENOSPC: "磁盘空间已满，请清理磁盘或换一个输出位置后重试",
    errno.EDQUOT: "超出磁盘配额，请清理磁盘或换一个输出位置后重试",
    errno.EACCES: "没有写入权限，请换一个输出位置（--out）或修改权限后重试",
    errno.EPERM: "没有写入权限，请换一个输出位置（--out）或修改权限后重试",
    errno.EROFS: "所在磁盘是只读的，请换一个输出位置（--out）后重试",
    errno.ENOTDIR: "路径中有一段不是目录，请检查输出位置（--out）",
    errno.EISDIR: "这是一个目录，请给出文件名（--out）",
    errno.ENAMETOOLONG: "文件名过长，请换一个较短的输出位置",
}


class WriteFailed(KexieError):
    """An output could not be written: a full disk, a read-only folder, no permission."""

    kind = "write_failed"
    exit_code = 2

    def __init__(self, path, cause: OSError):
        self.path = Path(path)
        self.errno_code = cause.errno
        self.reason = _WRITE_REASONS.get(cause.errno, f"系统错误 {cause.errno or ''}（{cause.strerror or cause}）")
        super().__init__(f"无法写入文件「{self.path}」：{self.reason}")


# --- input files ---------------------------------------------------------------------------


class InputFileError(KexieError):
    """An input file cannot be used; ``reason`` says why in Chinese."""

    kind = "input"

    def __init__(self, path, reason: str):
        self.path = Path(path) if path is not None else None
        self.reason = reason
        super().__init__(f"文件「{_name(path)}」无法使用：{reason}")


class DataFileError(InputFileError):
    """A data file (YAML, JSON, CSV, XLSX) is missing, unreadable or of the wrong shape."""

    kind = "data"
    exit_code = 2


class ProgramFileError(InputFileError):
    """The programme file is malformed: an unknown key, a wrong type, a missing value.

    ``problems`` holds each problem found (all of them, not the first only)."""

    kind = "program"
    exit_code = 2

    def __init__(self, path, reason: str, problems: list[str] | None = None):
        self.problems = list(problems) if problems else [reason]
        super().__init__(path, reason)


class FormDefinitionError(InputFileError):
    """A form definition file is malformed."""

    kind = "form"
    exit_code = 2


# --- templates -----------------------------------------------------------------------------


class TemplateError(KexieError):
    """A template cannot be loaded or rendered (a usage error when it stops a whole command)."""

    kind = "template"
    exit_code = 2

    def __init__(self, template, reason: str, record: str | None = None):
        self.template = str(template)
        self.reason = reason
        self.record = record
        where = f"模板「{self.template}」"
        if record is not None:
            where += f"，记录「{record}」"
        super().__init__(f"{where}：{reason}")


class MissingVariable(TemplateError):
    """The data lacks a value the template uses (strict undefined)."""

    kind = "missing_variable"

    def __init__(self, template, variable: str, record: str | None = None):
        self.variable = variable
        if variable.startswith("计划."):  # templates read the programme file as 计划
            reason = f"计划文件缺少「{variable[3:]}」，请在计划文件中补上后重试（kexie program --schema 列出全部键）"
        elif variable.startswith("公示期."):  # computed from the programme (pipeline/program.py)
            reason = "计划文件缺少「公示.开始」，无法计算模板中的「公示期」，请在计划文件中补上后重试"
        else:
            reason = f"缺少变量「{variable}」，请在数据中补上这一列（或这一项）后重试"
        super().__init__(template, reason, record=record)


class BlankValue(TemplateError):
    """The data leaves blank (or lacks) values the template prints: no blank in a signed document."""

    kind = "blank_value"

    def __init__(self, template, blank: list[str], missing: list[str] | None = None,
                 record: str | None = None, hint: str = ""):
        self.blank = list(blank)
        self.missing = list(missing or [])
        parts = []
        if self.missing:
            parts.append("缺少" + "、".join(f"「{v}」" for v in self.missing))
        parts.append("、".join(f"「{v}」" for v in self.blank) + "为空")
        super().__init__(template, "；".join(parts) + "，文书中不能留空白：请在数据中补上后重试" + hint,
                         record=record)


class UnsafeTemplate(TemplateError):
    """The template reached for Python internals; the sandbox refused it."""

    kind = "unsafe_template"

    def __init__(self, template, detail: str, record: str | None = None):
        self.detail = detail
        super().__init__(
            template,
            f"模板试图访问不允许的内部属性，已拒绝渲染（{detail}）",
            record=record,
        )


# --- conversion ----------------------------------------------------------------------------


class ConversionError(KexieError):
    """LibreOffice failed to turn a document into PDF."""

    kind = "conversion"

    def __init__(self, path, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"文件「{self.path}」转换为 PDF 失败：{reason}")


class ToolMissing(KexieError):
    """A system tool (LibreOffice) is not installed."""

    kind = "tool_missing"
    exit_code = 2

    def __init__(self, tool: str, hint: str):
        self.tool = tool
        super().__init__(f"未找到 {tool}：{hint}")


# --- calendars -----------------------------------------------------------------------------


class CalendarYearUnknown(KexieError):
    """No official holiday schedule is known for a year."""

    kind = "calendar"
    exit_code = 1

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"{year}年的法定节假日和调休安排尚未知晓（国务院办公厅通知未收录）：请在计划文件的"
            f"「节假日」中写明{year}年的放假日期和调休上班日期，或更新 chinesecalendar 后重试"
        )


# --- PDFs read back ------------------------------------------------------------------------


class DocumentError(InputFileError):
    """A returned PDF cannot be read as the expected form."""

    kind = "unreadable"


class UnreadableDocument(DocumentError):
    kind = "unreadable"


class EncryptedDocument(DocumentError):
    kind = "encrypted"


class NotThisForm(DocumentError):
    kind = "not_this_form"


# --- kexie's own faults ----------------------------------------------------------------------


class InternalError(KexieError):
    """A fault in kexie itself (not in the user's file): logged with its traceback."""

    kind = "internal"
    exit_code = 3

    def __init__(self, where: str, detail: str, log: str | None = None):
        self.where = where
        self.detail = detail
        self.log = log
        logged = f"，详细信息已记入日志「{log}」" if log else ""
        super().__init__(f"{where}时 kexie 内部出错（{detail}），这不是文件的问题{logged}；"
                         "请把该文件和日志交给维护人员")


# --- review packets --------------------------------------------------------------------------


class ExpertsFileError(DataFileError):
    """The experts file cannot be used: a missing column, an expert without a name or group."""

    kind = "experts"


class GroupWithoutExperts(KexieError):
    """Submissions name a 组别 that no expert belongs to."""

    kind = "experts"
    exit_code = 2

    def __init__(self, group: str, files: list[str], groups: list[str]):
        self.group, self.files, self.groups = group, files, groups
        shown = "、".join(files[:3]) + ("等" if len(files) > 3 else "")
        super().__init__(f"评审组「{group}」没有评审专家，但有 {len(files)} 份申报材料分到该组（{shown}）；"
                         f"专家名单中的组别：{'、'.join(groups)}。请在专家名单中为该组添加专家，或更正组别")


class RedactionFailed(KexieError):
    """A blind copy still holds a sensitive string; it is not written."""

    kind = "redaction"

    def __init__(self, path, leaks: list[str], where: str = "匿名副本"):
        self.path = Path(path) if path is not None else None
        self.leaks = leaks
        shown = "、".join(f"「{s}」" for s in leaks[:5])
        super().__init__(f"文件「{path}」的{where}去除可识别单位和个人的信息后仍能读出 {shown}，"
                         "为防泄露未予写出；请检查该文件（如文字被拆成图形）后重试")


class NoIdentity(KexieError):
    """A blind copy is asked of a submission whose applicant was not read."""

    kind = "redaction"

    def __init__(self, path, what: str):
        self.path = Path(path) if path is not None else None
        super().__init__(f"文件「{path}」未读出{what}，无法确定匿名评审中要去除哪些信息，未予写出；"
                         "请核对该文件（或在 kexie confirm 中补录）后重试")


class ActiveContentLeft(DocumentError):
    """A submission still carries something that can act (a script, an action, an embedded file)
    after its pages were cleaned; it is not packed."""

    kind = "active_content"

    def __init__(self, path, parts: list[str]):
        self.parts = parts
        super().__init__(path, f"去除脚本、动作和嵌入文件后仍含{'、'.join(parts[:5])}，"
                               "为保护评审专家的电脑未打入评审包；请让申报单位重新导出不含脚本的 PDF")


class RedactionReadBack(RedactionFailed):
    """OCR of a blind copy's redacted page images still reads a sensitive string."""

    def __init__(self, path, page: int, leaks: list[str]):
        self.path = Path(path) if path is not None else None
        self.page, self.leaks = page, leaks
        shown = "、".join(f"「{s}」" for s in leaks[:5])
        KexieError.__init__(self, f"文件「{_name(path)}」的匿名副本第 {page} 页涂去后，"
                                  f"文字识别仍读出 {shown}（可能在图片中或被拆成图形），为防泄露未予打入评审包；"
                                  "请核对该页，必要时请申报单位去掉其中的单位名称后重新提交")


# --- 补正通知 ----------------------------------------------------------------------------------


class NoCorrectionNeeded(UsageProblem):
    """A 补正通知 is asked for a file whose 形式审查 found nothing to correct."""

    kind = "no_correction"

    def __init__(self, path):
        self.path = Path(path) if path is not None else None
        super().__init__(f"文件「{_name(path)}」形式审查齐全，没有需要补正的问题，不发补正通知；"
                         "如该文件有误，请先用 kexie confirm 记录或重新运行 kexie validate")


# --- 项目台账 ----------------------------------------------------------------------------------


class LedgerRefused(UsageProblem):
    """A record for the project ledger (kexie record) breaks the programme's rules: a 验收 without
    a 任务书, an extension past the limit, a payment above what is due. Nothing is recorded."""

    kind = "ledger"

    def __init__(self, unit: str, reason: str, where: str | None = None):
        self.unit, self.reason, self.where = unit, reason, where
        head = f"{where}：" if where else ""
        super().__init__(f"{head}单位「{unit}」{reason}；本次未记录任何事件")
