"""HTML views of a corpus for notebooks: a summary of its tables, and one release with every
fact's span highlighted. Self-contained HTML: inline styles, no script, no network, so it
shows the same in JupyterLab, VS Code, a saved notebook or a browser."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cbmg.corpus import Corpus

#: One colour per fact table, as the legend shows them.
COLOURS = {
    "financials": "#f4b183",
    "trials": "#9dc3e6",
    "events": "#c5e0b4",
    "facilities": "#d9d2e9",
    "regulatory": "#ffe699",
    "partnerships": "#f8cbad",
    "grants": "#b4e5e0",
    "contacts": "#d0e0e3",
    "quotes": "#ececec",
}

#: Columns a tooltip leaves out: the span and its sentence are on the page already.
_NOT_IN_TOOLTIP = {"doc_id", "doc_date", "start", "end", "evidence"}

_STYLE = (
    "<style>"
    ".cbmg-doc{font-family:system-ui,sans-serif;max-width:60em}"
    ".cbmg-doc pre{white-space:pre-wrap;font-family:inherit;line-height:1.5}"
    ".cbmg-doc mark{border-radius:2px;padding:0 1px;color:inherit}"
    ".cbmg-doc .cbmg-legend span{display:inline-block;margin:0 .6em .3em 0;padding:0 .4em;"
    "border-radius:2px}"
    ".cbmg-doc .cbmg-meta{color:#555;font-size:.9em}"
    "</style>"
)


def summary_html(corpus: Corpus) -> str:
    """Each table's rows, and the share of nulls in each of its columns."""
    rows = []
    for name in corpus.tables():
        frame = corpus[name]
        height = frame.height
        shares = []
        for column in frame.columns:
            if column in ("text", "evidence"):
                continue
            nulls = frame.get_column(column).null_count()
            share = f"{100 * nulls / height:.0f}%" if height else "-"
            shares.append(f"{html.escape(column)}&nbsp;{share}")
        colour = COLOURS.get(name, "transparent")
        rows.append(
            f"<tr><td style='background:{colour}'><b>{html.escape(name)}</b></td>"
            f"<td style='text-align:right'>{height:,}</td>"
            f"<td style='font-size:.85em;color:#444'>{' · '.join(shares)}</td></tr>"
        )
    return (
        "<div class='cbmg-corpus'><b>cbmg Corpus</b> "
        f"({corpus.n_rows('documents'):,} documents, {corpus.n_rows('skipped'):,} skipped)"
        "<table><thead><tr><th>table</th><th>rows</th><th>columns: share of nulls</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


class ReleaseView:
    """One release as HTML with its facts highlighted; shows itself in a notebook."""

    def __init__(self, html_text: str, doc_id: str, n_facts: int) -> None:
        self.html = html_text
        self.doc_id = doc_id
        self.n_facts = n_facts

    def _repr_html_(self) -> str:
        return self.html

    def save(self, path: str | Path) -> Path:
        """Writes a standalone page (with its own ``<html>`` and charset) to ``path``."""
        out = Path(path)
        out.write_text(
            "<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<title>{html.escape(self.doc_id)}</title></head><body>{self.html}</body></html>",
            encoding="utf-8",
        )
        return out

    def __repr__(self) -> str:
        return f"ReleaseView({self.doc_id!r}, {self.n_facts} facts)"


def release_html(corpus: Corpus, doc_id: str, tables: list[str] | None = None) -> ReleaseView:
    """The release ``doc_id`` with every fact's span highlighted, one colour per table."""
    import polars as pl

    docs = corpus.documents.filter(pl.col("doc_id") == doc_id)
    if docs.is_empty():
        raise KeyError(f"no document {doc_id!r} in this corpus")
    doc = docs.row(0, named=True)
    text: str = doc["text"]
    names = [t for t in (tables or list(COLOURS)) if t in COLOURS]
    facts: list[tuple[int, int, str, str]] = []
    for name in names:
        rows = corpus[name].filter(pl.col("doc_id") == doc_id)
        for row in rows.iter_rows(named=True):
            facts.append((row["start"], row["end"], name, _tooltip(name, row)))
    facts.sort(key=lambda f: (f[0], -f[1]))

    # Spans may overlap (a trial inside a quotation): the text is cut at every span's ends,
    # and each piece is marked with every fact it belongs to, coloured by the narrowest.
    cuts = sorted({0, len(text)} | {f[0] for f in facts} | {f[1] for f in facts})
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = html.escape(text[a:b])
        inside = [i for i, f in enumerate(facts) if f[0] <= a and b <= f[1]]
        if not inside:
            pieces.append(piece)
            continue
        first = min((facts[i] for i in inside), key=lambda f: f[1] - f[0])
        tip = html.escape("\n\n".join(facts[i][3] for i in inside), quote=True)
        ids = " ".join(str(i) for i in inside)
        pieces.append(
            f"<mark data-table='{first[2]}' data-facts='{ids}' title='{tip}' "
            f"style='background:{COLOURS[first[2]]}'>{piece}</mark>"
        )
    counts = {n: sum(1 for f in facts if f[2] == n) for n in names}
    legend = "".join(
        f"<span data-table='{n}' style='background:{COLOURS[n]}'>{n} {counts[n]}</span>"
        for n in names
        if counts[n]
    )
    meta = " · ".join(
        html.escape(str(doc[k])) for k in ("date", "company", "ticker", "wire", "kind") if doc.get(k)
    )
    spans = "".join(
        f"<li data-fact='{i}' data-start='{f[0]}' data-end='{f[1]}'></li>" for i, f in enumerate(facts)
    )
    body = (
        f"{_STYLE}<div class='cbmg-doc' data-doc-id='{html.escape(doc_id, quote=True)}'>"
        f"<h3>{html.escape(doc['title'] or doc_id)}</h3>"
        f"<div class='cbmg-meta'>{html.escape(doc_id)}{' · ' + meta if meta else ''}</div>"
        f"<div class='cbmg-legend'>{legend or 'no facts in this release'}</div>"
        f"<pre>{''.join(pieces)}</pre><ol hidden class='cbmg-spans'>{spans}</ol></div>"
    )
    return ReleaseView(body, doc_id, len(facts))


def _tooltip(table: str, row: dict[str, Any]) -> str:
    values = [f"{k}: {v}" for k, v in row.items() if k not in _NOT_IN_TOOLTIP and v is not None]
    return f"{table}\n" + "\n".join(values)
