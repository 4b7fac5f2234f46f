"""`Corpus.series()`: one figure per company, metric and period, on releases written to cover
each rule (tests/data/series), on the seeds, and on the real dev corpus."""

import datetime

import polars as pl
import pytest

import cbmg
from cbmg.series import half_unit
from conftest import ROOT
from helpers import check_series

SERIES = ROOT / "tests" / "data" / "series"


@pytest.fixture(scope="module")
def written():
    return cbmg.load(SERIES)


def figure(series, company, metric, period):
    rows = series.filter(pl.col("company") == company, pl.col("metric") == metric, pl.col("period") == period)
    assert rows.height == 1, (company, metric, period, rows)
    return rows.row(0, named=True)


def test_one_row_per_key_and_every_conflict_flagged(written):
    check_series(written)


def test_comparative_agreeing_with_current_is_one_figure(written):
    # Q1 2024: $4.2 million (current, prose) and $4,217 thousand (current, table) in the Q1
    # release, $4.2 million again as next year's comparative.
    q1 = figure(written.series(), "Harbor Cell Therapeutics", "net_loss", "2024-Q1")
    assert q1["value"] == 4_217_000.0
    assert (q1["source"], q1["doc_id"]) == ("table", "harbor_2024q1")
    assert q1["n_sources"] == 3
    assert not q1["conflict"] and not q1["derived"]
    assert (q1["first_doc_id"], q1["last_doc_id"]) == ("harbor_2024q1", "harbor_2025q1")
    assert q1["doc_ids"] == ["harbor_2024q1", "harbor_2025q1"]


def test_exact_table_figure_wins_over_rounded_prose(written):
    q1_2023 = figure(written.series(), "Harbor Cell Therapeutics", "net_loss", "2023-Q1")
    # $3.9 million in prose, (3,911) in a table in thousands: the same figure, rounded.
    assert q1_2023["value"] == 3_911_000.0
    assert not q1_2023["conflict"]


def test_restatement_later_release_wins_and_is_flagged(written):
    q3 = figure(written.series(), "Tidewater Bio", "revenue", "2024-Q3")
    assert q3["value"] == 2_100_000.0
    assert q3["conflict"]
    assert q3["doc_id"] == "tidewater_2024q3_restated"
    assert q3["doc_ids"] == ["tidewater_2024q3", "tidewater_2024q3_restated"]


def test_derived_fourth_quarter_is_right_to_the_unit(written):
    series = written.series("net_loss")
    q4 = figure(series, "Harbor Cell Therapeutics", "net_loss", "2024-Q4")
    assert q4["derived"] and q4["source"] == "derived"
    assert q4["value"] == 21_912_345.0 - 15_463_000.0
    assert q4["period_type"] == "quarter"
    assert q4["period_end"] == datetime.date(2024, 12, 31)
    assert q4["doc_id"] is None and q4["evidence"] is None
    assert q4["doc_ids"] == ["harbor_2024q3", "harbor_2024fy"]
    h2 = figure(series, "Harbor Cell Therapeutics", "net_loss", "2024-H2")
    assert h2["derived"] and h2["value"] == 21_912_345.0 - 9_338_000.0
    q2 = figure(series, "Harbor Cell Therapeutics", "net_loss", "2024-Q2")
    assert q2["derived"] and q2["value"] == 9_338_000.0 - 4_217_000.0


def test_a_stated_figure_is_never_replaced_by_a_derived_one(written):
    series = written.series()
    # Osprey states Q4 ($3.3 million) although FY - 9M would give $3.8 million.
    q4 = figure(series, "Osprey Genomics", "net_loss", "2024-Q4")
    assert not q4["derived"] and q4["value"] == 3_300_000.0
    # Harbor's Q3 is stated and equals 9M - H1; it stays the stated row.
    q3 = figure(series, "Harbor Cell Therapeutics", "net_loss", "2024-Q3")
    assert not q3["derived"] and q3["doc_id"] == "harbor_2024q3"


def test_nothing_is_derived_from_a_figure_in_conflict(written):
    series = written.series("revenue")
    # FY revenue is $9.8 million, then corrected to $9.2 million: no Q4 from it.
    fy = figure(series, "Tidewater Bio", "revenue", "2024-FY")
    assert fy["conflict"] and fy["value"] == 9_200_000.0
    assert series.filter(pl.col("company") == "Tidewater Bio", pl.col("period") == "2024-Q4").is_empty()


def test_fiscal_year_ending_in_june(written):
    # Fiscal 2024 ends June 30, 2024: its fourth fiscal quarter is the calendar's 2024-Q2.
    q = figure(written.series(), "Pinecrest Pharmaceuticals", "net_loss", "2024-Q2")
    assert q["derived"]
    assert q["value"] == 30_250_000.0 - 22_500_000.0
    assert q["period_end"] == datetime.date(2024, 6, 30)


def test_profit_after_losses_derives_net_income_not_a_negative_loss(written):
    series = written.series()
    q4 = figure(series, "Kestrel Biologics", "net_income", "2024-Q4")
    assert q4["derived"] and q4["value"] == 2_500_000.0 + 8_000_000.0
    assert (series["value"] >= 0).all()


def test_metric_filter_and_ticker(written):
    assert set(written.series("revenue")["metric"]) == {"revenue"}
    assert set(written.series(["revenue", "net_income"])["metric"]) == {"revenue", "net_income"}
    assert written.series("no_such_metric").is_empty()
    q1 = figure(written.series(), "Harbor Cell Therapeutics", "net_loss", "2024-Q1")
    assert q1["ticker"] == "HCTX" and q1["currency"] == "USD"


def test_empty_corpus_has_every_column(tmp_path):
    (tmp_path / "note.txt").write_text("Nothing financial here.\n")
    series = cbmg.load(tmp_path).series()
    assert series.is_empty()
    assert series.columns[:5] == ["company", "ticker", "metric", "qualifier", "period"]
    assert series.schema["doc_ids"] == pl.List(pl.String)


@pytest.mark.parametrize(
    ("span", "value", "half"),
    [
        ("$15.9 million", 15_900_000.0, 50_000.0),
        ("$16.0 million", 16_000_000.0, 50_000.0),
        ("(4,217)", 4_217_000.0, 500.0),
        ("($0.82)", 0.82, 0.005),
        ("$9,338,000", 9_338_000.0, 0.5),
        ("RMB 1.2 billion", 1_200_000_000.0, 50_000_000.0),
    ],
)
def test_half_unit_of_the_written_figure(span, value, half):
    assert half_unit(span, value) == pytest.approx(half)


def test_seeds(seeds):
    check_series(seeds)
    net_loss = seeds.series("net_loss")
    assert not net_loss.is_empty()
    assert net_loss["company"].n_unique() == 1


def test_dev_corpus(dev_corpus):
    series = check_series(dev_corpus)
    assert series.height >= 100
