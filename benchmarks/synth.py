"""A seeded generator of synthetic regulatory newsletters (and of their fact files).

    python -m benchmarks.synth --issues 50 --seed 7 --out /tmp/corpus        # .txt newsletters
    python -m benchmarks.synth --issues 500 --facts --out /tmp/data          # + documents/*.yaml

The corpus imitates the *layouts* of the real newsletters (masthead with title, issue and
date; a table of contents; 一、 / （一） / 1. section headings; items closed by 来源 URLs or
（来源：…） credits; enforcement items with targets, legal bases and fines; court cases;
month-headed 大事记 timelines) but none of their text: every sentence comes from the templates
below, and every company, app, person, instrument and standard is invented (standards use
the unassigned range GB/T 60000-69999, URLs the reserved ``example`` domains). The names of
real authorities, courts and laws are facts and are taken from the authority file of ``data/``
(``authorities/``, ``instruments/``).

Distributions: authorities, instruments, laws, companies and apps are drawn Zipf-like
(weight 1/rank^s), so a few recur in most issues and a long tail appears once; instrument
and party pools grow with the number of issues, so entities repeat across issues.

The same ``seed`` and number of issues give byte-identical files (no set or hash order, no
clock, no environment is consulted).

Besides the text, every generated item carries the facts it states; :func:`fact_file`
renders them as a ``kg-facts/1`` file (the format of ``data/README.md``), which the
benchmarks use to reach graph sizes that ingesting newsletters one by one would take too
long to produce. Fact files written this way are *generated*, not *ingested*.
"""

from __future__ import annotations

import argparse
import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path

from .synth_items import IssueWriter
from .synth_world import (
    DOMAINS,
    SUPERSCRIPT,
    SItem,
    World,
    add_months,
    cn_date,
    iso,
    wrap,
)

# ---------------------------------------------------------------- issues and layouts


@dataclass
class Section:
    """A section: a title and items, or subsections."""

    title: str
    items: list[SItem] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)


@dataclass
class Issue:
    """One newsletter issue: masthead fields, sections, and the rendered text."""

    doc_id: str
    layout: str
    title: str
    issue: str
    date: str
    publisher: str
    sections: list[Section]
    lines: list[str] = field(default_factory=list)
    spans: list[tuple[SItem, list[str], int, int]] = field(default_factory=list)  # item, section path, first, last


SERIES = (
    # layout, title, publisher, first issue number
    ("digest", "数据法规月度速递", "澄衡数据法治研究中心", 1),
    ("frontier", "网络与数据治理观察", "青岚网络空间治理研究院", 12),
    ("bulletin", "数字规则动态", "远帆数字经济研究所", 140),
    ("digest", "个人信息保护合规简报", "星垣合规研究会", 30),
    ("frontier", "数据安全前沿", "墨舟数据安全实验室", 5),
)


def _items(wr: IssueWriter, spec: list[tuple[str, int]]) -> list[SItem]:
    out = []
    for kind, n in spec:
        for _ in range(n):
            out.append({"policy": wr.policy, "local": lambda: wr.policy(local=True), "standard": wr.standard,
                        "enforcement": wr.enforcement, "foreign": wr.foreign_enforcement, "case": wr.case,
                        "event": wr.event}[kind]())
    return out


