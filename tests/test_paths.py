"""kg.paths: the umask, read without changing it, and the modes it gives what kg writes."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import os, stat, sys, tempfile
from kg.paths import _swapped_umask, respect_umask, umask
before = umask()
swapped = _swapped_umask()  # the way off Linux
folder = tempfile.mkdtemp(dir=sys.argv[1])
fd, file = tempfile.mkstemp(dir=folder)
os.close(fd)
respect_umask(folder)
respect_umask(file)
after = os.umask(0)
modes = [stat.S_IMODE(os.stat(p).st_mode) for p in (folder, file)]
print(*map(oct, [before, swapped, after, *modes]))
"""


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077, 0o002])
def test_umask_is_read_without_changing_it_and_gives_the_plain_modes(mask, tmp_path):
    r = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], cwd=REPO, umask=mask,
                       capture_output=True, text=True, check=True)
    assert r.stdout.split() == [oct(mask), oct(mask), oct(mask), oct(0o777 & ~mask), oct(0o666 & ~mask)]
