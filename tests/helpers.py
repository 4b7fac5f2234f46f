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
