"""UK Parliament Members API client: who holds each government and opposition post.

Endpoints (OpenAPI at https://members-api.parliament.uk/swagger/v1/swagger.json):
    GET /api/Posts/GovernmentPosts   -> [GovernmentOppositionPostItem]
    GET /api/Posts/OppositionPosts   -> [GovernmentOppositionPostItem]
Both answer a plain JSON array (no paging; the only parameter is an optional departmentId):
    [{"value": {"id", "name", "hansardName", "type", "postHolders": [
         {"member": {"value": {"id", "nameDisplayAs", ...}, "links": [...]},
          "startDate": "2024-07-05T00:00:00", "endDate": null, "layingMinisterName", "isPaid"}],
       "governmentDepartments": [...], "createdWhen", "order"},
      "links": [...]}, ...]
API post names are mapped to our office ids by the explicit table POST_TITLES below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import httpx

from westminster.errors import FetchError
from westminster.knowledge.offices import Holding

GOVERNMENT_POSTS_PATH = "/api/Posts/GovernmentPosts"
OPPOSITION_POSTS_PATH = "/api/Posts/OppositionPosts"
SOURCE = "members-api"

# The API answers these lists in about a second; 20 s allows a slow day without letting a cron
# job hang on a dead connection.
DEFAULT_TIMEOUT_S = 20.0
USER_AGENT = "westminster-insights (offices refresh)"

# Explicit mapping from the titles inside an API post name to our office ids. A post name can
# join several titles ("Lord President of the Council and Leader of the House of Commons",
# "Deputy Prime Minister and Secretary of State for Justice"); each title is matched whole,
# longest first, so "Shadow Chancellor of the Exchequer" and "Deputy Prime Minister" never
# count as the Chancellor or the Prime Minister. Older department names are kept so the table
# maps historical API rows too.
POST_TITLES: dict[str, str] = {
    "prime minister": "uk-prime-minister",
    "deputy prime minister": "uk-deputy-prime-minister",
    "first secretary of state": "uk-first-secretary-of-state",
    "chancellor of the exchequer": "uk-chancellor",
    "chief secretary to the treasury": "uk-chief-secretary-treasury",
    "secretary of state for foreign, commonwealth and development affairs": "uk-foreign-secretary",
    "secretary of state for foreign and commonwealth affairs": "uk-foreign-secretary",
    "foreign secretary": "uk-foreign-secretary",
    "secretary of state for the home department": "uk-home-secretary",
    "home secretary": "uk-home-secretary",
    "secretary of state for defence": "uk-defence-secretary",
    "lord chancellor": "uk-justice-secretary",
    "secretary of state for justice": "uk-justice-secretary",
    "secretary of state for health and social care": "uk-health-secretary",
    "secretary of state for health": "uk-health-secretary",
    "secretary of state for education": "uk-education-secretary",
    "secretary of state for children, schools and families": "uk-education-secretary",
    "secretary of state for education and skills": "uk-education-secretary",
    "secretary of state for education and employment": "uk-education-secretary",
    "secretary of state for work and pensions": "uk-work-pensions-secretary",
    "secretary of state for social security": "uk-work-pensions-secretary",
    "secretary of state for business and trade": "uk-business-secretary",
    "secretary of state for business, energy and industrial strategy": "uk-business-secretary",
    "secretary of state for business, innovation and skills": "uk-business-secretary",
    "secretary of state for business, enterprise and regulatory reform": "uk-business-secretary",
    "secretary of state for trade and industry": "uk-business-secretary",
    "secretary of state for international trade": "uk-international-trade-secretary",
    "secretary of state for energy security and net zero": "uk-energy-secretary",
    "secretary of state for energy and climate change": "uk-energy-secretary",
    "secretary of state for environment, food and rural affairs": "uk-environment-secretary",
    "secretary of state for transport": "uk-transport-secretary",
    "secretary of state for housing, communities and local government": "uk-housing-secretary",
    "secretary of state for levelling up, housing and communities": "uk-housing-secretary",
    "secretary of state for communities and local government": "uk-housing-secretary",
    "secretary of state for culture, media and sport": "uk-culture-secretary",
    "secretary of state for digital, culture, media and sport": "uk-culture-secretary",
    "secretary of state for science, innovation and technology": "uk-science-secretary",
    "secretary of state for innovation, universities and skills": "uk-science-secretary",
    "secretary of state for scotland": "uk-scotland-secretary",
    "secretary of state for wales": "uk-wales-secretary",
    "secretary of state for northern ireland": "uk-northern-ireland-secretary",
    "secretary of state for international development": "uk-international-development-secretary",
    "chancellor of the duchy of lancaster": "uk-chancellor-duchy-lancaster",
    "minister for the cabinet office": "uk-minister-cabinet-office",
    "leader of the house of commons": "uk-leader-commons",
    "leader of the house of lords": "uk-leader-lords",
    "attorney general": "uk-attorney-general",
    "parliamentary secretary to the treasury": "uk-chief-whip",
    "chief whip": "uk-chief-whip",
    "government chief whip": "uk-chief-whip",
    "leader of the opposition": "uk-leader-opposition",
    "leader of his majesty's official opposition": "uk-leader-opposition",
    "leader of her majesty's official opposition": "uk-leader-opposition",
}

# A title counts only when it stands alone in the post name: at the start or after a comma,
# "and" or "(", and followed by the end, a comma, "and" or ")".
_BEFORE = r"(?:^|,\s*|\band\s+|\()"
_AFTER = r"(?=$|\s*,|\s+and\b|\s*\))"
_TITLE_PATTERNS = [
    (re.compile(_BEFORE + re.escape(title) + _AFTER), office_id)
    for title, office_id in sorted(POST_TITLES.items(), key=lambda kv: -len(kv[0]))
]
# Courtesy and honorific parts of nameDisplayAs that the office table leaves out.
_NAME_TITLES = re.compile(r"^(?:(?:the\s+)?rt\.?\s+hon\.?|sir|dame|mr|mrs|ms|miss|dr)\s+", re.I)
_NAME_SUFFIXES = re.compile(r"\s+(?:mp|kc|qc|kcb|cbe|obe)$", re.I)


@dataclass(frozen=True)
class PostHolder:
    """One holder of one API post, as the API gives it."""

    post_id: int
    post_name: str
    member_id: int
    display_name: str
    start: date
    end: date | None


@dataclass(frozen=True)
class ApiPost:
    """One government or opposition post and its holders."""

    id: int
    name: str
    holders: tuple[PostHolder, ...] = ()


@dataclass(frozen=True)
class FetchedPosts:
    """What one refresh fetched: holdings mapped to our offices and the post names left aside."""

    holdings: tuple[Holding, ...]
    unmapped_posts: tuple[str, ...]
    posts_seen: int


def normalise_post_name(name: str) -> str:
    """Lower case, "&" as "and", one space: the form POST_TITLES is written in."""
    text = name.lower().replace("&", " and ").replace("’", "'")
    return re.sub(r"\s+", " ", text).strip()


def offices_for_post(name: str) -> tuple[str, ...]:
    """Our office ids for an API post name (none for posts outside the table)."""
    text = normalise_post_name(name)
    found: list[str] = []
    for pattern, office_id in _TITLE_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        # Cut the matched title out, leaving a comma so the titles beside it keep their boundary
        # and a shorter title cannot match inside it again.
        text = text[: match.start()] + ", " + text[match.end() :]
        if office_id not in found:
            found.append(office_id)
    return tuple(found)


def clean_display_name(name: str) -> str:
    """ "Rt Hon Sir Keir Starmer MP" -> "Keir Starmer"; peers keep their title name."""
    text = " ".join(name.split())
    while (stripped := _NAME_SUFFIXES.sub("", _NAME_TITLES.sub("", text))) != text:
        text = stripped
    return text


def make_client(timeout: float = DEFAULT_TIMEOUT_S) -> httpx.Client:
    """An httpx client with the timeout and headers the refresh uses."""
    return httpx.Client(
        timeout=timeout,
        headers={"Accept": "application/json", "User-Agent": USER_AGENT},
        follow_redirects=True,
    )


def _bad_format(url: str, detail: str) -> FetchError:
    return FetchError(
        f"response is not in the Members API format: {detail}",
        subject=url,
        fix="check that --api points at the UK Parliament Members API",
    )


def _get_json(client: httpx.Client, url: str) -> Any:
    try:
        response = client.get(url, timeout=DEFAULT_TIMEOUT_S)
    except httpx.HTTPError as exc:
        reason = str(exc) or type(exc).__name__
        raise FetchError(
            f"cannot reach the Members API ({reason})",
            subject=url,
            fix="check the network or --api / WESTMINSTER_PARLIAMENT_API",
        ) from exc
    if response.status_code != 200:
        raise FetchError(f"HTTP {response.status_code} from the Members API", subject=url)
    try:
        return response.json()
    except ValueError as exc:
        raise _bad_format(url, "the body is not JSON") from exc


def _field(obj: Any, key: str, kind: type | tuple[type, ...], url: str, where: str) -> Any:
    if not isinstance(obj, dict) or not isinstance(obj.get(key), kind):
        raise _bad_format(url, f"{where}.{key} is missing or of the wrong type")
    return obj[key]


def _date(value: Any, url: str, where: str) -> date:
    if not isinstance(value, str):
        raise _bad_format(url, f"{where} is not a date string")
    try:
        return datetime.fromisoformat(value).date()
    except ValueError as exc:
        raise _bad_format(url, f"{where} {value!r} is not an ISO date") from exc


def _holder(holder: Any, post: ApiPost, url: str, where: str) -> PostHolder:
    member = _field(_field(holder, "member", dict, url, where), "value", dict, url, where)
    end = holder.get("endDate")
    return PostHolder(
        post_id=post.id,
        post_name=post.name,
        member_id=_field(member, "id", int, url, f"{where}.member.value"),
        display_name=_field(member, "nameDisplayAs", str, url, f"{where}.member.value"),
        start=_date(holder.get("startDate"), url, f"{where}.startDate"),
        end=None if end is None else _date(end, url, f"{where}.endDate"),
    )


def parse_posts(payload: Any, url: str) -> list[ApiPost]:
    """Posts and holders from a GovernmentPosts/OppositionPosts body; FetchError if not one."""
    if not isinstance(payload, list):
        raise _bad_format(
            url, f"expected a JSON array of posts, got a JSON {type(payload).__name__}"
        )
    posts: list[ApiPost] = []
    for n, item in enumerate(payload):
        value = _field(item, "value", dict, url, f"[{n}]")
        post = ApiPost(
            id=_field(value, "id", int, url, f"[{n}].value"),
            name=_field(value, "name", str, url, f"[{n}].value"),
        )
        holders = value.get("postHolders") or []
        if not isinstance(holders, list):
            raise _bad_format(url, f"[{n}].value.postHolders is not a list")
        where = f"[{n}].value.postHolders"
        found = tuple(_holder(h, post, url, f"{where}[{k}]") for k, h in enumerate(holders))
        posts.append(replace(post, holders=found))
    return posts


def fetch_posts(client: httpx.Client, base_url: str, path: str) -> list[ApiPost]:
    """Every post one endpoint lists, with its holders."""
    url = base_url.rstrip("/") + path
    return parse_posts(_get_json(client, url), url)


def fetch_uk_holdings(client: httpx.Client, base_url: str) -> FetchedPosts:
    """Government and opposition post holders, as holdings of our UK offices."""
    holdings: list[Holding] = []
    unmapped: list[str] = []
    seen = 0
    for path in (GOVERNMENT_POSTS_PATH, OPPOSITION_POSTS_PATH):
        for post in fetch_posts(client, base_url, path):
            seen += 1
            office_ids = offices_for_post(post.name)
            if not office_ids:
                unmapped.append(post.name)
            for holder, office_id in ((h, o) for h in post.holders for o in office_ids):
                if holder.end is not None and holder.end <= holder.start:
                    continue  # a same-day correction in the API: no day in office
                holdings.append(
                    Holding(
                        office_id=office_id,
                        person=clean_display_name(holder.display_name),
                        start=holder.start,
                        end=holder.end,
                        parliament_id=holder.member_id,
                        source=SOURCE,
                    )
                )
    return FetchedPosts(tuple(holdings), tuple(sorted(set(unmapped))), seen)
