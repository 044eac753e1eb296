"""Money: "£600 million", "£3bn", "US$5 billion", "5 million pounds", "50p", "c $ 16.4 million".

Values are normalised to the main unit of an ISO 4217 currency: "£600 million" -> 600000000
GBP; pence and cents are divided by 100 ("50p" -> 0.5 GBP, "50 cents" -> 0.5 USD). A bare "$"
is read as US dollars; a generic "francs" as Swiss francs (the franc still in use). "pounds"
after a number is money unless weight words sit just before it ("weighs 25 pounds") and no
scale word ("million") is attached.
"""

from __future__ import annotations

import re

from westminster.models import Figure
from westminster.nlp.figures.context import build_figure, rate_after, weight_context
from westminster.nlp.figures.numbers import (
    DIGITS,
    NUMBER,
    SCALE_ABBREVIATIONS,
    SCALES,
    parse_number,
    scale_of,
)

SYMBOLS: dict[str, str] = {
    "$": "USD",
    "£": "GBP",
    "€": "EUR",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "₽": "RUB",
    "₺": "TRY",
    "₿": "BTC",
    "元": "CNY",
    "₡": "CRC",
    "₾": "GEL",
    "₭": "LAK",
    "₦": "NGN",
    "₪": "ILS",
}
# Letters before "$" that say which dollar: "US$", "c $", "HK$", "A$". "A" and "S" are also
# an article and a possessive ending: they count only written upper-case against the "$".
_ARTICLE_PREFIXES = frozenset({"a", "s"})
# Letters before "$" that say which dollar.
DOLLAR_PREFIXES: dict[str, str] = {
    "us": "USD",
    "u.s": "USD",
    "u.s.": "USD",
    "usd": "USD",
    "c": "CAD",
    "ca": "CAD",
    "can": "CAD",
    "cad": "CAD",
    "a": "AUD",
    "au": "AUD",
    "aus": "AUD",
    "aud": "AUD",
    "hk": "HKD",
    "hkd": "HKD",
    "nz": "NZD",
    "nzd": "NZD",
    "s": "SGD",
    "sgd": "SGD",
    "mex": "MXN",
    "mxn": "MXN",
}
CODES: tuple[str, ...] = (
    "GBP",
    "USD",
    "EUR",
    "JPY",
    "CNY",
    "RMB",
    "CHF",
    "CAD",
    "AUD",
    "NZD",
    "HKD",
    "INR",
    "RUB",
    "SEK",
    "NOK",
    "DKK",
    "ZAR",
    "MXN",
    "BRL",
    "TRY",
    "SGD",
    "KRW",
    "ILS",
    "PLN",
    "BTC",
)
# Currency names after a number; the key is the singular, lowercase form.
NAMES: dict[str, str] = {
    "pound": "GBP",
    "sterling": "GBP",
    "dollar": "USD",
    "buck": "USD",
    "euro": "EUR",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rmb": "CNY",
    "kuai": "CNY",
    "franc": "CHF",
    "mark": "DEM",
    "deutschmark": "DEM",
    "markka": "FIM",
    "peseta": "ESP",
    "guilder": "NLG",
    "lira": "TRY",
    "rupee": "INR",
    "rouble": "RUB",
    "ruble": "RUB",
    "peso": "MXN",
    "krona": "SEK",
    "kronor": "SEK",
    "krone": "NOK",
    "kroner": "NOK",
    "rand": "ZAR",
    "won": "KRW",
    "shekel": "ILS",
    "zloty": "PLN",
    "real": "BRL",
    "bitcoin": "BTC",
    "btc": "BTC",
}
# Adjectives that pick a currency: "australian dollars", "swiss francs", "hong kong dollar".
QUALIFIED: dict[str, str] = {
    "us dollar": "USD",
    "u.s. dollar": "USD",
    "american dollar": "USD",
    "canadian dollar": "CAD",
    "australian dollar": "AUD",
    "hong kong dollar": "HKD",
    "new zealand dollar": "NZD",
    "singapore dollar": "SGD",
    "swiss franc": "CHF",
    "french franc": "FRF",
    "belgian franc": "BEF",
    "finnish markka": "FIM",
    "german mark": "DEM",
    "dutch guilder": "NLG",
    "turkish lira": "TRY",
    "italian lira": "ITL",
    "indian rupee": "INR",
    "sri lankan rupee": "LKR",
    "pakistani rupee": "PKR",
    "mexican peso": "MXN",
    "chinese yuan": "CNY",
    "japanese yen": "JPY",
    "swedish krona": "SEK",
    "norwegian krone": "NOK",
    "danish krone": "DKK",
    "south african rand": "ZAR",
    "russian rouble": "RUB",
    "russian ruble": "RUB",
    "brazilian real": "BRL",
}
# Subunits, normalised to a hundredth of their currency.
SUBUNITS: dict[str, str] = {"penny": "GBP", "pence": "GBP", "p": "GBP", "cent": "USD"}
SUBUNIT_FACTOR = 0.01

_SCALE_WORDS = "|".join(sorted([*SCALES, *(s + "s" for s in SCALES)], key=len, reverse=True))
_ABBR = "|".join(sorted(SCALE_ABBREVIATIONS, key=len, reverse=True))
_SCALE = (
    rf"(?:\s?(?P<abbr>{_ABBR})\b|\s*(?P<scale>(?:{_SCALE_WORDS})\b(?:\s+(?:{_SCALE_WORDS})\b)*))"
)
_SYMBOL_CLASS = "".join(re.escape(s) for s in SYMBOLS)
_PREFIX = "|".join(re.escape(p) for p in sorted(DOLLAR_PREFIXES, key=len, reverse=True))
_CODES = "|".join(CODES)


