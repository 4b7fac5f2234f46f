"""Issue 3's expectations for the seeds: events, facilities, regulatory, partnerships,
grants, contacts and quotes."""

import datetime as dt

import polars as pl


def of(corpus, table, prefix):
    return corpus[table].filter(pl.col("doc_id").str.starts_with(prefix))


def test_events_ash_abstracts(seeds):
    ev = of(seeds, "events", "001").sort("start")
    assert ev.select("conference", "edition", "product", "presentation").rows() == [
        ("ASH", 62, "C-CAR088", "oral"),
        ("ASH", 62, "C-CAR039", "online"),
        ("ASH", 62, "C-CAR066", "online"),
    ]
    assert ev["event_date"].to_list() == [dt.date(2020, 12, 5), None, None]
    assert ev["title"][0].startswith("An Anti-BCMA CAR T-Cell Therapy (C-CAR088) Shows Promising Safety")
    assert ev["title"][1].startswith("Developing a Novel Anti-CD19/CD20 Bi-Specific")
    assert set(ev["conference_name"]) == {"American Society of Hematology Annual Meeting"}


def test_events_sitc_poster_and_unnamed_meeting(seeds):
    ev = of(seeds, "events", "003").sort("start").to_dicts()
    assert len(ev) == 2
    sitc, other = ev
    assert (sitc["conference"], sitc["edition"], sitc["presentation"], sitc["abstract_id"]) == (
        "SITC",
        34,
        "poster",
        "P229",
    )
    assert sitc["event_date"] == dt.date(2019, 11, 8)
    assert sitc["venue"] == "Gaylord National Hotel & Convention Center, National Harbor, MD"
    assert sitc["title"].startswith("The Next Generation")
    assert other["conference"] is None  # the text does not name it: not guessed
    assert other["event_date"] == dt.date(2019, 12, 7)
    assert "Orlando" in other["venue"]


def test_events_grand_opening(seeds):
    ev = of(seeds, "events", "002").to_dicts()
    assert len(ev) == 1
    assert ev[0]["event_date"] == dt.date(2017, 11, 4)
    assert ev[0]["title"] == "Grand Opening ceremony"
    assert "Pharma Valley" in ev[0]["venue"]


def test_facilities(seeds):
    fac = seeds.facilities.sort("doc_id", "start")
    assert fac.select("area_sqft", "kind").rows() == [
        (100_000, "GMP"),
        (47_300, "manufacturing"),
        (70_000, "total_capacity"),
        (22_000, "R&D"),
    ]
    assert fac["location"][1] == "Beijing, Shanghai, Wuxi"
    assert fac["location"][3] == "Rockville, Maryland"


def test_regulatory(seeds):
    reg = seeds.regulatory.sort("doc_id", "start")
    assert reg.select("agency", "action", "product", "phase", "indication").rows() == [
        ("NMPA", "ind_approved", "AlloJoin", "Phase 2", "Knee Osteoarthritis"),
        ("NMPA", "ind_accepted", "ReJoin", "Phase 2", "Knee Osteoarthritis"),
        ("NMPA", "ind_accepted", "ReJoin", "Phase 2", "Knee Osteoarthritis"),
    ]
    assert reg["doc_id"].str.slice(0, 3).to_list() == ["001", "001", "003"]


def test_partnerships(seeds):
    got = {(r["doc_id"][:3], r["partner"], r["kind"]) for r in seeds.partnerships.iter_rows(named=True)}
    for want in [
        ("000", "GE Healthcare", "joint_laboratory"),
        ("000", "Thermo Fisher Scientific", "joint_laboratory"),
        ("001", "GE Healthcare", "joint_laboratory"),
        ("001", "Thermo Fisher Scientific", "joint_laboratory"),
        ("004", "CCRM", "collaboration"),
    ]:
        assert want in got
    assert any(d == "004" and p.startswith("GE") for d, p, _ in got)
    # Partners of CCRM named in CCRM's own About section are not CBMG's.
    assert not any("Canada" in p or "Toronto" in p for _, p, _ in got)


def test_grants(seeds):
    g = seeds.grants.sort("doc_id")
    assert g.select("funder_abbr", "amount", "currency").rows() == [("CIRM", 2.29e6, "USD")] * 2
    assert set(g["funder"]) == {"California Institute for Regenerative Medicine"}
    assert all(p.startswith("to support pre-clinical studies of AlloJoin") for p in g["purpose"])


def test_contacts(seeds):
    c4 = of(seeds, "contacts", "004").sort("start")
    assert c4.select("name", "organization", "email").rows() == [
        ("Sarah Kelly", "Cellular Biomedicine Group (CBMG)", "sarah.kelly@cellbiomedgroup.com"),
        ("Rachel Eides", "GE Healthcare Life Sciences", "rachel.eides@ge.com"),
        ("Rene Xu", "GE Healthcare China", "rene.xu@ge.com"),
        ("Stacey Johnson", "CCRM", "stacey.johnson@ccrm.ca"),
    ]
    assert c4["phone"].to_list() == ["+1 408 973 7884", "+1 281 409 1031", "+86 18101877292", "416-946-8869"]
    c2 = of(seeds, "contacts", "002").to_dicts()
    assert [(c["name"], c["title"], c["phone"]) for c in c2] == [
        ("Sarah Kelly", "Director of Corporate Communications", "+1 408-973-7884")
    ]


def test_quotes(seeds):
    q = seeds.quotes
    speakers = set(q["speaker"].drop_nulls())
    assert speakers == {"Tony (Bizuo) Liu", "Ger Brophy", "Michael May"}
    assert q["speaker"].null_count() == 0
    liu = q.filter(pl.col("speaker") == "Tony (Bizuo) Liu")
    assert set(liu["speaker_title"]) <= {"Chief Executive Officer", "CEO"}
    texts = dict(seeds.documents.select("doc_id", "text").iter_rows())
    for r in q.iter_rows(named=True):
        assert texts[r["doc_id"]][r["start"] : r["end"]] == r["text"]  # the quoted text, exact
    brophy = q.filter(pl.col("speaker") == "Ger Brophy").row(0, named=True)
    assert brophy["speaker_title"] == "General Manager, Cell Therapy, GE Healthcare Life Sciences"
