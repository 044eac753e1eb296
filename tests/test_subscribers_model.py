"""Preferences, addresses and signed tokens: validation with messages that name the input."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from westminster.delivery.addresses import normalise_email
from westminster.delivery.errors import AddressError, TokenError
from westminster.delivery.tokens import make_token, read_token
from westminster.models import Preferences, PreferencesError
from westminster.models.subscriber import (
    parse_send_time,
    preferences_from_dict,
    preferences_to_dict,
)

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_preferences_normalise_lists_and_round_trip() -> None:
    prefs = Preferences(
        topics=(" defence ", "Defence", ""),
        people=("Keir  Starmer",),
        queries=('"storm shadow" ukraine',),
        frequency="weekly",
        send_time=time(18, 15),
        timezone="America/New_York",
    )
    assert prefs.topics == ("defence",)  # trimmed, blanks and case-repeats dropped
    assert prefs.people == ("Keir Starmer",)
    assert not prefs.follows_everything and Preferences().follows_everything
    data = preferences_to_dict(prefs)
    assert data["send_time"] == "18:15" and data["timezone"] == "America/New_York"
    assert preferences_from_dict(data) == prefs
    assert preferences_from_dict({}) == Preferences()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone: 'Mars/Olympus_Mons' is not an IANA"),
        ({"timezone": "../etc/passwd"}, "timezone"),
        ({"frequency": "hourly"}, "frequency: 'hourly' is not one of immediate, daily, weekly"),
        ({"topics": "defence"}, "topics: give a list"),
        ({"topics": ("x" * 300,)}, "longer than 200"),
        ({"people": tuple(f"p{n}" for n in range(60))}, "at most 50"),
    ],
)
def test_bad_preferences_name_the_field(fields: dict[str, object], message: str) -> None:
    with pytest.raises(PreferencesError, match=message.replace("(", r"\(")):
        Preferences(**fields)  # type: ignore[arg-type]


def test_send_time_and_dict_errors() -> None:
    assert parse_send_time(" 07:30 ") == time(7, 30)
    with pytest.raises(PreferencesError, match="send_time: '25:00' is not a time"):
        parse_send_time("25:00")
    with pytest.raises(PreferencesError, match="unknown field 'colour'"):
        preferences_from_dict({"colour": "blue"})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Ann.Smith+news@Example.ORG ", "ann.smith+news@example.org"),
        ("bob@bücher.example", "bob@xn--bcher-kva.example"),
    ],
)
def test_addresses_are_normalised(raw: str, expected: str) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ann",
        "ann@",
        "@example.org",
        "ann@example",
        "ann@@example.org",
        "Ann <ann@example.org>",
        "ann@example.org\r\nBcc: victim@example.org",
        "a,b@example.org",
        "ann@-bad-.org",
        "ann..smith@example.org",
        "ann@127.0.0.1",
        "x" * 65 + "@example.org",
    ],
)
def test_bad_addresses_are_refused(raw: str) -> None:
    with pytest.raises(AddressError):
        normalise_email(raw)


def test_tokens_sign_purpose_and_expire() -> None:
    token = make_token("k1", "confirm", 7, "ann@example.org", now=NOW)
    claims = read_token("k1", "confirm", token, max_age_s=3600, now=NOW + timedelta(minutes=59))
    assert (claims.subscriber_id, claims.email, claims.issued_at) == (7, "ann@example.org", NOW)
    with pytest.raises(TokenError, match="has expired"):
        read_token("k1", "confirm", token, max_age_s=3600, now=NOW + timedelta(hours=2))
    with pytest.raises(TokenError, match="not valid"):
        read_token("k2", "confirm", token, max_age_s=None, now=NOW)  # another key
    with pytest.raises(TokenError, match="not valid"):
        read_token("k1", "unsubscribe", token, max_age_s=None, now=NOW)  # another purpose
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    with pytest.raises(TokenError, match="not valid"):
        read_token("k1", "confirm", tampered, max_age_s=None, now=NOW)
    with pytest.raises(TokenError, match="no token"):
        read_token("k1", "confirm", "  ", max_age_s=None, now=NOW)
