"""Metadata of plain text: dates, language, title, bylines, credits, outlets."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from counterclaim.clean import clean, load_rules
from counterclaim.ingest import prepare
from counterclaim.ingest._meta import (detect_language, find_title, load_stopwords, outlet_from_url, parse_date,
                                       text_metadata)
from counterclaim.records import RawDoc

DATA = Path(__file__).resolve().parents[1] / "src" / "counterclaim" / "data"


@pytest.mark.parametrize("text,iso", [
    ("September 29, 2020", "2020-09-29"), ("Sept. 29, 2020", "2020-09-29"), ("29 September 2020", "2020-09-29"),
    ("28 Sep 2020", "2020-09-28"), ("2020-09-28T10:00:00Z", "2020-09-28"), ("2020/09/28", "2020-09-28"),
    ("29.09.2020", "2020-09-29"), ("Tuesday, 29th of September 2020", "2020-09-29"),
    ("Published: July 4th, 2016 at 10:15", "2016-07-04"), ("posted on 3 March 2022 and updated 4 March 2022",
                                                          "2022-03-03"),
    ("February 30, 2020", None), ("no date here", None), ("", None), (None, None), ("13/25/2020", None),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_stopword_file_schema():
    doc = yaml.safe_load((DATA / "stopwords.yaml").read_text(encoding="utf-8"))
    assert {"source", "licence", "version"} <= set(doc["provenance"])
    ratio, langs = load_stopwords()
    assert 0 < ratio < 1 and "en" in langs and all(len(w) >= 10 for w in langs.values())
    assert all(isinstance(w, str) for ws in langs.values() for w in ws)  # YAML did not turn "no"/"on" into booleans
    assert "no" in langs["en"] and "on" in langs["en"]


@pytest.mark.parametrize("text,lang", [
    ("The ministry said that the troops had taken the town and that the road was open again.", "en"),
    ("Министерство обороны сообщило, что войска заняли город и что дорога снова открыта.", "ru"),
    ("Міністерство оборони повідомило, що війська зайняли місто, але бої тривають.", "uk"),
    ("Le ministère a déclaré que les troupes ont pris la ville et que la route est ouverte.", "fr"),
    ("Das Ministerium sagte, die Truppen hätten die Stadt eingenommen und die Straße sei offen.", "de"),
    ("12 34 56", None), ("", None),
])
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_find_title():
    assert find_title("\n\n0 $\n\n# Troops Cross the River\n\nBody text.") == ("Troops Cross the River", True, None)
    title, headline, _ = find_title("The army said on Monday that the bridge was blown up. More followed.")
    assert (title, headline) == ("The army said on Monday that the bridge was blown up.", False)
    assert find_title("") == (None, False, None)
    assert find_title("Border Wire Service\nTroops cross the river at dawn\n\nThe army said it crossed.") == (
        "Troops cross the river at dawn", True, "Border Wire Service")
    # a short headline followed by a standfirst is not a masthead
    assert find_title("Troops Cross the River\nOfficials say the bridge held overnight\n\nText.")[2] is None


def test_outlet_from_url():
    assert outlet_from_url("https://www.Example.org/a/b?c=1") == "example.org"
    assert outlet_from_url("not a url") is None and outlet_from_url(None) is None


def _prep(text: str, **hints) -> object:
    return prepare(RawDoc("t.txt", "t.txt", text.encode("utf-8"), "text", hints=hints))


def test_originally_published_credit_and_byline():
    a = _prep("Frontline Update: Bridge Destroyed\n\nBy Olena Shevchuk and Ivan Petrenko\n\n"
              "Updated 2022-06-02 14:30 | 3 min read\n\n"
              "The regional governor said a missile destroyed the last road bridge over the river on Thursday.\n\n"
              "Originally published by Steppe Monitor.\n")
    assert a.title == "Frontline Update: Bridge Destroyed"
    assert a.author == "Olena Shevchuk and Ivan Petrenko"
    assert a.published == "2022-06-02"
    assert a.original_source == "Steppe Monitor" and a.original_published is None
    assert a.text == "The regional governor said a missile destroyed the last road bridge over the river on Thursday."


def test_publisher_dateline_and_credit_line_with_markdown_links():
    md = ("# Report: Heights Change Hands\n\nBy [Example Wire](#)\n\nDaily Digest, October 2, 2020\n\n"
          "[Example Wire](#) 1 October 2020\n\nRegion: [Caucasus](#)\n\n[Caucasus](#)\n\n"
          "Officials said on Thursday that two heights had been retaken after a night of heavy fighting.\n\n"
          "The original source of this article is [Example Wire](#)\n")
    a = prepare(RawDoc("r.md", "r.md", md.encode(), "markdown"))
    assert (a.outlet, a.published) == ("Daily Digest", "2020-10-02")
    assert (a.original_source, a.original_published) == ("Example Wire", "2020-10-01")
    assert a.author == "Example Wire" and a.tags == ["Caucasus"]
    assert a.text == "Officials said on Thursday that two heights had been retaken after a night of heavy fighting."


def test_hints_win_over_the_text_and_url_gives_outlet():
    a = _prep("Headline Here\n\nPublished: 5 May 2021\n\nThe army said it shot down a drone near the airport on "
              "Wednesday night.\n", title="Hinted title", published="2021-05-06T08:00:00Z",
              url="https://www.local-news.example/story", tags="drones, airport")
    assert a.title == "Hinted title" and a.published == "2021-05-06"
    assert a.outlet == "local-news.example" and a.url == "https://www.local-news.example/story"
    assert a.tags == ["drones", "airport"]


def test_date_in_header_only():
    a = _prep("Evening Briefing\n\nMarch 3, 2021\n\nThe ministry said on Wednesday that shelling had damaged "
              "three houses in the village.\n\nOn March 4, 2021 the shelling resumed.\n")
    assert a.published == "2021-03-03"
    assert "On March 4, 2021 the shelling resumed." in a.text


def test_masthead_line_dotted_meta_line_and_repost_credit():
    a = _prep("Border Wire Service\nTroops cross the river at dawn, both sides say\n\n"
              "Posted by Border Wire editors | June 3, 2021 | 4 comments\n\n"
              "Reposted with permission from Valley Gazette.\n\n"
              "The army said on Thursday that its engineers had built a pontoon bridge and that 300 troops crossed "
              "it before sunrise.\n\nShare this live blog · Sign up for breaking-news alerts\n")
    assert a.title == "Troops cross the river at dawn, both sides say"
    assert (a.outlet, a.author, a.published) == ("Border Wire Service", "Border Wire editors", "2021-06-03")
    assert a.original_source == "Valley Gazette"
    assert a.text == ("The army said on Thursday that its engineers had built a pontoon bridge and that 300 troops "
                      "crossed it before sunrise.")


def test_dotted_line_in_the_body_is_kept_unless_all_pieces_are_boilerplate():
    body = ("The army said on Thursday that it had lost 12 soldiers in the fighting near the river crossing.\n\n"
            "Tanks · 4 | Guns · 7\n")
    assert "Tanks · 4 | Guns · 7" in _prep("Short Headline Here\n\n" + body).text


def test_yaml_front_matter_gives_hints_and_is_not_text():
    md = ("---\ntitle: \"Ridge Taken, Ministry Says\"\noutlet: Mountain Notebook\ndate: 2020-09-28\n"
          "author: Notebook staff\ntags: [ridge, artillery]\n---\n\n# Ridge Taken, Ministry Says\n\n"
          "The ministry said on Monday that its units had taken the ridge after two days of fighting.\n")
    a = prepare(RawDoc("f.md", "f.md", md.encode(), "markdown"))
    assert (a.title, a.outlet, a.published, a.author, a.tags) == (
        "Ridge Taken, Ministry Says", "Mountain Notebook", "2020-09-28", "Notebook staff", ["ridge", "artillery"])
    assert a.text == "The ministry said on Monday that its units had taken the ridge after two days of fighting."
    broken = prepare(RawDoc("g.md", "g.md", b"---\ntitle: [unclosed\n---\n\nThe army said the road was open.", "markdown"))
    assert "The army said the road was open." in broken.text


STORY = "The army said on Thursday that its engineers had built a pontoon bridge over the river before dawn."


def test_the_rule_higher_in_the_rules_file_wins_not_the_earlier_line():
    a = _prep("Bridge Built Overnight\n\nArticles by: Jane Roe\n\nBy John Doe\n\nMarch 1, 2021\n\n"
              "Published: 3 March 2021\n\n" + STORY + "\n")
    assert (a.author, a.published) == ("John Doe", "2021-03-03")   # byline over articles-by, published over date-only
    assert a.text == STORY


def test_metadata_is_read_by_what_rules_capture_not_by_their_ids(tmp_path):
    doc = {"provenance": {"source": "test", "licence": "Apache-2.0", "version": "1"}, "kind": "boilerplate",
           "rules": [
               {"id": "signed", "captures": "author", "pattern": r"signed: (?P<name>[\w ]{1,40})"},
               {"id": "stamp", "captures": "published", "pattern": r"stamp: (?P<date>[\d-]{10})"},
               {"id": "first-run", "captures": "original-source", "pattern": r"first ran in (?P<name>[\w ]{1,40})"},
               {"id": "site", "captures": "outlet", "pattern": r"site: (?P<name>[\w ]{1,40})"},
               {"id": "labels", "captures": "tags", "pattern": r"labels: (?P<value>[\w ,]{1,80})"},
               # a rule with a metadata rule's id captures only what it declares
               {"id": "byline", "captures": "link", "pattern": r"by (?P<url>https://\S{1,80})"}]}
    for r in doc["rules"]:
        r.update(doc="d", match="full", examples=[r["id"]])
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    rules = load_rules(str(path))
    cleaned = clean("signed: Jane Roe\n\nstamp: 2021-05-04\n\nsite: Valley Post\n\nlabels: bridges, rivers\n\n"
                    "by https://x.example/page\n\n" + STORY + "\n\nfirst ran in Steppe Monitor\n", rules=rules)
    assert cleaned.text == STORY
    meta = text_metadata(cleaned, title=None, hints={}, url=None)
    assert (meta["author"], meta["published"], meta["outlet"], meta["original_source"]) == (
        "Jane Roe", "2021-05-04", "Valley Post", "Steppe Monitor")
    assert meta["tags"] == ["bridges", "rivers"] and meta["media"] == []
