"""The ``kg`` command line: output, error messages and exit codes."""

from click.testing import CliRunner
from wcwidth import wcswidth

from kg.cli.main import main


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kw)


def test_build_stats_export(mini_data, tmp_path):
    out = tmp_path / "out"
    r = run("build", "--data", mini_data, "--build-dir", out)
    assert r.exit_code == 0, r.output
    assert "EnforcementAction       1" in r.output and "SHACL: 0 violations" in r.output
    assert "doc_a" in r.output and "fines=1" in r.output
    r = run("stats", "--build-dir", out)
    assert r.exit_code == 0 and "triples" in r.output and "doc_a" in r.output
    r = run("export", "--build-dir", out, "-f", "ntriples", "-o", tmp_path / "g.nt")
    assert r.exit_code == 0 and (tmp_path / "g.nt").stat().st_size > 10000
    r = run("export", "--build-dir", out, "-f", "turtle")
    assert r.exit_code == 0 and "@prefix eli:" in r.output


def test_env_variables_choose_folders(mini_data, tmp_path):
    out = tmp_path / "env-out"
    r = run("build", "-q", env={"KG_DATA_DIR": str(mini_data), "KG_BUILD_DIR": str(out)})
    assert r.exit_code == 0 and (out / "store").is_dir()


def test_bad_date_exits_non_zero_naming_file_and_line(mini_data, tmp_path):
    doc = mini_data / "documents" / "doc_a.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("2025-02-20", "2025-02-30"), encoding="utf-8")
    r = CliRunner().invoke(main, ["build", "--data", str(mini_data), "--build-dir", str(tmp_path / "out")])
    assert r.exit_code == 1
    assert f"{doc}:" in r.output and "2025-02-30" in r.output and "nothing was written" in r.output
    assert not (tmp_path / "out").exists()


def test_stats_before_build_says_what_to_do(tmp_path):
    r = CliRunner().invoke(main, ["stats", "--build-dir", str(tmp_path / "nothing")])
    assert r.exit_code == 1 and "run `kg build` first" in r.output


def test_validate_reports_and_exits(mini_data):
    r = run("validate", "--data", mini_data)
    assert r.exit_code == 0 and "0 violation(s)" in r.output
    doc = mini_data / "documents" / "doc_a.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("object: 示保法", "object: CN/示例数据管理办法"),
                   encoding="utf-8")
    r = CliRunner().invoke(main, ["validate", "--data", str(mini_data)])
    assert r.exit_code == 1 and "Violation:" in r.output and "based on itself" in r.output


def test_query_table_fits_the_terminal_and_iri_shows_iris_whole(query_build):
    iri = "https://w3id.org/regkg/id/authority/CN-431000/郴州市互联网信息办公室"
    args = ("query", "authorities/most-active", "--build-dir", query_build)
    for columns in ("100", "50"):
        r = run(*args, env={"COLUMNS": columns})
        assert r.exit_code == 0, r.output
        lines = r.output.splitlines()
        assert lines[0].split() == ["name", "instruments", "actions", "total", "authority"]
        assert max(wcswidth(line) for line in lines) <= int(columns) and iri not in r.output
    assert "CN-431000/郴州市互联网信息办公室" in run(*args, env={"COLUMNS": "100"}).output
    r = run(*args, "--iri", env={"COLUMNS": "50"})
    assert r.exit_code == 0 and r.output.splitlines()[0].split()[-1] == "authority"
    assert any(line.endswith(iri) for line in r.output.splitlines())
    # other formats keep full IRIs, first column first, with or without --iri
    r = run(*args, "-f", "csv", env={"COLUMNS": "50"})
    assert r.output.splitlines()[0] == "authority,name,instruments,actions,total" and iri in r.output


# ---------------------------------------------------------------- names (kg query -p, kg view NAME)


def test_query_parameters_take_keys_and_english_names_without_qualifier(shipped_build):
    by_key = run("query", "authorities/issued-by", "-p", "authority=KR/个人信息保护委员会", "-f", "csv",
                 "--build-dir", shipped_build)
    assert by_key.exit_code == 0, by_key.output
    assert by_key.output.count("\n") > 1
    by_alias = run("query", "authorities/issued-by", "-p", "authority=PIPC", "-f", "csv", "--build-dir", shipped_build)
    assert by_alias.output == by_key.output
    r = run("query", "provenance/aliases", "-p", "entity=Personal Information Dispute Mediation Committee",
            "-f", "csv", "--build-dir", shipped_build)
    assert r.exit_code == 0 and "韩国个人信息纠纷调解委员会" in r.output


def test_query_parameter_with_no_match_suggests_the_nearest_names(shipped_build):
    r = run("query", "authorities/issued-by", "-p", "authority=国家网信", "--build-dir", shipped_build)
    assert r.exit_code == 1
    lines = r.output.splitlines()
    assert lines[0] == "error: parameter authority: no authority is called '国家网信'; the nearest names:"
    assert lines[1].startswith("  1. 国家互联网信息办公室 (Cyberspace Administration of China), as '国家网信办'")


def test_query_parameter_naming_several_lists_them_with_their_keys(shipped_build):
    r = run("query", "authorities/issued-by", "-p", "authority=个人信息保护委员会", "--build-dir", shipped_build)
    assert r.exit_code == 1
    lines = r.output.splitlines()
    assert "write one of their keys (such as JP/个人信息保护委员会) or IRIs instead" in lines[0]
    assert [x.split(" - ")[-1] for x in lines[1:]] == ["key JP/个人信息保护委员会", "key KR/个人信息保护委员会"]
    assert lines[1].startswith("  1. ") and lines[2].startswith("  2. ")


def test_view_names_resolve_like_query_parameters(shipped_build, tmp_path):
    out = tmp_path / "pipc.html"
    r = run("view", "authority", "KR/个人信息保护委员会", "-o", out, "--build-dir", shipped_build)
    assert r.exit_code == 0, r.output
    assert out.is_file() and "Authority: 个人信息保护委员会" in r.output
    for name, first in (("网信办", "  1. 国家互联网信息办公室 "), ("个人信息保护委员会", "  1. 个人信息保护委员会 ")):
        out = tmp_path / "nothing.html"
        r = run("view", "authority", name, "-o", out, "--build-dir", shipped_build)
        assert r.exit_code == 1 and not out.exists()
        assert r.output.splitlines()[1].startswith(first), r.output
