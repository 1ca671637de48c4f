"""Expert review: returned score sheets → weighted totals → ranking, grades and funding.

The rules, in order:

- a sheet counts only if it is one the packet run sent to one of its experts, unchanged outside
  its yellow cells, and a row only for a submission the run gave that expert
  (:mod:`pipeline.admit`; the run from :mod:`pipeline.runs`); what is refused is named, and so is
  every submission with fewer sheets than the run assigned (「应评专家数」「未计评分的专家」);
- each score must lie within 0..满分 of its criterion (programme 「评审标准」, 满分 default 100);
  a missing or out-of-range score is a problem naming the expert, the submission and the
  criterion. Only that expert's total for that submission is lost: the expert's other rows, the
  other experts and the other sheets still count;
- an expert's total for a submission is Σ score ÷ 满分 × 权重 (权重 add up to 100: a 0–100 total);
- a submission's 平均分 is the mean of its experts' totals, rounded half-up to 0.01; with
  「评审规则.去掉最高最低分: true」 and at least 5 experts the highest and the lowest total are
  dropped first (one each);
- 排名 is on 平均分 as shown (0.01), ties share a rank (1, 2, 2, 4);
- 等级 only where the programme defines grading (「评审规则.等级」: each grade with its lower bound,
  inclusive; seed 003 第十八条: 90（含）–100 优, 80（含）–90 良, 60（含）–80 中, below 60 差); results
  without it have no 等级 column;
- 分歧 flags a submission whose experts' totals differ (max − min) by more than
  「评审规则.分歧阈值」 (default 15 points);
- funding (「经费.分配方式」: 定额, 范围 or 因素法, with 「经费.上限」 enforced) is
  :mod:`pipeline.funding`'s.

``pipeline.report.results.write_results`` writes the workbook: 「结果」 (every submission, by rank),
「名单」 (funded only — the sheet ``kexie fill`` reads, so ``kexie fill 任务书 --data results.xlsx``
makes one task book per funded project) and 「明细」 (every expert's scores).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .admit import ScoreProblem, admit_sheets, submission_label
from .errors import DataFileError, ProgramFileError
from .funding import FUNDED, NOT_FUNDED, check_funds, fund, method_of
from .numbers import parse_number
from .records import load_records
from .runs import PacketRun

#: the columns of 「结果」 and 「名单」, before any carried over from the roster
RESULT_COLUMNS = ("排名", "编号", "申报单位", "试点单位", "项目名称", "负责人", "专家数", "平均分",
                  "等级", "分歧", "是否资助", "资助金额")
SUBMISSION_KEYS = ("编号", "申报单位", "试点单位", "项目名称")
#: the columns after RESULT_COLUMNS that say whether every assigned expert's sheet counted
REVIEW_COLUMNS = ("应评专家数", "未计评分的专家")
DEFAULT_SPREAD = Decimal(15)
#: dropping the highest and lowest total needs this many experts
DROP_MIN_EXPERTS = 5
_CENT = Decimal("0.01")


@dataclass
class ExpertScore:
    """One expert's scores for one submission."""

    expert: str
    group: str
    file: str
    scores: dict  # criterion → Decimal, or None when missing or invalid
    total: Decimal | None = None  # None when any score is missing or invalid
    counted: str = ""  # 计入 / 去掉（最高分） / 去掉（最低分） / 不计（评分不全）
    expert_id: str = ""  # the packet run's id of the expert (E01 …)


@dataclass
class SubmissionResult:
    """One submission's outcome."""

    key: str
    fields: dict  # 编号, 申报单位, 试点单位, 项目名称, 负责人 and the roster's other columns
    experts: list[ExpertScore] = field(default_factory=list)
    average: Decimal | None = None
    rank: int | None = None
    grade: str = ""
    spread: Decimal | None = None
    disputed: bool = False
    funded: str = NOT_FUNDED
    amount: int | None = None

    @property
    def label(self) -> str:
        return " ".join(str(self.fields.get(k) or "") for k in ("编号", "申报单位")).strip() or self.key


