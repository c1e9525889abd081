"""Reading input files: a newsletter (plain text or PDF) -> numbered text lines.

``read_document`` turns one ``.txt`` or ``.pdf`` file into a :class:`RawDocument`
whose ``lines[i]`` is line ``i + 1`` of the file as an editor shows it, so that
every extracted fact can point back at a source line. Text files may be UTF-8
(with or without a byte-order mark), UTF-16/UTF-32 with a byte-order mark, or a
Chinese legacy encoding (GB18030/GBK/GB2312, Big5) recognised with
``charset_normalizer``. PDFs are read through their text layer with ``pypdf``.

Every input that cannot be ingested raises :class:`IngestError`, whose message is
one line naming the file and saying what is wrong (and, where there is one, what
to do about it); nothing else escapes for a bad input.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from ..errors import IngestError

SUPPORTED_SUFFIXES = (".txt", ".pdf")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_SNIFF = 8192  # bytes (or characters) looked at to judge whether a file is binary
_CONTROL_RATIO = 0.05  # more control characters than this in the sniffed part: binary
_PDF_MAGIC = b"%PDF-"
_PDF_HEADER_WINDOW = 1024  # a .pdf may have a little junk before %PDF- (readers tolerate it)

# Signatures of common binary formats, with a word on what each is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive, e.g. a .docx or .xlsx file"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document, e.g. a .doc file"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"{\\rtf", "an RTF document"),
)

# Bytes that do not occur in text in any encoding we read (tab, LF, VT, FF, CR and ESC are allowed).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n|\r")

# Codecs the detector may report, and the codec used to decode each (GB18030 is a superset
# of GBK and GB2312); the order breaks ties in favour of the mainland encodings.
_CHINESE_CODECS = {
    "gb18030": "gb18030",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "big5": "big5",
    "cp950": "cp950",
    "big5hkscs": "big5hkscs",
}
_CODEC_PREFERENCE = ("gb18030", "big5", "cp950", "big5hkscs")


@dataclass
class RawDocument:
    """One input file read into lines; ``lines[i]`` is line ``i + 1`` of the file."""

    doc_id: str  # the file stem, e.g. "003_eeeb763fd2a42cb1"
    path: Path
    lines: list[str]  # the text split into lines, without line terminators
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "gb18030", "big5", ... or "pdf"
    sha256: str  # hex digest of the file's bytes
    kind: str  # "txt" or "pdf"


# --------------------------------------------------------------------------- inputs


def collect_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """The files to ingest, given files and folders.

    A folder stands for its ``*.txt`` and ``*.pdf`` files (any case, sorted by name, not
    recursive, hidden files skipped); a file is kept as given, whatever its type, so that
    ``read_document`` can say what is wrong with it. The same file named twice (same
    resolved path) is kept once, at its first place. A path that does not exist, or a
    folder with no ``.txt``/``.pdf`` file, raises :class:`IngestError`.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = _folder_inputs(path)
        elif path.exists():
            found = [path]
        else:
            raise IngestError(path, "not found")
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def _folder_inputs(folder: Path) -> list[Path]:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise IngestError(folder, f"cannot be listed: {_reason(exc)}") from None
    files = [p for p in entries
             if p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".") and p.is_file()]
    if not files:
        raise IngestError(folder, "has no .txt or .pdf files")
    return files


# --------------------------------------------------------------------------- reading


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read one ``.txt`` or ``.pdf`` file into lines.

    The size is checked before anything is read: a file over ``max_bytes`` is refused.
    A ``.txt`` file whose bytes start with ``%PDF-`` is read as a PDF. Raises
    :class:`IngestError` with a clear message for every bad input: missing, a folder,
    unsupported type, too large, empty, binary, undecodable, or a PDF that is corrupt,
    encrypted or has no text layer.
    """
    path = Path(path)
    if not path.exists():
        raise IngestError(path, "not found")
    if path.is_dir():
        raise IngestError(path, "is a folder, not a file (pass the folder to collect its .txt and .pdf files)")
    if not path.is_file():
        raise IngestError(path, "is not a regular file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        if not suffix:
            raise IngestError(path, "has no file extension (use .txt or .pdf)")
        raise IngestError(path, f"has an unsupported file type '{path.suffix}' (use .txt or .pdf)")

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(path, f"cannot be read: {_reason(exc)}") from None
    if size > max_bytes:
        raise _too_large(path, size, max_bytes)
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise IngestError(path, f"cannot be read: {_reason(exc)}") from None
    if len(data) > max_bytes:  # it grew after stat()
        raise _too_large(path, len(data), max_bytes)
    if not data.strip():
        raise IngestError(path, "is empty")

    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".pdf" or data.startswith(_PDF_MAGIC):
        with _quiet_pypdf():
            lines = _pdf_lines(path, data)
        return RawDocument(path.stem, path, lines, "pdf", digest, "pdf")
    text, encoding = _decode_text(path, data)
    if not text.replace("\ufeff", "").strip():
        raise IngestError(path, "is empty")
    return RawDocument(path.stem, path, split_lines(text), encoding, digest, "txt")


def split_lines(text: str) -> list[str]:
    """Lines as an editor shows them: split at CRLF, CR or LF; a final line break ends the last line."""
    lines = _NEWLINES.sub("\n", text).split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


# --------------------------------------------------------------------------- text


def _decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """The text of a text file and the codec that decoded it; binary or undecodable input raises."""
    for bom, codec, name in ((b"\xff\xfe\x00\x00", "utf-32", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32", "utf-32"),
                             (b"\xef\xbb\xbf", "utf-8-sig", "utf-8-sig"),
                             (b"\xff\xfe", "utf-16", "utf-16"), (b"\xfe\xff", "utf-16", "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                if codec == "utf-32":
                    continue  # FF FE 00 00 may also be UTF-16-LE starting with U+0000
                raise IngestError(path, f"cannot be decoded: it starts with a {name.upper()} byte-order mark "
                                        f"but is not valid {name.upper()}") from None
            _check_text_not_binary(path, text)
            return text, name

    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise IngestError(path, f"looks like a binary file, not text or PDF ({what})")
    head = data[:_SNIFF]
    if b"\x00" in head:
        guessed = _utf16_without_bom(data)
        if guessed is None:
            raise IngestError(path, "looks like a binary file, not text or PDF (it contains NUL bytes)")
        return guessed
    if sum(head.count(b) for b in _CONTROL_BYTES) > _CONTROL_RATIO * len(head):
        raise IngestError(path, "looks like a binary file, not text or PDF (it has many control bytes)")

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _check_text_not_binary(path, text)
        return text, "utf-8"

    found = _detect_chinese(data)
    if found is not None:
        _check_text_not_binary(path, found[0])
        return found
    raise IngestError(path, "cannot be decoded: not UTF-8, UTF-16 or a Chinese encoding" + _almost_utf8_hint(data))


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text written without a byte-order mark (NULs in every other byte), if it is that."""
    head = data[:_SNIFF]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    codec = "utf-16-le" if odd > even else "utf-16-be"
    if len(data) % 2 or max(even, odd) < 4 * min(even, odd) + 1:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    sample = text[:_SNIFF]
    if "\x00" in sample or len(_CONTROL_CHARS.findall(sample)) > _CONTROL_RATIO * len(sample):
        return None
    return text, codec


