"""Each named stage alone: attribution, actors, noun phrase/metric, stance, places, dates, lists."""
from __future__ import annotations

import pytest

from counterclaim.claims import (conflict_resources, find_anchors, find_dates, find_denials, find_metric,
                                 find_named_lists, find_places, find_quantities, heading_date, read_loss_lists,
                                 read_noun_phrase, resolve_actor, tokenize)
from counterclaim.conflicts import load_conflict


@pytest.fixture(scope="module")
def nk():
    return conflict_resources(load_conflict("nk"))


def test_anchors_and_actors(nk):
    t = tokenize("Kerim Veliyev, Azerbaijan's deputy defence minister, said 30 tanks were destroyed.")
    (an,) = find_anchors(t, nk)
    assert an.actor.side == "AZE" and an.actor.id == "AZE.MOD"
    t = tokenize("According to pro-Azerbaijani sources, five villages were taken.")
    assert find_anchors(t, nk)[0].actor.id == "AZE.MEDIA"
    t = tokenize("State media, citing Shushan Stepanyan, reported heavy losses.")
    assert find_anchors(t, nk)[-1].actor.id == "ARM.MOD"          # the innermost source
    t = tokenize("\"We hold every position,\" said Artsrun Hovhannisyan.")
    assert find_anchors(t, nk)[0].actor.side == "ARM"


def test_resolve_actor_kinds(nk):
    t = tokenize("the Armenian Foreign Ministry")
    assert resolve_actor(t, 0, len(t), nk).id == "ARM.MFA"
    t = tokenize("Stepanakert")
    assert resolve_actor(t, 0, len(t), nk).id == "NKR.GOV"
    t = tokenize("the ministry")
    r = resolve_actor(t, 0, len(t), nk)
    assert r.side is None and r.kind == "mod"                      # filled from the discourse later


def test_noun_phrase_and_metric(nk):
    t = tokenize("dozens pieces of Armenian military equipment were destroyed")
    q = find_quantities(t)[0]
    np = read_noun_phrase(t, q, nk)
    assert np.category == "equipment" and ("side", "ARM", 3) in np.markers
    assert find_metric(t, q, np, nk).metric == "destroyed"
    t = tokenize("the army captured 3 villages")
    q = [x for x in find_quantities(t) if x.kind == "digits"][0]
    np = read_noun_phrase(t, q, nk)
    assert np.category == "village" and find_metric(t, q, np, nk).metric == "territory_captured"


def test_denials(nk):
    (d,) = find_denials(tokenize("Yerevan called reports of casualties fake."), nk)
    assert (d.metric, d.category) == ("killed_or_wounded", "personnel")
    (d,) = find_denials(tokenize("they could not take one centimetre of our land"), nk)
    assert d.metric == "territory_captured"
    assert find_denials(tokenize("The weather was false spring."), nk) == []


def test_places(nk):
    t = tokenize("Fighting raged near Talish and in the Fuzuli and Jabrayil areas, the Azerbaijani ministry said.")
    names = [p[0] for p in find_places(t, nk)]
    assert {"Talish", "Fuzuli", "Jabrayil"} <= set(names) and "Azerbaijani" not in names


def test_dates():
    ds = find_dates("As of September 28, and on 3 October 2020", 2020)
    assert [d[2] for d in ds] == ["2020-09-28", "2020-10-03"]
    assert heading_date("Tuesday, 29 September", 2020) == "2020-09-29"
    assert heading_date("The ministry said on 29 September that ...", 2020) is None


def test_lists():
    items = read_loss_lists("Total combat losses of the enemy:\ntanks - 9,321 (+7)\npersonnel - about 612,700 (+1,250)\n")
    assert [(i.category, i.value, i.increment, i.approx) for i in items] == [
        ("tank", 9321, 7, "exact"), ("personnel", 612700, 1250, "about")]
    (nl,) = find_named_lists(tokenize("the capture of Soltanli, Garvand and Ruzgar villages"))
    assert len(nl.names) == 3 and nl.category == "village"
