"""HTML input: wire pages and SEC exhibit 99.1 pages, written for these tests in the shapes
those sites use."""

import datetime as dt

import polars as pl

import cbmg
from conftest import ROOT
from helpers import check_offsets

HTML = ROOT / "tests" / "data" / "html"


def test_wire_page():
    c = cbmg.load(HTML / "prnewswire_page.html")
    d = c.documents.row(0, named=True)
    assert d["format"] == "html"
    assert (
        d["title"] == "Orbis Therapeutics Reports Second Quarter 2024 Financial Results and Business Update"
    )
    assert (d["date"], d["dateline"], d["wire"]) == (dt.date(2024, 8, 8), "SAN DIEGO", "PR Newswire")
    assert (d["company"], d["exchange"], d["ticker"]) == ("Orbis Therapeutics", "NASDAQ", "ORBT")
    # Scripts, styles and navigation are gone; entities are decoded.
    assert "gtag" not in d["text"] and "font-family" not in d["text"] and "Home |" not in d["text"]
    assert "June\u00a030, 2024" in d["text"]
    fin = set(c.financials.select("metric", "period", "value", "comparative").rows())
    assert fin == {
        ("net_loss", "2024-Q2", 12.4e6, False),
        ("net_loss", "2023-Q2", 9.8e6, True),
        ("rd_expense", "2024-Q2", 9.1e6, False),
        ("rd_expense", "2023-Q2", 7.2e6, True),
        ("cash", "2024-Q2", 88.3e6, False),
    }
    # The table is kept readable, one row per line, and yields no figures of its own.
    assert "Net loss | (12,398) | (9,845)" in d["text"]
    assert c.trials.select("phase", "product", "indication").rows() == [
        ("Phase 2", "ORB-417", "Acute Myeloid Leukemia")
    ]
    assert c.quotes.select("speaker", "speaker_title").rows() == [("Maya Chen", "Chief Executive Officer")]
    assert c.contacts.select("name", "title", "phone", "email").rows() == [
        ("Daniel Ortiz", "Investor Relations", "+1 858-555-0142", "daniel.ortiz@orbistx.com")
    ]
    check_offsets(c)


def test_sec_exhibit():
    c = cbmg.load(HTML / "sec_exhibit_99_1.htm")
    d = c.documents.row(0, named=True)
    assert d["title"] == "Kestrel Biosciences Announces FDA Clearance of IND for KB-220 in Glioblastoma"
    assert (d["wire"], d["company"], d["ticker"]) == ("GlobeNewswire", "Kestrel Biosciences", "KSTL")
    assert c.regulatory.select("agency", "action", "product").rows() == [("FDA", "ind_cleared", "KB-220")]
    t = c.trials.row(0, named=True)
    assert (t["phase"], t["product"], t["indication"], t["enrollment"], t["status"]) == (
        "Phase 1",
        "KB-220",
        "Glioblastoma",
        36,
        "planned",
    )
    assert c.contacts.select("name", "title", "email").rows() == [
        ("Priya Natarajan", "Vice President, Investor Relations", "ir@kestrelbio.com")
    ]
    check_offsets(c)


def test_html_in_a_mixed_folder(tmp_path):
    (tmp_path / "a.html").write_text("<html><body><script>only()</script></body></html>")
    (tmp_path / "b.htm").write_text((HTML / "sec_exhibit_99_1.htm").read_text())
    c = cbmg.load(tmp_path)
    assert c.documents["doc_id"].to_list() == ["b"]
    assert c.skipped.select(pl.col("reason")).to_series().to_list() == ["empty"]
