"""remove_boilerplate: each rule fires on boilerplate and leaves real paragraphs alone."""

from __future__ import annotations

import pytest

from westminster.clean import OutletLineFilter, remove_boilerplate

REAL = "The prime minister said the government would not be deflected from its plans."


def removed_reasons(text: str) -> list[str]:
    return [r.reason for r in remove_boilerplate(text)[1]]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Get Expert Analysis: Subscribe To Westminster Insights", "subscription"),
        ("Sign up to our free newsletter to get the latest politics news straight to your inbox",
         "subscription"),
        ("Already a subscriber? Log in", "subscription"),
        ("Follow us on Twitter", "follow"),
        ("Follow The Times on Facebook", "follow"),
        ("Read more: Starmer to meet Biden in Washington", "related"),
        ("Related: Rich are paying more in taxes", "related"),
        ("Most Read", "related"),
        ("More from Politics", "related"),
        ("Share this article", "share"),
        ("Click to share on Twitter (Opens in new window)", "share"),
        ("Share on Facebook", "share"),
        ("Advertisement", "advertisement"),
        ("Sponsored content", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("We use cookies to give you the best experience on our website.", "cookie"),
        ("Image: PA Wire", "image credit"),
        ("(Credit: Clayton Aldern / Grist)", "image credit"),
        ("Getty Images", "image credit"),
    ],
)  # fmt: skip
def test_boilerplate_line_is_removed_with_reason(line: str, reason: str) -> None:
    text, removed = remove_boilerplate(f"{REAL}\n{line}\n{REAL} Again.")
    assert [r.text for r in removed] == [line]
    assert reason in removed[0].reason
    assert line not in text.split("\n")


@pytest.mark.parametrize(
    "line",
    [
        # real sentences that merely mention the trigger words
        "Millions of households subscribe to streaming services, the regulator said, and many "
        "of them will now pay more after the chancellor's decision to extend VAT to them.",
        "Registered voters will receive a polling card before the election.",
        "Share prices fell by 3% after the announcement.",
        "Follow the money, the committee chair told MPs.",
        "She said people would follow the guidance if ministers explained it clearly.",
        "Advertising rules for junk food will be tightened next year, the minister said.",
        "Photographs of the meeting were released by Downing Street on Tuesday evening, "
        "showing the two leaders in the Oval Office.",
        "Related reforms were announced by the Treasury on Wednesday.",
        "Watch this space, the minister said.",
    ],
)
def test_real_paragraphs_stay(line: str) -> None:
    text = f"{REAL}\n{line}"
    assert remove_boilerplate(text) == (text, ())


def test_near_duplicate_banner_keeps_first() -> None:
    first = "Our Free Westminster Update Email Every Day"
    text = f"{first}\nA paragraph.\nOur Free Westminster Update Mail Every Day"
    kept, removed = remove_boilerplate(text)
    assert kept == f"{first}\nA paragraph."
    assert [r.reason for r in removed] == ["near-duplicate of an earlier line"]


def test_exact_repeat_of_banner() -> None:
    text = "Coverage Of The Spending Review\nA paragraph.\nCoverage Of The Spending Review"
    assert removed_reasons(text) == ["repeat of an earlier line"]


def test_repeated_sentences_code_and_dated_entries_stay() -> None:
    text = "\n".join(
        [
            REAL,
            REAL,  # a pull quote repeating a sentence is content, not a banner
            "ROWS BETWEEN 60 PRECEDING AND CURRENT ROW",
            "ROWS BETWEEN 60 PRECEDING AND CURRENT ROW",
            "E-Mail Eines Mandanten, November 2015",
            "E-Mail Eines Mandanten, September 2014",
            "Monday | 10:00 | 18:00 | Open",
            "Tuesday | 10:00 | 18:00 | Open",
            "Faces Places is streaming on Netflix and available to rent on Google Play.",
            "Princess Cyd is streaming on Netflix and available to rent on Google Play.",
        ]
    )
    assert remove_boilerplate(text) == (text, ())


def test_blank_line_left_by_removal_is_collapsed() -> None:
    text = f"{REAL}\n\nAdvertisement\n\n{REAL} Two."
    kept, _ = remove_boilerplate(text)
    assert kept == f"{REAL}\n\n{REAL} Two."


def test_bulleted_share_links() -> None:
    assert removed_reasons("Text.\n- Share on Facebook\n- Share on Twitter") == [
        "share prompt",
        "share prompt",
    ]


def test_learned_outlet_lines() -> None:
    learned = OutletLineFilter(min_articles=2, min_fraction=0.5)
    for i in range(4):
        learned.observe(
            "Daily Bugle", str(i), ["Bugle journalism is funded by readers", f"Body {i}x"]
        )
    text = f"{REAL}\nBugle journalism is funded by readers"
    kept, removed = remove_boilerplate(text, outlet="Daily Bugle", outlet_filter=learned)
    assert kept == REAL
    assert removed[0].reason == "learned boilerplate for outlet Daily Bugle"
    # another outlet has learned nothing
    assert remove_boilerplate(text, outlet="Other", outlet_filter=learned) == (text, ())


@pytest.mark.parametrize(
    "line",
    [
        "Register of Members' Interests shows he received £20,000.",
        "The newsletter will get a new editor, the party said.",
        "More from the minister.",
    ],
)
def test_short_real_sentences_near_the_rules_stay(line: str) -> None:
    text = f"{REAL}\n{line}"
    assert remove_boilerplate(text) == (text, ())
