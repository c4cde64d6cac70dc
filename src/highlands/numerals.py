"""Find a figure's value in Chinese text.

Sources write numbers as Arabic digits ("7,603亿元"), as Chinese numerals ("第二", "三大", "千亿级")
or mixed ("3.1万家"). The checks only need to know whether a stated value occurs in a passage,
so we list every number a passage contains and compare exactly, never by rounding.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_RUN = re.compile("[零〇一二两兩三四五六七八九十百千]+")
# Digits with optional thousands separators and decimals; separators are removed before comparing.
_ARABIC = re.compile(r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
# Full-width digits occur in some reposts.
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def chinese_numeral(run: str) -> int | None:
    """Value of a simple Chinese numeral below 10,000 ("二" 2, "十四" 14, "一百二十" 120, "千" 1000)."""
    if not run or any(ch not in _DIGITS and ch not in _UNITS for ch in run):
        return None
    if all(ch in _DIGITS for ch in run) and len(run) > 1:
        # Digit-by-digit readings such as "二〇一九" (a year).
        return int("".join(str(_DIGITS[ch]) for ch in run))
    total, digit = 0, None
    for ch in run:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return total + (digit or 0)


def numbers_in(text: str) -> set[Decimal]:
    """Every number written in ``text``, Arabic or simple Chinese, as exact decimals."""
    text = text.translate(_FULLWIDTH)
    found: set[Decimal] = set()
    for match in _ARABIC.finditer(text):
        found.add(Decimal(re.sub("[,，]", "", match.group())))
    found.update(value for _, _, value in _mixed(text))
    # German-style thousands ("3.400 Unternehmen") in a few European reposts.
    for match in re.finditer(r"(?<![\d.])\d{1,3}(?:\.\d{3})+(?![\d.])", text):
        found.add(Decimal(match.group().replace(".", "")))
    for match in _CN_RUN.finditer(text):
        run = match.group()
        value = chinese_numeral(run)
        if value is not None:
            found.add(Decimal(value))
        if not any(ch in _UNITS for ch in run):
            # "分列二三" lists ranks 2 and 3: each digit is a number too.
            found.update(Decimal(_DIGITS[ch]) for ch in run)
    return found


_CARDINALS = {word: n for n, word in enumerate(
    "one two three four five six seven eight nine ten eleven twelve".split(), start=1)}
_ORDINALS = {word: n for n, word in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(), start=1)}
# Words for "first place": 榜首 (top of the list), 首位 (Japanese and Chinese), "top spot".
_FIRST_PLACE = re.compile("榜首|首位|首位|top spot")


def ordinals_in(text: str) -> set[Decimal]:
    """English ordinals ("second") and words for first place, as numbers."""
    found = {Decimal(n) for word, n in _ORDINALS.items() if re.search(rf"\b{word}\b", text, re.I)}
    found |= {Decimal(n) for word, n in _CARDINALS.items() if re.search(rf"\b{word}\b", text, re.I)}
    if _FIRST_PLACE.search(text):
        found.add(Decimal(1))
    return found


# Variant characters in Japanese and traditional pages, so 龍崗 matches 龙岗.
_VARIANTS = str.maketrans({"龍": "龙", "崗": "岗", "順": "顺", "徳": "德", "呉": "吴", "仏": "佛",
                           "區": "区", "濱": "滨", "漢": "汉", "寶": "宝", "華": "华", "蘇": "苏",
                           "園": "园", "開": "开", "發": "发", "灣": "湾", "黃": "黄", "東": "东",
                           "別": "别", "關": "关", "據": "据", "張": "张", "廣": "广", "為": "为"})
_LIST_MARK = re.compile("依次|分别|名を連ね|分列|占据前")
# "全国百强园6-10名: A、B…" and "7-10位分别是…": the list starts at the first number.
_LIST_START = re.compile(r"(\d+)\s*[-–~至到]\s*\d+\s*[名位]")
_SUFFIX = re.compile("(园区|新区|区|市|县)$")


def list_position(name: str, text: str) -> int | None:
    """1-based position of ``name`` in an ordered list ("前十位依次是南山区、龙岗区…"), else None.

    Only passages that say they are in order (依次, 分别, "6-10名", …) count; the name is matched
    without its 区/市 suffix and with variant characters folded.
    """
    folded = text.translate(_VARIANTS)
    start = _LIST_START.search(folded)
    if not (start or _LIST_MARK.search(folded) or "トップ10" in folded):
        return None
    offset = int(start.group(1)) - 1 if start else 0
    if start:
        folded = folded[start.end():]
    items = [item for item in re.split("、|，|,|以及|和|および|及", folded) if item.strip()]
    short = _SUFFIX.sub("", name.translate(_VARIANTS)) or name
    for position, item in enumerate(items, start=1):
        if short in item:
            return position + offset
    return None


def value_in_text(value: str, text: str) -> bool:
    """True if the number written as ``value`` (e.g. "7603", "2.25") occurs in ``text``."""
    try:
        wanted = Decimal(value)
    except InvalidOperation:
        return False
    return any(number == wanted for number in numbers_in(text) | ordinals_in(text))


# Amounts written across two multipliers: 3762億600万 (3762.06 亿), 22억 2,000만 (22.2 억),
# 15조7천억 (15.7 조). The value is in the larger multiplier, as the row's unit records it.
_MIXED = [
    (re.compile(r"(\d+)\s*[亿億억]\s*([\d,]+)\s*[万萬만]"), Decimal(10000)),
    (re.compile(r"(\d+)\s*조\s*(\d)\s*천억"), Decimal(10)),
]


def _mixed(text: str) -> list[tuple[int, int, Decimal]]:
    spans = []
    for pattern, per in _MIXED:
        for match in pattern.finditer(text):
            whole, part = Decimal(match.group(1)), Decimal(match.group(2).replace(",", ""))
            spans.append((match.start(), match.end(), whole + part / per))
    return spans


def number_spans(text: str) -> list[tuple[int, int, Decimal]]:
    """Every number written in ``text`` with its position: (start, end, value).

    Arabic numbers (with or without thousands separators, full-width digits folded) and runs of
    simple Chinese numerals; positions index ``text`` as given, so the words before and after a
    number (its unit, 多, 约 …) can be read.
    """
    folded = text.translate(_FULLWIDTH)
    spans: list[tuple[int, int, Decimal]] = []
    for match in _ARABIC.finditer(folded):
        spans.append((match.start(), match.end(), Decimal(re.sub("[,，]", "", match.group()))))
    for match in re.finditer(r"(?<![\d.])\d{1,3}(?:\.\d{3})+(?![\d.])", folded):
        spans.append((match.start(), match.end(), Decimal(match.group().replace(".", ""))))
    for match in _CN_RUN.finditer(folded):
        value = chinese_numeral(match.group())
        if value is not None:
            spans.append((match.start(), match.end(), Decimal(value)))
    return sorted(spans + _mixed(folded))
