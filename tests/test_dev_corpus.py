"""Expected facts on real releases nobody here wrote (../shared/corpus/dev, CC0).

The expectations were written by reading each release; the releases themselves stay out of
this repository, so these tests skip where ../shared is absent (a user's clone).
"""

import datetime as dt

import polars as pl
import pytest

from helpers import check_offsets


def doc(corpus, prefix):
    rows = corpus.documents.filter(pl.col("doc_id").str.starts_with(prefix))
    assert rows.height == 1, prefix
    return rows.row(0, named=True)


def rows(corpus, table, prefix):
    return corpus[table].filter(pl.col("doc_id").str.starts_with(prefix))


DOCUMENTS = {
    # prefix: (date, dateline, wire, company, exchange, ticker)
    "newmediawire_2025_0204_geovax": (
        dt.date(2025, 2, 4),
        "ATLANTA, GA",
        "NewMediaWire",
        "GeoVax Labs",
        "NASDAQ",
        "GOVX",
    ),
    "newmediawire_2024_1030_can-b-corp": (
        dt.date(2024, 10, 30),
        "HICKSVILLE, N.Y.",
        "NewMediaWire",
        "Can B",
        "OTCQB",
        "CANB",
    ),
    "newmediawire_2024_1113_forian": (
        dt.date(2024, 11, 13),
        "NEWTOWN, Pa.",
        "NewMediaWire",
        "Forian",
        "NASDAQ",
        "FORA",
    ),
    "newmediawire_2024_1114_abvc": (
        dt.date(2024, 11, 14),
        "FREMONT, Calif.",
        "NewMediaWire",
        "ABVC BioPharma",
        "NASDAQ",
        "ABVC",
    ),
    "reportable_2025_0529_stonegate": (
        dt.date(2025, 5, 28),
        "DALLAS, TX",
        "Reportable",
        "Incannex Healthcare",
        "NASDAQ",
        "IXHL",
    ),
    "ibn_2025_0806_psychedelicnewsbreaks-cybin": (
        dt.date(2025, 8, 6),
        None,
        "IBN",
        "Cybin",
        "NYSE AMERICAN",
        "CYBN",
    ),
    "ibn_2024_0816_cns-pharmaceuticals": (
        dt.date(2024, 8, 16),
        None,
        "IBN",
        "CNS Pharmaceuticals",
        "NASDAQ",
        "CNSP",
    ),
    "ibn_2025_0613_investornewsbreaks-tonix": (
        dt.date(2025, 6, 13),
        None,
        "IBN",
        "Tonix Pharmaceuticals",
        "NASDAQ",
        "TNXP",
    ),
    "citybiz_2025_0804_xoma": (dt.date(2025, 8, 4), None, "citybiz", "XOMA Royalty", "NASDAQ", "XOMA"),
    "citybiz_2025_0818_ascentage": (
        dt.date(2025, 8, 18),
        None,
        "citybiz",
        "Ascentage Pharma",
        "NASDAQ",
        "AAPG",
    ),
    "newmediawire_2025_0416_kamada": (
        dt.date(2025, 4, 16),
        "DETROIT, MICHIGAN",
        "NewMediaWire",
        "Kamada Pharmaceuticals",
        "NASDAQ",
        "KMDA",
    ),
}


@pytest.mark.parametrize("prefix", sorted(DOCUMENTS))
def test_document_header(dev_corpus, prefix):
    d = doc(dev_corpus, prefix)
    got = (d["date"], d["dateline"], d["wire"], d["company"], d["exchange"], d["ticker"])
    assert got == DOCUMENTS[prefix]


