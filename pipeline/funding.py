"""Funding: the ranked submissions and the programme's 「经费」 → who is funded, and with how much.

Pure functions over the ranked results (``pipeline.scores``) and the programme's 经费 section; the
three ways a programme may fund (「经费.分配方式」):

- 定额 (default): the first 「经费.资助名额」 by rank get a fixed amount: the roster's 「拟资助金额」,
  else its 「资助金额」, when the roster gives one, else 「经费.上限」; it must lie within 下限..上限;
- 范围: as 定额, but the amount must come from the roster (the panel's proposal): a project the
  roster gives no amount is 「待定」, never paid 上限 by default;
- 因素法 (seed 003 第六条): share = 该市得分 ÷ 总得分 × (当年中央补助资金 − 定额补助资金), i.e.
  score ÷ Σ score × (经费.总额 − 经费.定额补助), over the first 「经费.资助名额」 (or every ranked
  submission when no quota is set). The score is Σ factor × weight (「经费.因素」: seed 003's
  基础因素 80 % + 工作绩效因素 20 %, each factor 0–100 from a roster column or the review's 平均分),
  or the review's 平均分 when the programme names no factors. Shares are whole yuan, rounded by the
  largest-remainder method so they add up exactly to the pool. No share is paid above 「经费.上限」:
  with 「经费.超出上限: 封顶再分配」 a share above it is capped and the excess shared among the others by
  the same rule, again until none exceeds; with 「拒绝」 (the default) nothing is distributed and the
  problem is named — never paid silently.

A tie across the quota's edge is not settled by kexie: the tied submissions are 「待定」 and the
problem is reported for the review panel to decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .admit import ScoreProblem
from .errors import ProgramFileError, UsageProblem
from .numbers import parse_number

FUNDED, NOT_FUNDED, UNDECIDED = "是", "否", "待定"
FIXED, RANGE, FACTOR = "定额", "范围", "因素法"
CAP_REDISTRIBUTE, CAP_REFUSE = "封顶再分配", "拒绝"
#: a factor's 「取值」 that means the review's own 平均分, not a roster column
REVIEW_SCORE = "评审得分"
#: the result columns 因素法 adds: each project's composed score, and what capping did to its share
FACTOR_COLUMNS = ("因素法得分", "资助说明")
#: the roster's columns that give a project's amount, the first one filled wins: the proposal, then the
#: 资助金额 that 任务书 and 公示 print (samples/roster.xlsx has only this one)
ROSTER_AMOUNT_COLUMNS = ("拟资助金额", "资助金额")
_CENT = Decimal("0.01")


@dataclass
class Award:
    """What one submission gets."""

    funded: str = NOT_FUNDED
    amount: int | float | None = None
    columns: dict = field(default_factory=dict)  # FACTOR_COLUMNS → value, for 因素法


@dataclass
class Funding:
    """The outcome of ``fund``: an award per submission key, and what needs attention."""

    awards: dict[str, Award] = field(default_factory=dict)
    problems: list[ScoreProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)


# --- the programme's rules -----------------------------------------------------------------


def method_of(funds: dict) -> str:
    return funds.get("分配方式") or FIXED


def check_funds(funds: dict, roster) -> None:
    """Refuse, before any sheet is read, what makes the programme's funding impossible to apply."""
    method = method_of(funds)
    if method in (FIXED, RANGE) and funds.get("资助名额") is None:
        raise ProgramFileError(None, f"「经费.分配方式」为{method}{'（默认）' if method == FIXED else ''}时"
                                     "须写明「经费.资助名额」（资助几个项目）")
    if method == RANGE and roster is None:
        raise UsageProblem("「经费.分配方式」为范围：各项目的金额取名单的「拟资助金额」（或「资助金额」）列，"
                           "请用 --roster 给出名单")
    if method == FACTOR:
        factor_pool(funds)
        columns = [f["取值"] for f in funds.get("因素") or [] if f["取值"] != REVIEW_SCORE]
        if columns and roster is None:
            raise UsageProblem(f"「经费.因素」从名单的「{'」「'.join(columns)}」列取值：请用 --roster 给出名单")


