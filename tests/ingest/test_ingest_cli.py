"""``kg ingest``: files, folders, bad inputs, idempotence, and the curation layer surviving re-ingestion."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfWriter

from kg.cli.main import main
from kg.facts.dataset import load_dataset
from kg.facts.registry import copy_registries
from kg.store.build import build

from ..conftest import write
from .test_extract import NEWSLETTER

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    (d / "documents").mkdir(parents=True)
    (d / "curation").mkdir()
    copy_registries(REPO / "data", d)
    return d


def ingest(*args):
    return CliRunner().invoke(main, ["ingest", *map(str, args)], catch_exceptions=False)


def test_ingest_then_build(data, tmp_path):
    src = write(tmp_path / "in" / "news_2026_01.txt", NEWSLETTER)
    r = ingest(src, "--data", data, "--report")
    assert r.exit_code == 0, r.output
    assert "news_2026_01.txt ->" in r.output and "main  CN/示例数据流通规则" in r.output
    assert "uncertain:" in r.output  # new authorities are listed for review
    out = data / "documents" / "news_2026_01.yaml"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Facts extracted by `kg ingest`")
    result = build(data, tmp_path / "build")
    assert result.class_counts["Instrument"] > 10
    assert [f for f in result.findings if f.severity == "Violation"] == []


def test_reingest_is_idempotent_and_keeps_curation(data, tmp_path):
    src = write(tmp_path / "in" / "n1.txt", NEWSLETTER)
    assert ingest(src, "--data", data).exit_code == 0
    first = (data / "documents" / "n1.yaml").read_text(encoding="utf-8")
    write(data / "curation" / "n1.yaml", """
        format: kg-curation/1
        document: n1
        correct:
          - instrument: CN/示例数据流通规则
            set: {date_effective: 2026-03-02}
        """)
    assert ingest(src, "--data", data).exit_code == 0
    assert (data / "documents" / "n1.yaml").read_text(encoding="utf-8") == first
    assert (data / "curation" / "n1.yaml").exists()
    ds = load_dataset(data)
    assert str(ds.instruments["CN/示例数据流通规则"].date_effective) == "2026-03-02"


def test_a_folder_and_several_files(data, tmp_path):
    folder = tmp_path / "in"
    write(folder / "a.txt", NEWSLETTER)
    (folder / "b.txt").write_bytes(NEWSLETTER.encode("gb18030"))
    write(folder / "notes.md", "not a newsletter")
    r = ingest(folder, "--data", data)
    assert r.exit_code == 0, r.output
    assert (data / "documents" / "a.yaml").exists() and (data / "documents" / "b.yaml").exists()
    assert not (data / "documents" / "notes.yaml").exists()


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    d = tmp_path / "bad"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    big = d / "huge.txt"
    with big.open("wb") as fh:
        fh.seek(50 * 1024 * 1024)
        fh.write(b"x")
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    with (d / "scan.pdf").open("wb") as fh:
        writer.write(fh)
    (d / "latin1.txt").write_bytes("Donn\xe9es r\xe9glementaires \xe0 d\xe9clarer " .encode("latin-1") * 20)
    return {
        "empty": (d / "empty.txt", "is empty"),
        "binary": (d / "binary.txt", "binary"),
        "huge": (big, "over the 20 MB limit"),
        "scan": (d / "scan.pdf", "no text layer"),
        "undecodable": (d / "latin1.txt", "cannot be decoded"),
    }


def test_bad_inputs_fail_alone_with_clear_messages(data, tmp_path):
    bad = _bad_files(tmp_path)
    good = write(tmp_path / "in" / "good.txt", NEWSLETTER)
    runner = CliRunner()
    r = runner.invoke(main, ["ingest", "--data", str(data), str(good), *[str(p) for p, _ in bad.values()]])
    assert r.exit_code == 1
    for path, message in bad.values():
        line = next((ln for ln in r.output.splitlines() if path.name in ln and ln.startswith("error:")), "")
        assert message in line, (path.name, r.output)
    assert f"{len(bad)} of {len(bad) + 1} file(s) could not be ingested" in r.output
    # the good file was ingested; nothing was written for the bad ones
    names = sorted(p.name for p in (data / "documents").iterdir())
    assert names == ["good.yaml"]


def test_missing_path_and_wrong_data_folder(data, tmp_path):
    r = CliRunner().invoke(main, ["ingest", "--data", str(data), str(tmp_path / "nope.txt")])
    assert r.exit_code == 1 and "not found" in r.output
    r = CliRunner().invoke(main, ["ingest", "--data", str(tmp_path), str(tmp_path)])
    assert r.exit_code == 1 and "has no authority registry" in r.output


def test_max_size_option(data, tmp_path):
    src = write(tmp_path / "in" / "n.txt", NEWSLETTER)
    r = CliRunner().invoke(main, ["ingest", "--data", str(data), "--max-size", "1k", str(src)])
    assert r.exit_code == 1 and "limit" in r.output
    r = CliRunner().invoke(main, ["ingest", "--data", str(data), "--max-size", "lots", str(src)])
    assert r.exit_code == 2 and "not a size" in r.output


def test_review_lists_new_authorities(data, tmp_path):
    # 株洲 has no 网信办 in the registry: ingestion creates one, flagged for review
    src = write(tmp_path / "in" / "n.txt", NEWSLETTER.replace("郴州", "株洲"))
    ingest(src, "--data", data)
    r = CliRunner().invoke(main, ["review", "--data", str(data)])
    assert r.exit_code == 0
    assert "authority CN-430200/株洲市互联网信息办公室" in r.output and "created by ingestion" in r.output


BODY_NEWS = """\
示例周报
2026年3月

