"""What must hold on the five seed releases (issue: cbmg 0.1)."""

import datetime as dt

import polars as pl

from helpers import check_offsets


def test_documents(seeds):
    docs = seeds.documents.sort("doc_id")
    assert docs.height == 5
    assert docs["date"].to_list() == [
        dt.date(2019, 1, 8),
        dt.date(2020, 12, 4),
        dt.date(2017, 9, 22),
        dt.date(2019, 11, 6),
        dt.date(2018, 1, 18),
    ]
    assert set(docs["company"]) == {"Cellular Biomedicine Group"}
    assert set(docs["exchange"]) == {"NASDAQ"}
    assert set(docs["ticker"]) == {"CBMG"}
    assert docs["wire"].to_list() == [None, "PR Newswire", "GlobeNewswire", None, None]
    assert docs["dateline"].to_list() == [
        "SHANGHAI, China and NEW YORK, NY, USA",
        "GAITHERSBURG, Md. and SHANGHAI",
        "SHANGHAI, China and CUPERTINO, Calif.",
        "NEW YORK, NY and SHANGHAI, China",
        "Shanghai, China and Cupertino, CA",
    ]
    titles = docs["title"].to_list()
    assert titles[0] is None and titles[1] is None
    assert titles[2] == "Cellular Biomedicine Group Plans Grand Opening of its New Shanghai Facility"
    assert titles[3].startswith("Cellular Biomedicine Group Reports Third Quarter of 2019")
    assert titles[4].startswith("CBMG Accelerates Cell Therapy Manufacturing")
    assert docs["n_chars"].to_list() == [len(t) for t in docs["text"]]
    assert set(docs["encoding"]) == {"utf-8"} and set(docs["format"]) == {"txt"}


def test_financials_are_exactly_the_four_net_loss_rows(seeds):
    fin = seeds.financials.sort("start")
    assert fin.select("doc_id", "metric", "period", "value", "comparative", "qualifier").rows() == [
        ("003_ba854e28148c86bf", "net_loss", "2019-Q3", 15.9e6, False, "allocable to common stockholders"),
        ("003_ba854e28148c86bf", "net_loss", "2019-9M", 37.3e6, False, "allocable to common stockholders"),
        ("003_ba854e28148c86bf", "net_loss", "2018-Q3", 12.7e6, True, "allocable to common stockholders"),
        ("003_ba854e28148c86bf", "net_loss", "2018-9M", 30.4e6, True, "allocable to common stockholders"),
    ]
    assert fin["currency"].to_list() == ["USD"] * 4
    assert fin["period_type"].to_list() == ["quarter", "nine_months", "quarter", "nine_months"]
    assert fin["period_end"].to_list() == [dt.date(2019, 9, 30)] * 2 + [dt.date(2018, 9, 30)] * 2
    assert fin["fiscal_year"].to_list() == [2019, 2019, 2018, 2018]


def _trials(seeds, doc_prefix):
    return seeds.trials.filter(pl.col("doc_id").str.starts_with(doc_prefix))


def _has(df, **want):
    cond = pl.lit(True)
    for col, val in want.items():
        cond = cond & (pl.col(col).is_null() if val is None else (pl.col(col) == val))
    return df.filter(cond).height >= 1


def test_trials_seed_000(seeds):
    t = _trials(seeds, "000")
    assert _has(
        t,
        phase="Phase 1",
        product="C-CAR088",
        target="BCMA",
        modality="CAR-T",
        indication="Multiple Myeloma",
        enrollment=22,
        status="recruiting",
    )
    for product, phase in (("ReJoin", "Phase 2b"), ("AlloJoin", "Phase 1")):
        assert _has(
            t,
            phase=phase,
            product=product,
            indication="Knee Osteoarthritis",
            indication_abbr="KOA",
            country="China",
            status="ongoing",
        )


def test_trials_seed_001(seeds):
    t = _trials(seeds, "001")
    assert _has(t, phase="Phase 2", product="AlloJoin", indication_abbr="KOA", status="ind_approved")
    assert _has(t, phase="Phase 2", product="ReJoin", indication_abbr="KOA", status="ind_accepted")
    assert _has(t, phase="Phase 1", modality="CAR-T", country="China", status="ongoing")


def test_trials_seed_002_and_004(seeds):
    for prefix in ("002", "004"):
        t = _trials(seeds, prefix)
        assert _has(t, phase="Phase 1", modality="CAR-T", indication="Diffuse Large B-cell Lymphoma")
        assert _has(t, phase="Phase 1", modality="CAR-T", indication="Acute Lymphoblastic Leukemia")
        assert _has(t, phase="Phase 1", product="AlloJoin", indication="Knee Osteoarthritis")


def test_trials_seed_003(seeds):
    t = _trials(seeds, "003")
    assert _has(t, phase="Phase 2", product="AlloJoin", indication_abbr="KOA", status="initiated")
    assert _has(t, phase="Phase 2", product="ReJoin", indication_abbr="KOA")
    # The same trial in a bullet and in the quote is one row.
    assert t.filter(pl.col("product") == "AlloJoin").height == 1


def test_offsets_and_evidence_hold_for_every_row(seeds):
    assert check_offsets(seeds) >= 18


def test_spans_are_what_the_row_says(seeds):
    texts = dict(seeds.documents.select("doc_id", "text").iter_rows())
    for row in seeds.financials.iter_rows(named=True):
        span = texts[row["doc_id"]][row["start"] : row["end"]]
        assert span.startswith("$") and span.endswith("million")
    for row in seeds.trials.iter_rows(named=True):
        span = texts[row["doc_id"]][row["start"] : row["end"]]
        assert span.lower().startswith("phase")
