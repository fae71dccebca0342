"""General rules from round 4 of the claims-quality work, each on sentences written for this test.

Denials that point back at a claim ("dismissed the announcement", "rejected the report on X") take
the kind of the place that claim was about, and a place's kind comes from how the article calls it,
apposition included ("Madagiz, a village in ...").
"""
from __future__ import annotations

from counterclaim.claims import extract
from counterclaim.claims._actors import conflict_resources
from counterclaim.claims._places import place_kind
from counterclaim.conflicts import load_conflict
from counterclaim.records import Article, article_id


def keys(text: str, conflict: str = "nk") -> set[tuple]:
    art = Article(id=article_id(text), doc="g.txt", source="g.txt", format="text", text=text, title=None,
                  published="2020-10-12")
    return {(c.claimant_side, c.subject_side, c.metric, c.category, c.value, c.stance)
            for c in extract(art, conflict=conflict)}


def test_place_kind_reads_an_apposition():
    res = conflict_resources(load_conflict("nk"))
    assert place_kind("Talysh", "Baku reported the capture of Talysh, a village north of Martakert.", res) == "village"
    assert place_kind("Talysh", "Talysh, the small village on the river, was shelled.", res) == "village"
    assert place_kind("Talysh", "Talysh, an important height, changed hands.", res) == "height"
    # an apposition that is not a kind of place gives nothing
    assert place_kind("Talysh", "Talysh, a name few outsiders knew, was in the news.", res) is None


def test_denial_of_a_named_place_takes_the_kind_the_article_gives_it():
    text = ("Azerbaijan's president said on Sunday that his army had captured Talysh, a village in the north.\n\n"
            "Armenian officials denied that Talysh had fallen.")
    got = keys(text)
    assert ("AZE", "ARM", "territory_captured", "village", 1, "assert") in got
    assert ("ARM", "ARM", "territory_captured", "village", None, "deny") in got
    assert ("ARM", "ARM", "territory_captured", "area", None, "deny") not in got


def test_rejecting_the_report_on_a_place_reaches_back_past_other_claims():
    filler = " ".join(f"The ministry said its forces had destroyed {n} Ukrainian tanks near Kupiansk."
                      for n in ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                                "twelve", "thirteen", "fourteen"))
    text = ("Russia's Defence Ministry said its troops had taken the village of Krasnohorivka in Donetsk region.\n\n"
            + filler + "\n\nUkrainian officials rejected the report on Krasnohorivka as untrue.")
    got = keys(text, "ru-ua")
    assert ("RUS", "UKR", "territory_captured", "village", 1, "assert") in got
    assert ("UKR", "UKR", "territory_captured", "village", None, "deny") in got
    assert not any(k[5] == "deny" and k[2] == "destroyed" for k in got)


def test_dismissing_the_announcement_denies_the_place_just_claimed():
    text = ("Ukraine's deputy defence minister said Ukrainian forces had liberated the village of Staromaiorske.\n\n"
            "A Russian-appointed official in the region dismissed the announcement.")
    got = keys(text, "ru-ua")
    assert ("RUS", "RUS", "territory_captured", "village", None, "deny") in got


def test_denial_across_a_quotation_paragraph():
    text = ("Azerbaijan's president said on Friday that his forces had taken the town of Fizuli.\n\n"
            "\"Our flag flies over Fizuli today,\" he said in a televised address.\n\n"
            "Armenia's Defence Ministry dismissed the announcement as a fake.")
    assert ("ARM", "ARM", "territory_captured", "town", None, "deny") in keys(text)


def test_a_denial_of_advances_in_general_stays_area():
    text = ("Baku said its army had taken the village of Talysh.\n\n"
            "Armenian sources denied any advances by Azerbaijan, saying all attacks had been repelled.")
    got = keys(text)
    assert ("ARM", "ARM", "territory_captured", "area", None, "deny") in got