def _plural_names(names: list[str]) -> str:
    forms: set[str] = set()
    for name in names:
        forms.update({name, name + "s", name + "es"})
    forms.update({"pence", "pennies", "kronor", "kroner", "lire", "reais"})
    return "|".join(sorted((re.escape(f) for f in forms), key=len, reverse=True))


_NAME_FORMS = _plural_names([*NAMES, *QUALIFIED, "penny", "cent"])

# "£600 million", "US$5 billion", "c $ 16.4 million", "$2.174T".
_SYMBOL_FIRST = re.compile(
    rf"(?:(?<![A-Za-z])(?P<prefix>{_PREFIX})\s?(?=\$))?(?P<symbol>[{_SYMBOL_CLASS}])\s?"
    rf"(?P<num>{DIGITS})(?:{_SCALE})?",
    re.IGNORECASE,
)
# "USD 200", "usd$ 15", "USD115", "GBP 350 million", "MUSD 20"-style codes with a leading M.
_CODE_FIRST = re.compile(
    rf"\b(?P<mega>M)?(?P<code>{_CODES})\$?\s?(?P<num>{DIGITS})(?:{_SCALE})?",
    re.IGNORECASE,
)
# "5 million pounds", "420 million finnish markka", "75 usd million", "30 MUSD", "10 $", "50p".
_NUMBER_FIRST = re.compile(
    rf"(?P<num>{NUMBER})(?:{_SCALE})?[\s-]*"
    rf"(?:(?P<mega>M)?(?P<code>{_CODES})\b(?:\s*(?P<post>{_SCALE_WORDS})\b)?"
    rf"|(?P<name>{_NAME_FORMS})\b|(?P<symbol>[{_SYMBOL_CLASS}]))",
    re.IGNORECASE,
)
_PENCE_RE = re.compile(rf"(?P<num>{DIGITS})p\b(?!\.\s?m\.?)")


def _name_code(name: str) -> tuple[str, float] | None:
    """Currency code and factor for a currency name ("australian dollars" -> AUD, 1)."""
    key = re.sub(r"\s+", " ", name.lower())
    for singular in (key, key[:-2] if key.endswith("es") else key, key.rstrip("s")):
        if singular in QUALIFIED:
            return QUALIFIED[singular], 1.0
        if singular in NAMES:
            return NAMES[singular], 1.0
        if singular in SUBUNITS:
            return SUBUNITS[singular], SUBUNIT_FACTOR
    if key in ("pence", "pennies"):
        return "GBP", SUBUNIT_FACTOR
    if key == "lire":
        return "ITL", 1.0
    return None


def _scaled(match: re.Match[str], value: float) -> float:
    abbr = match.group("abbr")
    scale = match.group("scale")
    for word in (abbr, *(scale or "").split()):
        if word:
            value *= scale_of(word)
    return value


def find_money(text: str) -> list[Figure]:
    """Every money expression in `text`, normalised to an ISO currency code."""
    found: list[Figure] = []
    for match in _SYMBOL_FIRST.finditer(text):
        value = parse_number(match.group("num"))
        if value is None:
            continue
        code = SYMBOLS[match.group("symbol")]
        prefix = match.group("prefix") or ""
        start = match.start()
        if prefix and match.group("symbol") == "$":
            if prefix.lower() in _ARTICLE_PREFIXES and not (
                prefix.isupper() and text[match.start("symbol") - 1] == prefix
            ):
                start = match.start("symbol")  # "a $ 700 million": the article, not A$
            else:
                code = DOLLAR_PREFIXES[prefix.lower()]
        found.append(_money(text, match, _scaled(match, value), code, start))
    for match in _CODE_FIRST.finditer(text):
        value = parse_number(match.group("num"))
        if value is None:
            continue
        value = _scaled(match, value) * (1e6 if match.group("mega") else 1.0)
        code = match.group("code").upper().replace("RMB", "CNY")
        found.append(_money(text, match, value, code))
    for match in _NUMBER_FIRST.finditer(text):
        figure = _number_first(text, match)
        if figure is not None:
            found.append(figure)
    for match in _PENCE_RE.finditer(text):
        value = parse_number(match.group("num"))
        if value is not None:
            found.append(_money(text, match, value * SUBUNIT_FACTOR, "GBP"))
    return found


def _number_first(text: str, match: re.Match[str]) -> Figure | None:
    value = parse_number(match.group("num"))
    if value is None:
        return None
    value = _scaled(match, value)
    scaled = bool(match.group("abbr") or match.group("scale")) or any(
        w in SCALES for w in match.group("num").lower().split()
    )
    if match.group("code"):
        code = match.group("code").upper().replace("RMB", "CNY")
        post = match.group("post")
        if post:
            value *= scale_of(post)
        if match.group("mega"):
            value *= 1e6
        return _money(text, match, value, code)
    if match.group("symbol"):
        return _money(text, match, value, SYMBOLS[match.group("symbol")])
    resolved = _name_code(match.group("name"))
    if resolved is None:
        return None
    code, factor = resolved
    name = match.group("name").lower()
    if name.startswith("pound") and not scaled and weight_context(text, match.start()):
        return None  # weight: left to the quantity recogniser
    return _money(text, match, value * factor, code)


def _money(
    text: str, match: re.Match[str], value: float, code: str, start: int | None = None
) -> Figure:
    per, end = rate_after(text, match.end())
    begin = match.start() if start is None else start
    return build_figure(text, begin, end, "money", value, code, per=per)
