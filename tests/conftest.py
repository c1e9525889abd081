"""Shared fixtures. Test data is written here in our own words; nothing reads ../shared
unless a test is marked ``corpus`` (and such tests skip when the corpus is absent)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"

# statuses are computed as of a date: the built fixtures use fixed ones, so pinned rows stay true
SHIPPED_AS_OF = dt.date(2026, 1, 31)
QUERY_AS_OF = dt.date(2025, 12, 31)


def corpus_file(name: str) -> Path:
    """A corpus file, or skip the test when the corpus is not there."""
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"corpus file {name} not available")
    return path


def write(path: Path, text: str) -> Path:
    """Write dedented text (creating folders)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


MINI_AUTHORITIES = """
format: kg-authorities/1
authorities:
  - name: 国家互联网信息办公室
    name_en: Cyberspace Administration of China
    aliases: [国家网信办, 中央网信办]
    kind: regulator
    jurisdiction: CN
  - name: 国家市场监督管理总局
    aliases: [市场监管总局]
    kind: regulator
    jurisdiction: CN
  - name: 湖南省互联网信息办公室
    aliases: [湖南省网信办]
    kind: regulator
    jurisdiction: CN-HN
    parent: CN/国家互联网信息办公室
  - name: 个人信息保护委员会
    key: KR/个人信息保护委员会
    aliases: [PIPC]
    kind: regulator
    jurisdiction: KR
  - name: 个人信息保护委员会
    key: JP/个人信息保护委员会
    aliases: [PPC]
    kind: regulator
    jurisdiction: JP
  - name: 某市人民法院
    kind: court
    jurisdiction: CN-BJ
"""

MINI_INSTRUMENTS = """
format: kg-instruments/1
instruments:
  - title: 中华人民共和国示例保护法
    short_titles: [示例保护法, 示保法]
    kind: law
    jurisdiction: CN
    date_issued: 2020-01-02
  - title: 示例技术 标准要求
    number: GB/T 99999-2024
    kind: national-standard
    jurisdiction: CN
"""

MINI_DOC = """
format: kg-facts/1
document:
  id: doc_a
  title: 测试通讯
  issue: 第1期
  date: 2025-03-01
items:
  - {id: L10, section: [政策, 部委], lines: [10, 14], url: "https://example.org/a"}
  - {id: L20, section: [执法], lines: [20, 25], source_name: 某公众号}
instruments:
  - title: 示例数据管理办法（征求意见稿）
    kind: departmental-rule
    status: consultation
    issuers: [国家网信办, CN/市场监管总局]
    issuer_count: 3
    date_issued: 2025-02-10
    jurisdiction: CN
    items: [L10]
    confidence: 0.9
  - number: GB/T 99999
    kind: national-standard
    jurisdiction: CN
    items: [L10]
relations:
  - {subject: CN/示例数据管理办法, type: based-on, object: 示保法, items: [L10], confidence: 0.8}
  - {subject: CN/示例数据管理办法, type: cites, object: GB/T 99999, items: [L10]}
actions:
  - id: A1
    kinds: [fine, rectification-order]
    authorities: [KR/个人信息保护委员会]
    targets: [甲公司, 某科技公司]
    date: 2025-02-20
    legal_basis: [{instrument: 示保法, articles: [21, 59]}]
    violations: [security-obligation]
    penalty: {amount: 837500000, currency: KRW, text: 8.375亿韩元}
    items: [L20]
    confidence: 0.85
cases:
  - id: C1
    name: 张某诉某科技公司案
    court: 某市人民法院
    parties: [{name: 张某, role: plaintiff}, {name: 某科技公司, role: defendant}]
    date: 2025-02
    outcome: claims-dismissed
    items: [L20]
"""


