"""`Corpus.series()`: one reconciled figure per company, metric and period, across releases.

Each quarter may be stated by several releases: as the current figure, as next year's
comparative, rounded in prose and exact in a table, sometimes restated. This module picks the
figure an analyst would put in a model, flags sources that disagree beyond rounding, and fills
quarters and halves no release states on its own (Q4 = FY - 9M, ...) by subtraction.
"""

from __future__ import annotations

import calendar
import datetime
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cbmg.views import frame, most_common, release_order

if TYPE_CHECKING:
    import polars as pl

#: Metrics that are amounts over a period, so a shorter period is a longer one minus another.
#: Balances (cash) and per-share figures (the share count changes) are never derived.
FLOW_METRICS = frozenset(
    {"net_loss", "net_income", "revenue", "rd_expense", "ga_expense", "operating_expense"}
)

#: Net loss and net income are one signed result: a fiscal fourth quarter with a profit after
#: nine months of losses is a net_income row, never a negative net_loss.
SIGNED_RESULT = {"net_loss": -1.0, "net_income": 1.0}

#: (derived period type, stated minuend, stated subtrahend): the subtrahend ends where the
#: derived period begins, the minuend where it ends. Q4 = FY - 9M, Q2 = H1 - Q1, Q3 = 9M - H1,
#: H2 = FY - H1, by the company's own fiscal calendar (the dates decide, not the labels).
DERIVATIONS = (
    ("quarter", "year", "nine_months"),
    ("quarter", "half", "quarter"),
    ("quarter", "nine_months", "half"),
    ("half", "year", "half"),
)
MONTHS = {"quarter": 3, "half": 6, "nine_months": 9, "year": 12}

#: The columns of the view, in order, with their polars type names (see docs/SCHEMA.md).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("company", "String"),
    ("ticker", "String"),
    ("metric", "String"),
    ("qualifier", "String"),
    ("period", "String"),
    ("period_type", "String"),
    ("period_end", "Date"),
    ("currency", "String"),
    ("value", "Float64"),
    ("derived", "Boolean"),
    ("n_sources", "Int64"),
    ("conflict", "Boolean"),
    ("first_doc_id", "String"),
    ("last_doc_id", "String"),
    ("doc_ids", "List[String]"),
    ("doc_id", "String"),
    ("start", "Int64"),
    ("end", "Int64"),
    ("evidence", "String"),
    ("source", "String"),
)

_NUMBER = re.compile(r"\d[\d,]*(?:\.(\d+))?")


@dataclass
class _Source:
    """One row of financials, with the half-unit its figure was rounded to."""

    doc_id: str
    doc_date: datetime.date | None
    start: int
    end: int
    evidence: str
    comparative: bool
    source: str
    value: float
    half_unit: float

    @property
    def when(self) -> tuple[bool, datetime.date, str]:
        return release_order(self.doc_date, self.doc_id)


@dataclass
class _Figure:
    company: str
    ticker: str | None
    metric: str
    qualifier: str | None
    period: str
    period_type: str
    period_end: datetime.date | None
    currency: str
    value: float
    derived: bool
    conflict: bool
    sources: list[_Source] = field(default_factory=list)
    chosen: _Source | None = None

    def row(self) -> dict[str, Any]:
        ordered = sorted(self.sources, key=lambda s: s.when)
        doc_ids = list(dict.fromkeys(s.doc_id for s in ordered))
        chosen = self.chosen
        return {
            "company": self.company,
            "ticker": self.ticker,
            "metric": self.metric,
            "qualifier": self.qualifier,
            "period": self.period,
            "period_type": self.period_type,
            "period_end": self.period_end,
            "currency": self.currency,
            "value": self.value,
            "derived": self.derived,
            "n_sources": len(self.sources),
            "conflict": self.conflict,
            "first_doc_id": doc_ids[0] if doc_ids else None,
            "last_doc_id": doc_ids[-1] if doc_ids else None,
            "doc_ids": doc_ids,
            "doc_id": chosen.doc_id if chosen else None,
            "start": chosen.start if chosen else None,
            "end": chosen.end if chosen else None,
            "evidence": chosen.evidence if chosen else None,
            "source": chosen.source if chosen else "derived",
        }


