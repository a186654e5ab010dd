"""An aiohttp transport for python-telegram-bot: the same Bot API calls, a cheaper HTTP client.

PTB's default transport (httpx over httpcore) spent about half the bot's CPU per update in bench/load.py;
aiohttp's client parses HTTP in C. PTB keeps everything else: building requests, parsing replies, mapping
Telegram's errors. This class only moves bytes and turns network failures into PTB's NetworkError/TimedOut.
"""

from __future__ import annotations

import asyncio
import re

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# A bot token as it appears in a request URL (digits, a colon, perhaps percent-encoded, and the secret).
TOKEN_IN_URL = re.compile(r"\d+(?::|%3[Aa])[A-Za-z0-9_-]{20,}")


def without_token(text: str) -> str:
    """The text with any bot token in it replaced by [TOKEN]: aiohttp's errors quote the request URL."""
    return TOKEN_IN_URL.sub("[TOKEN]", text)


class AiohttpRequest(BaseRequest):
    def __init__(self, connections: int = 16, read_timeout: float = 5.0, write_timeout: float = 5.0,
                 connect_timeout: float = 5.0, media_write_timeout: float = 20.0) -> None:
        self._connections = connections
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections)
            self._session = aiohttp.ClientSession(connector=connector, headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data is not None and request_data.contains_files
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        write = (self._media_write_timeout if files else self._write_timeout) \
            if isinstance(write_timeout, DefaultValue) else write_timeout
        connect = self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        total = None if read is None else read + (write or 0) + (connect or 0)
        timeout = aiohttp.ClientTimeout(total=total, sock_connect=connect, sock_read=read)

        data: aiohttp.FormData | dict[str, str] | None = None
        if request_data is not None:
            if files:
                form = aiohttp.FormData()
                for name, value in request_data.json_parameters.items():
                    form.add_field(name, value)
                for name, (file_name, content, mime) in request_data.multipart_data.items():
                    form.add_field(name, content, filename=file_name, content_type=mime)
                data = form
            else:
                data = request_data.json_parameters
        try:
            async with self._session.request(method, url, data=data, timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            # Not chained: the cause's own text is the URL with the token in it, and tracebacks print it.
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {without_token(str(exc))}") from None


class PollingRequest(AiohttpRequest):
    """The getUpdates transport: it pauses before the next poll only when the last one came back busy.

    PTB's Updater sleeps its poll_interval after every getUpdates, so on a quiet bot each reply could wait out
    the interval; with long polling the server already waits for updates, so a quiet bot should poll again at
    once. Under load a short pause still pays: the next poll brings a batch instead of one update at a time
    (fewer calls per update). Run polling with poll_interval=0 and this as the get_updates_request.
    """

    def __init__(self, pause: float, busy: int = 4, read_timeout: float = 5.0) -> None:
        super().__init__(connections=1, read_timeout=read_timeout)
        self.pause = pause
        self.busy = busy  # a poll that returned at least this many updates means the bot is busy
        self._last_batch = 0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self.pause and self._last_batch >= self.busy:
            await asyncio.sleep(self.pause)
        self._last_batch = 0
        status, body = await super().do_request(url, method, request_data, read_timeout, write_timeout,
                                                connect_timeout, pool_timeout)
        self._last_batch = body.count(b'"update_id"')  # one per update; cheaper than parsing the JSON twice
        return status, body