@pytest.fixture(scope="session", autouse=True)
def kg_cache_dir(tmp_path_factory) -> Path:
    """kg's caches (:mod:`kg.facts.cache`, :mod:`kg.facts.basecache`, :mod:`kg.ingest.cache`) in a folder of
    this test run, not the user's."""
    folder = tmp_path_factory.mktemp("kg-cache")
    before = os.environ.get("KG_CACHE_DIR")
    os.environ["KG_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("KG_CACHE_DIR", None)
    else:
        os.environ["KG_CACHE_DIR"] = before


@pytest.fixture
def mini_data(tmp_path: Path) -> Path:
    """A small, complete data folder written for tests."""
    data = tmp_path / "data"
    write(data / "authorities.yaml", MINI_AUTHORITIES)
    write(data / "instruments.yaml", MINI_INSTRUMENTS)
    write(data / "documents" / "doc_a.yaml", MINI_DOC)
    (data / "curation").mkdir(parents=True, exist_ok=True)
    return data


@pytest.fixture
def shipped_data(tmp_path: Path) -> Path:
    """A copy of the repository's data folder (safe to modify)."""
    dst = tmp_path / "data"
    shutil.copytree(REPO / "data", dst)
    return dst


def edit_one_document(data: Path) -> Path:
    """Change the issue number of one shipped document in the data folder ``data`` (a copy): an
    edit that changes that document's graph only."""
    doc = next((data / "documents").glob("001_*.yaml"))
    text = doc.read_text(encoding="utf-8")
    assert "issue: 第8期总第221期" in text
    doc.write_text(text.replace("issue: 第8期总第221期", "issue: 第9期总第222期"), encoding="utf-8")
    return doc


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory) -> Path:
    """The shipped data built once for the session (read-only for the tests)."""
    from kg.store.build import build

    out = tmp_path_factory.mktemp("shipped") / "build"
    build(None, out, as_of=SHIPPED_AS_OF)
    return out


@pytest.fixture(scope="session")
def query_build(tmp_path_factory) -> Path:
    """The query-pack fixture graph (tests/fixtures/querygraph.py) built once (read-only)."""
    from kg.store.build import build

    from .fixtures.querygraph import write_query_data

    root = tmp_path_factory.mktemp("querygraph")
    out = root / "build"
    build(write_query_data(root), out, as_of=QUERY_AS_OF)
    return out


@pytest.fixture(scope="session")
def stale_font_cache(tmp_path_factory) -> tuple[Path, int]:
    """A Matplotlib config folder (for ``MPLCONFIGDIR``) whose font cache predates every font of the
    machine that draws Chinese: built, then stripped of those fonts, as a cache written before they
    were installed would be. Returns the folder and how many entries were stripped (0: no such font)."""
    import matplotlib
    from matplotlib import ft2font

    def draws_chinese(fname: str) -> bool:
        try:  # a relative name is of a font shipped with Matplotlib
            font = ft2font.FT2Font(str(Path(matplotlib.get_data_path(), fname)))
        except (OSError, RuntimeError):
            return False
        glyphs = {font.get_char_index(ord(c)) for c in "中文数据"}
        return 0 not in glyphs and len(glyphs) == 4  # Matplotlib's last-resort font: one box for all

    folder = tmp_path_factory.mktemp("mplconfig")
    env = {k: v for k, v in os.environ.items() if k != "MPL_IGNORE_SYSTEM_FONTS"}
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env={**env, "MPLCONFIGDIR": str(folder)},
                   check=True)
    (cache,) = folder.glob("fontlist-v*.json")
    data = json.loads(cache.read_text(encoding="utf-8"))
    kept = [e for e in data["ttflist"] if not draws_chinese(e["fname"])]
    stripped = len(data["ttflist"]) - len(kept)
    data["ttflist"] = kept
    cache.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return folder, stripped


@pytest.fixture(scope="session")
def newsletter_builds(tmp_path_factory) -> SimpleNamespace:
    """The shipped data built (``old``); then one newsletter of our own (the extractor tests'
    fixture) ingested with `kg ingest` into a copy of the data and built over a copy of that build
    (``new``, which records its changes), both as of :data:`SHIPPED_AS_OF`. Also ``data`` (the copy
    with the newsletter) and ``facts`` (the fact file `kg ingest` wrote). Read-only for the tests."""
    from click.testing import CliRunner

    from kg.cli.main import main
    from kg.store.build import build

    from .ingest.test_extract import NEWSLETTER

    root = tmp_path_factory.mktemp("newsletter")
    data = root / "data"
    shutil.copytree(REPO / "data", data)
    build(data, root / "old", views=False, as_of=SHIPPED_AS_OF)
    shutil.copytree(root / "old", root / "new")
    src = write(root / "in" / "news_2026_01.txt", NEWSLETTER)
    r = CliRunner().invoke(main, ["ingest", str(src), "--data", str(data)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    build(data, root / "new", views=False, as_of=SHIPPED_AS_OF)
    return SimpleNamespace(old=root / "old", new=root / "new", data=data,
                           facts=data / "documents" / "news_2026_01.yaml")
