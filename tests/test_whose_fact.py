"""Whose fact, from which part of which release: the date of every release and where it came
from, the issuer of releases from every wire, each fact's company, ticker and section, roundups,
and trials with their registry number and name. Releases written for these tests; the real ones
of bench/truth are scored against the floors the engine reaches today."""

from __future__ import annotations

import datetime
import importlib.util
from pathlib import Path

import polars as pl
import pytest

import cbmg

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"

#: Every column that every fact table starts with, in order.
SHARED_COLUMNS = ["doc_id", "doc_date", "start", "end", "evidence", "company", "ticker", "section", "rule"]
SECTIONS = {"headline", "summary", "body", "table", "about", "forward_looking", "contacts"}

BUSINESS_WIRE = """Ridgeline Therapeutics Doses First Patient in Phase 2 Trial of RT-310 in Gout

SAN DIEGO--(BUSINESS WIRE)--Mar. 4, 2024--  Ridgeline Therapeutics, Inc.   (Nasdaq: RDGT) today announced that the first patient was dosed in its Phase 2 trial (NCT06123456) of RT-310 in patients with gout.

About Ridgeline Therapeutics

Ridgeline Therapeutics develops small molecules for inflammatory diseases. RT-310 is in a Phase 2 trial in gout.

Forward-Looking Statements

This release contains forward-looking statements about the Phase 2 trial of RT-310 in gout.

Contacts
Dana Holt, dana@ridgeline.example
"""

PR_NEWSWIRE_PARTNER = """Northfield Bio Reports Second Quarter 2025 Results

BOSTON, Aug. 12, 2025 /PRNewswire/ -- Northfield Bio, Inc. ("Northfield" or the "Company") reported a net loss of $8.1 million for the second quarter of 2025.

Northfield's partner, Castor Pharma (NYSE: CSTR), is running its own programs.

Castor Pharma (NYSE: CSTR) reported a net loss of $40.2 million for the second quarter of 2025. Its Phase 3 CASTLE-3 trial of CP-77 in psoriasis completed enrollment.

Northfield started a Phase 1 trial of NB-12 in lupus.
"""

ROUNDUP = """Four Biotech Stocks to Watch This Week

Investors are watching small drug developers closely this summer.

Alder Therapeutics (NASDAQ: ALDR) began a Phase 2 trial of AL-101 in asthma.

Birchwood Bio (NASDAQ: BRCH) completed a Phase 3 trial of BW-20 in migraine.

Cedar Oncology (NYSE: CDRO) dosed the first patient in a Phase 1 trial of CO-5 in melanoma.

Dogwood Health (NASDAQ: DGWD) reported a net loss of $3.2 million for the second quarter of 2025.

Markets closed higher on the day.
"""

NO_DATELINE = """# Hazel Ocular Moves to Nasdaq, Completes Phase 2a Dosing

--News Direct--

Hazel Ocular CEO Mira Chen spoke about the listing of the company's stock on the Nasdaq, trading under the ticker symbol "HZLO." Hazel Ocular completed dosing in its Phase 2a study of HZ-100 OE in glaucoma.
"""

