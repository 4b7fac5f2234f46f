"""Rules as records: the `rule` column of every fact table, and `python -m cbmg rules`."""

import shutil
import subprocess
import sys

import polars as pl

import cbmg
from cbmg import _core
from conftest import ROOT

FACT_TABLES = [t for t in cbmg.TABLES if t not in ("documents", "skipped")]


def run(*args):
    return subprocess.run([sys.executable, "-m", "cbmg", *map(str, args)], capture_output=True, text=True)


def test_every_fact_row_names_a_listed_rule_of_its_table(seeds):
    listed = {(table, name) for table, _, name, *_ in _core.rules()}
    seen = 0
    for table in FACT_TABLES:
        df = seeds[table]
        assert df.schema["rule"] == pl.String
        assert df["rule"].null_count() == 0
        for rule in df["rule"].unique():
            assert (table, rule) in listed, (table, rule)
            seen += 1
    assert seen >= 10


def test_rows_name_the_phrase_that_made_them(seeds):
    fin = seeds.financials.filter(pl.col("metric") == "net_loss")
    assert set(fin["rule"]) <= {"net_loss_phrase", "net_income_loss_phrase"}
    assert fin.height > 0
    reg = seeds.regulatory
    assert (reg["rule"] == reg["action"]).all()


def test_rules_lists_every_rule_with_its_examples():
    out = run("rules")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["table", "family", "rule", "kind", "examples", "rejects"]
    assert len(lines) - 1 == len(_core.rules())
    assert any(line.split()[:3] == ["regulatory", "action", "orphan_designation"] for line in lines)
    for line in lines[1:]:
        assert int(line.split()[-2]) >= 3, line


def test_rules_check_runs_every_example_and_passes():
    out = run("rules", "--check")
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip().endswith("0 failing")
    total = sum(r[4] + r[5] for r in _core.rules())
    assert f"{total} examples and rejects" in out.stdout
    assert total >= 400


def test_rules_check_names_a_failing_example(tmp_path):
    # A copy of the rules with a reject the engine does give a row for: read at run time
    # through CBMG_RULES_DIR, without a rebuild.
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    path = tmp_path / "rules" / "grants.toml"
    text = path.read_text()
    path.write_text(
        text.replace(
            "rejects = [",
            'rejects = [\n  "Acme won a $2 million grant from the National Cancer Institute.",',
            1,
        )
    )
    env = {"CBMG_RULES_DIR": str(tmp_path / "rules"), "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-m", "cbmg", "rules", "--check", "--table", "grants"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.returncode == 1, out.stdout + out.stderr
    assert "grants.amount_from_funder" in out.stdout and "where none should be" in out.stdout


def test_unknown_table_is_an_error():
    out = run("rules", "--table", "nope")
    assert out.returncode == 2 and "no rules" in out.stderr


def test_an_ind_step_has_one_name_in_trials_and_regulatory(tmp_path):
    # Both tables read IND steps from rules/vocabulary.toml.
    steps = {
        "cleared": (
            "The FDA cleared the Company's IND for a Phase 1 trial of XR-17 in lymphoma.",
            "ind_cleared",
        ),
        "approved": (
            "The NMPA approved the IND for a Phase 2 trial of XR-17 in gastric cancer.",
            "ind_approved",
        ),
        "accepted": ("The NMPA accepted the IND for a Phase 1 trial of XR-17 in melanoma.", "ind_accepted"),
    }
    for name, (sentence, _) in steps.items():
        (tmp_path / f"{name}.txt").write_text(f"Xerion Bio news\n\n{sentence}\n")
    corpus = cbmg.load(tmp_path)
    for name, (_, step) in steps.items():
        trials = corpus.trials.filter(pl.col("doc_id").str.contains(name))
        regulatory = corpus.regulatory.filter(pl.col("doc_id").str.contains(name))
        assert trials["status"].to_list() == [step], (name, trials)
        assert regulatory["action"].to_list() == [step], (name, regulatory)
