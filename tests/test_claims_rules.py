"""Behaviour tests for the extraction rules, each with several invented, differently-worded sentences."""
from __future__ import annotations

from functools import partial

import pytest
from claims_helpers import claim_keys, claims_of

claims = partial(claims_of, doc="r.txt")
keys = partial(claim_keys, doc="r.txt")


@pytest.mark.parametrize("text,want", [
    # bare counts after a counted noun share its noun and side
    ("Yerevan said 9 of its servicemen were killed and 31 wounded.", ("ARM", "ARM", "wounded", "personnel", 31, "assert")),
    ("Baku reported that 14 of its soldiers had been killed and 40 injured.", ("AZE", "AZE", "wounded", "personnel", 40, "assert")),
    ("Stepanakert said 6 civilians were killed and 19 hurt.", ("ARM", "ARM", "wounded", "civilians", 19, "assert")),
])
def test_elliptical_counts_inherit(text, want):
    assert want in keys(text)


@pytest.mark.parametrize("text,want", [
    ("Armenia's emergency ministry said four residents died in the shelling.", ("ARM", "ARM", "killed", "civilians", 4, "assert")),
    ("Baku said that eleven soldiers had died since the weekend.", ("AZE", "AZE", "killed", "personnel", 11, "assert")),
    ("The Armenian Defence Ministry said 30 servicemen remained missing.", ("ARM", "ARM", "missing", "personnel", 30, "assert")),
])
def test_intransitive_deaths_are_own(text, want):
    assert want in keys(text)


@pytest.mark.parametrize("text,want", [
    ("Baku's own toll rose to 37 on Friday.", ("AZE", "AZE", "killed", "people", 37, "assert")),
    ("The Armenian side put its military death toll at 710.", ("ARM", "ARM", "killed", "personnel", 710, "assert")),
    ("Yerevan said its losses stood at 120 servicemen killed.", ("ARM", "ARM", "killed", "personnel", 120, "assert")),
])
def test_tolls_and_loss_nouns(text, want):
    assert want in keys(text)


def test_numbers_in_a_rejected_report():
    k = keys("Baku called the Armenian report of 40 downed Azerbaijani drones \"pure fiction\".")
    assert ("ARM", "AZE", "destroyed", "drone", 40, "assert") in k
    assert ("AZE", "AZE", "destroyed", "drone", None, "deny") in k
    k2 = keys("Claims by the Azerbaijani side about the destruction of six Armenian tanks are false, Yerevan said.")
    assert ("ARM", "ARM", "destroyed", "tank", None, "deny") in k2


@pytest.mark.parametrize("text", [
    "The Azerbaijani Defence Ministry said 12 soldiers were killed, among them three officers.",
    "Yerevan said 20 Azerbaijani tanks were destroyed, several of them near Hadrut.",
    "Baku said it shot down 8 of the 13 Armenian drones launched overnight.",
])
def test_breakdowns_add_nothing(text):
    vals = sorted(c.value for c in claims(text))
    assert len(vals) == 1


@pytest.mark.parametrize("text", [
    "Russia's president said the toll was nearing 4,000 on both sides.",
    "Azerbaijani forces tried to seize a height near Talish, the Armenian Defence Ministry said.",
    "The Armenian army could lose several villages, analysts warned.",
])
def test_not_claims(text):
    assert claims(text) == []


@pytest.mark.parametrize("text,want", [
    ("Baku, for its part, said its troops had destroyed five Armenian howitzers.", ("AZE", "ARM", "destroyed", "artillery", 5, "assert")),
    ("Yerevan, in turn, said Azerbaijan had lost a dozen drones.", ("ARM", "AZE", "destroyed", "drone", 12, "assert")),
    ("\"We destroyed 3 Armenian tanks,\" said Vagif Dargahli.", ("AZE", "ARM", "destroyed", "tank", 3, "assert")),
])
def test_comma_before_speech_verb(text, want):
    assert want in keys(text)


