"""Every setting Carescore reads, in one typed object.

Each field is one `CARESCORE_<NAME>` environment variable with its default and one line of
help. A process reads them once at start-up (`load_settings()`) and hands the object to the
parts that need it: the site's app factory, the gunicorn config, the collectors' runner
and the command line. Nothing else reads `CARESCORE_*` variables, so this module is the
whole list (the README's "Configuration" table is checked against it by a test; the
tables and the check for stray variables are in `carescore.settings_docs`).
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings.sources.utils import parse_env_vars

from carescore.errors import ConfigError

PREFIX = "CARESCORE_"
DEFAULT_DATABASE_URL = "sqlite:///var/carescore.db"
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production, see _check_production
MIN_SECRET_LENGTH = 16
ENVIRONMENTS = ("development", "production")
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


def _default_workers(data: dict[str, Any]) -> int:
    """gevent: one worker per CPU. A gevent worker interleaves its connections, so more
    processes than CPUs only take turns for them: measured with bench/api.py and
    bench/site.py on 2 CPUs, 2 workers against 5 cost 12-24% less CPU per request and
    gave lower p99s on every row (built answers 38-42 against 66-84 ms, the mixed row 78
    against 155 ms; docs/performance.md). sync and gthread workers wait on one request
    (or a few) at a time: 2 x CPUs + 1."""
    cpus = multiprocessing.cpu_count()
    return cpus if data.get("worker_class", "gevent") == "gevent" else cpus * 2 + 1


class Settings(BaseSettings):
    """The effective configuration of one process (see the README's "Configuration")."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX,
        env_ignore_empty=True,  # an empty variable means "the default", as it always has
        extra="forbid",
        frozen=True,
        validate_default=True,
    )

    # Core
    env: Literal["development", "production"] = Field(
        "development",
        description="`development` or `production`; production refuses unsafe settings",
    )
    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL: SQLite (WAL, busy timeout) or `postgresql+psycopg://...`",
    )
    secret_key: SecretStr = Field(
        SecretStr(DEV_SECRET_KEY),
        json_schema_extra={"shown_default": "a development value"},
        description=f"signs cookies; {MIN_SECRET_LENGTH}+ random characters in production",
    )
    public_base_url: str | None = Field(
        None,
        json_schema_extra={"shown_default": "`http://` + the bind address"},
        description="absolute address of the site in links that leave it (permalinks, "
        "feeds, badges); required in production",
    )
    # Legal notice (/legal): who runs the site and how to reach them
    operator_name: str | None = Field(
        None,
        description="who runs the site: a person's or a company's name, shown on the legal "
        "notice; required in production",
    )
    operator_address: str | None = Field(
        None, description="the operator's postal address (a company must give it)"
    )
    operator_registration: str | None = Field(
        None, description="the company's registration, e.g. `RCS Paris 123 456 789` (companies)"
    )
    operator_phone: str | None = Field(None, description="the operator's phone number")
    publication_director: str | None = Field(
        None,
        json_schema_extra={"shown_default": "the operator"},
        description="director of publication named on the legal notice",
    )
    contact_email: str | None = Field(
        None,
        description="where readers write: questions, removal requests, legal notices; "
        "required in production",
    )
    hosting_provider: str | None = Field(
        None,
        description="the host's name, address and phone, as the legal notice gives them; "
        "required in production",
    )
    brands_file: Path | None = Field(
        None,
        json_schema_extra={"shown_default": "the shipped registry"},
        description="brand registry read by `carescore brands load`",
    )
    # API
    ratelimit: str = Field("120 per minute", description="API requests allowed per client address")
    ratelimit_storage: str = Field(
        "memory://",
        description="rate-limit counters: `memory://` per process, except under `carescore "
        "serve`, whose workers share one file; `file:///path` a memory-mapped file shared "
        "by the processes of a host (`sqlite:///path` the same in SQLite); "
        "`redis://host:6379/0` shared between hosts",
    )
    ratelimit_prefix: str = Field(
        "carescore", description="key prefix of the rate-limit counters in shared storage"
    )
    write_ratelimit: str = Field(
        "30 per hour", description="brand writes (statements, disputes) allowed per address"
    )
    write_max_bytes: int = Field(
        16 * 1024, ge=1, description="largest brand write body (413 beyond)"
    )
    disputes_per_day: int = Field(
        50, ge=1, description="disputes one brand may file in 24 hours (429 beyond)"
    )
    api_cache_seconds: float = Field(
        10, ge=0, description="per-worker cache of finished API answers; `0` turns it off"
    )
    page_cache_seconds: float = Field(
        10, ge=0, description="per-worker cache of rendered pages; `0` turns it off"
    )
    # Serving (gunicorn)
    bind: str = Field("127.0.0.1:8000", description="address:port gunicorn listens on")
    worker_class: Literal["gevent", "gthread", "sync"] = Field(
        "gevent",
        description="gunicorn worker class; gevent keeps serving with many slow or idle clients",
    )
    workers: int = Field(
        default_factory=_default_workers,
        ge=1,
        description="gunicorn worker processes",
        json_schema_extra={"shown_default": "CPUs (gevent); 2 x CPUs + 1 (gthread, sync)"},
    )
    worker_connections: int = Field(1000, ge=1, description="open connections per gevent worker")
    threads: int = Field(1, ge=1, description="threads per gunicorn worker")
    timeout: int = Field(30, ge=1, description="seconds before gunicorn restarts a stuck worker")
    preload: bool = Field(
        True, description="import the app once in gunicorn's master and fork the workers"
    )
    access_log_file: str = Field(
        "-", description="gunicorn's access log (`-` is stdout, `/dev/null` turns it off)"
    )
    log_level: Literal["debug", "info", "warning", "error", "critical"] = Field(
        "info", description="log level of gunicorn and of the site's JSON logs"
    )
    access_log: bool = Field(
        False, description="the site's own JSON line per request (beside gunicorn's access log)"
    )
    json_logs: bool = Field(
        False, description="JSON logs even under Flask's TESTING (always on otherwise)"
    )
    metrics_bind: str | None = Field(
        None,
        description="a second address:port gunicorn listens on for monitoring; `/metrics` "
        "answers there without a token (e.g. `127.0.0.1:9100`)",
    )
    metrics_token: SecretStr | None = Field(
        None,
        description="`/metrics` on the public address needs `Authorization: Bearer` this; "
        "with neither this nor the metrics bind, production serves no `/metrics`",
    )
    # Collectors
    x_bearer_token: SecretStr | None = Field(
        None, description="X API v2 app-only bearer token (recent search)"
    )
    mastodon_instance: str | None = Field(
        None, description="Mastodon instance searched, e.g. `https://mastodon.social`"
    )
    mastodon_token: SecretStr | None = Field(
        None, description="Mastodon user token with `read:search` (full-text search; optional)"
    )
    bluesky_handle: str | None = Field(None, description="Bluesky account handle")
    bluesky_app_password: SecretStr | None = Field(
        None, description="Bluesky app password (not the account password)"
    )
    bluesky_pds: str = Field(
        "https://bsky.social", description="the Bluesky account's PDS (personal data server)"
    )
    reddit_client_id: str | None = Field(None, description="Reddit OAuth client id (app-only)")
    reddit_client_secret: SecretStr | None = Field(None, description="Reddit OAuth client secret")
    rss_feeds: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="RSS/Atom feed URLs, separated by spaces or commas"
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower_level(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @field_validator("rss_feeds", mode="before")
    @classmethod
    def _split_feeds(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [f for f in re.split(r"[\s,]+", value) if f]
        return value

    @field_validator("metrics_bind")
    @classmethod
    def _host_and_port(cls, value: str | None) -> str | None:
        if value is None:
            return None
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f"must be address:port, e.g. 127.0.0.1:9100, got {value!r}")
        return value

    @field_validator("public_base_url")
    @classmethod
    def _absolute(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(f"must be an absolute http(s) URL, got {value!r}")
        return value.rstrip("/")

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise ValueError(f"must be an e-mail address, got {value!r}")
        return value

    @model_validator(mode="after")
    def _metrics_apart(self) -> Settings:
        if self.metrics_bind and self.metrics_bind == self.bind:
            raise ValueError(f"{PREFIX}METRICS_BIND must differ from {PREFIX}BIND")
        return self

    @model_validator(mode="after")
    def _check_production(self) -> Settings:
        """A default secret key lets anyone forge session cookies, and links that leave
        the site need the public address: production refuses to start without them.

        So with the legal notice's minimum: a French site must name who publishes it,
        how to reach them and who hosts it (LCEN, article 6), and a site that names
        companies must be answerable; the address, registration and phone stay optional
        because a private person may publish without them."""
        if self.env != "production":
            return self
        secret = self.secret_key.get_secret_value()
        problems = []
        if secret == DEV_SECRET_KEY:
            problems.append(f"{PREFIX}SECRET_KEY must be set to a random value")
        elif len(secret) < MIN_SECRET_LENGTH:
            problems.append(
                f"{PREFIX}SECRET_KEY is too short ({MIN_SECRET_LENGTH}+ characters needed)"
            )
        if not self.public_base_url:
            problems.append(f"{PREFIX}PUBLIC_BASE_URL must be set (e.g. https://carescore.example)")
        missing = [
            env_name(name)
            for name in ("operator_name", "contact_email", "hosting_provider")
            if not getattr(self, name)
        ]
        if missing:
            problems.append(f"{', '.join(missing)} must be set for the legal notice")
        if problems:
            raise ValueError("; ".join(problems) + f" when {PREFIX}ENV=production")
        return self

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def base_url(self) -> str:
        """Where the site answers: the public address, or the local bind in development."""
        if self.public_base_url:
            return self.public_base_url
        host = self.bind.replace("0.0.0.0", "127.0.0.1")  # noqa: S104 - a display address
        return f"http://{host}" if not host.startswith("unix:") else "http://localhost"

    def secrets(self) -> list[SecretStr]:
        """Every secret value set, so logs can redact them wherever they turn up."""
        return [
            v
            for v in (getattr(self, n) for n in type(self).model_fields)
            if isinstance(v, SecretStr)
        ]

    def items(self) -> Iterator[tuple[str, str, bool]]:
        """(variable, value as shown to a person, set explicitly) for each setting;
        secrets and database passwords are masked."""
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                shown = "********" if value.get_secret_value() else ""
            elif name == "database_url":
                shown = _hide_password(value)
            elif name == "public_base_url":
                shown = self.base_url
            elif isinstance(value, float) and value.is_integer():
                shown = str(int(value))
            elif isinstance(value, list):
                shown = " ".join(value)
            elif value is None:
                shown = ""
            elif isinstance(value, bool):
                shown = str(value).lower()
            else:
                shown = str(value)
            yield env_name(name), shown, name in self.model_fields_set


def env_name(field: str) -> str:
    return f"{PREFIX}{field.upper()}"


def _hide_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a malformed URL is shown as it is
        return url


def _one_line(exc: ValidationError) -> str:
    """Pydantic's report, one line: the variable, what is wrong, what was given."""
    parts = []
    for error in exc.errors():
        loc = error.get("loc") or ()
        field = str(loc[0]) if loc else ""
        message = error["msg"].removeprefix("Value error, ")
        if not field:  # a model-level check: its message names its variables
            parts.append(message)
            continue
        secret = "secret" in field or "password" in field
        given = "" if secret or "input" not in error else f" (got {error['input']!r})"
        parts.append(f"{env_name(field)}: {message}{given}")
    return "; ".join(parts)


class _MappingEnv(EnvSettingsSource):
    """The environment source reading a given mapping instead of os.environ."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(
            self._environ, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str
        )


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """The settings from `environ` (default: the process environment) and `overrides`.

    Raises ConfigError with one line naming the variable when a value is refused
    (`CARESCORE_ENV=prod`, a non-numeric worker count, production without a secret key).
    """
    cls: type[Settings] = Settings
    if environ is not None:
        mapping = environ

        class _FromMapping(Settings):
            @classmethod
            def settings_customise_sources(
                cls,
                settings_cls: type[BaseSettings],
                init_settings: PydanticBaseSettingsSource,
                **_: PydanticBaseSettingsSource,
            ) -> tuple[PydanticBaseSettingsSource, ...]:
                return (init_settings, _MappingEnv(settings_cls, mapping))

        cls = _FromMapping
    try:
        return cls(**overrides)
    except ValidationError as exc:
        raise ConfigError(_one_line(exc)) from None
