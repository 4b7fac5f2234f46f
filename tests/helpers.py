"""Checks shared by the test modules."""

import cbmg

FACT_TABLES = tuple(t for t in cbmg.TABLES if t not in ("documents", "skipped"))


def check_offsets(corpus) -> int:
    """Every fact row: text[start:end] is its span, inside its evidence sentence. Returns rows."""
    texts = dict(corpus.documents.select("doc_id", "text").iter_rows())
    dates = dict(corpus.documents.select("doc_id", "date").iter_rows())
    checked = 0
    for name in FACT_TABLES:
        for row in corpus[name].iter_rows(named=True):
            text = texts[row["doc_id"]]
            start, end, evidence = row["start"], row["end"], row["evidence"]
            assert 0 <= start < end <= len(text), row
            assert text[start:end].strip(), row
            # The evidence occurs in the text at a place that holds the span.
            pos = text.find(evidence)
            holds = False
            while pos != -1:
                if pos <= start and end <= pos + len(evidence):
                    holds = True
                    break
                pos = text.find(evidence, pos + 1)
            assert holds, row
            assert row["doc_date"] == dates[row["doc_id"]]
            checked += 1
    return checked


def check_series(corpus):
    """`corpus.series()` against the financials it comes from: one row per (company, metric,
    period); a stated row's value, span and evidence are one of its sources'; sources more than
    5% apart are always flagged `conflict`; derived rows only where no release states the
    period. Returns the series."""
    import polars as pl

    series = corpus.series()
    keys = ["company", "metric", "period"]
    assert series.select(keys).is_unique().all(), "one row per (company, metric, period)"
    texts = dict(corpus.documents.select("doc_id", "text").iter_rows())
    from cbmg.series import half_unit

    stated = corpus.financials.filter(pl.col("company").is_not_null()).with_columns(
        key=pl.col("company").str.to_lowercase()
    )
    for row in series.iter_rows(named=True):
        sources = stated.filter(
            pl.col("key") == row["company"].lower(),
            pl.col("metric") == row["metric"],
            pl.col("period") == row["period"],
            pl.col("currency") == row["currency"],
            pl.col("qualifier").eq_missing(row["qualifier"]),
        )
        assert row["value"] >= 0, row
        if row["derived"]:
            assert sources.is_empty(), row
            assert not row["conflict"] and row["doc_id"] is None, row
            continue
        assert sources.height == row["n_sources"], row
        assert set(sources["doc_id"]) == set(row["doc_ids"]), row
        chosen = sources.filter(
            pl.col("doc_id") == row["doc_id"],
            pl.col("start") == row["start"],
            pl.col("source") == row["source"],
        )
        assert chosen.height == 1 and chosen["value"][0] == row["value"], row
        assert row["evidence"] == chosen["evidence"][0]
        assert texts[row["doc_id"]][row["start"] : row["end"]].strip(), row
        low, high = sources["value"].min(), sources["value"].max()
        coarsest = max(
            half_unit(texts[d][s:e], v)
            for d, s, e, v in sources.select("doc_id", "start", "end", "value").iter_rows()
        )
        if high - low > max(0.05 * high, coarsest):
            assert row["conflict"], row
        if row["conflict"]:
            assert high > low, row
    return series


def check_pipeline(corpus):
    """`corpus.pipeline()` against the trials it comes from: one row per (company, product,
    indication); phases in order, each first reported on a date within the program's span;
    every release it lists names the program. Returns the pipeline."""
    import polars as pl

    from cbmg.pipeline import phase_order

    pipeline = corpus.pipeline()
    keys = ["company", "product", "indication"]
    assert pipeline.select(keys).is_unique().all(), "one row per (company, product, indication)"
    trials = corpus.trials
    for row in pipeline.iter_rows(named=True):
        assert row["product"] or row["indication"], row
        assert row["phases"] == sorted(row["phases"], key=phase_order), row
        assert row["latest_phase"] in row["phases"], row
        assert len(row["phase_first_dates"]) == len(row["phases"])
        for first in row["phase_first_dates"]:
            if first is not None:
                assert row["first_date"] <= first <= row["last_date"], row
        assert row["n_docs"] + row["n_docs_boilerplate"] == len(row["doc_ids"]), row
        mentions = trials.filter(pl.col("doc_id").is_in(row["doc_ids"]))
        if row["product"]:
            mentions = mentions.filter(pl.col("product").str.to_lowercase() == row["product"].lower())
        assert set(mentions["doc_id"]) >= set(row["doc_ids"]) - {None}, row
        assert set(row["nct_ids"]) <= set(mentions["nct_id"].drop_nulls()), row
    return pipeline