FINANCIALS = {
    # prefix: {(metric, period, value, comparative)} -- exactly these rows
    "ibn_2024_0816_cns-pharmaceuticals": {
        ("net_loss", "2024-Q2", 2.5e6, False),
        ("net_loss", "2023-Q2", 4.0e6, True),
        ("rd_expense", "2024-Q2", 1.1e6, False),
        ("rd_expense", "2023-Q2", 2.8e6, True),
        ("ga_expense", "2024-Q2", 1.4e6, False),
        ("ga_expense", "2023-Q2", 1.2e6, True),
        ("cash", "2024-Q2", 1.5e6, False),
    },
    "ibn_2025_0516_psychedelicnewsbreaks-nrx": {
        ("net_loss", "2025-Q1", 5.5e6, False),
        ("net_loss", "2024-Q1", 6.5e6, True),
    },
    "ibn_2025_0815_tinygemsbreaks-cns": {
        ("net_loss", "2025-Q2", 2.4e6, False),
        ("net_loss", "2024-Q2", 2.5e6, True),
    },
    "newmediawire_2025_0501_geovax-reports-first-quarter": {
        ("net_loss", "2025-Q1", 5.4e6, False),
        ("net_loss", "2024-Q1", 5.9e6, True),
        ("revenue", "2025-Q1", 1.6e6, False),
        ("rd_expense", "2025-Q1", 5.4e6, False),
        ("rd_expense", "2024-Q1", 4.4e6, True),
        ("ga_expense", "2025-Q1", 1.7e6, False),
        ("ga_expense", "2024-Q1", 1.5e6, True),
        ("cash", "2025-Q1", 7.4e6, False),
        ("cash", "2024-Q4", 5.5e6, True),
        # The statement of operations (in thousands): the exact figures beside the prose ones.
        ("net_loss", "2025-Q1", 5_358_000.0, False),
        ("net_loss", "2024-Q1", 5_850_000.0, True),
        ("net_loss_per_share", "2025-Q1", 0.45, False),
        ("net_loss_per_share", "2024-Q1", 2.47, True),
        ("rd_expense", "2025-Q1", 5_355_000.0, False),
        ("rd_expense", "2024-Q1", 4_426_000.0, True),
    },
    # Cash is the statement's "cash and cash equivalents", not the prose's total with
    # marketable securities; the other rows are the statements' own, in dollars.
    "newmediawire_2024_1113_forian": {
        ("cash", "2024-Q3", 2_707_688.0, False),
        ("cash", "2023-Q4", 6_042_986.0, True),
        ("cash", "2023-Q3", 5_377_079.0, True),
        ("revenue", "2024-Q3", 4_686_312.0, False),
        ("revenue", "2023-Q3", 5_348_469.0, True),
        ("revenue", "2024-9M", 14_340_791.0, False),
        ("revenue", "2023-9M", 15_112_398.0, True),
        ("rd_expense", "2024-Q3", 291_962.0, False),
        ("rd_expense", "2023-Q3", 264_781.0, True),
        ("rd_expense", "2024-9M", 989_052.0, False),
        ("rd_expense", "2023-9M", 1_100_657.0, True),
        ("ga_expense", "2024-Q3", 2_822_253.0, False),
        ("ga_expense", "2023-Q3", 2_887_771.0, True),
        ("ga_expense", "2024-9M", 9_771_343.0, False),
        ("ga_expense", "2023-9M", 9_641_536.0, True),
        ("net_loss", "2024-Q3", 204_907.0, False),
        ("net_income", "2023-Q3", 4_342_091.0, True),
        ("net_loss", "2024-9M", 3_970_781.0, False),
        ("net_income", "2023-9M", 9_717_744.0, True),
        # "Revenue for the quarter was $4.7 million ...": the quarter the release reports.
        ("revenue", "2024-Q3", 4.7e6, False),
        ("revenue", "2023-Q3", 5.3e6, True),
    },
    # A summary table with a change column in percent, glued to the figures before it.
    "newmediawire_2025_0813_forian": {
        ("cash", "2025-Q2", 5_369_817.0, False),
        ("revenue", "2025-Q2", 7_476_140.0, False),
        ("revenue", "2024-Q2", 4_777_101.0, True),
        ("net_income", "2025-Q2", 224_793.0, False),
        ("net_loss", "2024-Q2", 2_553_259.0, True),
        ("net_income", "2025-Q2", 0.2e6, False),
        ("net_income_per_share", "2025-Q2", 0.01, False),
    },
    "reportable_2025_0924_stonegate": {
        ("net_loss", "2025-Q2", 6.2e6, False),
        ("net_loss", "2024-Q2", 3.6e6, True),
    },
    "newsdirect_2025_0409_investing-in-oncology": {
        ("rd_expense", "2024-Q4", 4.8e6, False),
        ("rd_expense", "2023-Q4", 7.3e6, True),
        ("net_loss", "2024-FY", 55.2e6, False),
        ("net_loss", "2023-FY", 37.9e6, True),
    },
    # A fiscal quarter of a company that never says when its year ends: nothing, not a guess.
    "reportable_2025_0529_stonegate": set(),
    # "For the first quarter" of a release on its first quarter; guidance in forward-looking
    # statements and a contract's estimated revenue are not results.
    "newmediawire_2025_0611_kamada": {("revenue", "2025-Q1", 44.0e6, False)},
}


@pytest.mark.parametrize("prefix", sorted(FINANCIALS))
def test_financials_exactly(dev_corpus, prefix):
    got = {
        (r["metric"], r["period"], r["value"], r["comparative"])
        for r in rows(dev_corpus, "financials", prefix).iter_rows(named=True)
    }
    assert got == FINANCIALS[prefix]