def _detect_chinese(data: bytes) -> tuple[str, str] | None:
    """Decode as GB18030/GBK/GB2312 or Big5, as ``charset_normalizer`` judges best; None when none fits."""
    matches = from_bytes(data, cp_isolation=list(_CHINESE_CODECS))
    candidates: dict[str, float] = {}
    for match in matches:
        codec = _CHINESE_CODECS.get(match.encoding.lower().replace("-", "").replace("_", ""))
        if codec is not None:
            candidates[codec] = min(candidates.get(codec, 1.0), match.chaos)
    # least chaos first; on a tie (short texts are often ambiguous) the mainland encoding wins
    for codec in sorted(candidates, key=lambda c: (candidates[c], _CODEC_PREFERENCE.index(c))):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return None


def _almost_utf8_hint(data: bytes) -> str:
    """A hint for UTF-8 text spoiled by a few bad bytes: how many, and the line of the first."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    if bad <= 0 or multibyte < 10 * bad:
        return ""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        plural = "s" if bad > 1 else ""
        return f" (it is almost UTF-8, but has {bad} invalid byte sequence{plural}, the first on line {line})"
    return ""


def _check_text_not_binary(path: Path, text: str) -> None:
    sample = text[:_SNIFF]
    if "\x00" in sample or len(_CONTROL_CHARS.findall(sample)) > _CONTROL_RATIO * len(sample):
        raise IngestError(path, "looks like a binary file, not text or PDF")


# --------------------------------------------------------------------------- PDF


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Silence pypdf's warnings about damage it works around (what it cannot work around raises)."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _pdf_lines(path: Path, data: bytes) -> list[str]:
    """The text layer of a PDF, page after page, as lines (no separator lines between pages)."""
    if _PDF_MAGIC not in data[:_PDF_HEADER_WINDOW]:
        raise IngestError(path, "is not a readable PDF: it does not start with %PDF-")
    try:
        reader = PdfReader(io.BytesIO(data))
    except Exception as exc:  # pypdf raises many kinds of error on a damaged file
        raise IngestError(path, f"is not a readable PDF: {_reason(exc)}") from None
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except DependencyError as exc:
            raise IngestError(path, f"is encrypted and cannot be opened here: {_reason(exc)}") from None
        except Exception as exc:
            raise IngestError(path, f"is encrypted and cannot be opened: {_reason(exc)}") from None
        if opened == PasswordType.NOT_DECRYPTED:
            raise IngestError(path, "is encrypted (it needs a password): save an unprotected copy first")
    try:
        pages = list(reader.pages)
    except Exception as exc:
        raise IngestError(path, f"is not a readable PDF: {_reason(exc)}") from None
    if not pages:
        raise IngestError(path, "is not a readable PDF: it has no pages")

    lines: list[str] = []
    has_text = False
    for number, page in enumerate(pages, 1):
        try:
            text = page.extract_text() or ""
        except Exception as exc:
            raise IngestError(path, f"is not a readable PDF: page {number}: {_reason(exc)}") from None
        if text.strip():
            has_text = True
        if text:
            lines.extend(split_lines(text))
    if not has_text:
        raise IngestError(path, "has no text layer (a scanned PDF?): run OCR first")
    return lines


# --------------------------------------------------------------------------- messages


def _reason(exc: BaseException) -> str:
    """An exception as a short single line."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def format_size(n: int, decimals: int = 1) -> str:
    """A byte count for people: ``512 bytes``, ``3.5 KB``, ``52.4 MB`` (1 KB = 1024 bytes)."""
    if n < 1024:
        return f"{n} byte" if n == 1 else f"{n} bytes"
    value = float(n)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            break
    number = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return f"{number} {unit}"


def _too_large(path: Path, size: int, limit: int) -> IngestError:
    for decimals in (1, 2):
        shown, cap = format_size(size, decimals), format_size(limit, decimals)
        if shown != cap:
            break
    else:
        shown, cap = f"{size:,} bytes", f"{limit:,}-byte"
    return IngestError(path, f"is {shown}, over the {cap} limit (use --max-size to raise it)")