def funding_problems(program: dict) -> list[str]:
    """The rules between the funding, grading and 验收 keys, for ``kexie program check``."""
    problems = []
    funds = program.get("经费", {})
    factors = funds.get("因素") or []
    if factors:
        weights = sum(Decimal(str(f.get("权重", 0))) for f in factors)
        if weights != 100:
            problems.append(f"「经费.因素」各项权重之和应为100，现为{_format(weights)}")
        names = [f.get("名称") for f in factors]
        if len(set(names)) != len(names):
            problems.append("「经费.因素」中有重名的因素")
    if method_of(funds) == FACTOR and "上限" in funds and funds["上限"] != int(funds["上限"]):
        problems.append(f"「经费.分配方式」为因素法时「经费.上限」应为整元数，现为{funds['上限']}")
    bands = (program.get("评审规则") or {}).get("等级") or []
    if bands:
        if len({b.get("等级") for b in bands}) != len(bands) or len({b.get("不低于") for b in bands}) != len(bands):
            problems.append("「评审规则.等级」中有重复的等级或重复的「不低于」分数")
        elif min(b.get("不低于", 0) for b in bands) != 0:
            problems.append("「评审规则.等级」最低一档的「不低于」应为0，否则低于它的得分没有等级")
    acceptance = program.get("验收") or {}
    verdicts = acceptance.get("结论") or []
    for key, given in (("通过", acceptance.get("通过")),
                       ("暂停申报.结论", (acceptance.get("暂停申报") or {}).get("结论"))):
        unknown = [v for v in given or [] if v not in verdicts]
        if unknown:
            problems.append(f"「验收.{key}」中的「{'」「'.join(unknown)}」不在「验收.结论」（{'、'.join(verdicts)}）中")
    return problems


def factor_pool(funds: dict) -> Decimal:
    """What 因素法 distributes: 经费.总额 − 经费.定额补助, in whole yuan."""
    if funds.get("总额") is None:
        raise ProgramFileError(None, "「经费.分配方式」为因素法时须写明「经费.总额」")
    pool = Decimal(str(funds["总额"])) - Decimal(str(funds.get("定额补助", 0)))
    if pool < 0 or pool != pool.to_integral_value():
        raise ProgramFileError(None, f"「经费.总额」减「经费.定额补助」应为非负的整元数，现为{_format(pool)}")
    return pool


# --- arithmetic ----------------------------------------------------------------------------


def largest_remainder(weights: list, total: int) -> list[int]:
    """Split a whole ``total`` in proportion to ``weights``: whole parts that add up to it exactly.

    Each part gets the whole part of its exact quota; the units left over go one each to the
    largest fractional remainders (ties: the earlier weight first, i.e. the better rank).
    """
    if total < 0 or int(total) != total:
        raise ValueError(f"待分配的总数应为非负整数，现为{total}")
    exact = [Fraction(str(w)) for w in weights]
    whole = sum(exact)
    if not exact:
        return []
    if whole <= 0:
        raise ValueError("各项权数之和应大于0")
    quotas = [w * int(total) / whole for w in exact]
    parts = [int(q) for q in quotas]  # floor: quotas are non-negative
    left = int(total) - sum(parts)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def exact_shares(weights: list, pool: int) -> list[Fraction]:
    """Each weight's exact share of ``pool`` (no rounding): what 第六条's formula gives."""
    exact = [Fraction(str(w)) for w in weights]
    whole = sum(exact)
    return [w * pool / whole for w in exact]


def capped_shares(weights: list, pool: int, cap: int) -> tuple[list[int], list[int], int]:
    """Split ``pool`` in proportion to ``weights`` with no part above ``cap``: (parts, capped, left).

    A part whose exact share exceeds ``cap`` is capped and the rest of the pool is shared among the
    others by the same rule, again until none exceeds (each round caps at least one more, so it
    ends); the uncapped parts are rounded by the largest remainder, so with a whole ``cap`` none
    goes above it. ``capped`` are the capped positions in the order they were capped; ``left`` is
    what could not be paid because every part is capped (0 otherwise)."""
    capped: list[int] = []
    while True:
        free = [i for i in range(len(weights)) if i not in capped]
        remaining = pool - cap * len(capped)
        if not free or remaining <= 0:
            break
        over = [i for i, share in zip(free, exact_shares([weights[i] for i in free], remaining)) if share > cap]
        if not over:
            break
        capped.extend(over)
    parts = [cap if i in capped else 0 for i in range(len(weights))]
    free = [i for i in range(len(weights)) if i not in capped]
    remaining = pool - cap * len(capped)
    if free:
        for i, part in zip(free, largest_remainder([weights[i] for i in free], remaining)):
            parts[i] = part
        remaining = 0
    return parts, capped, max(remaining, 0)