def test_bullet_list_under_a_header_and_title_voice():
    text = ("During the day the following enemy equipment was destroyed:\n- 4 tanks;\n- 2 Smerch launchers;\n"
            "- 1 command post.\nThere were no losses of our personnel.")
    k = keys(text, title="Ministry of Defence of Azerbaijan: operational update")
    assert {("AZE", "ARM", "destroyed", "tank", 4, "assert"), ("AZE", "ARM", "destroyed", "rocket_launcher", 2, "assert"),
            ("AZE", "ARM", "destroyed", "command_post", 1, "assert")} <= k


@pytest.mark.parametrize("text,want", [
    ("The ministry said Armenian forces lost 300 soldiers, along with 18 tanks.", ("AZE", "ARM", "destroyed", "tank", 18, "assert")),
    ("Kyiv said Russia lost 900 troops as well as 11 artillery systems.", ("UKR", "RUS", "destroyed", "artillery", 11, "assert")),
])
def test_along_with_keeps_the_verb(text, want):
    conflict = "ru-ua" if "Kyiv" in text else "nk"
    k = keys(("The Azerbaijani Defence Ministry issued a statement. " if conflict == "nk" else "") + text, conflict)
    assert want in k


@pytest.mark.parametrize("text,want", [
    ("The Armenian Defence Ministry said the village had not been captured.", ("ARM", "ARM", "territory_captured", "village", None, "deny")),
    ("Baku insisted the town has not fallen.", ("AZE", "AZE", "territory_captured", "town", None, "deny")),
])
def test_not_captured_is_a_denial(text, want):
    assert want in keys(text)


def test_held_in_a_country_means_captured_from_the_other_side():
    assert ("ARM", "ARM", "captured", "personnel", 40, "assert") in keys(
        "Armenia's ombudsman said 40 soldiers were being held in Azerbaijan.")


def test_passive_agent_later_in_clause():
    k = keys("The Azerbaijani Defence Ministry said a helicopter had been shot down and a truck hit by Armenian fire.")
    assert ("AZE", "AZE", "destroyed", "helicopter", 1, "assert") in k


def test_dates_next_to_numbers_are_not_counts():
    assert not any(c.value == 28 for c in claims(
        "A strike on October 28 killed 21 people in Barda, the Azerbaijani authorities said."))


@pytest.mark.parametrize("text,want", [
    ("The Azerbaijani Defence Ministry said its troops took control of heights near Talish.",
     ("AZE", "ARM", "territory_captured", "height", None, "assert")),
    ("Yerevan said its units destroyed Azerbaijani tanks and armoured vehicles near Hadrut.",
     ("ARM", "AZE", "destroyed", "armored_vehicle", None, "assert")),
    ("Baku said its forces seized Armenian howitzers in Kalbajar.", ("AZE", "ARM", "seized", "artillery", None, "assert")),
])
def test_bare_plural_after_a_verb_is_a_claim_without_number(text, want):
    assert want in keys(text)


@pytest.mark.parametrize("text,want", [
    ("Baku said Armenian units hid Grad launchers in the town and that three of them were destroyed.",
     ("AZE", "ARM", "destroyed", "rocket_launcher", 3, "assert")),
    ("Yerevan said Azerbaijani troops brought drones to the front and two of them were shot down.",
     ("ARM", "AZE", "destroyed", "drone", 2, "assert")),
])
def test_of_them_refers_back_to_a_bare_plural(text, want):
    assert want in keys(text)


@pytest.mark.parametrize("text,want", [
    ("Baku says it holds 40 Armenians detained after the ceasefire.", ("AZE", "ARM", "captured", "people", 40, "assert")),
    ("Yerevan said 12 Azerbaijanis were taken prisoner.", ("ARM", "AZE", "captured", "people", 12, "assert")),
])
def test_plural_demonym_counts_people(text, want):
    assert want in keys(text)


@pytest.mark.parametrize("text,want", [
    ("Armenia admitted losing a handful of tanks.", ("ARM", "ARM", "destroyed", "tank", None, "assert")),
    ("Baku said it had taken a handful of heights.", ("AZE", "ARM", "territory_captured", "height", None, "assert")),
])
def test_handful_has_no_number(text, want):
    assert want in keys(text)


