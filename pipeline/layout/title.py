"""Break a 公文 title into lines the way GB/T 9704-2012 7.3.1 asks: 「回行时，要做到词意完整，
排列对称，长短适宜，间距恰当，标题排列应当使用梯形或菱形」.

A title breaks only between words (the words of ``pipeline/data/title_words.yaml`` plus the
names the caller keeps whole, such as the programme's 名称), never before a 虚词 (的/和/及…)
or a closing mark, never after an opening mark; no line is shorter than three characters (no
「件」 or 「通知」 left alone), and the lines form an inverted trapezoid or a diamond (the longest
line first or in the middle). Among the layouts that obey these rules the fewest lines win,
then the one that breaks fewest kept names and has the most even lines.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources
from itertools import combinations
from math import comb

import yaml

MIN_LINE = 3  # 「件」 or 「通知」 alone on a line reads as a fault
_OPENING = set("《“‘（(〈「『【〔")
_CLOSING = set("》”’）)〉」』】〕、，。：；！？,.:;!?")
_NUMBER = re.compile(r"[0-9０-９]+(年度|年|批|届|期)?")
_KEPT_NAME_COST = 10  # breaking inside the programme's name is allowed only to fit the line
_LAST_RESORT_COST = 100  # a break inside an unknown word, used only when nothing else fits


@cache
def _words() -> tuple[frozenset, frozenset]:
    text = resources.files("pipeline").joinpath("data/title_words.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return frozenset(data["词"]), frozenset(data["虚词"])


def text_width(text) -> float:
    """Width of a text in full-width characters: a Chinese character 1, a Latin letter or digit ½."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in str(text))


def _tokens(text: str) -> list[tuple[str, str]]:
    """Split text into (piece, kind): word, particle, open, close or other (unknown runs merged)."""
    words, particles = _words()
    longest = max(map(len, words | particles))
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        char = text[i]
        number = _NUMBER.match(text, i)
        if number:
            piece, kind = number.group(), "word"
        elif char in _OPENING or char in _CLOSING:
            piece, kind = char, "open" if char in _OPENING else "close"
        else:
            piece = next((text[i:i + n] for n in range(min(longest, len(text) - i), 0, -1)
                          if text[i:i + n] in words or text[i:i + n] in particles), char)
            kind = "particle" if piece in particles else "word" if piece in words else "other"
        if kind == "other" and tokens and tokens[-1][1] == "other":
            tokens[-1] = (tokens[-1][0] + piece, "other")  # an unknown word stays whole
        else:
            tokens.append((piece, kind))
        i += len(piece)
    return tokens


def _breaks(text: str, keep) -> dict[int, int]:
    """Positions where a line may break, each with its cost (0 after a 虚词, 1 between words)."""
    kept = [(m.start(), m.end()) for name in keep if name
            for m in re.finditer(re.escape(name), text)]
    tokens = _tokens(text)
    costs: dict[int, int] = {}
    position = 0
    for (before, kind_before), (_after, kind_after) in zip(tokens, tokens[1:]):
        position += len(before)
        if kind_before == "open" or kind_after in ("close", "particle"):
            continue
        cost = 0 if kind_before == "particle" else 1
        if any(start < position < end for start, end in kept):
            cost += _KEPT_NAME_COST
        costs[position] = cost
    return costs


def _last_resort(text: str, costs: dict[int, int]) -> dict[int, int]:
    extra = {i: _LAST_RESORT_COST for i in range(1, len(text))
             if i not in costs and text[i - 1] not in _OPENING and text[i] not in _CLOSING}
    return {**extra, **costs}


def _shaped(widths: list[float]) -> bool:
    """An inverted trapezoid or a diamond: rising to the longest line, then falling (½ slack)."""
    peak = widths.index(max(widths))
    if len(widths) > 1 and peak == len(widths) - 1:
        return False
    rising = all(a <= b + 0.5 for a, b in zip(widths[:peak], widths[1:peak + 1]))
    falling = all(a + 0.5 >= b for a, b in zip(widths[peak:], widths[peak + 1:]))
    return rising and falling


_EXHAUSTIVE = 20_000  # layouts tried one by one; past that, the even-lines search below


