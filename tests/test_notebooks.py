"""The notebooks re-execute from their own folder, and what each chart draws is what
`series()` / `pipeline()` return: a cell appended after the notebook's own reads the drawn
artists back (bar heights, tick labels, line ends, dots) and the views independently."""

import json
from pathlib import Path

import pytest

from conftest import ROOT, SHARED_DEV

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("matplotlib")

NOTEBOOKS = ROOT / "notebooks"
FOLDER_LINE = 'FOLDER = Path("..") / "seeds"'

READ_NET_LOSS = """
import json
fig.canvas.draw()
plotted = {}
for ax in fig.axes:
    if ax.get_visible() and ax.patches:
        labels = [t.get_text() for t in ax.get_xticklabels()]
        plotted[ax.get_title()] = [
            [label, round(p.get_height(), 6), bool(p.get_hatch())] for label, p in zip(labels, ax.patches)
        ]
view = corpus.series("net_loss")
quarters = view.filter(pl.col("period_type") == "quarter", pl.col("currency") == "USD")
expected = {}
for company in quarters["company"].unique().to_list():
    rows = quarters.filter(pl.col("company") == company).sort("period_end")
    ticker = rows["ticker"][0]
    title = f"{company} ({ticker})" if ticker else company
    expected[title] = [[p, round(v / 1e6, 6), d] for p, v, d in rows.select("period", "value", "derived").iter_rows()]
print(json.dumps({
    "plotted": plotted,
    "expected": expected,
    "listed_conflicts": sorted(conflicts.select("company", "period").rows()),
    "conflicts": sorted(view.filter("conflict").select("company", "period").rows()),
}, default=str))
"""

READ_TRIALS = """
import json
fig.canvas.draw()
labels = [t.get_text() for t in ax.get_xticklabels()]
plotted = {}
for container in ax.containers:
    for phase, patch in zip(labels, container.patches):
        if patch.get_height() > 0:
            plotted[f"{phase}|{container.get_label()}"] = int(patch.get_height())
distinct = corpus.pipeline().explode("phases").drop_nulls("phases")
by_phase = {p: n for p, n in distinct.group_by("phases").len().iter_rows()}
by_phase_indication = {
    f"{p}|{i}": n for p, i, n in distinct.drop_nulls("indication").group_by("phases", "indication").len().iter_rows()
}
print(json.dumps({
    "plotted": plotted,
    "phases_in_order": labels,
    "legend": [t.get_text() for t in ax.get_legend().get_texts()],
    "by_phase": by_phase,
    "by_phase_indication": by_phase_indication,
}))
"""

READ_PIPELINE = """
import json
import matplotlib.dates as mdates
fig.canvas.draw()
names = {round(y): t.get_text() for y, t in zip(ax.get_yticks(), ax.get_yticklabels())}
def day(x):
    return mdates.num2date(x).date().isoformat()
spans = {names[round(seg[0][1])]: [day(seg[0][0]), day(seg[1][0])] for seg in ax.collections[0].get_segments()}
dots = sorted(
    [names[round(y)], c.get_label(), day(x)] for c in ax.collections[1:] for x, y in c.get_offsets()
)
expected_spans, expected_dots = {}, []
for r in corpus.pipeline().iter_rows(named=True):
    name = " · ".join([r["company"] or "?", r["product"] or "-", r["indication"] or "-"])
    if name in spans:
        expected_spans[name] = [r["first_date"].isoformat(), r["last_date"].isoformat()]
        expected_dots += [[name, p, d.isoformat()] for p, d in zip(r["phases"], r["phase_first_dates"]) if d]
dated = corpus.pipeline().filter(pl.col("first_date").is_not_null()).height
print(json.dumps({
    "spans": spans,
    "expected_spans": expected_spans,
    "dots": dots,
    "expected_dots": sorted(expected_dots),
    "lanes": len(names),
    "expected_lanes": min(MAX_LANES, dated),
}))
"""


def run(name: str, read: str, folder: Path | None = None) -> tuple[dict, object]:
    path = NOTEBOOKS / name
    nb = nbformat.read(path, as_version=4)
    if folder is not None:
        setup = next(c for c in nb.cells if FOLDER_LINE in c.source)
        setup.source = setup.source.replace(FOLDER_LINE, f"FOLDER = Path({str(folder)!r})")
    nb.cells.append(nbformat.v4.new_code_cell(read))
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    images = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if "image/png" in o.get("data", {})
    ]
    assert images, "the notebook draws its chart"
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("name") == "stdout")
    return json.loads(text), nb


FOLDERS = [
    pytest.param(None, id="seeds"),
    pytest.param(
        SHARED_DEV,
        id="dev",
        marks=pytest.mark.skipif(not SHARED_DEV.is_dir(), reason=f"no dev corpus at {SHARED_DEV}"),
    ),
]


@pytest.mark.parametrize("folder", FOLDERS)
def test_net_loss_by_quarter_draws_the_series(folder):
    got, _ = run("net_loss_by_quarter.ipynb", READ_NET_LOSS, folder)
    assert got["plotted"], "at least one company's quarters are drawn"
    for title, bars in got["plotted"].items():
        assert bars == got["expected"][title], title
    assert len(got["plotted"]) == min(12, len(got["expected"]))
    assert got["listed_conflicts"] == got["conflicts"]


@pytest.mark.parametrize("folder", FOLDERS)
def test_trials_by_phase_counts_distinct_trials(folder):
    got, _ = run("trials_by_phase.ipynb", READ_TRIALS, folder)
    assert got["plotted"]
    totals: dict[str, int] = {}
    for key, n in got["plotted"].items():
        phase, group = key.split("|")
        totals[phase] = totals.get(phase, 0) + n
        if group != "other":
            assert n == got["by_phase_indication"][key], key
    assert totals == got["by_phase"]
    assert len(got["legend"]) <= 9
    assert "other" not in got["legend"][:-1]
    from cbmg.pipeline import phase_order

    assert got["phases_in_order"] == sorted(got["phases_in_order"], key=phase_order)


@pytest.mark.parametrize("folder", FOLDERS)
def test_pipeline_draws_each_program_as_pipeline_returns_it(folder):
    got, _ = run("pipeline.ipynb", READ_PIPELINE, folder)
    assert got["lanes"] == got["expected_lanes"] > 0
    assert got["spans"] == got["expected_spans"]
    assert got["dots"] == got["expected_dots"]
