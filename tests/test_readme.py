"""The README's first two commands are the ones CI runs; its sample table is what `kg query` prints."""

import shlex
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
