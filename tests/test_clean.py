"""Boilerplate cleaning: the rules file, paragraph handling, captures and linear time."""
from __future__ import annotations

import re
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from counterclaim.clean import CAPTURE_KINDS, Rules, clean, clean_text, load_rules, match_line
from counterclaim.errors import DataFileError

RULES_PATH = Path(__file__).resolve().parents[1] / "src" / "counterclaim" / "data" / "boilerplate.yaml"


@contextmanager
def deadline(seconds: int):
    """Fail (instead of hanging) if the block runs into catastrophic backtracking."""
    def _alarm(signum, frame):
        raise TimeoutError(f"did not finish within {seconds} s")

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# --- the rules file -------------------------------------------------------------------

def test_rules_file_has_provenance_and_loads():
    doc = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    assert {"source", "licence", "version"} <= set(doc["provenance"])
    rules = load_rules()
    assert len(rules.rules) == len(doc["rules"]) >= 20
    assert len({r.id for r in rules.rules}) == len(rules.rules)


@pytest.mark.parametrize("rule", load_rules().rules, ids=lambda r: r.id)
def test_each_rule_removes_its_examples_and_keeps_its_counter_examples(rule):
    for line in rule.examples:
        hit = match_line(line, header=True)
        assert hit is not None and hit[0].id == rule.id, (rule.id, line, hit and hit[0].id)
    for line in rule.keep:
        assert match_line(line, header=True) is None, (rule.id, line)


def _write(tmp_path: Path, doc: dict) -> str:
    p = tmp_path / "rules.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return str(p)


def _good() -> dict:
    return {"provenance": {"source": "test", "licence": "Apache-2.0", "version": "1"}, "kind": "boilerplate",
            "rules": [{"id": "a", "doc": "d", "match": "full", "pattern": "share", "examples": ["share"]}]}


@pytest.mark.parametrize("breakage,message", [
    (lambda d: d.pop("provenance"), "provenance"),
    (lambda d: d.update(kind="lexicon"), "kind"),
    (lambda d: d["rules"][0].update(pattern="(unclosed"), "invalid pattern"),
    (lambda d: d["rules"][0].update(match="fuzzy"), "match must be"),
    (lambda d: d["rules"][0].update(pattern="{NOPE}x"), "unknown macro"),
    (lambda d: d["rules"].append(dict(d["rules"][0])), "duplicate id"),
    (lambda d: d["rules"][0].update(colour="red"), "unknown field"),
    (lambda d: d["rules"][0].update(examples=[]), "examples"),
    (lambda d: d["rules"][0].update(max_words=0), "max_words"),
    (lambda d: d["rules"][0].update(unless_next="tomorrow"), "unless_next must be one of"),
    (lambda d: d["rules"][0].update(unless_next=["timestamp"]), "unless_next must be one of"),
    (lambda d: d["rules"][0].update(captures="weather"), "captures must be one of"),
    (lambda d: d["rules"][0].update(captures=["tags"]), "captures must be one of"),
    (lambda d: d["rules"][0].update(captures="tags"), r"captures 'tags' needs named group\(s\) \['value'\]"),
    (lambda d: d["rules"][0].update(pattern="tags: (?P<name>.+)", captures="name-date"),
     r"needs named group\(s\) \['date'\]"),
    (lambda d: d["rules"][0].update(pattern="tags: (?P<value>.+)"), "named group.*but no captures field"),
    (lambda d: d["rules"][0].update(id="masthead"), "reserved"),
])
def test_schema_check_names_the_problem(tmp_path, breakage, message):
    assert load_rules(_write(tmp_path, _good())).rules[0].id == "a"
    doc = _good()
    breakage(doc)
    with pytest.raises(DataFileError, match=message) as info:
        load_rules(_write(tmp_path, doc))
    assert "rules.yaml" in str(info.value)


def test_unknown_unless_next_condition_is_one_line_naming_file_rule_and_field(tmp_path):
    doc = _good()
    doc["rules"][0]["unless_next"] = "tomorrow"
    with pytest.raises(DataFileError) as info:
        load_rules(_write(tmp_path, doc))
    line = info.value.one_line()
    assert "\n" not in line
    assert "rules.yaml" in line and "rule 'a'" in line and "unless_next" in line and "'tomorrow'" in line
    assert "timestamp" in line  # says which names are allowed