def _even(text: str, costs: dict[int, int], chars_per_line: float, count: int) -> list[str] | None:
    """The layout of ``count`` lines closest to even (a dynamic programme: long titles stay fast)."""
    target = text_width(text) / count
    ends = [0, *sorted(costs), len(text)]
    best = {(0, 0): (0.0, None)}  # (lines, end) -> (score, previous end)
    for lines in range(1, count + 1):
        for end in ends[1:]:
            for start in ends:
                if start >= end or (lines - 1, start) not in best:
                    continue
                line = text[start:end]
                width = text_width(line)
                if width > chars_per_line or len(line) < MIN_LINE:
                    continue
                score = best[(lines - 1, start)][0] + costs.get(start, 0) + (width - target) ** 2
                if (lines, end) not in best or score < best[(lines, end)][0]:
                    best[(lines, end)] = (score, start)
    if (count, len(text)) not in best:
        return None
    bounds, end = [len(text)], len(text)
    for lines in range(count, 0, -1):
        end = best[(lines, end)][1]
        bounds.append(end)
    bounds.reverse()
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]


def _best(text: str, costs: dict[int, int], chars_per_line: float) -> list[str] | None:
    positions = sorted(costs)
    for count in range(1, len(text) // MIN_LINE + 1):
        if comb(len(positions), count - 1) > _EXHAUSTIVE:
            lines = _even(text, costs, chars_per_line, count)
            if lines is not None:
                return lines
            continue
        best, best_score = None, None
        for cut in combinations(positions, count - 1):
            bounds = (0, *cut, len(text))
            lines = [text[a:b] for a, b in zip(bounds, bounds[1:])]
            widths = [text_width(line) for line in lines]
            if max(widths) > chars_per_line or min(len(line) for line in lines) < MIN_LINE:
                continue
            score = (not _shaped(widths), sum(costs[c] for c in cut) + max(widths) - min(widths))
            if best_score is None or score < best_score:
                best, best_score = lines, score
        if best is not None:
            return best
    return None


def break_title(text, chars_per_line: float = 20, keep=()) -> list[str]:
    """The lines of a title at most ``chars_per_line`` wide, broken between words (GB/T 9704 7.3.1).

    ``keep`` names (a text or a list of texts, e.g. the programme's 名称) are broken only when
    they cannot fit on one line.
    """
    text = re.sub(r"\s+", "", str(text))
    if chars_per_line < MIN_LINE:
        raise ValueError(f"标题每行字数「{chars_per_line}」太小，至少为 {MIN_LINE}")
    if text_width(text) <= chars_per_line:
        return [text] if text else []
    keep = [keep] if isinstance(keep, str) else [str(name) for name in _flatten(keep)]
    costs = _breaks(text, [re.sub(r"\s+", "", name) for name in keep])
    lines = _best(text, costs, chars_per_line) or _best(text, _last_resort(text, costs), chars_per_line)
    if lines is None:
        raise ValueError(f"标题「{text}」无法排成每行不超过 {chars_per_line:g} 字、每行至少 {MIN_LINE} 字")
    return lines


def _flatten(values):
    for value in values:
        if isinstance(value, (list, tuple)):
            yield from _flatten(value)
        elif value:
            yield value


_FLAG_SUFFIX = "文件"


def issuer_flag(value) -> dict:
    """The names, 「文件」 and widest line (in characters) of a 发文机关标志 (GB/T 9704-2012 7.2.1)."""
    # A text is one issuer (「益阳市科学技术协会文件」); a list is a joint issue (联合发文), one
    # issuer an item, the host first: [益阳市科学技术协会, 益阳市财政局文件]. The names go one a
    # line, 「文件」 to their right when the 标志 has it.
    items = [str(item).strip() for item in _flatten([value])] if not isinstance(value, str) else [value.strip()]
    items = [item for item in items if item]
    if not items:
        raise ValueError("发文机关标志为空：应写发文机关名称（可加「文件」）")
    suffix = _FLAG_SUFFIX if any(item.endswith(_FLAG_SUFFIX) for item in items) else ""
    names = [item[: -len(suffix)] if suffix and item.endswith(suffix) else item for item in items]
    if any(len(name) < 2 for name in names):
        raise ValueError(f"发文机关标志「{'、'.join(items)}」中有的机关名称为空")
    width = max(text_width(name) for name in names) + text_width(suffix)
    return {"names": names, "suffix": suffix, "width": width}