DENIED = """Oakridge Vaccines Plans Pivotal Trial

ATLANTA, GA - February 4, 2025 (NEWMEDIAWIRE) - Oakridge Vaccines, Inc. (Nasdaq: OAKV) said its mpox vaccine OV-9 may go straight to a Phase 3 trial under the animal rule, omitting Phase 1 and Phase 2 trials. The company has not yet started a Phase 2 trial of OV-4 in COVID-19.
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


def test_every_fact_table_starts_with_the_shared_columns(tmp_path):
    corpus = cbmg.load(write(tmp_path, {"bw.txt": BUSINESS_WIRE}))
    for name, table in corpus.tables().items():
        if name in ("documents", "skipped"):
            continue
        assert table.columns[: len(SHARED_COLUMNS)] == SHARED_COLUMNS, name
        assert set(table["section"].to_list()) <= SECTIONS, name
    docs = corpus.documents
    assert {"date_source", "kind"} <= set(docs.columns)
    assert {"nct_id", "trial_name"} <= set(corpus.trials.columns)


def test_business_wire_header_sections_and_registry_number(tmp_path):
    corpus = cbmg.load(write(tmp_path, {"bw.txt": BUSINESS_WIRE}))
    doc = corpus.documents.row(0, named=True)
    assert (doc["company"], doc["ticker"], doc["exchange"]) == ("Ridgeline Therapeutics", "RDGT", "NASDAQ")
    assert (doc["date"], doc["date_source"], doc["kind"]) == (
        datetime.date(2024, 3, 4),
        "dateline",
        "release",
    )
    assert doc["wire"] == "Business Wire"
    trials = corpus.trials
    assert trials.height == 1, trials
    trial = trials.row(0, named=True)
    assert (trial["phase"], trial["product"], trial["indication"]) == ("Phase 2", "RT-310", "Gout")
    assert trial["nct_id"] == "NCT06123456"
    assert (trial["company"], trial["ticker"]) == ("Ridgeline Therapeutics", "RDGT")
    assert trial["section"] in ("headline", "body")
    contacts = corpus.contacts
    assert set(contacts["section"]) <= {"contacts"}


def test_another_companys_figures_and_trials_are_filed_under_it(tmp_path):
    corpus = cbmg.load(write(tmp_path, {"prn.txt": PR_NEWSWIRE_PARTNER}))
    doc = corpus.documents.row(0, named=True)
    assert (doc["company"], doc["ticker"], doc["wire"]) == ("Northfield Bio", None, "PR Newswire")
    losses = {
        (r["company"], r["value"])
        for r in corpus.financials.filter(pl.col("metric") == "net_loss").iter_rows(named=True)
    }
    assert losses == {("Northfield Bio", 8_100_000.0), ("Castor Pharma", 40_200_000.0)}
    trials = {
        (r["product"], r["company"], r["ticker"], r["trial_name"])
        for r in corpus.trials.iter_rows(named=True)
    }
    assert ("CP-77", "Castor Pharma", "CSTR", "CASTLE-3") in trials
    assert ("NB-12", "Northfield Bio", None, None) in trials


def test_a_roundup_files_each_fact_under_its_company(tmp_path):
    corpus = cbmg.load(write(tmp_path, {"roundup.md": ROUNDUP}))
    doc = corpus.documents.row(0, named=True)
    assert (doc["kind"], doc["company"], doc["ticker"]) == ("roundup", None, None)
    by_product = {r["product"]: (r["company"], r["ticker"]) for r in corpus.trials.iter_rows(named=True)}
    assert by_product == {
        "AL-101": ("Alder Therapeutics", "ALDR"),
        "BW-20": ("Birchwood Bio", "BRCH"),
        "CO-5": ("Cedar Oncology", "CDRO"),
    }
    loss = corpus.financials.filter(pl.col("metric") == "net_loss").row(0, named=True)
    assert (loss["company"], loss["ticker"]) == ("Dogwood Health", "DGWD")


def test_issuer_without_listing_or_dateline(tmp_path):
    corpus = cbmg.load(write(tmp_path, {"newsdirect_2024_0507_hazel.md": NO_DATELINE}))
    doc = corpus.documents.row(0, named=True)
    assert (doc["company"], doc["ticker"], doc["exchange"]) == ("Hazel Ocular", "HZLO", "NASDAQ")
    assert (doc["date"], doc["date_source"]) == (datetime.date(2024, 5, 7), "path")
    trial = corpus.trials.row(0, named=True)
    assert (trial["phase"], trial["product"]) == ("Phase 2a", "HZ-100 OE")


def test_denied_and_excluded_trials_give_no_row(tmp_path):
    trials = cbmg.load(write(tmp_path, {"denied.txt": DENIED})).trials
    assert trials["phase"].to_list() == ["Phase 3"], trials


def test_dates_from_the_path_and_from_the_user(tmp_path):
    body = "Acme Bio started a Phase 2 trial of AB-1 in gout.\n"
    write(
        tmp_path,
        {
            "ibn/2025/0530/acme-starts-trial.md": "# Acme Starts Trial\n\n" + body,
            "wire_2024_1114_acme.md": "# Acme News\n\n" + body,
            "undated/acme.md": "# Acme Undated\n\n" + body,
            "dated.txt": "date 2023-01-02 Acme Bio News\n\n" + body,
        },
    )
    corpus = cbmg.load(tmp_path, dates={"undated/acme": "2022-06-30", "dated": "1999-01-01"})
    got = {r["doc_id"]: (r["date"], r["date_source"]) for r in corpus.documents.iter_rows(named=True)}
    assert got == {
        "ibn/2025/0530/acme-starts-trial": (datetime.date(2025, 5, 30), "path"),
        "wire_2024_1114_acme": (datetime.date(2024, 11, 14), "path"),
        "undated/acme": (datetime.date(2022, 6, 30), "user"),
        "dated": (datetime.date(2023, 1, 2), "header"),
    }
    trial_dates = dict(zip(corpus.trials["doc_id"], corpus.trials["doc_date"], strict=True))
    assert trial_dates["undated/acme"] == datetime.date(2022, 6, 30)
    by_function = cbmg.load(tmp_path, dates=lambda path: datetime.datetime(2021, 3, 1, 9, 30))
    undated = by_function.documents.filter(pl.col("doc_id") == "undated/acme").row(0, named=True)
    assert (undated["date"], undated["date_source"]) == (datetime.date(2021, 3, 1), "user")
    batches = list(cbmg.scan(tmp_path, dates={"undated/acme": datetime.date(2020, 1, 1)}))
    docs = pl.concat([b.documents for b in batches])
    assert docs.filter(pl.col("doc_id") == "undated/acme")["date"].to_list() == [datetime.date(2020, 1, 1)]
    with pytest.raises(ValueError, match="undated/acme"):
        cbmg.load(tmp_path, dates={"undated/acme": "30/06/2022"})
    with pytest.raises(TypeError, match="undated/acme"):
        cbmg.load(tmp_path, dates={"undated/acme": 20220630})


def test_offsets_and_evidence_of_every_row_hold(tmp_path):
    corpus = cbmg.load(
        write(tmp_path, {"a.txt": BUSINESS_WIRE, "b.txt": PR_NEWSWIRE_PARTNER, "c.md": ROUNDUP})
    )
    texts = dict(zip(corpus.documents["doc_id"], corpus.documents["text"], strict=True))
    for name, table in corpus.tables().items():
        if name in ("documents", "skipped"):
            continue
        for r in table.iter_rows(named=True):
            span = texts[r["doc_id"]][r["start"] : r["end"]]
            assert span and span in r["evidence"], (name, r)


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/corpus (the project workspace)")
def test_every_dev_release_has_a_date(dev_corpus):
    docs = dev_corpus.documents
    assert docs.filter(pl.col("date").is_not_null()).height >= 195
    assert set(docs["date_source"].drop_nulls()) <= {"header", "dateline", "path"}


@pytest.mark.skipif(not (SHARED / "archive.tar.xz").exists(), reason="needs ../shared/corpus")
@pytest.mark.parametrize(
    "half, floors",
    # Floors at what the engine reaches today (F1 per field, trials F1, other companies' trials
    # filed under the issuer at most): a change that lowers them is a regression.
    [
        ("dev", {"date": 1.0, "company": 0.95, "ticker": 0.97, "trials": 0.67, "other": 1}),
        ("test", {"date": 0.99, "company": 0.87, "ticker": 0.99, "trials": 0.54, "other": 2}),
    ],
)
def test_real_releases_score_at_least_today(half, floors):
    spec = importlib.util.spec_from_file_location("release_accuracy", ROOT / "bench" / "release_accuracy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    truth = module.read_truth(half)
    folder = module.releases_folder([t["doc"] for t in truth], cache=module.CACHE.parent / "releases")
    result = module.score(cbmg.load(folder), truth)
    for field in ("date", "company", "ticker"):
        assert module.prf(result["fields"][field])[2] >= floors[field], (field, result["fields"][field])
    assert module.prf(result["trials"])[2] >= floors["trials"], result["trials"]
    assert result["trials"]["other_company_as_issuer"] <= floors["other"], result["trials"]
