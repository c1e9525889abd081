"""Fixtures of the view tests: a small graph written for them (own wording, fictional facts) with an
instrument whose title is an HTML injection, built once per session with its default views."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import MINI_AUTHORITIES, MINI_DOC, MINI_INSTRUMENTS, write

XSS = "<img src=x onerror=alert(1)>"
XSS_TITLE = f"关于{XSS}的办法"  # the build strips marks around a title, so the injection sits inside it
SCRIPT_NAME = "</script><script>alert(4)</script>甲"

# a second newsletter: the injection title, a relation to it, an item with a javascript: URL
DOC_B = """
format: kg-facts/1
document:
  id: doc_b
  title: 测试周报 <b>bold</b>
  issue: 第2期
  date: 2025-06-01
items:
  - {id: L5, section: [政策], lines: [5, 9], url: "javascript:alert(2)"}
  - {id: L30, section: [标准], lines: [30, 31], url: "https://example.org/b"}
instruments:
  - title: "关于<img src=x onerror=alert(1)>的办法"
    kind: departmental-rule
    status: issued
    issuers: [国家网信办]
    date_issued: 2025-05-20
    jurisdiction: CN
    items: [L5]
  - title: 示例技术 标准要求 修订版
    number: GB/T 99999-2025
    kind: national-standard
    jurisdiction: CN
    date_issued: 2025-05-01
    items: [L30]
  - title: 示例孤立通知
    kind: normative-document
    issuers: [市场监管总局]
    date_issued: 2024-11-30
    jurisdiction: CN
    items: [L30]
actions:
  - id: B1
    kinds: [fine]
    authorities: [国家网信办]
    targets: ["</script><script>alert(4)</script>甲"]
    date: 2025-05-25
    penalty: {amount: 50000, currency: CNY, text: 5万元}
    items: [L5]
relations:
  - {subject: "关于<img src=x onerror=alert(1)>的办法", type: cites, object: 示保法, items: [L5]}
  - {subject: GB/T 99999-2025, type: replaces, object: GB/T 99999-2024, items: [L30]}
"""


def write_view_data(root: Path) -> Path:
    """The data folder of the view tests."""
    data = root / "data"
    write(data / "authorities.yaml", MINI_AUTHORITIES)
    write(data / "instruments.yaml", MINI_INSTRUMENTS)
    write(data / "documents" / "doc_a.yaml", MINI_DOC)
    write(data / "documents" / "doc_b.yaml", DOC_B)
    (data / "curation").mkdir(parents=True, exist_ok=True)
    return data


@pytest.fixture(scope="session")
def view_build(tmp_path_factory) -> Path:
    """The view-test graph built once (default views included; read-only for the tests)."""
    from kg.store.build import build

    root = tmp_path_factory.mktemp("viewgraph")
    out = root / "build"
    build(write_view_data(root), out)
    return out


@pytest.fixture(scope="session")
def view_ctx(view_build):
    """A :class:`kg.views.Context` over :func:`view_build`."""
    import kg
    from kg.views import Context

    return Context(kg.open(view_build))
