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

# when the instrument came out, between a cue and its title (修改2025年11月公布的《B》)
_WHEN_ISSUED = r"(?:[^，。；《》]{0,16}?(?:发布|印发|公布|出台|制定|通过)的)?"
# cue before the title (checked at the end of the text between the clause start and the title)
BEFORE_CUES: list[tuple[str, re.Pattern]] = [
    ("implements", re.compile(r"(?:为|以)?(?:深入|全面|认真)?(?:贯彻落实|贯彻执行|贯彻|落实)(?:好)?\s*$")),
    # 根据《B》 opening the clause, or the instrument itself as the subject (该指南依据《B》, 《条例》根据《B》)
    ("based-on", re.compile(r"(?:^|第[一二三四五六七八九十百零\d]+条\s*)(?:为了?[^。；]{0,200}?[，,])?(?:根据|依据|依照|遵照)\s*$"
                            r"|(?:[该本此]|^)\s*(?:《[^《》]{1,60}》|[\u4e00-\u9fff]{0,8}(?:指南|指引|办法|规定|条例|规则|标准|"
                            r"意见|通知|决定|细则|方案|法案|法|计划|施行令|实施令|政令))\s*(?:是|系|主要)?(?:根据|依据|依照|遵照)\s*$")),
    ("amends", re.compile(r"(?:拟)?(?:修订|修改|修正|调整)(?:了)?" + _WHEN_ISSUED + r"\s*$|对\s*$")),
    ("repeals", re.compile(r"(?:宣布)?(?:废止|撤销|废除|撤回|取消)(?:了)?[^，。；《]{0,40}?\s*$")),
    ("replaces", re.compile(r"(?:代替|替代|取代)(?:了)?" + _WHEN_ISSUED + r"\s*$")),
]
# cue after the title
AFTER_CUES: list[tuple[str, re.Pattern]] = [
    ("repeals", re.compile(r"^[^，。；]{0,6}(?:同时)?(?:废止|失效)")),
    ("amends", re.compile(r"^[^，。；]{0,12}(?:作出|进行)?(?:修改|修订|修正)(?:的决定)?")),
    ("supplements", re.compile(r"^[^，。；]{0,8}(?:的)?(?:重要)?(?:补充|配套文件|配套)")),
]
BASIS_VERB_END = re.compile(r"(?:根据|依据|依照|遵照)\s*$")
MADE_AFTER = re.compile(r"^\s*(?:[（(](?:[^（）()]|[（(][^（）()]{0,12}[）)]){0,40}[）)])?\s*(?:第[^，。；《]{1,30}条)?\s*(?:的)?(?:有关)?(?:规定|要求)?[，,]?\s*"
                        r"(?:等[\u4e00-\u9fff]{0,8}?)?(?:制定|起草|出台|编制|修订|发布|印发)")
AUTHORITY_RUN = re.compile(r"(?:[\u4e00-\u9fff（）()]{2,30}?(?:办公厅|委员会|办公室|总局|政府|部|局|厅|院|委))"
                           r"(?:[、和与及]+[\u4e00-\u9fff（）()]{2,30}?(?:办公厅|委员会|办公室|总局|政府|部|局|厅|院|委))*\s*$")
ANNEX = re.compile(r"^\s*(?:[（(][^（）()]{0,80}[）)])?\s*(?:的)?附件\s*[0-9一二三四五六七八九十]?\s*[:：]?\s*$")
# 《C》作为公告附件 / 《C》系本通知的附件: C is an annex of the item's 公告 / 通知
ANNEX_AS = re.compile(r"^\s*(?:[（(][^（）()]{0,40}[）)])?\s*(?:作为|为|系|是|列为)\s*(?:该|本|此|上述)?\s*"
                      r"[\u4e00-\u9fff]{0,10}?(公告|通知|决定|办法|意见|令|规定|指引|指南|规则|细则|方案|条例|标准)\s*(?:的)?附件")
