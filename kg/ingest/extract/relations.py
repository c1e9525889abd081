"""Relations between instruments from the words around a cited title.

The cue decides the type: 为贯彻落实《B》 -> implements, 根据 / 依据《B》 -> based-on,
修订《B》 -> amends, 废止《B》 / 撤销…《B》 -> repeals, 代替《B》 -> replaces, 配套 / 补充
-> supplements; 《X》附件《C》 -> C annex-of X; ``…依据标准变更为 S1、S2`` -> the item's
instrument changes-basis-of the instrument named before, which is then based-on S1 and
S2. A title cited without a cue is ``cites``. Authority names between the cue and the
title (根据中共中央办公厅、国务院办公厅《…》) do not break the cue.
"""

from __future__ import annotations

import re

# cue before the title (checked at the end of the text between the clause start and the title)
BEFORE_CUES: list[tuple[str, re.Pattern]] = [
    ("implements", re.compile(r"(?:为|以)?(?:深入|全面|认真)?(?:贯彻落实|贯彻执行|贯彻|落实)(?:好)?\s*$")),
    ("based-on", re.compile(r"^(?:第[一二三四五六七八九十百零\d]+条\s*)?(?:为[^，,。]{0,60}[，,])?(?:根据|依据|依照|遵照)\s*$")),
    ("amends", re.compile(r"(?:拟)?(?:修订|修改|修正|调整)(?:了)?\s*$|对\s*$")),
    ("repeals", re.compile(r"(?:宣布)?(?:废止|撤销|废除|撤回|取消)(?:了)?[^，。；《]{0,40}?\s*$")),
    ("replaces", re.compile(r"(?:代替|替代|取代)(?:了)?\s*$")),
]
# cue after the title
AFTER_CUES: list[tuple[str, re.Pattern]] = [
    ("repeals", re.compile(r"^[^，。；]{0,6}(?:同时)?(?:废止|失效)")),
    ("amends", re.compile(r"^[^，。；]{0,12}(?:作出|进行)?(?:修改|修订|修正)(?:的决定)?")),
    ("supplements", re.compile(r"^[^，。；]{0,8}(?:的)?(?:重要)?(?:补充|配套文件|配套)")),
]
AUTHORITY_RUN = re.compile(r"(?:[\u4e00-\u9fff（）()]{2,30}?(?:办公厅|委员会|办公室|总局|政府|部|局|厅|院|委))"
                           r"(?:[、和与及]+[\u4e00-\u9fff（）()]{2,30}?(?:办公厅|委员会|办公室|总局|政府|部|局|厅|院|委))*\s*$")
ANNEX = re.compile(r"^\s*(?:[（(][^（）()]{0,80}[）)])?\s*(?:的)?附件\s*[0-9一二三四五六七八九十]?\s*[:：]?\s*$")
CHANGE_BASIS = re.compile(r"(?:依据标准|认证依据|依据)\s*(?:变更为|调整为|修改为)")


def relation_cue(before: str, after: str) -> str | None:
    """The relation type a cited title's surroundings express, or None (plain citation)."""
    b = AUTHORITY_RUN.sub("", before.rstrip())
    for rel, rx in BEFORE_CUES:
        if rx.search(b):
            if rel == "amends" and b.rstrip().endswith("对") and not re.match(r"^[^，。；]{0,12}(?:修改|修订|修正)", after):
                continue
            return rel
    for rel, rx in AFTER_CUES:
        if rx.search(after):
            return rel
    return None


def is_annex(between: str) -> bool:
    """True when the text between two titles says the second is an annex of the first."""
    return bool(ANNEX.match(between))


def changes_basis(sentence: str) -> bool:
    """True when a sentence changes the basis standard of something (…依据标准变更为…)."""
    return bool(CHANGE_BASIS.search(sentence))