def make_issue(world: World, seed: int, index: int, total: int) -> Issue:
    """The ``index``-th issue of the corpus; issues are made in order (standards are handed out in turn)."""
    rng = random.Random(f"issue/{seed}/{index}")
    wr = IssueWriter(world, rng, 0, 0)
    annual = index % 25 == 24
    layout, title, publisher, first_no = SERIES[index % len(SERIES)]
    number = first_no + index // len(SERIES)
    # the corpus ends in June 2026 (the months of the query examples) and spans at most five years
    # back (from July 2021): large corpora have several issues a month
    span = min(60, total // len(SERIES) + 1)
    year, month = add_months(2026, 6 - span + 1, index * span // max(total, 1))
    wr.year, wr.month = year, month
    r = rng.randint
    if annual:
        layout, title = "report", f"{year - 1}年度数据治理大事记报告"
        sections = []
        for mo in range(1, 13):
            wr.year, wr.month = add_months(year - 1, mo, 1)
            sections.append(Section(f"{mo} 月", _items(wr, [("policy", r(1, 2)), ("foreign", r(0, 1)),
                                                             ("standard", r(0, 1))])))
        wr.year, wr.month = year, month
        issue_txt = f"{year - 1}年度"
        date = iso(year, month, 15)
    elif layout == "digest":
        sections = [
            Section("一、国内数据合规资讯", subsections=[
                Section("（一）最新法规", _items(wr, [("policy", r(3, 6)), ("local", r(1, 3)), ("standard", r(0, 2))])),
                Section("（二）热点案例", _items(wr, [("case", r(1, 3))])),
                Section("（三）监管执法", _items(wr, [("enforcement", r(3, 7))]))]),
            Section("二、国际数据合规资讯", subsections=[
                Section("（一）综合动态", _items(wr, [("event", r(1, 2))])),
                Section("（二）监管动态", _items(wr, [("foreign", r(2, 4))]))]),
        ]
        issue_txt = f"{year}年{month}月"
        date = iso(year, month)
    elif layout == "frontier":
        sections = [
            Section("境内前沿观察一：政策立法", subsections=[
                Section("(一) 部委层面动向", _items(wr, [("policy", r(4, 8)), ("standard", r(1, 3))])),
                Section("(二) 地方层面动向", _items(wr, [("local", r(2, 5))]))]),
            Section("境内前沿观察二：治理实践", subsections=[
                Section("(一) 网信部门治理实践", _items(wr, [("enforcement", r(4, 9))])),
                Section("(二) 司法实践", _items(wr, [("case", r(1, 3))]))]),
            Section("境外前沿观察：月度速览", _items(wr, [("foreign", r(2, 5)), ("event", r(1, 2))])),
        ]
        issue_txt = f"{year}年{month}月第1期 (总第{number}期)"
        date = iso(year, month, 15)
    else:  # bulletin
        sections = [Section("国策要论", _items(wr, [("policy", r(2, 4)), ("event", 1)])),
                    Section("地方新政", _items(wr, [("local", r(2, 4))])),
                    Section("执法动态", _items(wr, [("enforcement", r(2, 4)), ("case", r(0, 1))])),
                    Section("域外观察", _items(wr, [("foreign", r(1, 3))]))]
        issue_txt = f"第{number - 130}期 总第{number}期"
        date = iso(year, month, 10)
    doc_id = f"syn{index:05d}_{hashlib.sha256(f'{seed}/{index}'.encode()).hexdigest()[:12]}"
    issue = Issue(doc_id, layout, title, issue_txt, date, publisher, sections)
    {"digest": _render_digest, "frontier": _render_frontier, "bulletin": _render_bulletin,
     "report": _render_report}[layout](issue, rng)
    return issue


def _walk(sections: list[Section], path: tuple[str, ...] = ()):
    for s in sections:
        p = (*path, s.title)
        yield s, p
        yield from _walk(s.subsections, p)


class _Lines:
    def __init__(self):
        self.lines: list[str] = []

    def add(self, *lines: str) -> int:
        self.lines.extend(lines)
        return len(self.lines)  # 1-based number of the last line added


def _render_digest(issue: Issue, rng: random.Random) -> None:
    """数据合规资讯-like: two masthead lines, a 导读 list, 正文, lines cut by the PDF, 来源：URL."""
    y, m = int(issue.date[:4]), int(issue.date[5:7])
    out = _Lines()
    out.add(f" {issue.title}（{m}月）", f" {issue.title} {y}年 {m}月", "", "导读", "")
    for s, _p in _walk(issue.sections):
        out.add(s.title, "")
        for i, it in enumerate(s.items, 1):
            out.add(f"{i}. {it.heading}", "")
    out.add(" 正文", "")
    width = rng.randint(34, 38)
    for s, p in _walk(issue.sections):
        out.add(s.title, "")
        for i, it in enumerate(s.items, 1):
            first = out.add(f"{i}. {it.heading}")
            out.add("")
            for para in it.paragraphs:
                for ln in wrap(para, width):
                    out.add(ln, "")
            last = out.add(f"来源：{it.url}")
            out.add("")
            issue.spans.append((it, list(_section_path(p)), first, last))
        if s.items and rng.random() < 0.5:
            out.add("", f"{issue.title}|{issue.date[:7]}", "", f"- {rng.randint(2, 20)} -", "")
    issue.lines = out.lines


def _section_path(p: tuple[str, ...]) -> list[str]:
    return list(p)


def _render_frontier(issue: Issue, rng: random.Random) -> None:
    """前沿洞察-like: a masthead with the organisers, a 目录 with page numbers, （来源：…） credits."""
    out = _Lines()
    y, m, d = (int(x) for x in issue.date.split("-"))
    out.add("", "", issue.publisher[:4], "", "", issue.title, "", "(月刊)", "", issue.issue, "", "",
            cn_date(y, m, d), "", f"主办单位：{issue.publisher}", "", "编辑部：本刊编辑组", "", "目 录", "")
    page = 1
    for s, _p in _walk(issue.sections):
        out.add(f"{s.title}\t{page}")
        for i, it in enumerate(s.items, 1):
            page += rng.randint(0, 2)
            out.add(f"{i}. {it.heading}\t{page}")
    out.add("", "")
    for s, p in _walk(issue.sections):
        out.add(s.title, "")
        if s.subsections and rng.random() < 0.5:
            out.add(f"导读：本月{s.title.split('：')[-1]}方面的动态集中在{rng.choice(DOMAINS)}等领域。", "")
        for i, it in enumerate(s.items, 1):
            first = out.add(f"{i}. {it.heading}")
            out.add("")
            for j, para in enumerate(it.paragraphs):
                if j == len(it.paragraphs) - 1:
                    para += f"（来源：{it.source_name}）"
                out.add(para, "")
            last = len(out.lines) - 1
            issue.spans.append((it, list(p), first, last))
    issue.lines = out.lines


def _render_bulletin(issue: Issue, rng: random.Random) -> None:
    """大数据发展动态-like: masthead, 本期要目 with page numbers, unnumbered headings, 原文链接."""
    out = _Lines()
    y, m, d = (int(x) for x in issue.date.split("-"))
    out.add("", "", "以数据视角观察规则变化", "", issue.title, "", f"{cn_date(y, m, d)} {issue.issue}", "", "",
            issue.title, "", cn_date(y, m, d), "", issue.issue, "", f"主 编 {issue.publisher}", "", "本期要目", "")
    page = 1
    for s, _p in _walk(issue.sections):
        out.add(s.title, "")
        for it in s.items:
            out.add(f"- {page:02d} {it.heading}")
            page += rng.randint(1, 2)
        out.add("")
    for s, p in _walk(issue.sections):
        out.add(s.title, "")
        for it in s.items:
            first = out.add(it.heading)
            out.add("")
            for j, para in enumerate(it.paragraphs):
                if j == len(it.paragraphs) - 1:
                    para += f"（来源：{it.source_name}）"
                out.add(para, "")
            last = out.add(f"原文链接：{it.url}")
            out.add("")
            issue.spans.append((it, list(p), first, last))
    issue.lines = out.lines


def _render_report(issue: Issue, rng: random.Random) -> None:
    """年度报告-like: a short foreword, then a 大事记 by month with footnoted URLs."""
    out = _Lines()
    out.add("", issue.title, "", "目录", "", "执行摘要\t1", f"附：{issue.issue}数据治理大事记\t3", "", "执行摘要", "",
            f"本报告按月梳理{issue.issue}数据治理领域的主要动态，涉及立法、标准和执法三个方面。", "",
            f"附：{issue.issue}数据治理大事记", "")
    n = 0
    note = 0
    for s, p in _walk(issue.sections):
        out.add(s.title, "")
        for it in s.items:
            n += 1
            note += 1
            first = out.add(f"{n}. {it.heading}")
            out.add("")
            text = "".join(it.paragraphs)
            out.add(f"摘要：{text}{str(note).translate(SUPERSCRIPT)}", "")
            last = out.add(f"{str(note).translate(SUPERSCRIPT)} {it.url}")
            out.add("")
            issue.spans.append((it, ["附：" + issue.issue + "数据治理大事记", *p], first, last))
    issue.lines = out.lines


# ---------------------------------------------------------------- output


def text(issue: Issue) -> str:
    """The newsletter as it would come out of a PDF (UTF-8 text)."""
    return "\n".join(issue.lines) + "\n"


def fact_file(issue: Issue, source_file: str | None = None) -> dict:
    """The facts the issue states, as a ``kg-facts/1`` mapping (generated, not extracted)."""
    body = text(issue).encode("utf-8")
    doc = {"id": issue.doc_id, "title": issue.title, "issue": issue.issue, "date": issue.date,
           "publisher": issue.publisher, "source_file": source_file or f"{issue.doc_id}.txt",
           "sha256": hashlib.sha256(body).hexdigest()}
    items, instruments, relations, actions, cases, authorities = [], [], [], [], [], []
    inst_index: dict[str, dict] = {}
    auth_index: dict[str, dict] = {}
    for it, path, first, last in issue.spans:
        iid = f"L{first}"
        rec = {"id": iid, "section": path, "lines": [first, last]}
        if it.url:
            rec["url"] = it.url
        if it.source_name:
            rec["source_name"] = it.source_name
        items.append(rec)
        for a in it.authorities:
            if a.key in auth_index:
                auth_index[a.key]["items"].append(iid)
                continue
            ar = {"name": a.name, "kind": a.kind, "jurisdiction": a.jurisdiction}
            if a.parent:
                ar["parent"] = a.parent
            ar.update(review=True, items=[iid])
            auth_index[a.key] = ar
            authorities.append(ar)
        for ins in it.instruments:
            key = ins.get("number") or f"{ins['jurisdiction']}/{ins['title']}"
            if key in inst_index:
                have = inst_index[key]
                if iid not in have["items"]:
                    have["items"].append(iid)
                for k, v in ins.items():
                    have.setdefault(k, v)
                continue
            new = dict(ins)
            new["items"] = [iid]
            inst_index[key] = new
            instruments.append(new)
        for rel in it.relations:
            relations.append({**rel, "items": [iid], "confidence": 0.8})
        for k, act in enumerate(it.actions, 1):
            actions.append({"id": f"{iid}-{k}", **act, "items": [iid], "confidence": 0.8})
        for k, case in enumerate(it.cases, 1):
            cases.append({"id": f"{iid}-case{k}", **case, "items": [iid], "confidence": 0.8})
    out: dict = {"format": "kg-facts/1", "document": doc, "items": items}
    for name, recs in (("authorities", authorities), ("instruments", instruments), ("relations", relations),
                       ("actions", actions), ("cases", cases)):
        if recs:
            out[name] = recs
    return out


@dataclass
class Corpus:
    """What :func:`generate` wrote."""

    texts: list[Path]
    facts: list[Path]
    issues: int
    items: int
    bytes: int


def issues(seed: int, n: int, data_dir: Path | None = None):
    """The ``n`` issues of a corpus, one at a time."""
    world = World(seed, n, data_dir)
    for i in range(n):
        yield make_issue(world, seed, i, n)


def generate(out_dir: str | Path, n: int, seed: int = 0, *, texts: bool = True, facts_dir: str | Path | None = None,
             data_dir: Path | None = None) -> Corpus:
    """Write ``n`` newsletters (``<doc-id>.txt``) into ``out_dir`` and, with ``facts_dir``, their
    generated fact files (``<doc-id>.yaml``). Same seed and n -> the same bytes."""
    from kg.facts.yamlio import dumps_yaml

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fdir = Path(facts_dir) if facts_dir else None
    if fdir:
        fdir.mkdir(parents=True, exist_ok=True)
    written, fwritten, n_items, size = [], [], 0, 0
    for issue in issues(seed, n, data_dir):
        body = text(issue)
        n_items += len(issue.spans)
        size += len(body.encode("utf-8"))
        if texts:
            p = out / f"{issue.doc_id}.txt"
            p.write_text(body, encoding="utf-8")
            written.append(p)
        if fdir:
            fp = fdir / f"{issue.doc_id}.yaml"
            fp.write_text("# Generated by benchmarks.synth (synthetic facts, not extracted by kg ingest).\n"
                          + dumps_yaml(fact_file(issue)), encoding="utf-8")
            fwritten.append(fp)
    return Corpus(written, fwritten, n, n_items, size)


def main(argv: list[str] | None = None) -> int:
    """Command line: write a synthetic corpus."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.synth", description=__doc__.split("\n\n")[0])
    ap.add_argument("--issues", type=int, default=20, help="number of newsletters")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True, help="folder for the .txt newsletters")
    ap.add_argument("--facts", metavar="DIR", help="also write generated fact files into DIR")
    args = ap.parse_args(argv)
    c = generate(args.out, args.issues, args.seed, facts_dir=args.facts)
    print(f"{c.issues} newsletters, {c.items} items, {c.bytes / 1e6:.1f} MB -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
