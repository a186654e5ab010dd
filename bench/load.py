"""Load: the real bot (a subprocess, ``python -m bot``) driven through the fake Bot API server by many users.

    python bench/load.py throughput [--users 200] [--updates 6000]
    python bench/load.py latency [--rate 30] [--seconds 60]
    python bench/load.py soak [--rate 50] [--seconds 600] [--probe FILE]

Users mix questions (70%) with self-check steps (30%). ``throughput``: closed loop, each user sends the next
update once the previous one is answered; reports updates per second and latency. ``latency``: open loop at a
fixed rate; reports p50/p99 from an update becoming available to the bot's answer. ``soak``: a long open-loop
run sampling the bot's resident memory every 10 s. The bot's send cap (SEND_RATE, Telegram's ~30/s) is lifted
so the bot's own capacity is measured; the per-user incoming limit is lifted too. Every mode also reports
the bot's getUpdates calls per update (how well polls batch).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakebot import TOKEN, FakeBotApi, Sent  # noqa: E402

QUESTIONS = ["专技处联系电话", "材料报送截止时间", "全省一共多少名额", "需要准备什么材料", "护士能申报吗",
             "外籍专家能申报吗", "社保怎么转移", "高技能人才材料交到哪", "When is the deadline?", "退休了还能申报吗"]


class Measured(FakeBotApi):
    """The fake server, noting when each chat was last answered (``awaited``: the fake keeps its own ``answered``
    for button presses)."""

    def __init__(self) -> None:
        super().__init__()
        self.awaited: dict[int, asyncio.Future] = {}

    def _answer(self, chat_id: int) -> None:
        future = self.awaited.pop(chat_id, None)
        if future is not None and not future.done():
            future.set_result(time.perf_counter())

    async def _sendMessage(self, params: dict, files: dict) -> dict:
        result = await super()._sendMessage(params, files)
        self._answer(int(params["chat_id"]))
        return result

    async def _editMessageText(self, params: dict, files: dict) -> dict:
        result = await super()._editMessageText(params, files)
        self._answer(self.messages[int(params["message_id"])].chat_id)
        return result

    def expect(self, chat_id: int) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.awaited[chat_id] = future
        return future


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class User:
    """One simulated user: asks questions, and walks (and restarts) the self-check."""

    def __init__(self, api: Measured, uid: int, rng: random.Random) -> None:
        self.api, self.uid, self.rng = api, uid, rng
        self.check: Sent | None = None  # the message the self-check is shown in

    async def act(self) -> float:
        """Send one update and return the seconds until the bot answered it."""
        future = self.api.expect(self.uid)
        start = time.perf_counter()
        step = self.rng.random() < 0.3
        if step and self.check is not None and ("出生日期" in self.check.text or "多少年" in self.check.text):
            await self.api.says(self.uid, "1975-06-01" if "出生日期" in self.check.text else "8")
        elif step and self.check is not None and (buttons := self._buttons()):
            await self.api.presses(self.uid, self.check, self.rng.choice(buttons))
        elif step:
            await self.api.says(self.uid, "/check")
        else:
            await self.api.says(self.uid, self.rng.choice(QUESTIONS))
        done = await asyncio.wait_for(future, 30)
        if step:  # a typed answer or /check shows the self-check in a new message
            shown = [m for m in self.api.to(self.uid) if any(d.startswith(("c:", "k:")) for _, d in m.buttons)]
            self.check = shown[-1] if shown else None
        return done - start

    def _buttons(self) -> list[str]:
        """Buttons that move the self-check on (not back, not restart)."""
        assert self.check is not None
        return [d for _, d in self.check.buttons
                if d.startswith(("c:", "k:y")) and not d.endswith((":x", ":b"))]


async def start_bot(url: str, tmp: Path, probe: str | None = None) -> asyncio.subprocess.Process:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": url, "DATABASE_PATH": str(tmp / "l.db"),
           "SEND_RATE": "0", "RATE_LIMIT_MESSAGES": "1000000", "PYTHONPATH": str(ROOT)}
    command = ["-m", "bot"]
    if probe:  # the same bot, with a memory probe answering SIGUSR1 (bench/memprobe_bot.py)
        env["PROBE_OUT"] = str(Path(probe).resolve())
        command = [str(ROOT / "bench" / "memprobe_bot.py")]
    return await asyncio.create_subprocess_exec(sys.executable, *command, env=env, cwd=tmp,
                                                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)


def polls(api: FakeBotApi) -> int:
    """How many times the bot has called getUpdates so far (long polls that came back empty included)."""
    return sum(1 for method, _ in api.log if method == "getUpdates")


class Acting(Protocol):
    async def act(self) -> float: ...


async def closed_loop(users: Sequence[Acting], per_user: int, latencies: list[float]) -> float:
    """Every user acts ``per_user`` times, each waiting for its reply before the next; the seconds it took."""

    async def loop(user: Acting) -> None:
        for _ in range(per_user):
            latencies.append(await user.act())

    start = time.perf_counter()
    await asyncio.gather(*(loop(u) for u in users))
    return time.perf_counter() - start


def summary(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return f"latency p50 {statistics.median(ordered) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"


async def main_async(args: argparse.Namespace) -> None:
    api = Measured()
    url = await api.start()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        proc = await start_bot(url, Path(tmp), args.probe)
        try:
            await api.wait_for(lambda: any(m == "setMyCommands" for m, _ in api.log), timeout=30)
            users = [User(api, 20_000 + i, rng) for i in range(args.users)]
            for user in users[:20]:  # warm up
                await user.act()
            latencies: list[float] = []
            polls_before = polls(api)
            if args.mode == "throughput":
                elapsed = await closed_loop(users, max(1, args.updates // len(users)), latencies)
                print(f"throughput: {len(latencies)} updates from {len(users)} users in {elapsed:.1f} s = "
                      f"{len(latencies) / elapsed:.0f} updates/s; {summary(latencies)}; "
                      f"{(polls(api) - polls_before) / len(latencies):.2f} getUpdates per update; "
                      f"bot RSS {rss_mb(proc.pid):.0f} MB")
            else:
                samples: list[tuple[float, float]] = []
                start = time.perf_counter()
                idle = list(users)
                tasks = set()

                async def one(user: User) -> None:
                    latencies.append(await user.act())
                    idle.append(user)

                next_sample = 0.0
                sent = 0
                while (now := time.perf_counter() - start) < args.seconds:
                    if now >= next_sample:
                        samples.append((now, rss_mb(proc.pid)))
                        if args.probe and len(samples) % 3 == 1:  # every 30 s
                            proc.send_signal(signal.SIGUSR1)
                        next_sample += 10
                    if idle:
                        task = asyncio.create_task(one(idle.pop(rng.randrange(len(idle)))))
                        tasks.add(task)
                        task.add_done_callback(tasks.discard)
                        sent += 1
                    await asyncio.sleep(max(0.0, sent / args.rate - (time.perf_counter() - start)))
                await asyncio.gather(*tasks)
                print(f"{args.mode}: {len(latencies)} updates at {args.rate}/s for {args.seconds} s; "
                      f"{summary(latencies)}; {(polls(api) - polls_before) / len(latencies):.2f} getUpdates per update")
                if args.mode == "soak":
                    first = statistics.mean(m for _, m in samples[1:4])
                    last = statistics.mean(m for _, m in samples[-3:])
                    half = samples[len(samples) // 2:]
                    slope = statistics.linear_regression([t for t, _ in half], [m for _, m in half]).slope * 60
                    print(f"bot RSS: {first:.1f} MB after 10-40 s, {last:.1f} MB at the end; second half "
                          f"{min(m for _, m in half):.1f}-{max(m for _, m in half):.1f} MB, trend "
                          f"{slope:+.3f} MB/min; samples " + " ".join(f"{m:.1f}" for _, m in samples))
        finally:
            proc.terminate()
            await proc.wait()
            await api.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["throughput", "latency", "soak"])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--updates", type=int, default=6000)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--probe", metavar="FILE", help="soak: run the bot with bench/memprobe_bot.py, which "
                        "appends SQLite, heap and object counts to FILE every 30 s")
    args = parser.parse_args()
    if args.mode == "soak" and args.seconds == 60.0:
        args.seconds = 600.0
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
