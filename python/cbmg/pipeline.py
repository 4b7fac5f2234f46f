"""`Corpus.pipeline()`: one row per program (company, product, indication) across releases.

The trials table has a row per mention: the same program comes back from every release that
names it, boilerplate "About" blocks included. This view folds those mentions into the line an
analyst draws on a pipeline chart: the phases it went through and when each was first
reported, its latest phase and status, its NCT ids, and how often it is news.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cbmg.views import frame, most_common, release_order

if TYPE_CHECKING:
    import polars as pl

#: The columns of the view, in order, with their polars type names (see docs/SCHEMA.md).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("company", "String"),
    ("ticker", "String"),
    ("product", "String"),
    ("indication", "String"),
    ("phases", "List[String]"),
    ("phase_first_dates", "List[Date]"),
    ("first_date", "Date"),
    ("last_date", "Date"),
    ("latest_phase", "String"),
    ("latest_status", "String"),
    ("nct_ids", "List[String]"),
    ("n_docs", "Int64"),
    ("n_docs_boilerplate", "Int64"),
    ("doc_ids", "List[String]"),
)

_PHASE = re.compile(r"Phase (\d)([a-z]?)(?:/(\d)([a-z]?))?")


def phase_order(phase: str) -> tuple[float, str, str]:
    """Sort key of a normalised phase: Phase 1 < 1a < 1b < 1/2 < 1b/2a < 2 < 2a < 2/3 < 3 < 4."""
    m = _PHASE.fullmatch(phase)
    if m is None:
        return (99.0, phase, "")
    low = int(m.group(1))
    high = int(m.group(3) or low)
    return ((low + high) / 2, m.group(2), m.group(4) or "")


@dataclass
class _Program:
    spellings: Counter[str] = field(default_factory=Counter)
    tickers: Counter[str] = field(default_factory=Counter)
    products: Counter[str] = field(default_factory=Counter)
    indications: Counter[str] = field(default_factory=Counter)
    mentions: list[dict[str, Any]] = field(default_factory=list)

    def add(self, row: dict[str, Any]) -> None:
        self.mentions.append(row)
        if row["company"]:
            self.spellings[row["company"]] += 1
        if row["ticker"]:
            self.tickers[row["ticker"]] += 1
        if row["product"]:
            self.products[row["product"]] += 1
        if row["indication"]:
            self.indications[row["indication"]] += 1

    def row(self) -> dict[str, Any]:
        news_docs = {m["doc_id"] for m in self.mentions if m["section"] != "about"}
        boilerplate_docs = {m["doc_id"] for m in self.mentions} - news_docs
        # Boilerplate counts for the history too: an "About" block is how many companies say
        # a program has moved on, and its date is when they said it.
        first_seen: dict[str, datetime.date | None] = {}
        for m in sorted(self.mentions, key=_when):
            first_seen.setdefault(m["phase"], m["doc_date"])
        phases = sorted(first_seen, key=phase_order)
        dates = [m["doc_date"] for m in self.mentions if m["doc_date"] is not None]
        latest = max(self.mentions, key=_when)
        in_latest = [m for m in self.mentions if m["doc_id"] == latest["doc_id"]]
        # In the latest release the news speaks before its boilerplate.
        told = [m for m in in_latest if m["section"] != "about"] or in_latest
        latest_phase = max((m["phase"] for m in told), key=phase_order)
        statuses = [m["status"] for m in told if m["phase"] == latest_phase and m["status"]]
        nct_ids = sorted({m["nct_id"] for m in self.mentions if m["nct_id"]})
        doc_ids = list(dict.fromkeys(m["doc_id"] for m in sorted(self.mentions, key=_when)))
        return {
            "company": most_common(self.spellings),
            "ticker": most_common(self.tickers),
            "product": most_common(self.products),
            "indication": most_common(self.indications),
            "phases": phases,
            "phase_first_dates": [first_seen[p] for p in phases],
            "first_date": min(dates) if dates else None,
            "last_date": max(dates) if dates else None,
            "latest_phase": latest_phase,
            "latest_status": statuses[0] if statuses else None,
            "nct_ids": nct_ids,
            "n_docs": len(news_docs),
            "n_docs_boilerplate": len(boilerplate_docs),
            "doc_ids": doc_ids,
        }


def _when(m: dict[str, Any]) -> tuple[tuple[bool, datetime.date, str], int]:
    return (release_order(m["doc_date"], m["doc_id"]), m["start"])


def _key(value: str | None) -> str | None:
    """Spellings that differ only in case, spaces or hyphens name one thing (`CAR-T 19`,
    `CAR-T19`)."""
    if value is None:
        return None
    return re.sub(r"[\s\-]+", "", value.casefold())


def build(trials: pl.DataFrame) -> pl.DataFrame:
    """The pipeline view of ``trials`` (see :meth:`cbmg.Corpus.pipeline`).

    A mention needs a product or an indication to belong to a program, and a company or a
    product to say whose it is. A mention without indication joins its product's program when
    the product has exactly one indication in the corpus; otherwise it forms the product's
    program with no indication.
    """
    import polars as pl

    usable = trials.filter(
        pl.col("product").is_not_null() | pl.col("indication").is_not_null(),
        pl.col("company").is_not_null() | pl.col("product").is_not_null(),
    )
    rows = list(usable.iter_rows(named=True))
    indications: dict[tuple[str | None, str | None], set[str | None]] = defaultdict(set)
    for r in rows:
        if r["product"] and r["indication"]:
            indications[(_key(r["company"]), _key(r["product"]))].add(_key(r["indication"]))

    programs: dict[tuple[str | None, str | None, str | None], _Program] = defaultdict(_Program)
    for r in rows:
        company, product, indication = _key(r["company"]), _key(r["product"]), _key(r["indication"])
        if product and indication is None:
            known = indications.get((company, product), set())
            if len(known) == 1:
                indication = next(iter(known))
        programs[(company, product, indication)].add(r)

    return frame([p.row() for p in programs.values()], COLUMNS).sort(
        "company", "product", "indication", nulls_last=True
    )
