"""Reading Chinese notice text: numerals, dates (四月底, 五月中旬), phone numbers, names and places in pinyin.

Used by the importer (``knowledge/importer.py``). Pinyin comes from pypinyin, imported only when a name is
romanised (about 0.12 s: its dictionaries load with it), so the bot's start-up does not pay for it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from knowledge.clauses import cn_to_int

CN_DIGITS = "〇一二三四五六七八九十两"
NUMBER = r"(?:\d+|[〇一二三四五六七八九十两]+)"
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
MONTHS_EN = [calendar.month_name[m] for m in range(13)]

# Shanxi's eleven cities: the forwarding letter's place, its English name and its clause-id prefix. pypinyin reads
# 长治 as "zhangzhi" and writes 吕梁 with a v, so the table wins where it knows the city.
SHANXI_CITIES = {
    "太原": "Taiyuan", "大同": "Datong", "朔州": "Shuozhou", "忻州": "Xinzhou", "吕梁": "Lüliang",
    "晋中": "Jinzhong", "长治": "Changzhi", "晋城": "Jincheng", "临汾": "Linfen", "运城": "Yuncheng",
    "阳泉": "Yangquan",
}
_PREFIXES = {"太原": "ty", "大同": "dt", "朔州": "sz", "忻州": "xz", "吕梁": "ll", "晋中": "jz", "长治": "cz",
             "晋城": "jc", "临汾": "lf", "运城": "yc", "阳泉": "yq"}

# English names of the offices this genre names; the importer's report asks for a check of all English wording.
DEPARTMENT_EN = "Shanxi HR and Social Security Department"
DIVISIONS_EN = {"专业技术人员管理处": "Professional and Technical Personnel Division",
                "专技处": "Professional and Technical Personnel Division",
                "职业能力建设处": "Vocational Capacity Building Division",
                "职建处": "Vocational Capacity Building Division"}
SECTIONS_EN = {"专管科": "special management section", "专技科": "professional and technical section",
               "专业技术人员管理科": "professional and technical personnel section",
               "人才开发科": "talent development section", "职业能力建设科": "vocational capacity building section"}

# Surnames read differently from the same character elsewhere (蔚敏 is Yu Min, not Wei Min).
_SURNAME_READINGS = {
    "蔚": "yu", "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao", "查": "zha",
    "乐": "yue", "盖": "ge", "缪": "miao", "覃": "qin", "翟": "zhai", "宓": "mi", "种": "chong", "重": "chong",
    "折": "she", "秘": "bi", "召": "shao", "黑": "he", "员": "yun", "繁": "po", "柏": "bai", "长": "chang",
    "尉迟": "yuchi", "长孙": "zhangsun", "万俟": "moqi", "单于": "chanyu",
}
_COMPOUND_SURNAMES = {
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐",
    "万俟", "单于", "独孤", "南宫", "西门", "呼延", "端木",
}


def squash(text: str) -> str:
    """The text without whitespace (what the loader compares quotes by)."""
    return "".join(text.split())


def tidy(text: str) -> str:
    """Chinese text without the spaces layout puts around numbers (推荐人选信息表 3 份 → 推荐人选信息表3份); a space
    between two ASCII words stays."""
    return re.sub(r"\s+", lambda m: " " if _ascii_word_gap(m) else "", text.strip())


def _ascii_word_gap(m: re.Match[str]) -> bool:
    before, after = m.string[m.start() - 1: m.start()], m.string[m.end(): m.end() + 1]
    return before.isascii() and after.isascii() and before.isalpha() and after.isalpha()


def number(text: str) -> int:
    """An arabic or Chinese numeral (5, 十二, 二十, 两) as an int."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if text == "两":
        return 2
    if "〇" in text or (len(text) > 1 and "十" not in text):  # digit by digit: 二〇二六
        return int("".join(str(CN_DIGITS.index(c)) for c in text))
    return cn_to_int(text)


def month_day(year: int, month: int, part: str) -> dt.date | None:
    """The date a notice means by 四月底 (the last day), 中旬 (the 20th), 上旬 (the 10th) or 下旬 (the last day)."""
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    day = {"底": last, "末": last, "下旬": last, "中旬": 20, "上旬": 10}[part]
    return dt.date(year, month, day)


