"""Settings from environment variables (and an optional .env file), validated once at start-up.

A missing or malformed setting is a one-line error naming it; the token is kept as a secret so it never
appears in a repr, a log line or an error message.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

ENV_NAMES = {
    "telegram_bot_token": "TELEGRAM_BOT_TOKEN",
    "telegram_base_url": "TELEGRAM_BASE_URL",
    "database_path": "DATABASE_PATH",
    "admin_ids": "ADMIN_IDS",
    "webhook_url": "WEBHOOK_URL",
    "port": "PORT",
    "webhook_secret": "WEBHOOK_SECRET",
    "pseudonym_key": "PSEUDONYM_KEY",
    "retention_days": "RETENTION_DAYS",
    "knowledge_dir": "KNOWLEDGE_DIR",
    "rate_limit_messages": "RATE_LIMIT_MESSAGES",
    "rate_limit_seconds": "RATE_LIMIT_SECONDS",
    "send_rate": "SEND_RATE",
    "poll_interval": "POLL_INTERVAL",
    "staff_password": "STAFF_PASSWORD",
    "web_host": "WEB_HOST",
    "web_rate_session": "WEB_RATE_SESSION",
    "web_rate_address": "WEB_RATE_ADDRESS",
    "web_trust_proxy": "WEB_TRUST_PROXY",
}
WEB_DEFAULT_PORT = 8080  # python -m bot web, when PORT is not set


class SettingsError(ValueError):
    """One line naming the setting and what is wrong with it."""


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str | None = None  # a self-hosted Bot API server, e.g. http://127.0.0.1:8081/bot
    database_path: Path = Path("tejin.sqlite3")
    admin_ids: frozenset[int] = frozenset()
    webhook_url: str | None = None
    port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    pseudonym_key: SecretStr | None = None  # else generated, kept in a file beside the database
    retention_days: int = Field(default=90, ge=1, le=3650)
    knowledge_dir: Path | None = None  # a copy of knowledge/data that /reload re-reads
    rate_limit_messages: int = Field(default=20, ge=1)
    rate_limit_seconds: float = Field(default=10.0, gt=0)
    send_rate: float = Field(default=30.0, ge=0)  # outgoing messages per second, Telegram's limit; 0: no cap
    # The pause before the next poll after a busy one (4+ updates; bot/transport.py PollingRequest): the next poll
    # then brings a batch, fewer getUpdates calls per update. A quiet bot polls again at once (long polling waits
    # on the server), so the pause no longer adds to every reply: bench/load.py latency at 30/s, p50 31 → 3.5 ms.
    poll_interval: float = Field(default=0.05, ge=0, le=5)
    # The web channel (python -m bot web): the staff pages' password (no staff pages without it), the address
    # to listen on, requests per RATE_LIMIT_SECONDS from one browser session and from one address (a unit's
    # NAT puts many applicants behind one), and whether to take the client's address and scheme from a
    # reverse proxy's X-Forwarded-For / X-Forwarded-Proto (only behind one, or anyone could claim any address).
    staff_password: SecretStr | None = None
    web_host: str = "0.0.0.0"
    web_rate_session: int = Field(default=30, ge=1)
    web_rate_address: int = Field(default=300, ge=1)
    web_trust_proxy: bool = False

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            text = value.get_secret_value()
            head, _, tail = text.partition(":")
            if not (head.isdigit() and len(tail) >= 20):
                raise ValueError("does not look like a bot token (digits:secret, as @BotFather gives it)")
        return value

    @field_validator("telegram_base_url", "webhook_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            if not all(p.lstrip("-").isdigit() for p in parts):
                raise ValueError("must be comma-separated numeric Telegram user ids")
            return frozenset(int(p) for p in parts)
        return value

    @property
    def webhook(self) -> bool:
        return self.webhook_url is not None

    @property
    def web_port(self) -> int:
        """PORT when set (as for the webhook), else 8080."""
        return self.port if "port" in self.model_fields_set else WEB_DEFAULT_PORT


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; # comments and blank lines ignored; quotes around values removed."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


def load_settings(environ: dict[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Settings:
    """Environment variables win over .env; empty values count as unset."""
    env = {**(read_dotenv(dotenv) if dotenv else {}), **(os.environ if environ is None else environ)}
    raw = {field: env[name] for field, name in ENV_NAMES.items() if env.get(name, "").strip()}
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "?"
        name = ENV_NAMES.get(field, field)
        raise SettingsError(f"{name}: {err['msg']}") from None