def half_unit(span: str, value: float) -> float:
    """Half the unit of the last digit written: "$15.9 million" -> 50,000; "4,686" in a table
    in thousands -> 500; "($0.82)" -> 0.005. Two figures agree when they differ by no more
    than the coarser one's half unit."""
    match = _NUMBER.search(span)
    if match is None:
        return 0.0
    written = float(match.group(0).replace(",", ""))
    decimals = len(match.group(1) or "")
    scale = abs(value) / written if written else 1.0
    # The scale is a power of ten (thousands, millions); round away float noise.
    if scale > 0:
        scale = 10.0 ** round(math.log10(scale))
    return scale * 10.0**-decimals / 2.0


def _agree(a: _Source, b: _Source) -> bool:
    tolerance = max(a.half_unit, b.half_unit)
    return abs(a.value - b.value) <= tolerance * (1 + 1e-9) + 1e-9 * max(abs(a.value), 1.0)


def _reconcile(sources: list[_Source]) -> tuple[_Source, bool]:
    """The figure to use and whether the sources conflict.

    The latest release decides which figure stands (a restatement replaces what came before);
    within it a current figure beats a comparative and a table beats prose. Of the sources that
    agree with it within rounding, the most exact is the value, current before comparative.
    """
    latest = max(s.when for s in sources)[:2]
    in_latest = [s for s in sources if s.when[:2] == latest]
    anchor = min(in_latest, key=lambda s: (s.comparative, s.source != "table", s.half_unit))
    conflict = any(not _agree(a, b) for i, a in enumerate(sources) for b in sources[i + 1 :])
    agreeing = sorted((s for s in sources if _agree(s, anchor)), key=lambda s: s.when, reverse=True)
    best = min(agreeing, key=lambda s: (s.half_unit, s.comparative, s.source != "table"))
    return best, conflict


def _month_end_before(end: datetime.date, months: int) -> datetime.date:
    month = end.month - months
    year = end.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _label(period_type: str, end: datetime.date) -> str:
    if period_type == "quarter":
        return f"{end.year}-Q{(end.month + 2) // 3}"
    return f"{end.year}-H{1 + (end.month > 6)}"


def _derive(figures: list[_Figure]) -> list[_Figure]:
    """Quarters and halves no release states, from the stated periods around them."""
    stated: dict[tuple[str, str, str, datetime.date], _Figure | None] = {}
    by_family: dict[tuple[str, str], list[_Figure]] = defaultdict(list)
    for f in figures:
        if f.metric not in FLOW_METRICS or f.period_end is None:
            continue
        family = "net_result" if f.metric in SIGNED_RESULT else f.metric
        key = (f.company, family, f.period_type, f.period_end)
        # Both a net loss and a net income for one period: the sources contradict each other.
        stated[key] = None if key in stated else f
        by_family[(f.company, family)].append(f)

    derived: dict[tuple[str, str, str, datetime.date], _Figure] = {}
    for (company, family), members in by_family.items():
        for minuend in members:
            for target, outer, inner in DERIVATIONS:
                if minuend.period_type != outer:
                    continue
                end = minuend.period_end
                assert end is not None
                inner_end = _month_end_before(end, MONTHS[target])
                key = (company, family, target, end)
                if key in stated or key in derived:
                    continue
                subtrahend = stated.get((company, family, inner, inner_end))
                if subtrahend is None or stated.get((company, family, outer, end)) is None:
                    continue
                if minuend.conflict or subtrahend.conflict:
                    continue
                if (minuend.currency, minuend.qualifier) != (subtrahend.currency, subtrahend.qualifier):
                    continue
                amount = _signed(minuend) - _signed(subtrahend)
                if family == "net_result":
                    metric = (
                        "net_income"
                        if amount > 0 or (amount == 0 and minuend.metric == "net_income")
                        else "net_loss"
                    )
                    value = abs(amount)
                elif amount < 0:
                    # A negative expense or revenue: the stated periods do not fit together.
                    continue
                else:
                    metric, value = minuend.metric, amount
                derived[key] = _Figure(
                    company=company,
                    ticker=minuend.ticker or subtrahend.ticker,
                    metric=metric,
                    qualifier=minuend.qualifier,
                    period=_label(target, end),
                    period_type=target,
                    period_end=end,
                    currency=minuend.currency,
                    value=value,
                    derived=True,
                    conflict=False,
                    sources=minuend.sources + subtrahend.sources,
                )
    return list(derived.values())