def date_en(day: dt.date) -> str:
    """May 10, 2024: the order most English readers of a Chinese notice expect (and the phrasebook's)."""
    return f"{MONTHS_EN[day.month]} {day.day}, {day.year}"


def area_code(number: str) -> int:
    """Length of the area code of a fixed-line number written without its dash (010, 02x: three digits)."""
    return 3 if number[:2] in ("01", "02") else 4


_PHONE = re.compile(
    r"(?<![\d@.])(?:[（(]\s*(0\d{2,3})\s*[）)]\s*(\d{7,8})"  # (0351)7676026
    r"|(0\d{2,3})\s*[-－—–‐]\s*(\d{7,8})"  # 0351-7676026, 0351 - 7676045, 0351－7676120
    r"|(1[3-9]\d{9})"  # a mobile number
    r"|(0\d{9,11})"  # 03532293393
    r"|(\d{7,8}))(?![\d@])"  # a local number; it takes the area code of the number before it
)


def phones(text: str) -> list[str]:
    """Every phone number in the text, as 0351-7676026; a bare local number takes the area code before it."""
    out: list[str] = []
    area = ""
    for m in _PHONE.finditer(text):
        code, local = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if m.group(5):
            out.append(m.group(5))
            continue
        if m.group(6):
            digits = m.group(6)
            code, local = digits[: area_code(digits)], digits[area_code(digits):]
        elif m.group(7):
            out.append(f"{area}-{m.group(7)}" if area else m.group(7))
            continue
        area = code
        out.append(f"{code}-{local}")
    return out


def _pinyin(text: str) -> list[str] | None:
    try:
        from pypinyin import Style, lazy_pinyin
    except ImportError:  # the importer says so in its report; the answers then show the Chinese names
        return None
    return list(lazy_pinyin(text, style=Style.NORMAL, v_to_u=True))


def pinyin_available() -> bool:
    return _pinyin("") is not None


def name_en(name: str) -> str:
    """A person's name in pinyin, surname first: 郑晓星 → Zheng Xiaoxing, 蔚敏 → Yu Min; "" without pypinyin."""
    surname = name[:2] if name[:2] in _COMPOUND_SURNAMES else name[:1]
    given = name[len(surname):]
    family = _SURNAME_READINGS.get(surname) or "".join(_pinyin(surname) or [])
    rest = "".join(_pinyin(given) or []) if given else ""
    if not family or (given and not rest):
        return ""
    return " ".join(part.capitalize() for part in (family, rest) if part)


def place_en(place: str) -> str:
    """A city's English name: the table for Shanxi's cities, else pypinyin (晋城 → Jincheng); "" without it."""
    if place in SHANXI_CITIES:
        return SHANXI_CITIES[place]
    return "".join(_pinyin(place) or []).capitalize()


def place_prefix(place: str) -> str:
    """A short ASCII clause-id prefix for a city's letter: its pinyin initials (阳泉 → yq), else ``city``."""
    if place in _PREFIXES:
        return _PREFIXES[place]
    syllables = _pinyin(place) or []
    initials = "".join(s[:1] for s in syllables if s[:1].isascii() and s[:1].isalpha())
    return initials.lower() if len(initials) >= 2 else "city"


def division(office: str) -> str:
    """The office's own part after its department: 山西省人力资源和社会保障厅专技处 → 专技处."""
    bare = re.sub(r"（.*?）$", "", office)
    return re.split(r"厅|局", bare)[-1] if re.search(r"厅|局", bare) else bare


def office_en(office: str, place_en: str, city: bool = False) -> str:
    """An office's English name from the names this genre uses; an unknown section keeps its Chinese name."""
    part = division(office)
    long = re.search(r"（(.+?)）$", office)
    if city:
        section = SECTIONS_EN.get(part, f"{part} section")
        return f"{section}, {place_en} Human Resources and Social Security Bureau"
    name = DIVISIONS_EN.get(part) or DIVISIONS_EN.get(long.group(1) if long else "") or part
    return f"{name}, {DEPARTMENT_EN}"
