"""The one HTTP client every collector uses, and polite retries around it.

Timeouts, connection errors and 5xx are retried with exponential backoff and jitter
(tenacity); a 429 waits for as long as the platform says, read from `Retry-After` or the
platform's own reset header, which every platform writes differently.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from collectors.base import AuthFailed, BadPayload, PageLimitReached, RateLimited, ServerError

USER_AGENT = "Carescore/0.1 (+https://carescore.example/about/data)"
TIMEOUT = httpx.Timeout(20.0, connect=5.0)
DEFAULT_RATE_WAIT = 60.0  # X's advice when a 429 carries no reset header
MAX_RATE_WAIT = 900.0  # longer than this, give up for this run and resume next time
RETRYABLE = (httpx.TimeoutException, httpx.TransportError, ServerError, RateLimited)


def make_client(transport: httpx.BaseTransport | None = None, **kwargs: Any) -> httpx.Client:
    """An httpx client with our timeouts and User-Agent; tests pass a MockTransport."""
    headers = {"User-Agent": USER_AGENT, **kwargs.pop("headers", {})}
    return httpx.Client(
        timeout=kwargs.pop("timeout", TIMEOUT),
        headers=headers,
        transport=transport,
        follow_redirects=True,
        **kwargs,
    )


def _seconds_from(value: str, now: float) -> float | None:
    """One reset value: delta seconds, epoch seconds, ISO 8601 or an HTTP date."""
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is not None:
        return number - now if number > 1e9 else number  # epoch (X, Bluesky) or delta (Reddit)
    for parse in (
        lambda v: datetime.fromisoformat(v.replace("Z", "+00:00")),  # Mastodon
        parsedate_to_datetime,  # Retry-After as an HTTP date
    ):
        try:
            moment = parse(value)
        except (TypeError, ValueError, IndexError):
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.timestamp() - now
    return None


RESET_HEADERS = ("retry-after", "x-rate-limit-reset", "x-ratelimit-reset", "ratelimit-reset")


def rate_limit_wait(response: httpx.Response, now: float | None = None) -> float:
    """Seconds to wait after a 429, from the first reset header the platform sent."""
    now = time.time() if now is None else now
    for name in RESET_HEADERS:
        raw = response.headers.get(name)
        if raw:
            seconds = _seconds_from(raw, now)
            if seconds is not None:
                return max(1.0, seconds)
    return DEFAULT_RATE_WAIT


def check(response: httpx.Response) -> httpx.Response:
    """Turn an HTTP status into our exceptions; 2xx passes through."""
    status = response.status_code
    if status == 429:
        raise RateLimited(f"429 from {response.url.host}", rate_limit_wait(response))
    if status >= 500:
        raise ServerError(f"{status} from {response.url.host}")
    if status >= 400:
        kind = AuthFailed if status in (401, 403) else BadPayload
        exc = kind(f"{status} from {response.url.host}: {response.text[:120]!r}")
        exc.response = response
        raise exc
    return response


class Fetcher:
    """A client with retries and a per-run page budget, shared by a source's requests.

    `sleep` is injectable so tests run the backoff without waiting.
    """

    def __init__(
        self,
        client: httpx.Client,
        *,
        max_pages: int = 50,
        attempts: int = 5,
        sleep: Callable[[float], None] | None = None,
        max_rate_wait: float = MAX_RATE_WAIT,
    ) -> None:
        self.client = client
        self.max_pages = max_pages
        self.attempts = attempts
        self.sleep = sleep if sleep is not None else time.sleep
        self.max_rate_wait = max_rate_wait
        self.pages = 0

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RateLimited):
            if exc.wait > self.max_rate_wait:
                raise exc
            return exc.wait
        return wait_exponential_jitter(initial=1, max=60, jitter=1)(state)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One page, retried; raises our exceptions once retries are spent."""
        if self.pages >= self.max_pages:
            raise PageLimitReached(f"page limit of {self.max_pages} reached")
        self.pages += 1
        retrying = Retrying(
            retry=retry_if_exception_type(RETRYABLE),
            wait=self._wait,
            stop=stop_after_attempt(self.attempts),
            sleep=self.sleep,
            reraise=True,
        )
        try:
            return retrying(lambda: check(self.client.request(method, url, **kwargs)))
        except httpx.TimeoutException as exc:
            raise ServerError(f"timed out after {self.attempts} attempts: {url}") from exc
        except httpx.TransportError as exc:
            raise ServerError(f"cannot reach {url}: {exc}") from exc

    def get_json(self, url: str, **kwargs: Any) -> Any:
        return json_of(self.request("GET", url, **kwargs))


def json_of(response: httpx.Response) -> Any:
    """The decoded body; an HTML page or truncated JSON is a bad payload, not a crash."""
    try:
        return response.json()
    except ValueError as exc:
        kind = response.headers.get("content-type", "no content type")
        raise BadPayload(f"not JSON ({kind}) from {response.url}") from exc
