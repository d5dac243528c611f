"""Settings read from `CARESCORE_*` environment variables.

One place that knows the defaults, so the CLI, the collectors and the site agree on
which database they talk to.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///var/carescore.store.db"
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production, see check()


class ConfigError(RuntimeError):
    """A setting that makes it unsafe or impossible to start."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = DEV_SECRET_KEY
    env: str = "development"
    ratelimit_storage: str = "memory://"
    brands_file: Path | None = None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            database_url=env.get("CARESCORE_DATABASE_URL") or DEFAULT_DATABASE_URL,
            secret_key=env.get("CARESCORE_SECRET_KEY") or DEV_SECRET_KEY,
            env=env.get("CARESCORE_ENV") or "development",
            ratelimit_storage=env.get("CARESCORE_RATELIMIT_STORAGE") or "memory://",
            brands_file=(
                Path(env["CARESCORE_BRANDS_FILE"]) if env.get("CARESCORE_BRANDS_FILE") else None
            ),
        )

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    def check(self) -> None:
        """Refuse settings that would be unsafe in production.

        A default secret key would let anyone forge session cookies, so production
        must set its own.
        """
        if self.is_production and self.secret_key == DEV_SECRET_KEY:
            raise ConfigError(
                "CARESCORE_SECRET_KEY must be set to a random value when CARESCORE_ENV=production"
            )
        if self.is_production and len(self.secret_key) < 16:
            raise ConfigError("CARESCORE_SECRET_KEY is too short for production (16+ characters)")