@dataclass
class ScoreResults:
    """Everything ``score`` found: submissions by rank, problems, warnings."""

    criteria: list[dict]
    submissions: list[SubmissionResult]
    experts: list[str]
    method: str
    problems: list[ScoreProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    run_id: str = ""
    graded: bool = False  # the programme defines 「评审规则.等级」: results get a 等级 column

    @property
    def columns(self) -> list[str]:
        """The columns of 「结果」 and 「名单」: 等级 only when the programme grades."""
        own = [c for c in RESULT_COLUMNS if c != "等级" or self.graded]
        return own + self.extra_columns

    @property
    def funded(self) -> list[SubmissionResult]:
        return [s for s in self.submissions if s.funded == FUNDED]


# --- the programme's rules -----------------------------------------------------------------


def criteria_from_program(program: dict) -> list[dict]:
    """The programme's 评审标准 as [{名称, 权重, 满分}] (Decimals); 权重 must add up to 100."""
    criteria = program.get("评审标准") or []
    if not criteria:
        raise ProgramFileError(None, "计划文件未写明「评审标准」（各项名称、权重、满分），无法计算评审得分")
    out = []
    for criterion in criteria:
        maximum = Decimal(str(criterion.get("满分", 100)))
        if maximum <= 0:
            raise ProgramFileError(None, f"「评审标准」中「{criterion['名称']}」的满分应大于0")
        out.append({"名称": criterion["名称"], "权重": Decimal(str(criterion["权重"])), "满分": maximum})
    weights = sum(c["权重"] for c in out)
    if weights != 100:
        raise ProgramFileError(None, f"「评审标准」各项权重之和应为100，现为{weights.normalize():f}")
    return out


def grade_bands(program: dict) -> list[tuple[Decimal, str]]:
    """The programme's 「评审规则.等级」 as (lower bound inclusive, grade), highest first; [] when
    the programme does not grade."""
    bands = (program.get("评审规则") or {}).get("等级") or []
    return sorted(((Decimal(str(b["不低于"])), b["等级"]) for b in bands), reverse=True)


def grade(average, bands: list[tuple[Decimal, str]]) -> str:
    """The grade of a score: the first band whose lower bound it reaches (seed 003 第十八条:
    优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 ≥ 0); "" when none does or the programme does not grade."""
    value = Decimal(str(average))
    return next((name for lower, name in bands if value >= lower), "")


def competition_ranks(values: list) -> list[int]:
    """Ranks of values, highest first, ties sharing a rank (1, 2, 2, 4)."""
    ordered = sorted(values, reverse=True)
    first = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return [first[v] for v in values]


# --- reading the sheets --------------------------------------------------------------------


def _format(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _collect(run: PacketRun, sheets, criteria, problems) -> dict[str, SubmissionResult]:
    """Every submission of the run (none vanishes), with the scores of the sheets that count."""
    submissions: dict[str, SubmissionResult] = {}
    for code, entry in run.submissions.items():
        fields = {k: entry.get(k, "") for k in SUBMISSION_KEYS}
        fields["编号"] = code
        submissions[code] = SubmissionResult(key=code, fields=fields)
    for sheet in sheets:
        file, expert, group = sheet.file, sheet.expert, sheet.group
        for row in sheet.rows:
            submission = submissions[row["编号"]]
            label = submission_label(run, row["编号"])
            scores, complete = {}, True
            for criterion in criteria:
                name, maximum = criterion["名称"], criterion["满分"]
                raw = row["评分"].get(name)
                value = parse_number(raw)
                reason = None
                if raw is None:
                    reason = "缺少分数"
                elif value is None:
                    reason = f"「{raw}」不是数字"
                elif not 0 <= value <= maximum:
                    reason = f"分数{_format(value)}超出范围（应为0至{_format(maximum)}）"
                if reason:
                    problems.append(ScoreProblem(file, reason + "：该专家对本项目的总分未计入",
                                                 expert=expert, submission=label, criterion=name))
                    value, complete = None, False
                scores[name] = value
            total = None
            if complete:
                total = sum((scores[c["名称"]] / c["满分"] * c["权重"] for c in criteria), Decimal(0))
            submission.experts.append(ExpertScore(expert, group, file, scores, total,
                                                  "计入" if complete else "不计（评分不全）", sheet.expert_id))
    return submissions


def _missing_sheets(run: PacketRun, submissions: dict[str, SubmissionResult], problems) -> None:
    """Name every submission with fewer counted sheets than the run assigned, and say so in its row."""
    for code, submission in submissions.items():
        assigned = run.reviewers(code)
        got = {e.expert_id for e in submission.experts}
        missing = [run.expert_label(eid) for eid in assigned if eid not in got]
        submission.fields[REVIEW_COLUMNS[0]] = len(assigned)
        submission.fields[REVIEW_COLUMNS[1]] = "、".join(missing)
        if missing and assigned:
            problems.append(ScoreProblem("", f"分配给{len(assigned)}位专家，只有{len(assigned) - len(missing)}份评分表"
                                             f"计入（未交或未计入：{'、'.join(missing)}）：平均分只按计入的评分计算",
                                         submission=submission.label))


# --- the whole review ----------------------------------------------------------------------


def load_roster(path) -> dict[str, dict]:
    """A roster (as for ``kexie fill``) keyed by 申报单位, its columns flattened (a.b)."""
    roster = {}
    for record in load_records(path):
        fields = _flatten(record.fields)
        unit = str(fields.get("申报单位") or "").strip()
        if not unit:
            raise DataFileError(path, f"{record.label}没有「申报单位」：名单按申报单位与评分对应")
        if unit in roster:
            raise DataFileError(path, f"申报单位「{unit}」出现了两次")
        roster[unit] = fields
    return roster


def _flatten(fields: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in fields.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def score(paths, program: dict, roster: dict[str, dict] | None = None, *, workspace,
          manifest=None) -> ScoreResults:
    """Read the score sheets at ``paths`` and rank, grade and fund the submissions; the sheets
    are checked against their packet run, kept in ``workspace`` or named by ``manifest``."""
    criteria = criteria_from_program(program)
    rules = program.get("评审规则") or {}
    drop_extremes = bool(rules.get("去掉最高最低分", False))
    threshold = Decimal(str(rules.get("分歧阈值", DEFAULT_SPREAD)))
    funds = program["经费"]
    check_funds(funds, roster)  # refuse a bad programme before reading any sheet
    bands = grade_bands(program)

    problems: list[ScoreProblem] = []
    run, sheets = admit_sheets(paths, criteria, problems, workspace=workspace, manifest=manifest)
    submissions = _collect(run, sheets, criteria, problems)
    _missing_sheets(run, submissions, problems)
    for submission in submissions.values():
        _average(submission, drop_extremes, threshold)

    warnings: list[str] = []
    extra_columns = list(REVIEW_COLUMNS) + _merge_roster(submissions, roster, warnings)
    ranked = [s for s in submissions.values() if s.average is not None]
    for submission, rank in zip(ranked, competition_ranks([s.average for s in ranked])):
        submission.rank = rank
        submission.grade = grade(submission.average, bands)
    for submission in submissions.values():
        if submission.average is None:
            warnings.append(f"项目「{submission.label}」没有一份完整的评分：未排名、未资助")
    order = sorted(submissions.values(), key=lambda s: (s.rank is None, s.rank or 0, s.key))
    results = ScoreResults(criteria=criteria, submissions=order, experts=[s.expert for s in sheets],
                           method=method_of(funds), problems=problems, warnings=warnings,
                           extra_columns=extra_columns, run_id=run.id, graded=bool(bands))
    _apply_funding(results, funds, roster)
    if roster is not None:
        for submission in results.funded:
            if submission.fields["申报单位"] not in roster:
                warnings.append(f"资助项目「{submission.label}」的申报单位不在名单中：任务书所需的联系人等信息为空")
    return results


def _average(submission: SubmissionResult, drop_extremes: bool, threshold: Decimal) -> None:
    complete = [e for e in submission.experts if e.total is not None]
    if not complete:
        return
    totals = [e.total for e in complete]
    submission.spread = max(totals) - min(totals)
    submission.disputed = submission.spread > threshold
    counted = complete
    if drop_extremes and len(complete) >= DROP_MIN_EXPERTS:
        highest = max(complete, key=lambda e: e.total)
        lowest = min((e for e in complete if e is not highest), key=lambda e: e.total)
        highest.counted, lowest.counted = "去掉（最高分）", "去掉（最低分）"
        counted = [e for e in complete if e is not highest and e is not lowest]
    mean = sum((e.total for e in counted), Decimal(0)) / len(counted)
    submission.average = mean.quantize(_CENT, rounding=ROUND_HALF_UP)


def _merge_roster(submissions, roster, warnings) -> list[str]:
    """Carry the roster's columns over (by 申报单位); return the extra column names, in order."""
    if roster is None:
        return []
    extra: list[str] = []
    reserved = set(RESULT_COLUMNS) | set(REVIEW_COLUMNS) | {"序号"}
    units = {s.fields["申报单位"] for s in submissions.values()}
    unscored = [unit for unit in roster if unit not in units]
    if unscored:
        warnings.append(f"名单中有{len(unscored)}个申报单位没有任何评分：{'、'.join(unscored)}")
    for submission in submissions.values():
        row = roster.get(submission.fields["申报单位"])
        if row is None:
            continue
        for key, value in row.items():
            if key in ("试点单位", "项目名称", "负责人"):
                if not submission.fields.get(key) and value not in (None, ""):
                    submission.fields[key] = value
            elif key not in reserved:
                submission.fields[key] = value
                if key not in extra:
                    extra.append(key)
    return extra


def _apply_funding(results: ScoreResults, funds: dict, roster) -> None:
    """Fund the ranked submissions (pipeline.funding) and carry the awards into the results."""
    funding = fund([s for s in results.submissions if s.rank is not None], funds, roster)
    for submission in results.submissions:
        award = funding.awards.get(submission.key)
        if award is not None:
            submission.funded, submission.amount = award.funded, award.amount
            submission.fields.update(award.columns)
    results.extra_columns += [c for c in funding.columns if c not in results.extra_columns]
    results.problems += funding.problems
    results.warnings += funding.warnings
