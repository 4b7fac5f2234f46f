"""Statement tables end to end: a results exhibit written for this test (HTML, as EDGAR serves
them, and as Markdown), read through `cbmg.load`; and the hand-annotated real releases of
bench/truth scored against the floors the engine reaches today."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polars as pl
import pytest

import cbmg

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"

EXHIBIT = """<html><body>
<p>Exhibit 99.1</p>
<p>Harbor Cell Therapeutics Reports Third Quarter 2025 Financial Results</p>
<p>BOSTON, Nov. 12, 2025 -- Harbor Cell Therapeutics, Inc. (Nasdaq: HCTX) today reported
financial results for the quarter ended September 30, 2025.</p>
<p>HARBOR CELL THERAPEUTICS, INC.<br>CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS<br>
(in thousands, except per share data)</p>
<table>
<tr><td></td><td colspan="2">Three Months Ended September 30,</td><td colspan="2">Nine Months Ended September 30,</td></tr>
<tr><td></td><td>2025</td><td>2024</td><td>2025</td><td>2024</td></tr>
<tr><td>Revenues:</td></tr>
<tr><td>Collaboration revenue</td><td>$</td><td>1,100</td><td>$</td><td>700</td><td>$</td><td>3,000</td><td>$</td><td>2,100</td></tr>
<tr><td>Total revenues</td><td>$</td><td>1,250</td><td>$</td><td>800</td><td>$</td><td>3,400</td><td>$</td><td>2,300</td></tr>
<tr><td>Research and development</td><td></td><td>6,210</td><td></td><td>5,400</td><td></td><td>17,900</td><td></td><td>15,000</td></tr>
<tr><td>General and administrative</td><td></td><td>2,480</td><td></td><td>2,200</td><td></td><td>7,100</td><td></td><td>6,600</td></tr>
<tr><td>Total operating expenses</td><td></td><td>8,690</td><td></td><td>7,600</td><td></td><td>25,000</td><td></td><td>21,600</td></tr>
<tr><td>Net loss</td><td>$</td><td>(7,440</td><td>)</td><td>$</td><td>(6,800</td><td>)</td><td>$</td><td>(21,600</td><td>)</td><td>$</td><td>(19,300</td><td>)</td></tr>
<tr><td>Net loss per share, basic and diluted</td><td>$</td><td>(0.31</td><td>)</td><td>$</td><td>(0.30</td><td>)</td><td>$</td><td>(0.90</td><td>)</td><td>$</td><td>(0.86</td><td>)</td></tr>
</table>
<p>CONDENSED CONSOLIDATED BALANCE SHEETS<br>(in thousands)</p>
<table>
<tr><td></td><td>September 30, 2025</td><td>December 31, 2024</td></tr>
<tr><td>Cash and cash equivalents</td><td>$ 48,200</td><td>$ 66,900</td></tr>
<tr><td>Total assets</td><td>55,000</td><td>73,000</td></tr>
</table>
<p>Stock-based compensation expense included above (in thousands)</p>
<table>
<tr><td></td><td colspan="2">Three Months Ended September 30,</td></tr>
<tr><td></td><td>2025</td><td>2024</td></tr>
<tr><td>Research and development</td><td>400</td><td>350</td></tr>
</table>
</body></html>
"""


def test_an_html_exhibit_gives_every_statement_figure_with_its_span(tmp_path):
    (tmp_path / "ex99-1.htm").write_text(EXHIBIT)
    corpus = cbmg.load(tmp_path)
    rows = corpus.financials.filter(pl.col("source") == "table")
    got = {(r["metric"], r["period"], r["value"], r["comparative"]) for r in rows.iter_rows(named=True)}
    assert ("revenue", "2025-Q3", 1_250_000.0, False) in got
    assert ("revenue", "2024-9M", 2_300_000.0, True) in got
    assert ("rd_expense", "2025-9M", 17_900_000.0, False) in got
    assert ("operating_expense", "2024-Q3", 7_600_000.0, True) in got
    assert ("net_loss", "2025-Q3", 7_440_000.0, False) in got
    assert ("net_loss_per_share", "2025-9M", 0.90, False) in got
    assert ("cash", "2025-Q3", 48_200_000.0, False) in got
    assert ("cash", "2024-Q4", 66_900_000.0, True) in got
    # The collaboration line is a part; the compensation table is not the statement.
    assert not rows.filter(pl.col("value").is_in([1_100_000.0, 400_000.0, 350_000.0])).height
    assert rows.height == 4 * 6 + 2
    text = corpus.documents["text"][0]
    for r in rows.iter_rows(named=True):
        span = text[r["start"] : r["end"]]
        assert any(c.isdigit() for c in span), span
        assert span in r["evidence"]
        assert r["rule"] == "statement_table"
    prose = corpus.financials.filter(pl.col("source") == "prose")
    assert set(prose["source"]) <= {"prose"}


def test_a_markdown_table_and_prose_give_one_row_per_source(tmp_path):
    (tmp_path / "results.md").write_text(
        "# Lumen Bio Reports Full Year 2024 Results\n\n"
        "Net loss for the year ended December 31, 2024 was $12.3 million.\n\n"
        "Selected results (in thousands)\n\n"
        "| | Year Ended December 31, | |\n| | 2024 | 2023 |\n|---|---|---|\n"
        "| Net loss | (12,312) | (9,870) |\n| Revenue | 4,020 | 3,110 |\n"
    )
    fin = cbmg.load(tmp_path).financials
    net = fin.filter((pl.col("metric") == "net_loss") & (pl.col("period") == "2024-FY"))
    assert sorted(zip(net["source"], net["value"], strict=True)) == [
        ("prose", 12_300_000.0),
        ("table", 12_312_000.0),
    ]


@pytest.mark.skipif(not (SHARED / "archive.tar.xz").exists(), reason="needs ../shared/corpus")
@pytest.mark.parametrize(
    "half, precision, recall, wrong",
    # Floors at what the engine reaches today: a change that lowers them is a regression.
    [("dev", 0.93, 0.48, 1), ("test", 0.86, 0.38, 11)],
)
def test_real_releases_score_at_least_today(half, precision, recall, wrong):
    spec = importlib.util.spec_from_file_location(
        "financial_accuracy", ROOT / "bench" / "financial_accuracy.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    corpus, truth = module.load_half(half)
    result = module.score(corpus, truth)["metrics"]["all"]
    assert result["precision"] >= precision, result
    assert result["recall"] >= recall, result
    assert result["wrong"] <= wrong, result