@pytest.mark.parametrize("text,want", [
    ("Yerevan said an Azerbaijani drone destroyed a truck, killing the driver.", ("ARM", "ARM", "killed", "people", 1, "assert")),
    ("Armenia said a Turkish jet shot down one of its Su-25 jets, killing the pilot.",
     ("ARM", "ARM", "killed", "personnel", 1, "assert")),
])
def test_the_person_after_a_kill_verb_counts_one(text, want):
    assert want in keys(text)


def test_rejection_of_a_claim_just_made_denies_the_same_thing():
    text = ("The Azerbaijani Defence Ministry said its army had captured the town of Hadrut.\n\n"
            "Armenia's Defence Ministry dismissed the announcement as a fabrication.")
    assert ("ARM", "ARM", "territory_captured", "town", None, "deny") in keys(text)
    other = ("The Azerbaijani Defence Ministry said its army had captured the village of Talish.\n\n"
             "Yerevan rejected the claim.")
    assert ("ARM", "ARM", "territory_captured", "village", None, "deny") in keys(other)


@pytest.mark.parametrize("text,want", [
    ("The Armenian Defence Ministry said fighting was continuing around the town.",
     ("ARM", "ARM", "territory_captured", "town", None, "deny")),
    ("Kyiv said its forces still held positions in the village.", ("UKR", "UKR", "territory_captured", "position", None, "deny")),
])
def test_holding_on_is_a_denial(text, want):
    conflict = "ru-ua" if "Kyiv" in text else "nk"
    assert want in keys(text, conflict)


def test_place_category_remembered_for_denials():
    text = ("The Azerbaijani Defence Ministry said it had captured the village of Sugovushan.\n\n"
            "Armenian officials denied that Sugovushan had fallen.")
    assert ("ARM", "ARM", "territory_captured", "village", None, "deny") in keys(text)


def test_state_media_voice_without_named_ministry():
    text = ("Units of the Armenian armed forces again tried to attack our positions, the Ministry of Defense reports.\n\n"
            "As a result, up to 15 servicemen of the enemy were liquidated and 3 tanks of the adversary destroyed.")
    k = keys(text)
    assert ("AZE", "ARM", "killed", "personnel", 15, "assert") in k
    assert ("AZE", "ARM", "destroyed", "tank", 3, "assert") in k


def test_partisan_headline_voice():
    text = "During the night 9 enemy drones were shot down over the front."
    assert ("AZE", "ARM", "destroyed", "drone", 9, "assert") in keys(
        text, title="Azerbaijani air defence repels attack, the enemy loses drones")


@pytest.mark.parametrize("text,want", [
    ("Yerevan said five people were killed, including a ten-year-old boy.", [("ARM", "ARM", "killed", "people", 5, "assert")]),
    ("Baku said 17 civilians were injured, among them two children.", [("AZE", "AZE", "wounded", "civilians", 17, "assert")]),
])
def test_person_breakdowns_after_including_add_nothing(text, want):
    assert keys(text) == set(want)


@pytest.mark.parametrize("text,old,new", [
    ("Yerevan said the toll rose from six to nine dead.", 6, 9),
    ("Armenia's ombudsman said the civilian death toll in Stepanakert had risen from 14 to 23.", 14, 23),
])
def test_revised_toll_from_x_to_y_gives_both_figures(text, old, new):
    # spec "Revised figures": each figure an article gives for the same thing is its own claim
    values = {c.value for c in claims(text)}
    assert {old, new} <= values


@pytest.mark.parametrize("text,want", [
    ("Kyiv says Russia has lost 900 troops since Monday, along with 12 tanks, 3 helicopters and 20 drones.",
     ("UKR", "RUS", "destroyed", "helicopter", 3, "assert")),
    ("The Armenian Defence Ministry said Azerbaijan lost 60 soldiers, as well as 4 tanks and 2 howitzers.",
     ("ARM", "AZE", "destroyed", "artillery", 2, "assert")),
])
def test_along_with_list_continues(text, want):
    conflict = "ru-ua" if "Kyiv" in text else "nk"
    assert want in keys(text, conflict)