# --- applying the programme ----------------------------------------------------------------


def fund(ranked: list, funds: dict, roster: dict | None) -> Funding:
    """Fund the ranked submissions (``SubmissionResult``: key, rank, average, label, fields) as
    「经费」 says; the roster (by 申报单位) gives proposed amounts and factor values."""
    out = Funding(awards={s.key: Award() for s in ranked})
    chosen = _within_quota(ranked, funds.get("资助名额"), out)
    method = method_of(funds)
    if method == FACTOR:
        out.columns = list(FACTOR_COLUMNS)
        _by_factors(chosen, funds, roster or {}, out)
    else:
        _by_amount(chosen, funds, roster or {}, method, out)
    return out


def _within_quota(ranked, quota, out: Funding) -> list:
    if quota is None:
        return list(ranked)
    chosen = [s for s in ranked if s.rank <= quota]
    if len(chosen) > quota:  # a tie across the quota's edge
        edge = max(s.rank for s in chosen)
        tied = [s for s in chosen if s.rank == edge]
        chosen = [s for s in chosen if s.rank < edge]
        for s in tied:
            out.awards[s.key].funded = UNDECIDED
        out.problems.append(ScoreProblem(
            "", f"第{edge}名有{len(tied)}个项目并列（{'、'.join(s.label for s in tied)}），"
                f"资助名额{quota}个只剩{quota - len(chosen)}个：请评审组决定后在「名单」中调整，这些项目暂列「待定」"))
    return chosen


def _by_amount(chosen, funds, roster, method, out: Funding) -> None:
    """定额 and 范围: each project's own amount, within 下限..上限."""
    low, high = Decimal(str(funds["下限"])), Decimal(str(funds["上限"]))
    for submission in chosen:
        amount, reason = high, None
        column, proposed = roster_amount(roster.get(submission.fields["申报单位"], {}))
        if proposed not in (None, ""):
            amount = parse_number(proposed)
            if amount is None:
                reason = f"名单中的{column}「{proposed}」不是数字"
            elif not low <= amount <= high:
                reason = f"{column}{_format(amount)}元不在经费下限{_format(low)}至上限{_format(high)}元之间"
        elif method == RANGE:
            reason = (f"名单中没有该项目的{'或'.join(ROSTER_AMOUNT_COLUMNS)}（「经费.分配方式」为范围：金额由名单给出，"
                      f"应在{_format(low)}至{_format(high)}元之间）")
        if reason:
            out.awards[submission.key].funded = UNDECIDED
            out.problems.append(ScoreProblem("", reason + "：暂列「待定」", submission=submission.label))
            continue
        out.awards[submission.key] = Award(FUNDED, _whole(amount))
    total = funds.get("总额")
    spent = sum(a.amount for a in out.awards.values() if a.funded == FUNDED)
    if total is not None and spent > Decimal(str(total)):
        out.warnings.append(f"资助金额合计{spent}元超出经费总额{_format(Decimal(str(total)))}元")


