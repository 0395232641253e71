"""A guarded pattern finds what the pattern finds: the look-ahead only turns away starting
positions no match can have."""

import random
import re

import pytest

from xxgk.extractors import legacy, narrative
from xxgk.extractors.guard import first_characters, guarded
from xxgk.samples.figures import random_report
from xxgk.samples.legacy import build_legacy_layout, random_legacy
from xxgk.samples.narrative import narrative as narrative_sentences

SUBJECTS = (*legacy.PROSE_SUBJECTS, *narrative.SUBJECTS, *narrative.ACTIVE_SUBJECTS)


def prose() -> list[str]:
    """The prose of generated legacy reports in every phrasing, and template narratives."""
    texts = [getattr(block, "text", "") for phrasing in range(6)
             for block in build_legacy_layout(random_legacy(random.Random(phrasing)), phrasing=phrasing).blocks]
    return [text for text in texts if text] + narrative_sentences(random_report(random.Random(7)))


def test_the_guard_looks_for_the_characters_a_match_can_start_with():
    assert guarded(re.compile(r"(?<!申请)(?:主动)?公开")).pattern == "(?=[主公])(?:(?<!申请)(?:主动)?公开)"


def test_a_class_and_a_digit_class_guard_as_they_are():
    assert guarded(re.compile(r"(?:为)?[0-9]+|\d件")).pattern.startswith(r"(?=[0-9\d为])")


def test_the_characters_words_start_with_are_listed():
    assert first_characters(re.compile(r"(?<!申请)(?:主动)?公开|新闻发布会")) == frozenset("主公新")


def test_a_class_lists_no_characters():
    assert first_characters(re.compile(r"\d件|为")) is None


UNGUARDED = (r".公开", r"[^，]公开", r"(?:主动)?", r"(?i:a)bc", r"(?=公开)", r"(?>公开)", r"(?m)^公开")


@pytest.mark.parametrize("pattern", UNGUARDED)
def test_a_pattern_that_may_start_anywhere_or_with_nothing_or_flagged_inside_is_left_as_it_is(pattern):
    compiled = re.compile(pattern)
    assert guarded(compiled) is compiled


@pytest.mark.parametrize("subject", SUBJECTS, ids=lambda subject: subject.key)
def test_every_prose_subject_is_guarded_and_finds_the_same_matches(subject):
    fast = subject.fast
    assert fast is not subject.pattern
    for text in prose():
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in subject.pattern.finditer(text)]
