"""The changes between two builds as a terminal table, a Markdown note, JSON and one offline HTML page."""

import json
import re
import shutil
from html.parser import HTMLParser

import pytest

from kg.store.diff import diff
from kg.views.changes import details, money, render, width

from ..conftest import write
from .conftest import DOC_B, SCRIPT_NAME, XSS, XSS_TITLE


@pytest.fixture(scope="module")
def newsletter_changes(newsletter_builds):
    return diff(newsletter_builds.old, newsletter_builds.new)


def test_table_groups_by_jurisdiction_and_authority_and_aligns_wide_characters(newsletter_changes):
    text = render(newsletter_changes, "table")
    lines = text.splitlines()
    assert lines[0].startswith(f"OLD {newsletter_changes.old.path} (build of ")
    assert lines[2].startswith("instruments: ") and "(3 new with a fine)" in lines[2]
    start = lines.index("CN-431000 郴州市 / Chenzhou — 郴州市互联网信息办公室")
    rows = lines[start + 1:start + 4]
    assert rows[0].startswith("  + new fine ")
    assert rows[0].split()[3:] == ["罚款、责令改正", "乙公司", "20,000", "CNY", "(二万元);", "2025-12-10;", "under",
                                   "中华人民共和国网络安全法"]
    assert rows[2].startswith("  + new enforcement action  警告 丙公司")
    # the details of every row begin in the same terminal column, a Chinese character taking two
    every = [c for _j, _a, cs in newsletter_changes.groups() for c in cs]
    rows = [r for r in lines if r[:4] in ("  + ", "  ~ ", "  - ")]
    assert len(rows) == len(every)
    starts = {width(row[:len(row) - len(d)]) for row, c in zip(rows, every, strict=True)
              if (d := "; ".join(details(c))) and width(c.label) <= 44}
    assert len(starts) == 1


def test_markdown_note_has_a_heading_per_jurisdiction_and_authority(newsletter_changes):
    text = render(newsletter_changes, "markdown")
    assert text.startswith("# Changes\n\nOLD ")
    assert ("## CN-431000 郴州市 / Chenzhou\n\n### 郴州市互联网信息办公室\n\n"
            "- **New fine**: 罚款、责令改正 乙公司 — 20,000 CNY (二万元); ") in text
    assert "## US 美国 / United States\n\n### 美国财政部\n\n- **New instrument**: 数据经纪商合规指引 — 指南; " \
           "issued 2025-12-03; status 已发布" in text
    assert text.count("\n## CN ") == 1  # one heading per jurisdiction, its authorities under it
    assert "### (no issuer or authority named)" in text


def test_json_is_the_changes_as_data(newsletter_changes):
    data = json.loads(render(newsletter_changes, "json"))
    assert data == json.loads(json.dumps(newsletter_changes.to_dict()))
    assert data["summary"]["action"]["added"] == 5 and data["summary"]["fine"]["added"] == 3
    fines = [c for g in data["groups"] for c in g["changes"] if c["kind"] == "action" and "fine" in c["fields"]]
    assert {(c["fields"]["fine"], c["fields"]["currency"]) for c in fines} == \
           {("50000", "CNY"), ("20000", "CNY"), ("1000000", "AUD")}


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_page_opens_offline_and_escapes_every_value(mini_data, tmp_path):
    newer = tmp_path / "newer"
    shutil.copytree(mini_data, newer)
    write(newer / "documents" / "doc_b.yaml", DOC_B)
    page = render(diff(mini_data, newer), "html")
    parsed = Page()
    parsed.feed(page)
    tags = {t for t, _a in parsed.tags}
    assert "script" not in tags and "img" not in tags and "link" not in tags and "iframe" not in tags
    assert not any(k in ("src", "href") for _t, a in parsed.tags for k in a)  # nothing to fetch
    text = "".join(parsed.text)
    assert XSS_TITLE in text and SCRIPT_NAME in text  # shown as text, never as markup
    assert XSS not in page and "&lt;img src=x" in page
    assert "50,000 CNY (5万元)" in text
    note = render(diff(mini_data, newer), "markdown")
    assert "\\<img src=x onerror=alert(1)\\>" in note and not re.search(r"(?<!\\)<", note)


def test_no_changes_is_said(shipped_build):
    changes = diff(shipped_build, shipped_build)
    assert render(changes, "table").splitlines()[2] == "no changes"
    assert "<strong>no changes</strong>" in render(changes, "html")


def test_money():
    assert money("837500000", "KRW", "8.375亿韩元") == "837,500,000 KRW (8.375亿韩元)"
    assert money("1234.50", "EUR") == "1,234.50 EUR"
    assert width("GB/T 99001") == 10 and width("罚款 Telegram") == 13