@pytest.mark.parametrize("text,want", [
    ("Nobody was killed in the attack, the Armenian Defence Ministry said.", ("ARM", "ARM", "killed", "people", 0, "assert")),
    ("No one was injured, Baku said.", ("AZE", "AZE", "wounded", "people", 0, "assert")),
])
def test_nobody_is_zero_people(text, want):
    assert want in keys(text)


@pytest.mark.parametrize("text,want", [
    ("The UN human rights office said it had recorded 41 civilian deaths in Ukraine.",
     ("UN", "UKR", "killed", "civilians", 41, "assert")),
    ("Iran's provincial authorities said three civilians were lightly wounded by a stray rocket.",
     ("IRN", "IRN", "wounded", "civilians", 3, "assert")),
])
def test_third_party_civilian_tolls(text, want):
    conflict = "ru-ua" if "Ukraine" in text else "nk"
    assert want in keys(text, conflict)


@pytest.mark.parametrize("text,want", [
    ("The governor of Belgorod said four residents were hurt.", ("RUS", "RUS", "wounded", "civilians", 4, "assert")),
    ("The Kharkiv mayor said 3 people were killed overnight.", ("UKR", "UKR", "killed", "people", 3, "assert")),
])
def test_officials_placed_by_their_city(text, want):
    assert want in keys(text, "ru-ua")


def test_losing_a_named_thing_is_a_denial_of_its_kind():
    assert ("AZE", "AZE", "destroyed", "drone", None, "deny") in keys("Baku denied losing a Hermes drone.")


def test_a_place_in_a_prepositional_phrase_is_not_taken():
    text = "\"Not a single position in the Martuni region has been surrendered,\" the Artsakh Defence Army said."
    k = keys(text)
    assert ("ARM", "ARM", "territory_captured", "position", 0, "assert") in k
    assert not any(x[3] == "area" for x in k)


@pytest.mark.parametrize("text,conflict,want", [
    ("Aliyev said the army had liberated Shusha.", "nk", ("AZE", "ARM", "territory_captured", "town", 1, "assert")),
    ("Russia's Defence Ministry said its forces had taken full control of Soledar.", "ru-ua",
     ("RUS", "UKR", "territory_captured", "town", 1, "assert")),
    ("Kyiv said Ukrainian troops had recaptured Lyman.", "ru-ua", ("UKR", "RUS", "territory_captured", "town", 1, "assert")),
])
def test_a_named_town_after_a_capture_verb_counts_one(text, conflict, want):
    assert want in keys(text, conflict)


def test_coordinated_bare_plurals_share_the_verb():
    k = keys("The Azerbaijani Defence Ministry said its forces destroyed Armenian howitzers and trucks.")
    assert ("AZE", "ARM", "destroyed", "artillery", None, "assert") in k
    assert ("AZE", "ARM", "destroyed", "vehicle", None, "assert") in k


def test_installed_officials_belong_to_their_patron():
    assert ("RUS", "RUS", "wounded", "civilians", 3, "assert") in keys(
        "The Russian-installed authorities said a Ukrainian drone had wounded three civilians.", "ru-ua")


@pytest.mark.parametrize("text", [
    "Military analysts say Baku's forces destroyed 30 Armenian tanks in the first week.",
    "Independent experts said 12 Azerbaijani drones had been shot down.",
])
def test_analysts_are_not_a_side(text):
    assert all(c.claimant_side == "OUTLET" for c in claims(text))


def test_relative_clause_does_not_hide_the_subject():
    text = ("The Azerbaijani Defence Ministry issued figures.\n\nThe Armenian side, which publishes its military dead by "
            "name, put its own toll at 310 on Sunday.")
    # "its military dead" names the category (as in the project gold): personnel
    assert ("ARM", "ARM", "killed", "personnel", 310, "assert") in keys(text)


@pytest.mark.parametrize("text", [
    "Russia's Defence Ministry said air defences shot down six HIMARS rockets.",
    "Kyiv said it intercepted 14 Iskander missiles overnight.",
])
def test_munitions_are_not_claims(text):
    assert claims(text, "ru-ua") == []


