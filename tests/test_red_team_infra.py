"""Red-team findings on storage, logging and infrastructure: each test failed before its fix."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import traceback
from pathlib import Path

from bot.transport import AiohttpRequest

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SECRET = TOKEN.split(":")[1]


# ---------------------------------------------------------------------------------------------- 1. token in logs
async def malformed_http_server() -> asyncio.Server:
    """A server that answers every request with a response aiohttp cannot parse."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(65536)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n{}")
        await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


async def test_a_malformed_api_response_raises_an_error_without_the_token() -> None:
    server = await malformed_http_server()
    port = server.sockets[0].getsockname()[1]
    request = AiohttpRequest()
    await request.initialize()
    try:
        await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    except Exception as exc:  # NetworkError, from aiohttp's ClientResponseError quoting the URL
        error = exc
    finally:
        await request.shutdown()
        server.close()
    text = "".join(traceback.format_exception(error))
    assert "ClientResponseError" in text and "/bot[TOKEN]/getMe" in text  # still says what went wrong
    assert SECRET not in text


LOGGING_SCRIPT = """
import io, logging, sys
from bot.logs import setup_logging

setup_logging(sys.argv[1])
later = io.StringIO()
logging.getLogger().addHandler(logging.StreamHandler(later))  # added after setup
child = io.StringIO()
logging.getLogger("telegram.ext").addHandler(logging.StreamHandler(child))  # on another logger
log = logging.getLogger("telegram.ext.Updater")
url = "http://127.0.0.1:9/bot" + sys.argv[1] + "/getUpdates"
log.warning("polling %s", url)
try:
    try:
        raise OSError("connect to " + url)
    except OSError as cause:
        raise RuntimeError("aiohttp.ClientResponseError: 400, url=" + url) from cause
except RuntimeError:
    log.exception("Network Retry Loop (Polling Updates): failed")
log.error("where", stack_info=True)  # TOKEN_IN_SOURCE
sys.stdout.write(later.getvalue() + child.getvalue())
sys.stdout.flush()
raise ValueError("uncaught: " + url)
"""


def test_the_token_is_redacted_from_messages_tracebacks_and_stacks_on_every_handler(tmp_path: Path) -> None:
    script = tmp_path / "log_it.py"
    script.write_text(textwrap.dedent(LOGGING_SCRIPT).replace("TOKEN_IN_SOURCE", TOKEN), "utf-8")
    proc = subprocess.run([sys.executable, str(script), TOKEN], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    # Each record reached the handler set up at start (stderr), the one added later and the other logger's.
    for out in (proc.stdout, proc.stderr):
        assert out.count("polling http://127.0.0.1:9/bot[TOKEN]/getUpdates") >= 1
        assert "Traceback" in out and "The above exception was the direct cause" in out
        assert "Stack (most recent call last)" in out
    assert proc.stdout.count("polling") == 2
    assert "uncaught: http://127.0.0.1:9/bot[TOKEN]/getUpdates" in proc.stderr  # the excepthook too
    assert SECRET not in proc.stdout and SECRET not in proc.stderr
