"""What the ``kg`` commands share: the error handler, common options and value parsers."""

from __future__ import annotations

import datetime as dt
import functools
import re
import sys
from pathlib import Path

import click

from ..errors import KgError


def handle_errors(fn):
    """Show a :class:`~kg.errors.KgError` as ``error:`` lines on stderr and exit with its status."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except KgError as exc:
            for line in exc.lines():
                click.echo(f"error: {line}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def fail(message: str, code: int = 1) -> None:
    """Print an error on stderr and exit non-zero."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def data_option(fn):
    """``--data DIR`` (default: $KG_DATA_DIR, ./data, or the shipped data)."""
    return click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
                        help="Folder of fact files (default: $KG_DATA_DIR or ./data).")(fn)


def build_dir_option(fn):
    """``--build-dir DIR`` (default: $KG_BUILD_DIR or ./kg-build)."""
    return click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path),
                        help="Build output folder (default: $KG_BUILD_DIR or ./kg-build).")(fn)


def parse_size(value: str, option: str) -> int:
    """Bytes of a size such as ``50MB``, ``200k``, ``1g`` or ``50`` (MB); a usage error names ``option``."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*", value.lower())
    if not m:
        raise click.BadParameter(f"{value!r} is not a size such as 50, 50MB, 200k or 1g (default unit: MB)",
                                 param_hint=option)
    return int(float(m.group(1)) * {"": 1024**2, "k": 1024, "m": 1024**2, "g": 1024**3}[m.group(2)])


def _as_of(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def as_of_option(fn):
    """``--as-of DATE``: the date instrument statuses are computed for (default: today)."""
    return click.option("--as-of", callback=_as_of, metavar="YYYY-MM-DD",
                        help="Compute each instrument's status (in force, issued, expired) as of this date "
                             "(default: today).")(fn)


def progress_bar(iterable=None, **kwargs):
    """A tqdm progress bar that leaves no thread behind: tqdm's monitor thread would outlive the
    command in the process (a test's, a notebook's), and a build forks its views only in a
    process that runs no other thread (:mod:`kg.store.aside`)."""
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0

    return Bar(iterable, **kwargs)
