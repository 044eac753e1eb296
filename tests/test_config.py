"""Settings: defaults, then westminster.toml, then environment variables; sources for watch."""

from __future__ import annotations

from pathlib import Path

import pytest

from westminster.config import SETTINGS, Config, ConfigError, parse_duration


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "westminster.toml"
    path.write_text(text)
    return path


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no westminster.toml here
    config = Config.from_env({})
    assert config == Config(data_dir=config.data_dir)
    assert config.config_file is None and config.sources == ()
    assert {s.name for s in SETTINGS} <= set(Config.__dataclass_fields__)


def test_file_over_defaults_and_environment_over_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'db = "file.db"\nallow_loopback = true\nhost_interval = 2\nwatch_interval = "1h"\n'
        '[[sources]]\nurl = "https://a.test/rss"\ninterval = "15m"\n'
        '[[sources]]\nurl = "crawl.warc"\n',
    )
    config = Config.from_env({"WESTMINSTER_CONFIG": str(path), "WESTMINSTER_DB": "env.db"})
    assert config.db == "env.db" and config.allow_loopback is True
    assert config.host_interval == 2.0 and config.config_file == path
    assert [(s.url, s.interval_s) for s in config.sources] == [
        ("https://a.test/rss", 900.0),
        ("crawl.warc", 3600.0),  # no interval of its own: the watch_interval setting
    ]
    assert Config.from_env({"WESTMINSTER_ALLOW_LOOPBACK": "no"}, file=path).allow_loopback is False


def test_westminster_toml_in_the_working_folder_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, 'user_agent = "probe/1.0"\n')
    monkeypatch.chdir(tmp_path)
    assert Config.from_env({}).user_agent == "probe/1.0"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1\n", "unknown setting 'colour'"),
        ("db = \n", "not valid TOML"),
        ("fetch_attempts = 2.5\n", "fetch_attempts"),
        ('allow_loopback = "maybe"\n', "allow_loopback"),
        ('[[sources]]\ninterval = "5m"\n', "needs url"),
        ('[[sources]]\nurl = "x"\ninterval = "soon"\n', "not a duration"),
        ('[[sources]]\nurl = "x"\nevery = "5m"\n', "unknown key 'every'"),
        ('sources = "x"\n', "[[sources]]"),
    ],
)
def test_bad_files_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Config.from_env({}, file=path)


def test_bad_environment_values_name_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="WESTMINSTER_MAX_INPUT_BYTES"):
        Config.from_env({"WESTMINSTER_MAX_INPUT_BYTES": "lots", "WESTMINSTER_CONFIG": ""})
    with pytest.raises(ConfigError, match="does not exist"):
        Config.from_env({"WESTMINSTER_CONFIG": str(tmp_path / "missing.toml")})


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(90, 90.0), ("90", 90.0), ("90s", 90.0), ("15m", 900.0), ("1h", 3600.0), ("1d", 86400.0)],
)
def test_durations(value: object, seconds: float) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["0", "-5m", "soon", True, "5 weeks"])
def test_bad_durations(value: object) -> None:
    with pytest.raises(ConfigError):
        parse_duration(value)
