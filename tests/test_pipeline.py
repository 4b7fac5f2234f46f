"""`Corpus.pipeline()`: one row per program, on releases written for it (tests/data/pipeline),
on the seeds and on the real dev corpus."""

import datetime

import pytest

import cbmg
from cbmg.pipeline import phase_order
from conftest import ROOT
from helpers import check_pipeline

PIPELINE = ROOT / "tests" / "data" / "pipeline"


@pytest.fixture(scope="module")
def programs():
    corpus = cbmg.load(PIPELINE)
    check_pipeline(corpus)
    return {row["product"]: row for row in corpus.pipeline().iter_rows(named=True)}


def test_a_program_across_four_releases(programs):
    lmn = programs["LMN-201"]
    assert (lmn["company"], lmn["ticker"], lmn["indication"]) == (
        "Lumen Oncology",
        "LUMO",
        "Glioblastoma",
    )
    assert lmn["phases"] == ["Phase 1", "Phase 2"]
    # Phase 2 was first reported as planned, in June 2024, before it started.
    assert lmn["phase_first_dates"] == [datetime.date(2023, 3, 14), datetime.date(2024, 6, 3)]
    assert (lmn["first_date"], lmn["last_date"]) == (
        datetime.date(2023, 3, 14),
        datetime.date(2025, 9, 22),
    )
    assert (lmn["latest_phase"], lmn["latest_status"]) == ("Phase 2", "enrollment_completed")
    assert lmn["nct_ids"] == ["NCT06123456"]
    # The enrollment release names no disease; the product has one, so it joins this program.
    assert lmn["n_docs"] == 4 and lmn["n_docs_boilerplate"] == 0
    assert lmn["doc_ids"][-1] == "lumen_2025_enrolled"


def test_boilerplate_is_counted_apart_from_news(programs):
    lmn310 = programs["LMN-310"]
    assert lmn310["indication"] == "Pancreatic Cancer"
    assert lmn310["n_docs"] == 0 and lmn310["n_docs_boilerplate"] == 3
    assert lmn310["latest_phase"] == "Phase 1" and lmn310["latest_status"] is None


def test_phase_order():
    phases = ["Phase 3", "Phase 1/2", "Phase 2a", "Phase 1b", "Phase 1", "Phase 2", "Phase 4"]
    assert sorted(phases, key=phase_order) == [
        "Phase 1",
        "Phase 1b",
        "Phase 1/2",
        "Phase 2",
        "Phase 2a",
        "Phase 3",
        "Phase 4",
    ]


def test_empty_corpus_has_every_column(tmp_path):
    (tmp_path / "note.txt").write_text("No trials here.\n")
    pipeline = cbmg.load(tmp_path).pipeline()
    assert pipeline.is_empty()
    assert pipeline.columns[:4] == ["company", "ticker", "product", "indication"]


def test_seeds(seeds):
    pipeline = check_pipeline(seeds)
    assert set(pipeline["company"]) == {"Cellular Biomedicine Group"}
    assert pipeline.height >= 3


def test_dev_corpus(dev_corpus):
    pipeline = check_pipeline(dev_corpus)
    # Far fewer programs than mentions: the same program is one row across releases.
    assert pipeline.height < dev_corpus.trials.height / 2
