"""The command line: printing, writing files, and user mistakes without tracebacks."""

import subprocess
import sys

import polars as pl
import pytest

import cbmg
from conftest import SEEDS


def run(*args):
    return subprocess.run([sys.executable, "-m", "cbmg", *map(str, args)], capture_output=True, text=True)


def test_prints_every_table():
    out = run(SEEDS)
    assert out.returncode == 0, out.stderr
    for name in ("documents (5 rows)", "financials (4 rows)", "trials", "skipped (0 rows)"):
        assert f"== {name}" in out.stdout


def test_writes_parquet_csv_and_json(tmp_path):
    for fmt in ("parquet", "csv", "json"):
        out = run(SEEDS, "--out", tmp_path / fmt, "--format", fmt, "--table", "financials")
        assert out.returncode == 0, out.stderr
        path = tmp_path / fmt / f"financials.{fmt}"
        df = {"parquet": pl.read_parquet, "csv": pl.read_csv, "json": pl.read_json}[fmt](path)
        assert df.height == 4


def test_version():
    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"cbmg {cbmg.__version__}"


def test_json_reads_back_with_polars_and_duckdb_empty_tables_included(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    out = run(SEEDS, "--out", tmp_path, "--format", "json")
    assert out.returncode == 0, out.stderr
    seeds = cbmg.load(SEEDS)
    for name in cbmg.TABLES:
        path = tmp_path / f"{name}.json"
        df = pl.read_json(path)
        assert df.height == seeds[name].height, name
        n = duckdb.execute(f"select count(*) from read_json('{path}')").fetchone()[0]
        assert n == seeds[name].height, name
    assert seeds["skipped"].is_empty()


def test_json_column_empty_in_the_first_batch_still_reads_back(tmp_path):
    # Batches of one file: the first release has no ticker, so documents.ticker is null all
    # through the first batch and a value comes only in the second.
    releases = tmp_path / "releases"
    releases.mkdir()
    (releases / "a.txt").write_text("Acme Opens an Office\n\nAcme opened an office today.\n")
    (releases / "b.txt").write_text(
        "Beta Bio Starts a Trial\n\nBOSTON, May 1, 2024 /PRNewswire/ -- Beta Bio, Inc. "
        "(Nasdaq: BETA) today started a Phase 2 trial of BB-12 in gout.\n"
    )
    out = run(releases, "--out", tmp_path / "out", "--format", "json", "--batch-size", "1")
    assert out.returncode == 0, out.stderr
    documents = pl.read_json(tmp_path / "out" / "documents.json")
    assert sorted(documents["ticker"].drop_nulls()) == ["BETA"]
    assert documents.height == 2


def test_csv_dates_are_iso(tmp_path):
    out = run(SEEDS, "--out", tmp_path, "--format", "csv", "--table", "documents")
    assert out.returncode == 0, out.stderr
    dates = pl.read_csv(tmp_path / "documents.csv", try_parse_dates=False)["date"]
    assert dates.str.contains(r"^\d{4}-\d{2}-\d{2}$").all()


def test_progress_bar_on_request(tmp_path):
    out = run(SEEDS, "--out", tmp_path, "--progress")
    assert out.returncode == 0, out.stderr
    assert "5/5 files" in out.stderr


def test_missing_path_is_an_error_not_a_traceback(tmp_path):
    out = run(tmp_path / "missing")
    assert out.returncode == 2
    assert "No such file or directory" in out.stderr and "Traceback" not in out.stderr


def test_a_reader_that_stops_early_gets_no_traceback():
    # `cbmg DIR | head -1`: the pipe closes while tables are still being printed.
    proc = subprocess.Popen(
        [sys.executable, "-m", "cbmg", str(SEEDS)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    first = proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait() == 0 and first.startswith(b"== documents"), stderr
    assert "Traceback" not in stderr and "Broken pipe" not in stderr, stderr


def test_console_script_entry_point():
    out = subprocess.run(
        [sys.executable, "-c", "from cbmg.cli import main; raise SystemExit(main(['--help']))"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0 and "--format" in out.stdout


def test_a_failed_run_leaves_the_previous_files_as_they_were(tmp_path):
    out_dir = tmp_path / "tables"
    for fmt, ext in (("csv", "csv"), ("json", "json"), ("parquet", "parquet")):
        good = run(SEEDS, "--out", out_dir, "--format", fmt, "--table", "financials")
        assert good.returncode == 0, good.stderr
        before = (out_dir / f"financials.{ext}").read_bytes()
        assert before
        for bad in (("--lexicon", tmp_path / "missing.csv"), ()):
            failed = run(
                tmp_path / "no_such_folder" if not bad else SEEDS, "--out", out_dir, "--format", fmt, *bad
            )
            assert failed.returncode == 2, failed.stdout
            assert (out_dir / f"financials.{ext}").read_bytes() == before, (fmt, bad)
    assert not [p.name for p in out_dir.iterdir() if p.name.endswith(".partial")]


def test_engine_errors_and_interrupts_end_without_a_traceback(monkeypatch, capsys):
    from cbmg import cli

    def interrupted(argv):
        raise KeyboardInterrupt

    def engine_error(argv):
        raise cbmg.CbmgError("the engine could not finish")

    monkeypatch.setattr(cli, "_run", interrupted)
    assert cli.main(["x"]) == 130
    monkeypatch.setattr(cli, "_run", engine_error)
    assert cli.main(["x"]) == 2
    err = capsys.readouterr().err
    assert "cbmg: interrupted" in err and "cbmg: error: the engine could not finish" in err
    assert "Traceback" not in err