1. 示例市网信办对一家平台作出处罚

3月2日，示例市网信办对某平台处以罚款5万元。

2. 示例市网信办发布《示例个人信息指引》

3月9日，示例市网信办发布《示例个人信息指引》。
"""


def test_a_new_document_never_depends_on_another_documents_curation(data, tmp_path):
    # the first document's new body is rejected by its own curation ...
    first = write(tmp_path / "in" / "first.txt", BODY_NEWS)
    assert ingest(first, "--data", data).exit_code == 0
    declared = load_dataset(data).registry.authorities
    new = [k for k in declared if "示例市" in k]
    assert new, declared.keys()
    write(data / "curation" / "first.yaml", f"""
        format: kg-curation/1
        document: first
        reject:
          - authority: {new[0]}
        """)
    # ... and a copy of it under another name still ingests: it declares the body itself
    second = write(tmp_path / "in" / "second.txt", BODY_NEWS)
    r = ingest(second, "--data", data)
    assert r.exit_code == 0, r.output
    assert new[0] in (data / "documents" / "second.yaml").read_text(encoding="utf-8")
    load_dataset(data)


@pytest.mark.corpus
@pytest.mark.parametrize("stem", ["000_c89299735aeec94f", "004_2d685b24223f8dbd"])
def test_a_corpus_file_copied_under_another_name_ingests(stem, tmp_path):
    src = REPO.parent / "shared" / "corpus" / f"{stem}.txt"
    if not src.exists():
        pytest.skip("../shared/corpus is absent")
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    copy = tmp_path / "in" / f"copy_of_{stem}.txt"
    copy.parent.mkdir()
    shutil.copy(src, copy)
    r = ingest(copy, "--data", data)
    assert r.exit_code == 0, r.output
    load_dataset(data)


def test_an_unchanged_file_is_skipped_unless_forced(data, tmp_path):
    src = write(tmp_path / "in" / "same.txt", NEWSLETTER)
    assert ingest(src, "--data", data).exit_code == 0
    out = data / "documents" / "same.yaml"
    assert "(extractor " in out.read_text(encoding="utf-8").split("\n", 1)[0]
    stamp = out.stat().st_mtime_ns
    r = ingest(src, "--data", data)
    assert r.exit_code == 0 and "unchanged (same text, same extractor)" in r.output
    assert out.stat().st_mtime_ns == stamp
    r = ingest(src, "--data", data, "--force")
    assert r.exit_code == 0 and "unchanged (" not in r.output and out.stat().st_mtime_ns != stamp
    # a changed text is extracted again
    write(src, NEWSLETTER.replace("示例监管观察", "示例监管观察（修订）"))
    assert "unchanged (" not in ingest(src, "--data", data).output


def test_parallel_ingest_writes_what_one_process_writes(data, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(data, other)
    files = [write(tmp_path / "in" / f"n{i}.txt", NEWSLETTER.replace("示例监管观察", f"示例监管观察{i}"))
             for i in range(4)]
    assert ingest(*files, "--data", data, "--jobs", "2").exit_code == 0
    assert ingest(*files, "--data", other, "--jobs", "1").exit_code == 0
    for f in files:
        name = f"{f.stem}.yaml"
        assert (data / "documents" / name).read_bytes() == (other / "documents" / name).read_bytes()


def test_two_inputs_with_one_document_id_are_refused_by_name(data, tmp_path):
    a = write(tmp_path / "a" / "issue.txt", NEWSLETTER)
    b = write(tmp_path / "b" / "issue.txt", NEWSLETTER)
    r = CliRunner().invoke(main, ["ingest", str(a), str(b), "--data", str(data)])
    assert r.exit_code == 1
    assert f"{b}: the document id 'issue' (the file stem) is also that of {a}" in r.output
    assert (data / "documents" / "issue.yaml").exists()


def test_facts_that_do_not_check_are_kept_and_the_message_names_their_line(mini_data, tmp_path):
    # the small registry lacks the national body the naming rules make a new local one report to
    src = write(tmp_path / "in" / "n1.txt", NEWSLETTER)
    r = ingest(src, "--data", mini_data)
    assert r.exit_code != 0
    kept = mini_data.parent / "kg-ingest-rejected" / "n1.yaml"
    assert f"the extracted facts do not check ({kept}:" in r.output and "nothing was written" in r.output
    line = int(r.output.split(f"{kept}:", 1)[1].split(":", 1)[0])
    assert "parent: CN/公安部" in kept.read_text(encoding="utf-8").splitlines()[line - 1]
    assert not (mini_data / "documents" / "n1.yaml").exists()


def test_the_collector_is_left_as_it_was_after_a_run(data, tmp_path):
    """A run collects the youngest generation less often (GC_YOUNG), then puts the thresholds and
    the frozen objects back, also when a file fails."""
    import gc

    from kg.ingest.run import GC_YOUNG
    from kg.ingest.run import ingest as run_ingest

    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    seen = []

    def progress(results):
        for r in results:
            seen.append(gc.get_threshold()[0])
            yield r

    good = write(tmp_path / "in" / "good.txt", NEWSLETTER)
    empty = write(tmp_path / "in" / "empty.txt", "\n")
    results = run_ingest([good, empty], data, jobs=1, progress=progress)
    assert [r.ok for r in results] == [True, False]
    assert seen == [max(GC_YOUNG, before[0])] * 2
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen
