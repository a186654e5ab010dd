"""Load on the web channel: the real server (``python -m bot web``, a subprocess) driven by many visitors over
loopback, beside the Telegram path (bench/load.py) on the same machine.

    python bench/web_load.py throughput [--users 200] [--updates 6000] [--questions-only] [--telegram]
    python bench/web_load.py latency [--rate 30] [--seconds 60] [--questions-only] [--telegram]
    python bench/web_load.py soak [--rate 50] [--seconds 600]

Each visitor loads the page (its cookie and CSRF token), then posts as the page's script does (JSON back).
By default visitors mix questions (70%) with self-check steps (30%: the menu's 资格自查, consent, a button
of the step shown, the birth date or years typed), as bench/load.py's Telegram users do; ``--questions-only``
asks questions only. ``throughput``: closed loop, each visitor posts again once answered. ``latency``: open
loop at a fixed rate. ``soak``: open loop for 10 minutes, the server's resident memory sampled every 30 s, and
one visitor in 20 (``--churn``) replaced by a new one after each action, so new sessions keep arriving. ``--telegram``
then runs bench/load.py's same mode with the same users, updates and rate, for the Telegram line beside it.
The web's rate limits are lifted (every visitor comes from 127.0.0.1), as load.py lifts the bot's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import QUESTIONS, closed_loop, rss_mb, summary  # noqa: E402
from tests.web_harness import free_port  # noqa: E402

_CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')
_BUTTON = re.compile(r'value="((?:c|k):[^"]+)"')
ACTIONS: Counter[str] = Counter()  # what the visitors did, to check the mix


class Visitor:
    """One browser: its cookie, its token, and the self-check step it was last shown."""

    def __init__(self, http: aiohttp.ClientSession, base: str, rng: random.Random, mix: float) -> None:
        self.http, self.base, self.rng, self.mix = http, base, rng, mix
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.entry = ""  # the message showing the self-check
        self.step_html = ""

    async def open(self) -> None:
        async with self.http.get(self.base + "/") as response:
            page = await response.text()
            self.cookies = {"tejin_session": response.cookies["tejin_session"].value}
        self.csrf = _CSRF.search(page).group(1)  # type: ignore[union-attr]

    async def _post(self, path: str, **form: str) -> dict:
        async with self.http.post(self.base + path, data={**form, "csrf": self.csrf}, cookies=self.cookies,
                                  headers={"Accept": "application/json"}) as response:
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
            return await response.json()

    async def act(self) -> float:
        """Post one action and return the seconds until its answer came back."""
        start = time.perf_counter()
        step = self.rng.random() < self.mix
        text = self.step_html
        buttons = [d for d in _BUTTON.findall(text) if d.startswith(("c:", "k:y")) and not d.endswith((":x", ":b"))]
        if step and ("出生日期" in text or "多少年" in text):
            kind, reply = "typed", await self._post("/send", text="1975-06-01" if "出生日期" in text else "8")
        elif step and buttons:
            kind, reply = "button", await self._post("/press", data=self.rng.choice(buttons), entry=self.entry)
        elif step:
            kind, reply = "check", await self._post("/press", data="m:check")
        else:
            kind, reply = "question", await self._post("/send", text=self.rng.choice(QUESTIONS))
        ACTIONS[kind] += 1
        if "自查结果" in reply.get("html", ""):
            ACTIONS["result"] += 1
        elapsed = time.perf_counter() - start
        if step and reply.get("focus"):
            focus = reply["focus"]
            found = re.search(rf'<article[^>]* id="{focus}".*?</article>', reply["html"], re.S)
            self.entry, self.step_html = focus[1:], found.group(0) if found else ""
        return elapsed


async def start_server(tmp: Path, port: int) -> asyncio.subprocess.Process:
    env = {**os.environ, "PORT": str(port), "WEB_HOST": "127.0.0.1", "DATABASE_PATH": str(tmp / "web.sqlite3"),
           "WEB_RATE_SESSION": "1000000", "WEB_RATE_ADDRESS": "1000000", "PYTHONPATH": str(ROOT)}
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "web", env=env, cwd=tmp,
                                                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    for _ in range(300):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return proc
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError("python -m bot web did not start")


async def main_async(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    mix = 0.0 if args.questions_only else 0.3
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        proc = await start_server(Path(tmp), port)
        connector = aiohttp.TCPConnector(limit=0)
        try:
            async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as http:
                users = [Visitor(http, base, rng, mix) for _ in range(args.users)]
                await asyncio.gather(*(u.open() for u in users))
                for user in users[:20]:  # warm up
                    await user.act()
                latencies: list[float] = []
                what = "questions" if args.questions_only else "posts (70% questions, 30% self-check steps)"
                if args.mode == "throughput":
                    elapsed = await closed_loop(users, max(1, args.updates // len(users)), latencies)
                    print(f"web throughput: {len(latencies)} {what} from {len(users)} visitors in {elapsed:.1f} s = "
                          f"{len(latencies) / elapsed:.0f}/s; {summary(latencies)}; "
                          f"server RSS {rss_mb(proc.pid):.0f} MB; {dict(ACTIONS)}")
                else:
                    await open_loop(args, users, http, base, rng, mix, proc, latencies, what)
        finally:
            proc.terminate()
            await proc.wait()
    if args.telegram:
        from bench import load

        await load.main_async(argparse.Namespace(mode=args.mode, users=args.users, updates=args.updates,
                                                 rate=args.rate, seconds=args.seconds, seed=args.seed, probe=None))


async def open_loop(args: argparse.Namespace, users: list[Visitor], http: aiohttp.ClientSession, base: str,
                    rng: random.Random, mix: float, proc: asyncio.subprocess.Process, latencies: list[float],
                    what: str) -> None:
    """Posts at a fixed rate from idle visitors; in a soak, RSS every 30 s and new visitors arriving."""
    samples: list[tuple[float, float]] = []
    idle = list(users)
    tasks: set[asyncio.Task] = set()
    errors = 0

    async def one(user: Visitor) -> None:
        nonlocal errors
        try:
            latencies.append(await user.act())
            if args.mode == "soak" and rng.random() < args.churn:
                user = Visitor(http, base, rng, mix)
                await user.open()
        except (aiohttp.ClientError, RuntimeError):
            errors += 1
        idle.append(user)

    start = time.perf_counter()
    next_sample = 0.0
    sent = 0
    while (now := time.perf_counter() - start) < args.seconds:
        if now >= next_sample:
            samples.append((now, rss_mb(proc.pid)))
            next_sample += 30
        if idle:
            task = asyncio.create_task(one(idle.pop(rng.randrange(len(idle)))))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            sent += 1
        await asyncio.sleep(max(0.0, sent / args.rate - (time.perf_counter() - start)))
    await asyncio.gather(*tasks)
    samples.append((time.perf_counter() - start, rss_mb(proc.pid)))
    print(f"web {args.mode}: {len(latencies)} {what} at {args.rate}/s for {args.seconds:.0f} s, {errors} errors; "
          f"{summary(latencies)}; {dict(ACTIONS)}")
    if args.mode == "soak":
        half = samples[len(samples) // 2:]
        slope = statistics.linear_regression([t for t, _ in half], [m for _, m in half]).slope * 60
        whole = statistics.linear_regression([t for t, _ in samples], [m for _, m in samples]).slope * 60
        print(f"server RSS: {samples[1][1]:.1f} MB at 30 s, {samples[-1][1]:.1f} MB at the end; second half "
              f"{min(m for _, m in half):.1f}-{max(m for _, m in half):.1f} MB, trend {slope:+.3f} MB/min "
              f"(whole run {whole:+.3f}); samples every 30 s: " + " ".join(f"{m:.1f}" for _, m in samples))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["throughput", "latency", "soak"])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--updates", type=int, default=6000)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--questions-only", action="store_true", help="questions only (no self-check steps)")
    parser.add_argument("--telegram", action="store_true", help="then bench/load.py's same mode, for comparison")
    parser.add_argument("--churn", type=float, default=0.05,
                        help="soak: the chance that a visitor is replaced by a new one after each action")
    args = parser.parse_args()
    if args.mode == "soak" and args.seconds == 60.0:
        args.seconds = 600.0
    if args.mode == "soak" and args.rate == 30.0:
        args.rate = 50.0
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
