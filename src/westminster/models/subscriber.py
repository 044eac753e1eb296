"""Subscribers to the email briefings: who they are, what they follow and when they want it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SubscriberStatus = Literal["pending", "active", "paused", "unsubscribed"]
Frequency = Literal["immediate", "daily", "weekly"]

STATUSES: tuple[SubscriberStatus, ...] = get_args(SubscriberStatus)
FREQUENCIES: tuple[Frequency, ...] = get_args(Frequency)

# The morning briefing's customary time, in the capital's time zone.
DEFAULT_SEND_TIME = time(7, 0)
DEFAULT_TIMEZONE = "Europe/London"

# Bounds on what one subscriber may follow, so a preferences form cannot store megabytes.
MAX_FOLLOWED = 50
MAX_FOLLOW_LENGTH = 200


PREFERENCE_FIELDS = ("topics", "people", "queries", "frequency", "send_time", "timezone")


class PreferencesError(ValueError):
    """A preference has a bad value (names the field and the value)."""


def _clean_list(field: str, values: tuple[str, ...]) -> tuple[str, ...]:
    """Stripped, non-empty, de-duplicated (first kept) values; refuses oversize lists."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in values:
        if not isinstance(raw, str):
            raise PreferencesError(f"{field}: {raw!r} is not text")
        value = " ".join(raw.split())
        if not value:
            continue
        if len(value) > MAX_FOLLOW_LENGTH:
            raise PreferencesError(f"{field}: {value[:40]!r}… is longer than {MAX_FOLLOW_LENGTH}")
        if value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    if len(out) > MAX_FOLLOWED:
        raise PreferencesError(f"{field}: at most {MAX_FOLLOWED} entries, not {len(out)}")
    return tuple(out)


def check_timezone(name: str) -> ZoneInfo:
    """The IANA time zone of that name; PreferencesError when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PreferencesError(
            f"timezone: {name!r} is not an IANA time zone (e.g. Europe/London)"
        ) from None


@dataclass(frozen=True)
class Preferences:
    """What a subscriber follows and when; no topics, people or queries means everything."""

    topics: tuple[str, ...] = ()
    people: tuple[str, ...] = ()  # entity keys ("person:keir-starmer") or names ("Keir Starmer")
    queries: tuple[str, ...] = ()  # keyword queries: words and "quoted phrases", all must match
    frequency: Frequency = "daily"
    send_time: time = DEFAULT_SEND_TIME  # local time of day the daily/weekly mail is due
    timezone: str = DEFAULT_TIMEZONE  # IANA name, e.g. "Europe/London"

    def __post_init__(self) -> None:
        """Normalise the lists and refuse bad values with a message naming the field."""
        for name in ("topics", "people", "queries"):
            value = getattr(self, name)
            if isinstance(value, str):
                raise PreferencesError(f"{name}: give a list of values, not one string")
            object.__setattr__(self, name, _clean_list(name, tuple(value)))
        if self.frequency not in FREQUENCIES:
            raise PreferencesError(
                f"frequency: {self.frequency!r} is not one of {', '.join(FREQUENCIES)}"
            )
        if not isinstance(self.send_time, time) or self.send_time.tzinfo is not None:
            raise PreferencesError(f"send_time: {self.send_time!r} is not a local time of day")
        check_timezone(self.timezone)

    @property
    def follows_everything(self) -> bool:
        """True when no topic, person or query narrows what the subscriber gets."""
        return not (self.topics or self.people or self.queries)

    @property
    def zone(self) -> ZoneInfo:
        """The subscriber's time zone."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Subscriber:
    """One email address and its subscription state."""

    id: int
    email: str  # normalised: trimmed, lower case
    status: SubscriberStatus
    preferences: Preferences
    created_at: datetime
    confirmed_at: datetime | None = None
    updated_at: datetime | None = None
    paused_reason: str | None = None  # why delivery stopped (a permanent SMTP failure)


def preferences_to_dict(preferences: Preferences) -> dict[str, object]:
    """Preferences as a JSON-ready object (the stored and the web form's shape)."""
    return {
        "topics": list(preferences.topics),
        "people": list(preferences.people),
        "queries": list(preferences.queries),
        "frequency": preferences.frequency,
        "send_time": preferences.send_time.strftime("%H:%M"),
        "timezone": preferences.timezone,
    }


def parse_send_time(text: str) -> time:
    """A local time of day from "HH:MM" (24-hour); PreferencesError otherwise."""
    try:
        parsed = time.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise PreferencesError(f"send_time: {text!r} is not a time of day (HH:MM)") from None
    if parsed.tzinfo is not None:
        raise PreferencesError(f"send_time: {text!r} must not carry a UTC offset")
    return parsed.replace(second=0, microsecond=0)


def preferences_from_dict(data: object) -> Preferences:
    """Preferences back from `preferences_to_dict`'s shape; missing keys take defaults."""
    if not isinstance(data, dict):
        raise PreferencesError("preferences: expected an object")
    unknown = sorted(
        set(data) - {"topics", "people", "queries", "frequency", "send_time", "timezone"}
    )
    if unknown:
        raise PreferencesError(f"preferences: unknown field {unknown[0]!r}")
    lists = {}
    for name in ("topics", "people", "queries"):
        value = data.get(name, [])
        if not isinstance(value, list | tuple):
            raise PreferencesError(f"{name}: give a list of values")
        lists[name] = tuple(value)
    send_time = data.get("send_time")
    return Preferences(
        **lists,
        frequency=data.get("frequency", "daily"),
        send_time=DEFAULT_SEND_TIME if send_time is None else parse_send_time(str(send_time)),
        timezone=str(data.get("timezone", DEFAULT_TIMEZONE)),
    )
