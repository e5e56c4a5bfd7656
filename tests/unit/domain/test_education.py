"""The short reads, and a check of every text a person reads for words that make people afraid
to move (NICE NG59 asks for reassuring self-management advice)."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from backcoach.catalog import load_education
from backcoach.domain.education import topic_for_day, topics_from_dict
from backcoach.domain.errors import InvalidCatalog

# Words and phrases that tell a person their back is damaged or fragile. Clinician-only text
# (templates/clinician/, comments in thresholds.yaml) may use technical terms.
FEARFUL = [r"\bdamag", r"degenerat", r"wear and tear", r"crumbl", r"slipped dis[ck]", r"\bfragile",
           r"the very thing we want to avoid", r"severe weakness", r"trendelenburg", r"protect your back",
           r"\bnever bend", r"out of place", r"\bbroken\b", r"\bruin"]
PACKAGE = resources.files("backcoach")


def person_facing_texts() -> list[tuple[str, str]]:
    texts = []
    for folder in ("web/templates", "catalog"):
        root = PACKAGE.joinpath(folder)
        stack = [root]
        while stack:
            node = stack.pop()
            for child in node.iterdir():
                if child.is_dir():
                    if child.name not in ("clinician",):
                        stack.append(child)
                elif child.name.endswith((".html", ".yaml", ".json")) and child.name != "thresholds.yaml":
                    texts.append((f"{folder}/{child.name}", child.read_text(encoding="utf-8")))
    return texts


def test_the_first_weeks_get_the_five_topics_in_order():
    topics = load_education()
    assert [t.id for t in topics] == ["back_pain_basics", "staying_active", "soreness", "flare_up_plan",
                                      "when_to_seek_help"]
    assert topic_for_day(topics, -1) is None
    assert topic_for_day(topics, 0).id == "back_pain_basics"
    assert topic_for_day(topics, 5).id == "soreness"
    assert topic_for_day(topics, 30).id == "when_to_seek_help"
    assert all(2 <= len(" ".join(t.body).split(".")) <= 12 for t in topics)  # a few sentences each


def test_the_help_topic_names_the_emergency_signs_and_says_we_do_not_replace_a_clinician():
    text = " ".join(next(t for t in load_education() if t.id == "when_to_seek_help").body)
    for words in ("passing urine", "bowels", "numbness around your bottom", "emergency", "does not replace"):
        assert words in text


def test_topics_are_read_strictly():
    with pytest.raises(InvalidCatalog):
        topics_from_dict({"topics": [{"id": "a", "day": 0, "title": "A"}]})
    with pytest.raises(InvalidCatalog):
        topics_from_dict({"topics": [{"id": "a", "day": 0, "title": "A", "body": ["x"]}] * 2})


@pytest.mark.parametrize("pattern", FEARFUL)
def test_no_person_facing_text_uses_fearful_words(pattern):
    hits = [(name, m.group(0)) for name, text in person_facing_texts()
            for m in re.finditer(pattern, text, re.IGNORECASE)]
    assert hits == []


def test_the_fear_check_finds_a_planted_word():
    """The check itself works: a text with a fearful word is caught."""
    assert re.search(FEARFUL[0], "this could damage your spine", re.IGNORECASE)
    assert len(person_facing_texts()) > 20