# a standard number written before its title (代替GB/T 35273-2020《…》): the cue stands before the number
TRAILING_NUMBER = re.compile(r"(?:GB|GA|JR|YD|GM)\s*/\s*[TZ]\s*\d+(?:\.\d+)*(?:\s*-\s*\d{4})?\s*$")
# 《B》配套文件《C》 / 《B》的配套细则《C》: C supplements B (and C is what the item issues)
SUPPLEMENT_GAP = re.compile(r"\s*(?:[（(][^（）()]{0,40}[）)])?\s*(?:的)?(?:重要)?配套(?:文件|规则|细则|制度|指引)?(?:之一)?\s*[：:]?\s*")
# …同时废止 after a title: the title is repealed here, not issued
REPEALED_AFTER = re.compile(r"^\s*(?:[（(][^（）()]{0,60}[）)])?[^，。；《]{0,6}(?:同时|一并)?(?:废止|失效|停止执行|不再执行)")
# titles side by side: 《A》《B》和《C》
TITLE_RUN_GAP = re.compile(r"(?:\s*[（(][^（）()]{0,40}[）)])*\s*(?:[、，,和及与]|以及)?\s*"
                           r"(?:(?:GB|GA|JR|YD|GM)\s*/\s*[TZ]\s*\d+(?:\.\d+)*(?:\s*-\s*\d{4})?\s*)?")
# 关于修改〈X〉的决定 / 〈X〉修正案 inside a title: the decision amends X
AMENDED_INSIDE = re.compile(r"关于(?:修改|修正|修订)\s*[〈<《]([^〈〉<>《》]{2,80})[〉>》]|^[〈<《]([^〈〉<>《》]{2,80})[〉>》]\s*(?:修正案|修订案)")
# 关于修改《X》的决定 written around a quoted law: the decision is the instrument, X is amended
DECISION_BEFORE = re.compile(r"关于(修改|修正|修订)\s*$")
DECISION_AFTER = re.compile(r"^\s*(?:等[\u4e00-\u9fff\d]{1,6})?的决定")
# 作为《X》的配套文件 / 附件: what the sentence issues supplements X (is an annex of X)
AS_PART_OF = re.compile(r"作为\s*(《[^《》]{1,80}》)\s*(?:的)?((?:重要)?(?:配套文件|配套规则|配套细则|配套制度|配套|附件|实施细则))")
# 分别代替 C 和 D: the instruments named before are paired in order with those after
RESPECTIVELY = re.compile(r"分别(代替|替代|取代|废止|修改|修订)")
RESPECTIVELY_TYPES = {"代替": "replaces", "替代": "replaces", "取代": "replaces", "废止": "repeals", "修改": "amends",
                      "修订": "amends"}
CHANGE_BASIS = re.compile(r"(?:依据标准|认证依据|依据)\s*(?:变更为|调整为|修改为)")
# 据此制定的《X》 / 根据该法授权制定的《X》: X is made on the basis of an instrument named before (the
# latest one, or the latest whose title ends with the type word of 该法 / 上述条例)
_TYPE_WORDS = r"(?:法|法案|法律|条例|办法|规定|指令|规则|决定)"
MADE_THEREUNDER = re.compile(r"(?:据此|(?:根据|依据|依照|按照)(?:该|上述|前述|此)(" + _TYPE_WORDS + r"))"
                             r"(?:[^，。；《》]{0,4}?授权)?[^，。；《》]{0,10}?(?:制定|出台|起草|颁布|发布|通过)(?:了|的)?\s*$")
# 《A》将于…施行，届时《B》同时废止: what lies between A and B says A takes effect
TAKES_EFFECT = re.compile(r"施行|生效|实施")
# 两部规则均依据《Y》制定: the two instruments named before are both made on the basis of Y
BOTH_BEFORE = re.compile(r"(?:两部|两项|两份|两个|二者|两者|这两[部项份个])[\u4e00-\u9fff]{0,4}?(?:均|都|皆|同样)"
                         r"(?:系|是)?(?:根据|依据|依照)\s*$")


