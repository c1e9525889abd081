"""What kg writes gets the permissions the umask allows, as a plain ``open()`` or ``mkdir()`` would
give: the build folder, its views, an export, a view and a fact file written by ``kg ingest``
(all are written to a temporary file or folder, which ``tempfile`` makes private, then renamed)."""

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kg.facts.registry import copy_registries

from ..conftest import write
from ..ingest.test_extract import NEWSLETTER

REPO = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("mask", "file_mode", "dir_mode"), [(0o022, 0o644, 0o755), (0o077, 0o600, 0o700)])
def test_outputs_get_the_modes_the_umask_allows(mask, file_mode, dir_mode, mini_data, tmp_path):
    def kg(*args):
        r = subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], cwd=REPO, umask=mask,
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr

    build = tmp_path / "kg-build"
    kg("build", "-q", "--data", mini_data, "--build-dir", build)
    kg("build", "-q", "--data", mini_data, "--build-dir", build)  # a rebuild swaps the folder
    kg("export", "-f", "ntriples", "-o", tmp_path / "graph.nt", "--build-dir", build)
    kg("view", "overview", "-o", tmp_path / "overview.html", "--build-dir", build)
    data = tmp_path / "registries"
    copy_registries(REPO / "data", data)
    kg("ingest", write(tmp_path / "in" / "news_2026_01.txt", NEWSLETTER), "--data", data)

    folders = [build, build / "store", build / "views", data / "documents"]
    files = [build / "graph.nq", build / "build.json", build / "views" / "index.html", tmp_path / "graph.nt",
             tmp_path / "overview.html", data / "documents" / "news_2026_01.yaml"]
    assert {str(p): oct(mode(p)) for p in folders} == {str(p): oct(dir_mode) for p in folders}
    assert {str(p): oct(mode(p)) for p in files} == {str(p): oct(file_mode) for p in files}
