from __future__ import annotations

import re
from pathlib import Path

import pytest

from gateway.errors import ConfigError
from gateway.settings import SPECS, describe_settings, load_settings, settings_table


def test_defaults_put_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    s = load_settings({"TESSERA_INSTANCE_PATH": str(tmp_path / "inst")})
    assert s.instance_path == tmp_path / "inst"
    assert s.database_url == f"sqlite:///{tmp_path / 'inst' / 'tessera.db'}"
    assert s.is_sqlite
    assert (s.host, s.port, s.base_url) == ("127.0.0.1", 8000, "http://127.0.0.1:8000")
    assert s.log_json is False and s.log_level == "INFO"


def test_environment_is_parsed_by_type() -> None:
    s = load_settings(
        {
            "TESSERA_PORT": "9000",
            "TESSERA_LOG_JSON": "yes",
            "TESSERA_LOG_LEVEL": "debug",
            "TESSERA_MAX_BODY_BYTES": "1_048_576",
            "TESSERA_BASE_URL": "https://tessera.example.edu/",
        }
    )
    assert s.port == 9000
    assert s.log_json is True
    assert s.log_level == "DEBUG"
    assert s.max_body_bytes == 1048576
    assert s.base_url == "https://tessera.example.edu"


def test_toml_file_then_environment_then_overrides(tmp_path: Path) -> None:
    cfg = tmp_path / "tessera.toml"
    cfg.write_text('port = 7000\nlog_json = true\nbase_url = "https://a.example"\n')
    env = {"TESSERA_CONFIG": str(cfg), "TESSERA_PORT": "7100"}
    s = load_settings(env, {"base_url": "https://b.example"})
    assert s.port == 7100  # environment beats the file
    assert s.log_json is True  # from the file
    assert s.base_url == "https://b.example"  # overrides beat both


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"TESSERA_PORT": "eighty"},
            "TESSERA_PORT must be a whole number; got 'eighty'",
        ),
        (
            {"TESSERA_PORT": "70000"},
            "TESSERA_PORT must be a whole number from 1 to 65535",
        ),
        ({"TESSERA_LOG_JSON": "maybe"}, "TESSERA_LOG_JSON must be one of 1, true"),
        ({"TESSERA_LOG_LEVEL": "LOUD"}, "TESSERA_LOG_LEVEL must be one of DEBUG, INFO"),
        (
            {"TESSERA_PROT": "1"},
            "TESSERA_PROT is not a Tessera setting (did you mean TESSERA_PORT?)",
        ),
        (
            {"TESSERA_BASE_URL": "tessera.example"},
            "TESSERA_BASE_URL must be an absolute http(s)",
        ),
        (
            {"DATABASE_URL": "mysql://root@localhost/x"},
            "accepted are sqlite:///PATH and postgres",
        ),
        ({"DATABASE_URL": "sqlite://"}, "must name a SQLite file"),
        ({"DATABASE_URL": "not a url"}, "is not a database URL"),
        ({"TESSERA_CONFIG": "/nonexistent/tessera.toml"}, "which does not exist"),
    ],
)
def test_bad_values_stop_startup_with_a_sentence(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(env)


def test_unknown_key_in_toml_is_named(tmp_path: Path) -> None:
    cfg = tmp_path / "t.toml"
    cfg.write_text("log_jsn = true\n")
    with pytest.raises(
        ConfigError, match=r"'log_jsn' in .* \(did you mean log_json\?\)"
    ):
        load_settings({"TESSERA_CONFIG": str(cfg)})


def test_malformed_toml_is_reported(tmp_path: Path) -> None:
    cfg = tmp_path / "t.toml"
    cfg.write_text("port = \n")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_settings({"TESSERA_CONFIG": str(cfg)})


@pytest.mark.parametrize(
    "url",
    [
        "postgres://postgres@db:5432/tessera",
        "postgresql://postgres@db:5432/tessera",
        "postgresql+psycopg://postgres@db:5432/tessera",
    ],
)
def test_postgres_urls_are_pinned_to_psycopg3(url: str) -> None:
    s = load_settings({"DATABASE_URL": url})
    assert s.database_url == "postgresql+psycopg://postgres@db:5432/tessera"
    assert not s.is_sqlite


def test_tessera_database_url_wins_over_database_url() -> None:
    s = load_settings(
        {
            "DATABASE_URL": "sqlite:////tmp/a.db",
            "TESSERA_DATABASE_URL": "sqlite:////tmp/b.db",
        }
    )
    assert s.database_url == "sqlite:////tmp/b.db"


def test_settings_are_frozen() -> None:
    s = load_settings({})
    with pytest.raises(AttributeError):
        s.port = 1  # type: ignore[misc]


def test_readme_configuration_reference_matches_the_code() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    start, end = "<!-- settings:start -->\n", "\n<!-- settings:end -->"
    documented = readme[readme.index(start) + len(start) : readme.index(end)]
    assert documented == settings_table(), "regenerate with: python -m gateway.settings"
    assert len(describe_settings()) == len(SPECS)


def test_example_config_file_is_valid_and_complete() -> None:
    example = Path(__file__).parents[2] / "config" / "tessera.example.toml"
    s = load_settings({"TESSERA_CONFIG": str(example)})
    assert s.base_url == "https://tessera.example.edu" and s.trusted_proxies == 1
    text = example.read_text()
    for spec in SPECS:
        assert f"{spec.name} =" in text, f"example config lacks {spec.name}"