def test_geovax_q2_2025_respectively_lists(dev_corpus):
    got = {
        (r["metric"], r["period"], r["value"], r["comparative"])
        for r in rows(dev_corpus, "financials", "newmediawire_2025_0728_geovax-reports-second").iter_rows(
            named=True
        )
    }
    for want in [
        ("net_loss", "2025-Q2", 5_369_783.0, False),
        ("net_loss_per_share", "2025-Q2", 0.35, False),
        ("net_loss", "2024-Q2", 5_064_042.0, True),
        ("net_loss", "2025-H1", 10_727_434.0, False),
        ("rd_expense", "2025-Q2", 4_728_998.0, False),
        ("rd_expense", "2025-H1", 10_083_586.0, False),
        ("ga_expense", "2024-H1", 2_543_383.0, True),
        ("cash", "2025-Q2", 3_093_862.0, False),
    ]:
        assert want in got


def test_helix_fiscal_year_ending_july(dev_corpus):
    fin = rows(dev_corpus, "financials", "newmediawire_2025_1029_helix")
    loss = fin.filter(pl.col("metric") == "net_loss").row(0, named=True)
    assert (loss["period"], loss["value"], loss["period_end"]) == (
        "2025-FY",
        5_205_000.0,
        dt.date(2025, 7, 31),
    )
    assert loss["fiscal_label"] == "FY2025"


TRIALS = {
    # prefix: rows that must be there, as {column: value}
    "ibn_2025_0529_biomednewsbreaks-alzamend": [
        {"phase": "Phase 2", "product": "AL001", "indication": "Alzheimer's Disease", "status": "dosing"}
    ],
    "ibn_2025_0807_lantern": [
        {"phase": "Phase 2", "product": "LP-300", "indication_abbr": "NSCLC", "country": "Japan"}
    ],
    "ibn_2025_0717_investornewsbreaks-cybin": [
        {
            "phase": "Phase 3",
            "product": "CYB003",
            "indication": "Major Depressive Disorder",
            "country": "United Kingdom",
        }
    ],
    "ibn_2025_0409_investornewsbreaks-oragenics": [
        {
            "phase": "Phase 2",
            "product": "ONP-002",
            "indication": "Concussion",
            "country": "New Zealand",
        }
    ],
    "ibn_2025_0508_biomednewsbreaks-nanoviricides": [
        {"phase": "Phase 2", "product": "NV-387", "indication": "Mpox"}
    ],
    "ibn_2025_0515_investorknewsbreaks-silo": [
        {"phase": "Phase 1", "product": "SPC-15", "status": "planned"}
    ],
    "citybiz_2025_0804_xoma": [
        {"phase": "Phase 1", "product": "LAVA-1266", "indication": "Acute Myeloid Leukemia"}
    ],
    "citybiz_2025_0818_ascentage": [
        {"phase": "Phase 3", "product": "olverembatinib", "indication": "Chronic Myeloid Leukemia"},
        {"phase": "Phase 1b/2", "product": "APG-2575"},
    ],
}


@pytest.mark.parametrize("prefix", sorted(TRIALS))
def test_trials_present(dev_corpus, prefix):
    got = rows(dev_corpus, "trials", prefix)
    for want in TRIALS[prefix]:
        match = got.filter(pl.all_horizontal([pl.col(k) == v for k, v in want.items()]))
        assert match.height >= 1, (want, got.select(list(want)).rows())


@pytest.mark.parametrize(
    "prefix",
    [
        # "phase" in these means a stage of growth or of a study's run-in, never a trial phase.
        "ibn_2024_0719_lexaria",
        "newmediawire_2025_0318_healthcare-triangle",
        "newmediawire_2025_0411_healthcare-triangle",
        "newsdirect_2024_0725_emerging-telemedicine",
        "newsdirect_2025_0702_investing-in-innovation",
    ],
)
def test_no_trial_where_phase_is_not_clinical(dev_corpus, prefix):
    assert rows(dev_corpus, "trials", prefix).height == 0


def test_no_trial_phase_comes_from_a_web_address(dev_corpus):
    texts = dict(dev_corpus.documents.select("doc_id", "text").iter_rows())
    for r in dev_corpus.trials.iter_rows(named=True):
        token_start = texts[r["doc_id"]].rfind(" ", 0, r["start"]) + 1
        assert "://" not in texts[r["doc_id"]][token_start : r["end"]], r


def test_offsets_hold_on_every_dev_row(dev_corpus):
    assert check_offsets(dev_corpus) > 400
