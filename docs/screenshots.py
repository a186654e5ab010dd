"""Screenshots of the web channel: the chat on a phone and the staff page, through the same Playwright and
Debian Chromium setup as tests/test_web_browser.py.

    python docs/screenshots.py        # writes docs/screenshots/chat-phone.png and docs/screenshots/staff.png

Chinese text needs a CJK font on the machine taking the pictures (apt-get install fonts-noto-cjk
fonts-noto-color-emoji); the page itself loads no fonts. The staff page's figures come from a database
seeded here: 240 questions asked through the assistant service by 60 made-up visitors, their timestamps
spread over the last 30 days, some 👍/👎, and 40 self-check outcomes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from bot.assistant import Assistant, User  # noqa: E402
from bot.services import build_services  # noqa: E402
from bot.storage import Database  # noqa: E402
from tests.web_harness import CHROMIUM, CHROMIUM_ARGS, PASSWORD, ask, press, web_process  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
QUESTIONS = ["专技处联系电话", "材料报送截止时间", "全省一共多少名额", "需要准备什么材料", "护士能申报吗",
             "外籍专家能申报吗", "社保怎么转移", "高技能人才材料交到哪", "When is the deadline?", "退休了还能申报吗",
             "材料", "附近有什么好吃的", "明年什么时候申报", "民营企业的可以报吗", "推荐人选信息表要几份"]


async def seed(path: Path) -> None:
    rng = random.Random(7)
    db = Database(path)
    await db.open()
    assistant = Assistant(build_services(), db, 90)
    for i in range(240):
        reply = await assistant.text(User(f"web:seed{i % 60}"), rng.choice(QUESTIONS))
        thumbs = [b.data for row in (reply.view.buttons if reply.view else []) for b in row if b.data.startswith("f:")]
        if thumbs and rng.random() < 0.3:
            await assistant.press(User(f"web:seed{i % 60}"), thumbs[0] if rng.random() < 0.8 else thumbs[1])
    for i in range(40):
        outcome = rng.choices(["eligible", "review", "ineligible"], [3, 4, 2])[0]
        await db.record_screening(f"web:seed{i}", outcome, rng.choice(["professional", "professional", "skilled"]))
    now = dt.datetime.now(dt.UTC)
    for (qid,) in await db.fetchall("SELECT id FROM questions"):
        when = now - dt.timedelta(days=rng.triangular(0, 29, 3), hours=rng.uniform(0, 10))
        await db.write("UPDATE questions SET ts=? WHERE id=?", (when.isoformat(timespec="seconds"), qid))
    await db.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(seed(Path(tmp) / "web.sqlite3"))
        with web_process(Path(tmp)) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            phone = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2,
                                        base_url=url, is_mobile=True, has_touch=True)
            page = phone.new_page()
            page.goto("/")
            ask(page, "专技处联系电话")
            expect(page.locator("#transcript")).to_contain_text("7676026")
            press(page, "资格自查")
            press(page, "同意并开始")
            press(page, "专业技术人才")
            expect(page.locator("#transcript")).to_contain_text("在职")
            page.locator("#transcript article").last.scroll_into_view_if_needed()
            page.evaluate("document.activeElement.blur(); window.scrollBy(0, 120)")
            page.screenshot(path=str(OUT / "chat-phone.png"))
            desk = browser.new_context(viewport={"width": 1100, "height": 900}, base_url=url)
            staff = desk.new_page()
            staff.goto("/staff")
            staff.get_by_label("密码").fill(PASSWORD)
            staff.get_by_role("button", name="登录").click()
            expect(staff.locator("svg.chart").first).to_be_visible()
            staff.screenshot(path=str(OUT / "staff.png"), full_page=True)
            browser.close()
    print(f"wrote {OUT / 'chat-phone.png'} and {OUT / 'staff.png'}")


if __name__ == "__main__":
    main()