def test_bad_captures_is_one_line_naming_file_rule_and_field(tmp_path):
    doc = _good()
    doc["rules"][0]["captures"] = "weather"
    with pytest.raises(DataFileError) as info:
        load_rules(_write(tmp_path, doc))
    line = info.value.one_line()
    assert "\n" not in line
    assert "rules.yaml" in line and "rule 'a'" in line and "captures" in line and "'weather'" in line
    assert "tags" in line and "published" in line  # says which kinds are allowed


def test_bundled_rules_declare_what_they_capture():
    """Every rule with named groups declares its kind; metadata readers rely on these."""
    declared = {r.id: r.captures for r in load_rules().rules if r.captures}
    assert set(declared.values()) <= set(CAPTURE_KINDS)
    assert declared["tags"] == "tags" and declared["lone-url"] == "link"
    assert declared["published"] == declared["date-only"] == "published"
    assert declared["byline"] == declared["articles-by"] == declared["author-line"] == "author"
    assert declared["dateline"] == declared["credit"] == "name-date"
    for rule in load_rules().rules:
        assert bool(rule.regex.groupindex) == bool(rule.captures), rule.id


def test_invalid_yaml_is_a_data_file_error(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("rules: [unclosed", encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid YAML"):
        load_rules(str(p))


# --- cleaning -------------------------------------------------------------------------

ARTICLE = """\
0 $
1,000 $
250 $

Shelling Resumes Along the Northern Front

By Marta Kovalenko

Kyiv Evening Post, March 3, 2022

Kharkiv Courier 2 March 2022

Region: Europe, Ukraine
Tags: shelling; civilians

The regional administration said that 14 civilians were wounded when rockets hit
a residential district on Wednesday night, and that rescue teams were still
searching the rubble.

Click to see the full-size image

The military said its air defence had shot down 7 drones over the city, a figure
that could not be independently confirmed.

https://video.example.org/clips/night_strike.mp4

Losses reported by the general staff for the day:
- tanks: 12
- artillery systems: 9

The original source of this article is Kharkiv Courier
Copyright © Kharkiv Courier, 2022

Note to readers: please use the share buttons below and forward this article to your friends.

Do you like this content? Consider helping us!

Related articles:
Ceasefire talks stall again
Villagers return to the shelled town
"""


def test_clean_removes_boilerplate_and_keeps_story():
    out = clean(ARTICLE, title="Shelling Resumes Along the Northern Front")
    text = out.text
    for gone in ("1,000 $", "Shelling Resumes", "By Marta", "Region:", "Tags:", "full-size", "night_strike",
                 "original source", "Copyright", "share buttons", "Consider helping", "Related articles",
                 "Ceasefire talks stall", "Villagers return"):
        assert gone not in text, gone
    assert ("The regional administration said that 14 civilians were wounded when rockets hit a residential "
            "district on Wednesday night, and that rescue teams were still searching the rubble.") in text
    assert "shot down 7 drones over the city, a figure that could not be independently confirmed." in text
    assert "- tanks: 12\n- artillery systems: 9" in text  # list lines keep their line breaks
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 3 and all(p.strip() == p for p in paragraphs)
    assert "\n\n\n" not in text


def test_clean_captures_metadata_lines():
    out = clean(ARTICLE)
    assert out.tags == ["Europe", "Ukraine", "shelling", "civilians"]
    assert out.media == ["https://video.example.org/clips/night_strike.mp4"]
    rules = {r.rule for r in out.removed}
    assert {"byline", "dateline", "credit", "original-source", "donation-amount", "related-list"} <= rules
    assert out.captured("byline")[0].fields["name"] == "Marta Kovalenko"
    assert out.captured("dateline")[0].fields == {"name": "Kyiv Evening Post", "date": "March 3, 2022"}
    assert out.captured("credit")[0].fields == {"name": "Kharkiv Courier", "date": "2 March 2022"}


def test_header_only_rules_do_not_touch_the_body():
    text = ("First line headline\n\nThe ministry said on Friday that 30 soldiers had been killed in the attack on "
            "the base, officials added.\n\nKyiv Evening Post, March 3, 2022\n")
    assert "Kyiv Evening Post, March 3, 2022" in clean_text(text)


def test_duplicate_headline_lines_and_title_are_removed():
    text = ("Troops Enter the Town\n\nTroops Enter the Town\n\nTroops entered the town at dawn, the "
            "ministry said in a statement on Sunday.\n")
    assert clean_text(text).startswith("Troops Enter the Town\n\nTroops entered")
    assert clean(text, title="Troops Enter the Town").text.startswith("Troops entered the town at dawn")


def test_sentence_broken_across_paragraphs_is_joined():
    text = ("The ministry said that all reports from the other side about losses among its\n\n"
            "units were false and that the front line had not moved.\n\nA new paragraph starts here and it is long.")
    out = clean_text(text).split("\n\n")
    assert out[0].endswith("losses among its units were false and that the front line had not moved.")
    assert out[1].startswith("A new paragraph")


def test_headings_are_not_joined_to_the_next_paragraph():
    text = "What We Know So Far\n\nThe army said on Monday that the bridge had been destroyed by a missile."
    assert clean_text(text).split("\n\n")[0] == "What We Know So Far"


def test_wrapped_lines_fold_and_spacing_inside_lines_is_kept():
    text = "Officials  said that the\nattack began at dawn and\nlasted for six hours, the agency reported.\n"
    assert clean_text(text) == "Officials  said that the attack began at dawn and lasted for six hours, the agency reported."


def test_crlf_nbsp_and_invisible_characters():
    text = "Line one of a long story about the war, said the ministry.\r\n\r\nSecond\u00a0para\u200bgraph here."
    assert clean_text(text) == "Line one of a long story about the war, said the ministry.\n\nSecond paragraph here."


def test_phrase_rules_spare_long_story_sentences():
    sentence = ("The ministry said it would share the figures with the OSCE, and a spokesman added that the "
                "newsletter of the mission had already listed 40 destroyed tanks and 12 downed drones.")
    assert clean_text(sentence) == sentence


# --- robustness -----------------------------------------------------------------------

def test_huge_single_line_and_digit_line_finish():
    big = ("The army said the front held. " * 180_000)[:5_000_000]
    digits = "7" * 100_000
    with deadline(60):
        assert clean_text(big) == big.strip()
        assert clean_text(digits) == digits
        assert clean_text(digits + " $") == digits + " $"


ADVERSARIAL = [
    "home " * 600 + "x", "1," * 1400 + "x", "$" + "1 " * 1400 + "x", "[" * 2900, "*" * 2900 + "a", "- " * 1400 + "x",
    "By " + "Aa " * 900 + "x.", "a|" * 1400, "Related " + "a" * 2800 + ".", "http://" + "a" * 2900 + " x",
    "Region: " + "a, " * 900 + ".", "September 29, 2020 " * 150, ("x" * 59 + " ") * 45 + "29 Sept 2020x",
    "Published " + "1 " * 1400, "comment on " + "a " * 1400, "1 min read " * 250,
]


@pytest.mark.parametrize("line", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_rules_are_linear_on_adversarial_lines(line):
    with deadline(20):
        for _ in range(3):
            match_line(line, header=True)
            match_line(line + "\n" + line[:100], header=True)
        clean_text((line + "\n") * 5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_clean_never_invents_text(text):
    out = clean_text(text)
    source_words = set(re.sub(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\r]", " ", text).split())
    invisible = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
    source_words |= {invisible.sub("", w) for w in source_words}
    for word in out.split():
        assert word in source_words or any(word in w for w in source_words)
    assert "\n\n\n" not in out and out == out.strip()


def test_live_blog_day_heading_above_timestamped_entries_is_kept():
    from counterclaim.clean import clean_text
    text = ("Live: the southern front\n\n3 March 2021\n\n08:40 - Shelling resumed near the river, officials said.\n\n"
            "4 March 2021\n\n11:15 - The regional governor said two more villages had been evacuated.\n")
    out = clean_text(text)
    assert "3 March 2021" in out and "4 March 2021" in out
    # a date line over ordinary prose is still header furniture
    assert "5 May 2021" not in clean_text("A headline here\n\n5 May 2021\n\nThe council met on Tuesday and "
                                          "approved the budget for the coming year after a long debate.\n")


# --- unless_next: a rule vetoed by the line after it -------------------------------------

def _heading_rules(tmp_path: Path, **extra: object) -> Rules:
    """A rules file whose one rule removes "Day N" lines, with ``extra`` fields on that rule."""
    doc = _good()
    doc["rules"] = [dict({"id": "day-heading", "doc": "d", "match": "full", "pattern": r"day \d{1,3}",
                          "examples": ["Day 3"]}, **extra)]
    return load_rules(_write(tmp_path, doc))


ENTRY = "08:40 - Shelling resumed near the river, officials said."
PROSE = "The council met on Tuesday and approved the budget for the coming year after a long debate."


@pytest.mark.parametrize("after", [ENTRY, "- 9.05 The governor spoke.", "\u2022 23:59 A late entry."])
def test_unless_next_timestamp_keeps_the_line_above_a_timestamped_line(tmp_path, after):
    rules = _heading_rules(tmp_path, unless_next="timestamp")
    assert rules.rules[0].unless_next == "timestamp"
    for gap in ("\n", "\n\n", "\n\n\n"):
        out = clean("Day 3" + gap + after + "\n", rules=rules)
        assert out.text.startswith("Day 3"), (gap, out.text)
        assert not out.captured("day-heading")
    # without the field the same rule removes the line: the field is what keeps it
    plain = _heading_rules(tmp_path)
    assert "Day 3" not in clean("Day 3\n\n" + after + "\n", rules=plain).text


@pytest.mark.parametrize("text", [
    "Day 3\n\n" + PROSE + "\n",                       # next line is prose
    "Day 3\n\n0840 - no separator in the time\n",        # not a time of day
    "Day 3\n\n\n\n" + ENTRY + "\n",                     # the entry lies beyond the look-ahead
    "Day 3\n",                                          # nothing follows
])
def test_unless_next_timestamp_drops_the_line_otherwise(tmp_path, text):
    rules = _heading_rules(tmp_path, unless_next="timestamp")
    out = clean(text, rules=rules)
    assert "Day 3" not in out.text
    assert [r.line for r in out.captured("day-heading")] == ["Day 3"]


def test_a_vetoed_line_is_kept_not_offered_to_later_rules(tmp_path):
    doc = _good()
    doc["rules"] = [{"id": "day-heading", "doc": "d", "match": "full", "pattern": r"day \d{1,3}",
                     "examples": ["Day 3"], "unless_next": "timestamp"},
                    {"id": "any-day", "doc": "d", "match": "phrase", "pattern": "day", "examples": ["a day"]}]
    rules = load_rules(_write(tmp_path, doc))
    out = clean("Day 3\n\n" + ENTRY + "\n", rules=rules)
    assert out.text.startswith("Day 3") and not out.removed



# --- captures: what a rule captures is declared, not read from its id ---------------------

def _capture_rules(tmp_path: Path, *rules: dict) -> Rules:
    doc = _good()
    doc["rules"] = [dict({"doc": "d", "match": "full"}, **r) for r in rules]
    return load_rules(_write(tmp_path, doc))


def test_tags_and_links_come_from_rules_declaring_them_whatever_their_id(tmp_path):
    rules = _capture_rules(
        tmp_path,
        {"id": "labels", "captures": "tags", "pattern": r"labels: (?P<value>[^.]{1,100})",
         "examples": ["labels: a, b"]},
        {"id": "clip", "captures": "link", "pattern": r"clip (?P<url>https://\S{1,200})",
         "examples": ["clip https://x.example/a.mp4"]},
        # the id of the bundled tag rule, but it captures an author: its value is no tag
        {"id": "tags", "captures": "author", "pattern": r"signed (?P<name>\w{1,40})", "examples": ["signed Roe"]})
    out = clean("labels: drones; Artillery, DRONES\n\nclip https://x.example/a.mp4\n\nsigned Roe\n", rules=rules)
    assert out.tags == ["drones", "Artillery"]
    assert out.media == ["https://x.example/a.mp4"] and out.links == []
    assert [(r.rule, r.captures, r.fields) for r in out.captures("author")] == [("tags", "author", {"name": "Roe"})]
    assert out.text == ""


def test_ranked_captures_put_the_rule_higher_in_the_file_first(tmp_path):
    rules = _capture_rules(
        tmp_path,
        {"id": "strong", "captures": "author", "pattern": r"by (?P<name>\w{1,40})", "examples": ["by Roe"]},
        {"id": "weak", "captures": "author", "pattern": r"more from (?P<name>\w{1,40})",
         "examples": ["more from Doe"]})
    out = clean("more from Doe\n\nby Roe\n\nmore from Poe\n", rules=rules)
    assert [r.fields["name"] for r in out.captures("author")] == ["Doe", "Roe", "Poe"]  # text order
    assert [r.fields["name"] for r in out.captures("author", ranked=True)] == ["Roe", "Doe", "Poe"]


def test_own_masthead_captures_rank_after_the_files_rules():
    out = clean("Example Daily\nBy Jane Roe\n\n" + PROSE + "\n", masthead="Example Daily")
    assert [(r.rule, r.captures) for r in out.removed[:2]] == [("masthead", "outlet"), ("byline", "author")]
    assert out.removed[0].rank > max(r.rank for r in load_rules().rules)