@pytest.mark.parametrize("text,want", [
    ("Baku said the enemy had left behind six tanks.", ("AZE", "ARM", "seized", "tank", 6, "assert")),
    ("Kyiv said retreating Russian units abandoned 14 armoured vehicles.", ("UKR", "RUS", "seized", "armored_vehicle", 14, "assert")),
])
def test_left_behind_equipment_is_seized(text, want):
    conflict = "ru-ua" if "Kyiv" in text else "nk"
    assert want in keys(text, conflict)


def test_list_after_a_colon():
    text = ("The Russian Defence Ministry said that in total the following had been destroyed: 600 aircraft, "
            "15,000 field artillery guns and mortars, 20,000 units of special military vehicles.")
    k = keys(text, "ru-ua")
    assert ("RUS", "UKR", "destroyed", "artillery", 15000, "assert") in k
    assert ("RUS", "UKR", "destroyed", "vehicle", 20000, "assert") in k


@pytest.mark.parametrize("text,want", [
    ("The Azerbaijani Defence Ministry said there were no losses of our military equipment.",
     ("AZE", "AZE", "destroyed", "equipment", 0, "assert")),
    ("Yerevan said there were no casualties among the civilian population.",
     ("ARM", "ARM", "killed_or_wounded", "civilians", 0, "assert")),
])
def test_no_losses_of_a_kind(text, want):
    assert want in keys(text)


def test_long_list_shares_the_verb():
    text = ("Baku said the adversary has lost 40 tanks, 11 infantry fighting vehicles, 25 artillery pieces, "
            "several mortars, 3 command posts and 19 auto vehicles.")
    k = keys(text)
    assert ("AZE", "ARM", "destroyed", "command_post", 3, "assert") in k
    assert ("AZE", "ARM", "destroyed", "vehicle", 19, "assert") in k


@pytest.mark.parametrize("text,want", [
    ("The Artsakh Defence Army acknowledged that Armenian forces had pulled back from several positions.",
     ("ARM", "ARM", "territory_captured", "position", 3, "assert")),
    ("Kyiv said its troops had withdrawn from two villages near the river.",
     ("UKR", "UKR", "territory_captured", "village", 2, "assert")),
])
def test_withdrawal_is_a_loss_of_ground_by_the_withdrawing_side(text, want):
    conflict = "ru-ua" if "Kyiv" in text else "nk"
    assert want in keys(text, conflict)


def test_ngo_reports_are_the_outlets_voice_and_revisions_are_separate():
    text = "Human Rights Watch first counted 9 civilian deaths in Barda; it later revised the toll to 14."
    k = keys(text)
    assert ("OUTLET", "AZE", "killed", "civilians", 9, "assert") in k
    assert any(x[4] == 14 and x[0] == "OUTLET" for x in k)


def test_live_blog_timestamps_and_day_heading():
    text = ("Wednesday, 30 September\n\n08:05 — Armenia's defence ministry says 15 Azerbaijani drones were shot down.\n\n"
            "10:20 — Baku denies the claim, saying it lost only two drones.")
    cs = claims(text)
    by = {(c.claimant_side, c.subject_side, c.category, c.value): c for c in cs}
    assert by[("ARM", "AZE", "drone", 15)].date == "2020-09-30"
    assert ("AZE", "AZE", "drone", 2) in by


def test_wire_dateline_and_state_media_verbs():
    text = ("BAKU, Oct 4 (Wire) - Azertac, citing Defence Ministry spokesman Vagif Dargahli, reported that 40 Armenian "
            "servicemen had been neutralised and three ammunition depots brought out of action.")
    cs = claims(text)
    k = {(c.claimant, c.subject_side, c.metric, c.category, c.value) for c in cs}
    assert ("AZE.MOD", "ARM", "killed", "personnel", 40) in k and ("AZE.MOD", "ARM", "destroyed", "depot", 3) in k
    assert all(c.date == "2020-10-04" for c in cs)
