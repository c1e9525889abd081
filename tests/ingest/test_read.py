"""Reading input files into lines: encodings, line numbering, PDFs and every bad input."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import time
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from kg.errors import IngestError
from kg.ingest.read import DEFAULT_MAX_BYTES, RawDocument, collect_inputs, format_size, read_document

# Our own sentences about a fictional regulator and a fictional rule.
CN_LINES = [
    "青川省数据治理局发布《示例数据安全管理办法》。",
    "该办法自2031年3月1日起施行，共五章三十条。",
    "青川省数据治理局对某科技公司处以罚款十二万元。",
]
CN_TEXT = "\n".join(CN_LINES) + "\n"
TW_LINES = ["北港市資料保護委員會公布《示範個人資料保護規則》。", "該規則自明年一月起施行。"]


def write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def minimal_pdf(*pages: list[str]) -> bytes:
    """A valid PDF with one page per argument, each showing its lines in Helvetica.

    Objects: 1 catalog, 2 page tree, 3 font, then a page object and a content stream per
    page; the xref table is built from the byte offsets of the objects as written.
    """
    n = len(pages)
    page_ids = [4 + 2 * i for i in range(n)]
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % i for i in page_ids) + b"] /Count %d >>" % n,
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for page_id, lines in zip(page_ids, pages, strict=True):
        shown = b" T* ".join(b"(" + line.encode("latin-1") + b") Tj" for line in lines)
        content = b"BT /F1 12 Tf 14 TL 72 720 Td " + shown + b" ET"
        objects[page_id] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page_id + 1))
        objects[page_id + 1] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref_at = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n" % size + b"0000000000 65535 f \n"
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at)
    return bytes(out)


def blank_pdf(pages: int = 1, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(password)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def encrypted_text_pdf(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(minimal_pdf(["Hello regulator"]))))
    writer.encrypt(user_password, owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def refused(path: Path, **kwargs) -> str:
    """The message read_document gives for a bad input (which must name the file, on one line)."""
    with pytest.raises(IngestError) as info:
        read_document(path, **kwargs)
    message = str(info.value)
    assert str(path) in message
    assert "\n" not in message
    assert info.value.path == Path(path)
    assert info.value.message in message
    return message


# --------------------------------------------------------------------------- text encodings


def test_utf8(tmp_path):
    path = write_bytes(tmp_path / "003_eeeb763fd2a42cb1.txt", CN_TEXT.encode("utf-8"))
    doc = read_document(path)
    assert isinstance(doc, RawDocument)
    assert doc.lines == CN_LINES
    assert doc.encoding == "utf-8"
    assert doc.kind == "txt"
    assert doc.doc_id == "003_eeeb763fd2a42cb1"
    assert doc.path == path
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_accepts_str_path(tmp_path):
    path = write_bytes(tmp_path / "a.txt", CN_TEXT.encode("utf-8"))
    assert read_document(str(path)).lines == CN_LINES


def test_utf8_with_bom_strips_the_bom(tmp_path):
    path = write_bytes(tmp_path / "bom.txt", b"\xef\xbb\xbf" + CN_TEXT.encode("utf-8"))
    doc = read_document(path)
    assert doc.encoding == "utf-8-sig"
    assert doc.lines == CN_LINES
    assert not doc.lines[0].startswith("\ufeff")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path, codec):
    data = CN_TEXT.encode(codec)
    if codec != "utf-16":  # the explicit-endian codecs write no BOM: add it by hand
        data = "\ufeff".encode(codec) + data
    path = write_bytes(tmp_path / "u16.txt", data)
    doc = read_document(path)
    assert doc.encoding == "utf-16"
    assert doc.lines == CN_LINES


def test_utf16_without_bom_is_recognised(tmp_path):
    path = write_bytes(tmp_path / "u16le.txt", ("Rule 7\n" + CN_TEXT).encode("utf-16-le"))
    doc = read_document(path)
    assert doc.encoding == "utf-16-le"
    assert doc.lines == ["Rule 7", *CN_LINES]


def test_gbk_chinese_decodes_to_the_same_string(tmp_path):
    path = write_bytes(tmp_path / "gbk.txt", CN_TEXT.encode("gbk"))
    doc = read_document(path)
    assert doc.encoding == "gb18030"
    assert doc.lines == CN_LINES


def test_short_gbk_text_prefers_gb18030(tmp_path):
    # three characters are ambiguous between GBK and Big5: the mainland reading wins
    path = write_bytes(tmp_path / "short.txt", "数据局".encode("gbk"))
    doc = read_document(path)
    assert doc.lines == ["数据局"]
    assert doc.encoding == "gb18030"


def test_gb18030_four_byte_characters(tmp_path):
    lines = [*CN_LINES, "罕见字㐀与符号€及表情😀均可编码。"]
    data = "\r\n".join(lines).encode("gb18030")
    assert b"\x81\x30" in data or b"\x94\x39" in data or b"\x95" in data  # some four-byte sequences
    path = write_bytes(tmp_path / "gb18030.txt", data)
    doc = read_document(path)
    assert doc.encoding == "gb18030"
    assert doc.lines == lines


def test_big5_traditional_chinese(tmp_path):
    path = write_bytes(tmp_path / "big5.txt", "\n".join(TW_LINES * 3).encode("big5"))
    doc = read_document(path)
    assert doc.encoding in ("big5", "cp950", "big5hkscs")
    assert doc.lines == TW_LINES * 3


def test_undecodable_text(tmp_path):
    path = write_bytes(tmp_path / "latin1.txt", "Le régulateur a publié une règle déjà célèbre.\n".encode("latin-1"))
    message = refused(path)
    assert "cannot be decoded: not UTF-8, UTF-16 or a Chinese encoding" in message


def test_almost_utf8_says_where_the_bad_byte_is(tmp_path):
    data = CN_TEXT.encode("utf-8") * 4
    cut = data.index(b"\n", data.index(b"\n") + 1) + 1  # start of line 3
    path = write_bytes(tmp_path / "broken.txt", data[:cut] + b"\xff" + data[cut:])
    message = refused(path)
    assert "cannot be decoded" in message
    assert "almost UTF-8" in message
    assert "line 3" in message


# --------------------------------------------------------------------------- line numbering


def test_crlf_and_cr_line_endings(tmp_path):
    path = write_bytes(tmp_path / "crlf.txt", "第一行\r\n第二行\r第三行\n第四行\r\n".encode())
    assert read_document(path).lines == ["第一行", "第二行", "第三行", "第四行"]


def test_blank_lines_are_kept_and_numbering_is_exact(tmp_path):
    text = "\n标题\n\n\n" + CN_LINES[0] + "\r\n  \r\n" + CN_LINES[1] + "\n\n"
    path = write_bytes(tmp_path / "blank.txt", text.encode("gbk"))
    lines = read_document(path).lines
    assert lines == ["", "标题", "", "", CN_LINES[0], "  ", CN_LINES[1], ""]
    # line i+1 of the file (as an editor shows it) is lines[i]
    assert lines[5 - 1] == CN_LINES[0]
    assert lines[7 - 1] == CN_LINES[1]


def test_no_final_newline(tmp_path):
    path = write_bytes(tmp_path / "nofinal.txt", "甲\n乙".encode())
    assert read_document(path).lines == ["甲", "乙"]


def test_other_unicode_separators_do_not_split_lines(tmp_path):
    path = write_bytes(tmp_path / "sep.txt", "甲\u2028乙\x0c丙\n丁\n".encode())
    assert read_document(path).lines == ["甲\u2028乙\x0c丙", "丁"]


# --------------------------------------------------------------------------- empty, binary, size


def test_empty_file(tmp_path):
    path = write_bytes(tmp_path / "empty.txt", b"")
    assert refused(path).endswith("is empty")


@pytest.mark.parametrize("data", [b"   \n\t\r\n  \n", "\ufeff \u3000\n".encode(), " \u3000\n".encode("utf-16"),
                                  "\ufeff\ufeff \n".encode()])
def test_whitespace_only_file(tmp_path, data):
    path = write_bytes(tmp_path / "blank.txt", data)
    assert refused(path).endswith("is empty")


def test_empty_pdf_file(tmp_path):
    path = write_bytes(tmp_path / "empty.pdf", b"")
    assert refused(path).endswith("is empty")


def test_binary_with_nul_bytes(tmp_path):
    path = write_bytes(tmp_path / "data.txt", b"abc\x00\x01\x02\x03\xff\xfe\x00\x10" * 50 + b"\x00\x00\x00")
    assert "looks like a binary file, not text or PDF" in refused(path)


def test_png_renamed_to_txt(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
    path = write_bytes(tmp_path / "image.txt", png + bytes(range(256)))
    message = refused(path)
    assert "looks like a binary file, not text or PDF" in message
    assert "PNG" in message


def test_zip_renamed_to_txt(tmp_path):
    path = write_bytes(tmp_path / "doc.txt", b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + b"word/document.xml" * 10)
    message = refused(path)
    assert "looks like a binary file, not text or PDF" in message
    assert "ZIP" in message


def test_control_bytes_without_nul_are_binary(tmp_path):
    path = write_bytes(tmp_path / "ctrl.txt", bytes([1, 2, 3, 4, 5, 6, 0x10, 0x11, 65, 66]) * 100)
    assert "looks like a binary file, not text or PDF" in refused(path)


def test_over_the_limit(tmp_path):
    path = write_bytes(tmp_path / "big.txt", ("青川省数据治理局\n" * 500).encode())
    message = refused(path, max_bytes=1024)
    assert "over the 1 KB limit (use --max-size to raise it)" in message
    assert "is 12.2 KB" in message
    assert read_document(path, max_bytes=1024 * 1024).lines[0] == "青川省数据治理局"


def test_just_over_the_limit_shows_a_difference(tmp_path):
    path = write_bytes(tmp_path / "edge.txt", b"x" * (1024 + 1))
    assert "is 1,025 bytes, over the 1,024-byte limit" in refused(path, max_bytes=1024)
    path = write_bytes(tmp_path / "edge2.txt", b"x" * (1024 + 40))
    assert "is 1.04 KB, over the 1 KB limit" in refused(path, max_bytes=1024)


def test_sparse_50_mb_file_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.seek(50 * 1024 * 1024)
        f.write(b"x")
    assert path.stat().st_size > DEFAULT_MAX_BYTES
    start = time.perf_counter()
    message = refused(path)
    assert time.perf_counter() - start < 0.5
    assert "is 50 MB, over the 20 MB limit (use --max-size to raise it)" in message


@pytest.mark.parametrize(("n", "text"), [(0, "0 bytes"), (1, "1 byte"), (1023, "1023 bytes"), (1536, "1.5 KB"),
                                         (20 * 1024 * 1024, "20 MB"), (int(52.4 * 1024 * 1024), "52.4 MB"),
                                         (3 * 1024**3, "3 GB")])
def test_format_size(n, text):
    assert format_size(n) == text


# --------------------------------------------------------------------------- PDF


def test_pdf_with_text_layer(tmp_path):
    path = write_bytes(tmp_path / "005_hello.pdf", minimal_pdf(["Hello regulator"]))
    doc = read_document(path)
    assert doc.kind == "pdf"
    assert doc.encoding == "pdf"
    assert doc.doc_id == "005_hello"
    assert any("Hello regulator" in line for line in doc.lines)
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_pdf_pages_follow_one_another_without_separator_lines(tmp_path):
    path = write_bytes(tmp_path / "two.PDF", minimal_pdf(["Page one first", "Page one second"], ["Page two"]))
    lines = read_document(path).lines
    assert [line.strip() for line in lines] == ["Page one first", "Page one second", "Page two"]


def test_txt_that_is_really_a_pdf(tmp_path):
    path = write_bytes(tmp_path / "renamed.txt", minimal_pdf(["Hello regulator"]))
    doc = read_document(path)
    assert doc.kind == "pdf"
    assert doc.encoding == "pdf"
    assert any("Hello regulator" in line for line in doc.lines)


def test_pdf_without_text_layer(tmp_path):
    path = write_bytes(tmp_path / "scan.pdf", blank_pdf(pages=2))
    assert "has no text layer (a scanned PDF?): run OCR first" in refused(path)


def test_encrypted_pdf(tmp_path):
    path = write_bytes(tmp_path / "locked.pdf", blank_pdf(password="secret"))
    assert "is encrypted" in refused(path)


def test_encrypted_text_pdf_needing_a_password(tmp_path):
    path = write_bytes(tmp_path / "locked.pdf", encrypted_text_pdf("secret"))
    assert "is encrypted" in refused(path)


def test_pdf_encrypted_with_an_empty_password_is_read(tmp_path):
    path = write_bytes(tmp_path / "owner_only.pdf", encrypted_text_pdf(""))
    assert any("Hello regulator" in line for line in read_document(path).lines)


@pytest.mark.parametrize("data", [b"%PDF-1.4\ngarbage that is not a PDF at all\n",
                                  b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"])
def test_corrupt_pdf(tmp_path, data):
    path = write_bytes(tmp_path / "corrupt.pdf", data)
    message = refused(path)
    assert "is not a readable PDF: " in message
    assert not message.endswith("PDF: ")


def test_pdf_extension_on_a_text_file(tmp_path):
    path = write_bytes(tmp_path / "notes.pdf", CN_TEXT.encode())
    assert "is not a readable PDF: it does not start with %PDF-" in refused(path)


def test_truncated_pdf(tmp_path):
    data = minimal_pdf(["Hello regulator"])
    path = write_bytes(tmp_path / "cut.pdf", data[: len(data) // 2])
    assert "is not a readable PDF: " in refused(path)


def test_damage_pypdf_works_around_is_read_quietly(tmp_path, caplog):
    # a wrong startxref pointer: pypdf rebuilds the cross-reference table (and would warn about it)
    data = re.sub(rb"startxref\n\d+", b"startxref\n123", minimal_pdf(["Hello regulator"]))
    path = write_bytes(tmp_path / "badxref.pdf", data)
    with caplog.at_level(logging.WARNING):
        doc = read_document(path)
    assert any("Hello regulator" in line for line in doc.lines)
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]
    assert logging.getLogger("pypdf").level == logging.NOTSET  # restored afterwards


# --------------------------------------------------------------------------- bad paths


@pytest.mark.parametrize("name", ["notes.docx", "notes.DOCX", "notes.md"])
def test_unsupported_extension(tmp_path, name):
    path = write_bytes(tmp_path / name, CN_TEXT.encode())
    suffix = Path(name).suffix
    assert f"unsupported file type '{suffix}' (use .txt or .pdf)" in refused(path)


def test_no_extension(tmp_path):
    path = write_bytes(tmp_path / "README", CN_TEXT.encode())
    assert "has no file extension (use .txt or .pdf)" in refused(path)


def test_extension_is_case_insensitive(tmp_path):
    path = write_bytes(tmp_path / "UPPER.TXT", CN_TEXT.encode())
    doc = read_document(path)
    assert doc.lines == CN_LINES
    assert doc.doc_id == "UPPER"


def test_missing_file(tmp_path):
    assert refused(tmp_path / "missing.txt").endswith("not found")


def test_directory(tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert "is a folder" in refused(folder)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_not_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert "is not a regular file" in refused(fifo)


def test_ingest_error_keeps_path_and_message():
    exc = IngestError("some/file.txt", "is empty")
    assert exc.path == Path("some/file.txt")
    assert exc.message == "is empty"
    assert str(exc) == f"{Path('some/file.txt')} is empty"


# --------------------------------------------------------------------------- collect_inputs


def make_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    for name in ["010_b.txt", "002_a.pdf", "001_c.TXT", "notes.docx", "readme.md", ".hidden.txt"]:
        write_bytes(folder / name, b"x")
    (folder / "sub").mkdir()
    write_bytes(folder / "sub" / "000_deep.txt", b"x")
    return folder


def test_collect_folder_sorted_only_txt_and_pdf(tmp_path):
    folder = make_folder(tmp_path)
    assert [p.name for p in collect_inputs([folder])] == ["001_c.TXT", "002_a.pdf", "010_b.txt"]
    assert all(p.parent == folder for p in collect_inputs([str(folder)]))


def test_collect_keeps_files_as_given(tmp_path):
    folder = make_folder(tmp_path)
    given = [folder / "notes.docx", folder / "010_b.txt"]
    assert collect_inputs(given) == given


def test_collect_missing_path(tmp_path):
    with pytest.raises(IngestError, match="not found"):
        collect_inputs([make_folder(tmp_path), tmp_path / "nowhere"])


def test_collect_folder_without_inputs(tmp_path):
    folder = tmp_path / "nothing"
    write_bytes(folder / "a.docx", b"x")
    with pytest.raises(IngestError, match=r"has no \.txt or \.pdf files"):
        collect_inputs([folder])


def test_collect_drops_duplicates_keeping_order(tmp_path, monkeypatch):
    folder = make_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    found = collect_inputs([folder / "010_b.txt", folder, Path("news/001_c.TXT"), folder / "sub" / ".." / "002_a.pdf"])
    assert [p.name for p in found] == ["010_b.txt", "001_c.TXT", "002_a.pdf"]
    assert found[0] == folder / "010_b.txt"  # the path as given


def test_collect_then_read_a_folder(tmp_path):
    folder = tmp_path / "in"
    write_bytes(folder / "001_gbk.txt", CN_TEXT.encode("gbk"))
    write_bytes(folder / "002_hello.pdf", minimal_pdf(["Hello regulator"]))
    docs = [read_document(p) for p in collect_inputs([folder])]
    assert [d.doc_id for d in docs] == ["001_gbk", "002_hello"]
    assert docs[0].lines == CN_LINES
    assert [d.kind for d in docs] == ["txt", "pdf"]
