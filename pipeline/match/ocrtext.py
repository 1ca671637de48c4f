"""OCR's text as the form was printed: its punctuation slips and specks of dirt undone.

The recogniser returns half-width 「(),:;」 where Chinese text has full-width ones, reads specks
of dirt as 「.」/「·」/「*」, and a lone 「/」 as 「1」 or 「卜」 (PaddleOCR #9690). These helpers only
ever remove what printed Chinese never holds; values a text layer gives are left as written.
"""

from __future__ import annotations

from ..text import is_cjk, is_han

#: OCR's half-width forms of the full-width marks printed in Chinese text
HALF_TO_FULL = {"(": "（", ")": "）", ",": "，", ":": "：", ";": "；"}
#: What OCR makes of a lone 「/」 (PaddleOCR #9690; 「1.」 with a speck beside it).
SLASH_READINGS = {"/", "1", "1.", "l", "I", "|", "卜", "7", "／", "丿", "ノ"}

#: What OCR reads in place of a figure or of 年月日 where print has one (the shapes it confuses);
#: tried only on a value that fails its box's format (手机、邮编、日期…), one character at a time.
LOOKALIKES = {
    "O": "0", "o": "0", "〇": "0", "○": "0", "D": "0", "Q": "0",
    "l": "1", "I": "1", "|": "1", "!": "1", "]": "1",
    "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "G": "6", "b": "6", "q": "9", "g": "9", "T": "7",
    "H": "日", "曰": "日", "目": "日", "口": "日", "囗": "日", "旦": "日",
    "冃": "月", "用": "月", "丹": "月", "午": "年", "牛": "年",
    ",": ".", "，": ".",  # a comma for a dot: 「kxbgs@foxmail,com」
    ":": "-", "：": "-",  # a colon for a landline's hyphen: 「0433:30939978」
}
#: specks OCR puts into a figure (「2.026年」「0938-51,002」): dropped, one at a time, by the same test
STRAY_MARKS = set(".·,，、'`‘’\"_~^")

#: Chinese punctuation after which no other of these is ever written.
_PAUSES = set("，、；：。")


_QUOTES = set("“”‘’")


def ocr_punctuation(text: str) -> str:
    """Undo OCR's punctuation slips in Chinese text.

    OCR returns half-width 「(),:;」 where Chinese text has full-width ones, and reads specks of
    dirt as 「.」/「·」: between Chinese characters, or leading a value, neither is ever written;
    nor a 「·」 next to whitespace or between a number and a Chinese character (「30·个」), nor a
    「.」 standing alone or between a number written inside a sentence and the Chinese character
    after it (「项目15.项」; 「。2.加强」 at a paragraph's start is numbering and stays). A 「.」
    inside an e-mail address, a decimal or 「1977.01」 stays. Two pauses in a row (「，，」,
    「、：」) are one pause and a speck; so is a 「.」 after a closing quote or a 「/」, a 「*」
    between Chinese characters (a seal's star) and a colon starting a line.
    """
    chars = list(text)
    out = []
    for i, char in enumerate(chars):
        before = out[-1] if out else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        char = "·" if char in "•∙⋅" else char  # a speck read as any kind of dot
        if char in ".·．" and (not before or is_cjk(before) or before in _QUOTES or before == "/"):
            continue
        if char in ":：" and (not before or before.isspace()) and (not after or after.isspace() or is_cjk(after)):
            continue  # a colon starting a line (「 :试点」) is a speck
        if char == "*" and before and is_cjk(before) and after and is_cjk(after):
            continue  # a seal's star read between characters (「，*申报」)
        if HALF_TO_FULL.get(char, char) in _PAUSES and before in _PAUSES:  # 「，，」「、：」: a speck
            continue
        if char in ".·" and before.isspace() and (not after or after.isspace() or is_cjk(after)):
            continue
        if char == "·" and (not after or after.isspace() or is_cjk(after)):
            continue
        if char == "." and before.isdigit() and not after:
            continue  # 「1985-05.」: nothing ends in a full stop after a figure but a speck
        if char in ".·" and before.isdigit() and after and is_han(after):
            digits = len(out)
            while digits and out[digits - 1].isdigit():
                digits -= 1
            if digits and is_han(out[digits - 1]):
                continue
        if char in HALF_TO_FULL and ((before and is_cjk(before)) or (after and is_cjk(after) and char in "(")):
            char = HALF_TO_FULL[char]
        out.append(char)
    return "".join(out)


def paired_quotes(text: str) -> str:
    """Chinese double quotes as written, open then close: OCR reads the two alike (「“科创中国“」).
    Put right only where their count is even — a quote OCR lost would shift every pair after it."""
    marks = [i for i, char in enumerate(text) if char in "“”"]
    if not marks or len(marks) % 2:
        return text
    chars = list(text)
    for n, i in enumerate(marks):
        chars[i] = "“" if n % 2 == 0 else "”"
    return "".join(chars)


def repaired(value: str, accepts) -> str | None:
    """The one reading ``accepts`` takes that differs from an OCR'd ``value`` by one look-alike
    character or one speck (「2026年5月30H」 → 「2026年5月30日」), or None: none, or more than one
    (then a person reads it). Only for a value its format refuses as read."""
    found = set()
    for i, char in enumerate(value):
        options = ([LOOKALIKES[char]] if char in LOOKALIKES else []) + ([""] if char in STRAY_MARKS else [])
        for option in options:
            candidate = value[:i] + option + value[i + 1:]
            if accepts(candidate):
                found.add(candidate)
    return found.pop() if len(found) == 1 else None


def without_specks(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """Normalised OCR text without the specks of dirt OCR read as 「.」/「·」 where printed Chinese
    never has one: with Chinese (or nothing) on both sides (「电子 ·」, 「进展.情况」, 「.情况」).
    Only for matching labels; a 「.」 after a digit or a Latin letter (「1.工作计划」) stays."""
    chars, kept = [], []
    for i, char in enumerate(text):
        if char in ".·":
            before = chars[-1] if chars else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if (not before or is_cjk(before)) and (not after or is_cjk(after) or after in ".·"):
                continue
        chars.append(char)
        kept.append(origin[i])
    return "".join(chars), kept


def printed_width(text: str, em: float) -> float:
    """Printed width of ``text``: one em per Chinese character or full-width mark, half for ASCII
    (but OCR's 「(),:;」 stand for the full-width marks printed in Chinese text)."""
    return sum(em if is_cjk(c) or c in HALF_TO_FULL else 0.5 * em for c in text)

