"""The masthead: the newsletter's title, issue, date and publisher, from the lines before its body."""

from __future__ import annotations

import re

from ...facts.values import PDate
from ...model.ids import squash_spaces
from ..clean import CleanLine

RE_MASTHEAD_ISSUE = re.compile(
    r"((?:\d{4}\s*年\s*\d{1,2}\s*月\s*)?第\s*\d+\s*期(?:\s*[（(]?\s*总第\s*\d+\s*期\s*[）)]?)?)")
RE_PUBLISHER = re.compile(r"^(?:主办单位|主办|主编|编印|出品|编辑出版|编制单位)\s*[：:]?\s*(\S{4,40})")
RE_DATE_FULL = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
RE_DATE_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
RE_DATE_YEAR = re.compile(r"(\d{4})\s*年度?")


def parse_masthead(lines: list[CleanLine], end: int) -> tuple[str | None, str | None, PDate | None, str | None]:
    """Title, issue designation, date and publisher from the lines before ``end`` (a line number)."""
    head = [ln for ln in lines if ln.kind == "text" and ln.no < end][:80]
    date: PDate | None = None
    issue = None
    publisher = None
    for ln in head:
        t = ln.text
        if date is None or date.precision != "day":
            m = RE_DATE_FULL.search(t)
            if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
                date = PDate(f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}")
            elif date is None and (m := RE_DATE_MONTH.search(t)) and 1 <= int(m.group(2)) <= 12:
                date = PDate(f"{m.group(1)}-{int(m.group(2)):02d}")
            elif date is None and (m := RE_DATE_YEAR.search(t)) and 1990 <= int(m.group(1)) <= 2100:
                date = PDate(m.group(1))
        if issue is None and (m := RE_MASTHEAD_ISSUE.search(t)):
            issue = re.sub(r"\s+", "", m.group(1))
        if publisher is None and (m := RE_PUBLISHER.match(squash_spaces(t))):
            publisher = m.group(1)
    return _masthead_title(head), issue, date, publisher


def _title_candidate(t: str) -> bool:
    cjk = len(re.findall(r"[\u4e00-\u9fff]", t))
    return (4 <= len(t) <= 30 and cjk >= 4 and not re.search(r"[，。、：:；;|]", t)
            and not re.search(r"主办|编辑|单位|顾问|电话|邮箱|地址|声明|扫描", t))


def _masthead_title(head: list[CleanLine]) -> str | None:
    texts = [ln.text for ln in head]
    # a name printed twice (cover and inside cover), or the common start of two masthead lines
    seen: dict[str, int] = {}
    for t in texts:
        base = re.sub(r"[（(].*?[）)]|\s*\d{4}\s*年.*$", "", t).strip()
        if _title_candidate(base):
            seen[base] = seen.get(base, 0) + 1
            if seen[base] >= 2:
                return base
    # consecutive Chinese title lines separated only by a non-Chinese line (an English subtitle)
    for i, t in enumerate(texts):
        if _title_candidate(t) and not re.search(r"\d{4}\s*年", t):
            if i + 2 < len(texts) and not re.search(r"[\u4e00-\u9fff]", texts[i + 1]) \
                    and _title_candidate(texts[i + 2]) and len(texts[i + 2]) <= 8:
                return t + texts[i + 2]
            return t
    for t in texts:
        if re.search(r"[\u4e00-\u9fff]{4}", t):
            return re.sub(r"\s+", "", t)[:40]
    return None


def publisher_names(publisher: str | None, lines: list[CleanLine], end: int) -> set[str]:
    """The publisher's names as the masthead gives them (主办单位：…), to find the back matter."""
    names = set()
    if publisher:
        names.add(squash_spaces(publisher))
    for ln in lines:
        if ln.no >= end:
            break
        m = re.match(r"^(?:主办单位|主办|主编|编印|出品|联合主办|协办单位)\s*[：:]?\s*(\S{4,40})", squash_spaces(ln.text))
        if m:
            names.add(squash_spaces(m.group(1)))
    return {n for n in names if len(n) >= 6}