def _by_factors(chosen, funds, roster, out: Funding) -> None:
    """因素法, seed 003 第六条: 该市得分 ÷ 总得分 × (中央补助资金 − 定额补助资金), none above 上限."""
    pool = int(factor_pool(funds))
    if not chosen:
        return
    scores = _factor_scores(chosen, funds.get("因素") or [], roster, out)
    if scores is None:
        return
    for submission, value in zip(chosen, scores):  # shown to 0.01; the shares use the exact score
        out.awards[submission.key].columns[FACTOR_COLUMNS[0]] = float(value.quantize(_CENT, rounding=ROUND_HALF_UP))
    if sum(scores) <= 0:
        out.problems.append(ScoreProblem("", "参与因素法分配的项目得分之和为0，无法分配"))
        return
    low, cap = Decimal(str(funds["下限"])), int(funds["上限"])
    exact = exact_shares(scores, pool)
    over = [i for i, share in enumerate(exact) if share > cap]
    if over and (funds.get("超出上限") or CAP_REFUSE) == CAP_REFUSE:
        for i, submission in enumerate(chosen):
            out.awards[submission.key].funded = UNDECIDED
            if i in over:
                out.problems.append(ScoreProblem(
                    "", f"按因素法应得{_yuan(exact[i])}元，超出经费上限{cap:,}元；计划规定超出上限时拒绝分配"
                        f"（经费.超出上限: 拒绝）：全部项目暂列「待定」，请调整经费总额、上限或资助名额后重新汇总，"
                        f"或将「经费.超出上限」改为封顶再分配", submission=submission.label))
        return
    parts, capped, left = capped_shares(scores, pool, cap)
    for i, (submission, amount) in enumerate(zip(chosen, parts)):
        award = out.awards[submission.key]
        award.funded, award.amount = FUNDED, amount
        if i in capped:
            award.columns[FACTOR_COLUMNS[1]] = (f"封顶：按因素法应得{_yuan(exact[i])}元，超出上限，按上限{cap:,}元拨付，"
                                                f"超出部分按同一办法分给其他项目")
        elif capped:
            award.columns[FACTOR_COLUMNS[1]] = f"含封顶项目再分配的金额（未封顶时应得{_yuan(exact[i])}元）"
        if amount < low:
            out.warnings.append(f"项目「{submission.label}」按因素法分得{amount}元，低于经费下限{_format(low)}元")
    if capped:
        out.warnings.append(f"因素法：{len(capped)}个项目的份额超出上限{cap:,}元，已按上限封顶，超出部分按得分分给其他项目"
                            f"（{'、'.join(chosen[i].label for i in capped)}）")
    if left:
        out.problems.append(ScoreProblem("", f"参与因素法分配的{len(chosen)}个项目都已按上限{cap:,}元封顶，"
                                             f"待分配的{pool:,}元中尚有{left:,}元无法分配：请调整经费总额、上限或资助名额"))


def _factor_scores(chosen, factors, roster, out: Funding) -> list[Decimal] | None:
    """Each chosen project's 因素法 score: Σ factor × 权重 ÷ 100 (or its 平均分 with no factors);
    None, every chosen project 「待定」, when a factor value is missing or not a number in 0–100."""
    if not factors:
        return [Decimal(str(s.average)) for s in chosen]
    scores, bad = [], False
    for submission in chosen:
        row = roster.get(submission.fields["申报单位"], {})
        total = Decimal(0)
        for factor in factors:
            source = factor["取值"]
            raw = submission.average if source == REVIEW_SCORE else row.get(source)
            value = parse_number(raw) if raw not in (None, "") else None
            if value is None or not 0 <= value <= 100:
                why = "没有" if raw in (None, "") else f"为「{raw}」，不是0至100之间的数"
                out.problems.append(ScoreProblem(
                    "", f"因素「{factor['名称']}」取名单的「{source}」列，该项目{why}：因素法无法分配，"
                        f"全部项目暂列「待定」", submission=submission.label))
                bad = True
                continue
            total += Decimal(str(value)) * Decimal(str(factor["权重"])) / 100
        scores.append(total)
    if bad:
        for submission in chosen:
            out.awards[submission.key].funded = UNDECIDED
        return None
    return scores


def roster_amount(row: dict) -> tuple[str, object]:
    """(column, value) of the amount the roster gives a project; (column, None) when it gives none."""
    for column in ROSTER_AMOUNT_COLUMNS:
        if row.get(column) not in (None, ""):
            return column, row[column]
    return ROSTER_AMOUNT_COLUMNS[0], None


def _format(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _yuan(exact: Fraction) -> str:
    return f"{Decimal(exact.numerator) / Decimal(exact.denominator):,.2f}"


def _whole(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)
