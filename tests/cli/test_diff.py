"""``kg diff``: formats, output file, an empty diff, bad arguments; ``kg build`` says what changed."""

import json

from click.testing import CliRunner

from kg.cli.main import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_diff_formats_and_output_file(newsletter_builds, tmp_path):
    old, new = newsletter_builds.old, newsletter_builds.new
    r = run("diff", old, new)
    assert r.exit_code == 0, r.output
    assert "CN-431000 郴州市 / Chenzhou — 郴州市互联网信息办公室" in r.output and "  + new fine " in r.output
    r = run("diff", old, new, "-f", "json")
    assert r.exit_code == 0 and json.loads(r.output)["summary"]["case"]["added"] == 1
    r = run("diff", old, new, "-f", "markdown", "-o", tmp_path / "note.md")
    assert r.exit_code == 0 and f"wrote {tmp_path / 'note.md'}" in r.output
    assert "### 郴州市互联网信息办公室" in (tmp_path / "note.md").read_text(encoding="utf-8")
    r = run("diff", old, new, "-f", "html", "-o", tmp_path / "changes.html")
    assert r.exit_code == 0 and (tmp_path / "changes.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_diff_of_a_build_with_itself_is_empty(shipped_build):
    r = run("diff", shipped_build, shipped_build)
    assert r.exit_code == 0 and r.output.splitlines()[2] == "no changes" and len(r.output.splitlines()) == 3


def test_bad_arguments_exit_non_zero_naming_the_path(shipped_build, tmp_path):
    r = run("diff", tmp_path / "missing", shipped_build)
    assert r.exit_code == 1 and f"error: {tmp_path / 'missing'} does not exist" in r.output
    r = run("diff", shipped_build, tmp_path)
    assert r.exit_code == 1 and f"error: {tmp_path} is neither a build folder" in r.output
    r = run("diff", shipped_build)
    assert r.exit_code == 2  # a wrong command line
    r = run("diff", shipped_build, shipped_build, "--as-of", "2026-02-30")
    assert r.exit_code == 2 and "is not a date" in r.output


def test_build_says_what_changed_since_the_previous_build(mini_data, tmp_path):
    out = tmp_path / "out"
    r = run("build", "--data", mini_data, "--build-dir", out)
    assert r.exit_code == 0 and "changes since the previous build: no previous build to compare with" in r.output
    r = run("build", "--data", mini_data, "--build-dir", out)
    assert r.exit_code == 0 and f"changes since the previous build: no changes (see {out / 'changes.md'})" in r.output
