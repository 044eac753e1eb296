"""In-body boilerplate: promotional, navigation and credit lines that extractors keep.

Every rule is a pattern on a *short* line. A real paragraph that merely mentions subscribing or
following runs longer than a call to action and does not start like one, so it stays. Each
threshold below says where its value came from; `westminster eval extraction` measures them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from westminster.clean.outlet_filter import OutletLineFilter
from westminster.models import RemovedLine

# A call to action is a button or a banner. The seed's longest promotional line has 7 words;
# the longest ones seen in the readability and trafilatura test pages ("Sign up to our free
# newsletter to get the latest politics news straight to your inbox") run to about 16. News
# paragraphs that mention subscribing are longer, so 20 words is the ceiling for the CTA rules.
CTA_MAX_WORDS = 20

# A bare label ("Related", "Most read", "Advertisement", "Share this article") has a handful of
# words; above 8 a line starting "More from" or "Related" is usually a sentence.
LABEL_MAX_WORDS = 8

# Share prompts come with the platform and a screen-reader note: WordPress's "Click to share on
# Twitter (Opens in new window)" has 9 words.
SHARE_MAX_WORDS = 12

# "Read more: <linked headline>" carries a whole headline after the label; headlines in the test
# pages stay under 25 words.
LINKED_HEADLINE_MAX_WORDS = 25

# Cookie and consent notices are sentences ("We use cookies to ... By continuing ...") but start
# in a fixed way; 60 words covers the long ones without reaching a real paragraph's length.
CONSENT_MAX_WORDS = 60

# Picture credits are a name or an agency ("Image: PA Wire", "Photo: Getty Images/AFP").
CREDIT_MAX_WORDS = 10

# Duplicate detection only looks at banner-like lines: short, no sentence-ending punctuation,
# mostly capitalised words (the seed's "Subscribe To Our Free Westminster Update Email"). Real
# text repeats on purpose (pull quotes, captions, refrains, code, the lorem-ipsum fixtures of
# the readability test pages), and dropping those copies cost up to 0.7 shingle F1 per page
# there, so sentences and long lines are never dropped as copies.
BANNER_MIN_WORDS = 4  # shorter labels ("Watch", "Yes") repeat legitimately
BANNER_MAX_WORDS = 12  # the seed's banners have 7 words; headline-length lines stay below 12
# Share of alphabetic words in Title Case (capital then lower case): 1.0 on the seed's banners;
# running page headers ("Internet-Draft remoteStorage December 2014", 0.67) and German
# sentences (nouns capitalised, about 0.4) stay below 0.75.
BANNER_CAPITALISED_SHARE = 0.75

# Word-sequence similarity at or above which a banner is a near-copy of an earlier one. The
# seed's pair differs in one word of seven (ratio 0.857). At 0.8, five-word headings differing in
# their last word ("Coinbase vs. Coinbase Pro: Fees/Features" in trafilatura-eval) went too.
NEAR_DUPLICATE_RATIO = 0.85

_BULLET = re.compile(r"^\s*(?:[-*•·▪►>]|\d+[.)])\s+")
_WORD = re.compile(r"\w+")
# Lines of tables and lists repeat by nature (opening hours, results); duplicate rules skip them.
_TABLE_OR_LIST = re.compile(r"^\s*(?:[-*•·▪]\s|\|)|\s\|\s")
_SENTENCE_END = re.compile(r"[.!?;,:…\"'”’)]$")

_PLATFORMS = (
    r"(?:twitter|x|facebook|instagram|linkedin|threads|bluesky|tiktok|youtube|whatsapp|"
    r"telegram|mastodon|flipboard|google news|apple news)"
)


@dataclass(frozen=True)
class _Rule:
    """One pattern over a short line and the reason a reader is shown when it fires."""

    reason: str
    pattern: re.Pattern[str]
    max_words: int


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_RULES: tuple[_Rule, ...] = (
    _Rule(
        "subscription call to action",
        # imperative at the start, optionally after a short label ("Get Expert Analysis: ...");
        # "Register of Members' Interests" is parliamentary content, not a call to action
        _rx(r"^(?:[\w'’ ]{1,40}:\s*)?(?:subscribe|sign[ -]?up|register(?! of\b))\b"),
        CTA_MAX_WORDS,
    ),
    _Rule(
        "subscription call to action",
        _rx(
            r"\b(?:our|free)\s+(?:[\w-]+\s+){0,3}newsletters?\b"
            r"|\bnewsletters?\b.{0,60}\b(?:sign up|subscribe|inbox)\b"
            r"|\b(?:sign up|subscribe)\b.{0,60}\bnewsletters?\b"
            r"|\b(?:straight|direct(?:ly)?|delivered) (?:in)?to your inbox\b"
            r"|^(?:already a subscriber|become a (?:member|subscriber)"
            r"|unlock (?:this|full|unlimited))"
        ),
        CTA_MAX_WORDS,
    ),
    _Rule(
        "follow-us call to action",
        _rx(
            rf"^(?:follow|join|find) us\b|^like us on\b|^follow @\w+"
            rf"|^follow\b[\w .'’-]{{1,40}}\bon {_PLATFORMS}\b"
            rf"|^(?:join|get) (?:the conversation|our {_PLATFORMS}|us on {_PLATFORMS})"
        ),
        CTA_MAX_WORDS,
    ),
    _Rule(
        "related-content link",
        # a label followed by a linked headline ("Read more: ...", "Related: ...")
        _rx(
            r"^(?:read more|read next|read also|also read|more on this(?: story)?|related"
            r"(?: articles?| stories| content| coverage| reading)?|see also|most read|"
            r"watch|listen)\s*[:|–—]\s*\S"
        ),
        LINKED_HEADLINE_MAX_WORDS,
    ),
    _Rule(
        "related-content link",
        # a bare label heading a block of links
        _rx(
            r"^(?:read more|read next|read also|also read|more on this(?: story)?|more from"
            r"(?: [\w'’]+){1,3}(?=\s*[:…]?$)|most (?:read|popular|viewed|shared|commented)|related"
            r"(?: articles?| stories| content| coverage| topics| reading| news)?|recommended"
            r"(?: for you| reading| stories| articles)?|see also|you (?:may|might) (?:also )?"
            r"(?:like|enjoy|be interested in)|trending(?: now| stories)?|top stories|"
            r"editor'?s picks|in other news|more stories|latest (?:news|stories))\s*[:.…]?$"
        ),
        LABEL_MAX_WORDS,
    ),
    _Rule(
        "share prompt",
        _rx(
            rf"^(?:share|tweet|email|print|copy link)(?: (?:this|the))?(?: (?:article|story|page|"
            rf"post|link))?(?: (?:on|via|with) (?:{_PLATFORMS}|email|friends)\b.*)?\s*:?$"
            r"|^click to (?:share|print|email)\b|^share (?:this|on|via)\b"
        ),
        SHARE_MAX_WORDS,
    ),
    _Rule(
        "advertisement label",
        _rx(
            r"^(?:advertisement|advertising|advert|ads?|sponsored(?: content| post| links?)?|"
            r"promoted(?: content| stories)?|paid (?:content|post|partnership)|partner content|"
            r"(?:story|article) continues below(?: this)?(?: advertisement| advert| ad)?|"
            r"continue reading (?:below|the main story)|scroll (?:down )?to continue(?: reading)?|"
            r"skip (?:advert|advertisement|ad))\W*$"
        ),
        LABEL_MAX_WORDS,
    ),
    _Rule(
        "cookie or consent notice",
        _rx(
            r"^(?:we(?: and our partners)? use cookies|this (?:web)?site uses cookies|"
            r"by (?:using|continuing to (?:use|browse))(?: this| our)? (?:site|website)|"
            r"(?:accept|reject|manage)(?: all)? cookies|cookie (?:policy|settings|preferences|"
            r"notice|consent)|we value your privacy|manage (?:your )?(?:privacy|consent) "
            r"(?:settings|preferences))"
        ),
        CONSENT_MAX_WORDS,
    ),
    _Rule(
        "image credit",
        _rx(
            r"^\(?\s*(?:(?:image|photo(?:graph)?|picture|pic)s?(?: (?:credit|by))?"
            r"|credit|©|\(c\))\s*[:©]\s*[^.!?]{1,80}\)?$"
            r"|^\(?(?:getty images|pa(?: media| wire| images)?|reuters|afp(?: via getty images)?"
            r"|ap(?: photo)?|shutterstock|alamy(?: stock photo)?|epa(?:-efe)?)\)?$"
        ),
        CREDIT_MAX_WORDS,
    ),
)


def _words(line: str) -> list[str]:
    return _WORD.findall(line.lower())


def _rule_reason(line: str) -> str | None:
    """The reason of the first pattern rule that fires on this (short) line, if any."""
    core = _BULLET.sub("", line).strip()
    n_words = len(core.split())
    for rule in _RULES:
        if n_words <= rule.max_words and rule.pattern.search(core):
            return rule.reason
    return None


def _is_banner(line: str) -> bool:
    """A short, capitalised, unpunctuated line: the shape of a promotional banner."""
    if _TABLE_OR_LIST.search(line) or _SENTENCE_END.search(line):
        return False
    words = line.split()
    if not BANNER_MIN_WORDS <= len(words) <= BANNER_MAX_WORDS:
        return False
    alphabetic = [w for w in words if w[0].isalpha()]
    # Title Case, not ALL CAPS: upper-case runs are code and SQL keywords more often than banners
    capitalised = sum(1 for w in alphabetic if w[0].isupper() and not w.isupper())
    return bool(alphabetic) and capitalised / len(alphabetic) >= BANNER_CAPITALISED_SHARE


class _DuplicateTracker:
    """Remembers the banners seen so far and says whether a new one copies an earlier one."""

    def __init__(self) -> None:
        self._seen: list[list[str]] = []

    def check(self, line: str) -> str | None:
        if not _is_banner(line):
            return None
        words = _words(line)
        numbers = [w for w in words if w.isdigit()]
        for earlier in self._seen:
            if earlier == words:
                return "repeat of an earlier line"
            if numbers != [w for w in earlier if w.isdigit()]:
                continue  # dated or numbered entries ("Termin: 29.02.2020") differ on purpose
            matcher = SequenceMatcher(None, earlier, words, autojunk=False)
            if (
                matcher.real_quick_ratio() >= NEAR_DUPLICATE_RATIO
                and matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO
                and matcher.ratio() >= NEAR_DUPLICATE_RATIO
            ):
                return "near-duplicate of an earlier line"
        self._seen.append(words)
        return None


def remove_boilerplate(
    text: str,
    *,
    outlet: str | None = None,
    outlet_filter: OutletLineFilter | None = None,
) -> tuple[str, tuple[RemovedLine, ...]]:
    """Drop in-body boilerplate lines; return the kept text and each removed line with a reason."""
    kept: list[str] = []
    removed: list[RemovedLine] = []
    duplicates = _DuplicateTracker()
    dropped_last = False
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            # a blank line left behind by a removal would double the paragraph break
            if not (dropped_last and (not kept or not kept[-1].strip())):
                kept.append(line)
            continue
        reason = _rule_reason(stripped)
        if (
            reason is None
            and outlet
            and outlet_filter
            and outlet_filter.is_boilerplate(outlet, stripped)
        ):
            reason = f"learned boilerplate for outlet {outlet}"
        # every banner, kept or not, counts as "earlier" for later copies
        duplicate = duplicates.check(stripped)
        reason = reason or duplicate
        dropped_last = reason is not None
        if reason is None:
            kept.append(line)
        else:
            removed.append(RemovedLine(text=stripped, reason=reason))
    return "\n".join(kept), tuple(removed)
