"""The README's first two commands are the ones CI runs; its sample table is what `kg query` prints;
its examples (and those of docs/views.md) run as shown and write only under ``kg-build/``."""

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from kg.cli.main import main

REPO = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("```bash", 1)[1].split("```", 1)[0]
    return [line.strip() for line in block.strip().splitlines()]


def test_readme_opens_with_install_and_test_commands():
    main, tests = readme_commands()[:2]
    assert "pip install ." in main and main.endswith("kg build")
    assert "pip install '.[test]'" in tests and "pytest" in tests


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci


def test_readme_table_sample_is_what_kg_query_prints(shipped_build):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    sample = text.split("```text\n$ ", 1)[1].split("```", 1)[0].splitlines()
    command, shown = shlex.split(sample[0]), sample[1:]
    assert command[:2] == ["kg", "query"] and shown[-1] == "…"
    r = CliRunner().invoke(main, [*command[1:], "--build-dir", str(shipped_build)], env={"COLUMNS": "100"})
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[:len(shown) - 1] == shown[:-1]


# commands the docs show that a test cannot run: they need a SPARQL server, a newsletter or a person
NEEDS_MORE = ("--endpoint", "kg ingest", "$EDITOR", "kg serve", "kg push")


def doc_commands(*docs: str) -> list[list[str]]:
    """The ``kg`` commands of the docs' bash blocks (comments dropped), each once, in order."""
    lines = []
    for doc in docs:
        blocks = (REPO / doc).read_text(encoding="utf-8").split("```bash")[1:]
        lines += [line.strip() for block in blocks for line in block.split("```", 1)[0].splitlines()]
    runnable = (shlex.split(c, comments=True) for c in lines
                if c.startswith("kg ") and not any(n in c for n in NEEDS_MORE))
    return [list(c) for c in dict.fromkeys(map(tuple, runnable))]


def test_the_examples_run_and_write_only_under_kg_build(tmp_path):
    commands = doc_commands("README.md", "docs/views.md")
    assert commands[:3] == [["kg", "build"], ["kg", "stats"],
                            ["kg", "export", "-f", "ntriples", "-o", "kg-build/graph.nt"]]  # the tour
    copy = tmp_path / "regkg"  # the repository as a fresh clone has it
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "venv", "kg-build*", "__pycache__", ".*_cache", "test-artifacts", "*.egg-info"))
    before = {p.name for p in copy.iterdir()}
    env = {k: v for k, v in os.environ.items() if k not in ("KG_DATA_DIR", "KG_BUILD_DIR")}
    for args in commands:
        r = subprocess.run([sys.executable, "-m", "kg.cli", *args[1:]], cwd=copy, env=env,
                           capture_output=True, text=True)
        assert r.returncode == 0, f"{shlex.join(args)}: {r.stderr}"
        if "-o" in args and args[args.index("-o") + 1] != "-":
            assert (copy / args[args.index("-o") + 1]).is_file(), shlex.join(args)
    assert {p.name for p in copy.iterdir()} - before == {"kg-build"}