def relation_cue(before: str, after: str) -> str | None:
    """The relation type a cited title's surroundings express, or None (plain citation)."""
    b = AUTHORITY_RUN.sub("", TRAILING_NUMBER.sub("", before.rstrip()))
    for rel, rx in BEFORE_CUES:
        if rx.search(b):
            if rel == "amends" and b.rstrip().endswith("对") and not re.match(r"^[^，。；]{0,12}(?:修改|修订|修正)", after):
                continue
            return rel
    if BASIS_VERB_END.search(b) and MADE_AFTER.match(after):
        return "based-on"  # …依据《B》第N条制定
    for rel, rx in AFTER_CUES:
        if rx.search(after):
            return rel
    return None


def basis_runs(text: str, titles: list, sentence_start) -> set[int]:
    """The starts of titles cited as a basis in a run (根据《A》《B》和《C》制定): the cue stands
    before the first title and 制定 after the last, so no single title has both."""
    out: set[int] = set()
    run: list = []
    for t in [*sorted(titles, key=lambda t: t.start), None]:
        if t is not None and run and TITLE_RUN_GAP.fullmatch(text[run[-1].context_after:t.start]):
            run.append(t)
            continue
        if len(run) > 1:
            before = AUTHORITY_RUN.sub("", text[sentence_start(run[0].start): run[0].start].rstrip())
            if BASIS_VERB_END.search(before) and MADE_AFTER.match(text[run[-1].context_after: run[-1].context_after + 40]):
                out.update(x.start for x in run)
        run = [t] if t is not None else []
    return out


def is_annex(between: str) -> bool:
    """True when the text between two titles says the second is an annex of the first."""
    return bool(ANNEX.match(between))


def annex_parent_word(after: str) -> str | None:
    """The type word of the instrument a title is said to be an annex of (《C》作为公告附件 -> 公告)."""
    m = ANNEX_AS.match(after)
    return m.group(1) if m else None


def changes_basis(sentence: str) -> bool:
    """True when a sentence changes the basis standard of something (…依据标准变更为…)."""
    return bool(CHANGE_BASIS.search(sentence))


def made_thereunder(before: str) -> tuple[int, str] | None:
    """For the text before a title, where a 据此制定 / 根据该法制定 cue starts (counted back from the
    title) and the type word it names ("" for 据此); None without such a cue."""
    m = MADE_THEREUNDER.search(before)
    return (len(before) - m.start(), m.group(1) or "") if m else None


def based_on_named_before(text: str, titled: list[tuple[int, int, object, str]]) -> list[tuple[object, object]]:
    """(X, B) pairs where X is made on the basis of B by a cue that points back (据此制定的《X》,
    根据该法授权制定的《X》: B is the latest instrument named before the cue, of the type word the cue
    names; 两部规则均依据《B》制定: both instruments named before). ``titled``: (start, end, instrument,
    title) of every title of the text, in order."""
    out = []
    for i, (start, _end, x, title) in enumerate(titled):
        before = text[max(0, start - 40): start]
        cue = made_thereunder(before)
        if cue is not None:
            back, word = cue
            earlier = [(e, b, bare_title(t)) for s, e, b, t in titled[:i] if b is not x and e <= start - back]
            fitting = [(e, b, t) for e, b, t in earlier if t.endswith(word)]
            # the one X is named after (《A法》… 《A法实施细则》), else the latest
            named_after = [f for f in fitting if title.startswith(f[2])]
            if fitting:
                out.append((x, max(named_after or fitting, key=lambda f: f[0])[1]))
            continue
        both = BOTH_BEFORE.search(before)
        if both:
            cut = start - (len(before) - both.start())
            named: list = []
            for _s, e, b, _t in reversed(titled[:i]):
                if e <= cut and b is not x and b not in named:
                    named.append(b)
            out.extend((b, x) for b in named[:2])
    return out


def bare_title(title: str) -> str:
    """A title without trailing parentheses ((试行), (2025年版))."""
    return re.sub(r"(?:\s*[（(][^（）()]*[）)])+$", "", title)
