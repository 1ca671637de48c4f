"""Text as kexie compares it: one fold for labels, values and names, and the character classes.

Word and WPS write the same form with full-width or half-width punctuation and digits
（，/, ：/: （/( ／/ /), and with spaces inside labels (「姓    名」); a scan adds line breaks anywhere.
So everything that *compares* text — the matcher's labels, 形式审查's values, the names a blind copy
must not show — folds it the same way: NFKC (full-width forms to half-width) and no whitespace.
Values are always *reported* as written (FIELD-NOTES).
"""

from __future__ import annotations

import unicodedata


def fold_with_origin(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index in ``text`` it came from."""
    chars, origin = [], []
    for index, char in enumerate(text):
        if char.isspace():
            continue
        for folded in unicodedata.normalize("NFKC", char):
            if not folded.isspace():
                chars.append(folded)
                origin.append(index)
    return "".join(chars), origin


#: the same organisation written two ways (「江苏省科学技术协会」, 「江苏省科协」): blind copies paint
#: both (pipeline.packet.names), resubmissions are linked by either (pipeline.validate.history)
ALIASES = (("科学技术协会", "科协"),)


def fold(text) -> str:
    """Text for comparing: NFKC (full-width forms to half-width), all whitespace removed."""
    return fold_with_origin("" if text is None else str(text))[0]


def squeeze(text: str) -> str:
    """Runs of whitespace to one space, ends trimmed: how values are compared with each other."""
    return " ".join(text.split())


def is_cjk(char: str) -> bool:
    """CJK characters and full-width punctuation (everything from U+2E80 up)."""
    return ord(char) >= 0x2E80


def is_han(char: str) -> bool:
    """A Chinese character (CJK Unified Ideographs and Extension A)."""
    return "\u3400" <= char <= "\u9fff"


def is_latin(char: str) -> bool:
    """An ASCII letter or digit: words of these keep the space between them."""
    return char.isascii() and char.isalnum()