def _signed(f: _Figure) -> float:
    return f.value * SIGNED_RESULT.get(f.metric, 1.0)


def _company_key(name: str) -> str:
    return " ".join(name.casefold().split())


def build(
    financials: pl.DataFrame, documents: pl.DataFrame, metric: str | Iterable[str] | None
) -> pl.DataFrame:
    """The series view of ``financials`` (see :meth:`cbmg.Corpus.series`)."""
    import polars as pl

    rows = financials.filter(pl.col("company").is_not_null())
    texts = documents.select("doc_id", "text")
    rows = rows.join(texts, on="doc_id", how="left").with_columns(
        span=pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start"))
    )

    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    tickers: dict[str, Counter[str]] = defaultdict(Counter)
    currencies: dict[str, Counter[str]] = defaultdict(Counter)
    groups: dict[tuple[str, str, str], list[tuple[dict[str, Any], _Source]]] = defaultdict(list)
    for r in rows.iter_rows(named=True):
        company = _company_key(r["company"])
        spellings[company][r["company"]] += 1
        if r["ticker"]:
            tickers[company][r["ticker"]] += 1
        currencies[company][r["currency"]] += 1
        source = _Source(
            doc_id=r["doc_id"],
            doc_date=r["doc_date"],
            start=r["start"],
            end=r["end"],
            evidence=r["evidence"],
            comparative=bool(r["comparative"]),
            source=r["source"],
            value=r["value"],
            half_unit=half_unit(r["span"] or "", r["value"]),
        )
        groups[(company, r["metric"], r["period"])].append((r, source))

    # A company reports in one currency; figures in another are convenience translations.
    reporting = {c: _reporting_currency(n) for c, n in currencies.items()}
    figures: list[_Figure] = []
    for (company, metric_name, period), members in groups.items():
        members = [(r, s) for r, s in members if r["currency"] == reporting[company]]
        if not members:
            continue
        # The plain figure when a release states one ("net loss"); a narrower one ("allocable
        # to common stockholders") only when none does, and then labelled by its qualifier.
        qualifiers = Counter(r["qualifier"] for r, _ in members)
        qualifier = None if None in qualifiers else most_common(qualifiers)
        members = [(r, s) for r, s in members if r["qualifier"] == qualifier]
        sources = [s for _, s in members]
        chosen, conflict = _reconcile(sources)
        first = members[0][0]
        figures.append(
            _Figure(
                company=most_common(spellings[company]) or company,
                ticker=most_common(tickers[company]),
                metric=metric_name,
                qualifier=qualifier,
                period=period,
                period_type=first["period_type"],
                period_end=first["period_end"],
                currency=reporting[company],
                value=chosen.value,
                derived=False,
                conflict=conflict,
                sources=sources,
                chosen=chosen,
            )
        )
    figures += _derive(figures)

    wanted = _metrics(metric)
    out = [f.row() for f in figures if wanted is None or f.metric in wanted]
    return frame(out, COLUMNS).sort("company", "metric", "period_end", "period_type", nulls_last=True)


def _reporting_currency(counts: Counter[str]) -> str:
    top = max(counts.values())
    candidates = sorted(c for c, n in counts.items() if n == top)
    return "USD" if "USD" in candidates else candidates[0]


def _metrics(metric: str | Iterable[str] | None) -> frozenset[str] | None:
    if metric is None:
        return None
    if isinstance(metric, str):
        return frozenset({metric})
    return frozenset(metric)
