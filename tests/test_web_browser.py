"""The web channel through a real browser: Playwright driving Debian's Chromium against ``python -m bot web``.

Skipped only where /usr/bin/chromium is absent (.ci/run installs it: apt-get install chromium).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web_harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORD,
    ask,
    press,
    walk_to_the_birth_date,
    web_process,
)

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium); the browser tests need Debian's Chromium",
                allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright

PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with web_process(tmp_path_factory.mktemp("web")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    """A fresh visitor (own cookies) on a phone-sized screen; dialogs and requests recorded."""
    context = browser.new_context(viewport=PHONE, base_url=server)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.requests = []  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    page.on("request", lambda r: page.requests.append(r.url))  # type: ignore[attr-defined]
    page.goto("/")
    yield page
    context.close()


def last_entry(page: Page):
    return page.locator("#transcript article").last


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_question_is_answered_with_its_clause_and_feedback_is_thanked(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    ask(page, "专技处联系电话")
    answer = last_entry(page)
    expect(answer).to_contain_text("7676026")
    expect(answer).to_contain_text("依据：晋人社厅函〔2024〕230号")
    expect(page.get_by_label("输入您的问题")).to_have_value("")
    press(page, "👍")
    expect(page.get_by_role("status")).to_have_text("谢谢您的反馈！")


def test_markup_typed_is_shown_literally_and_never_runs(page: Page) -> None:
    for text in ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", '"><svg onload=alert(3)>'):
        ask(page, text)
        expect(page.locator("#transcript article.me").last).to_have_text(re.compile(re.escape(text)))
    page.reload()
    expect(page.get_by_text("<img src=x onerror=alert(2)>")).to_be_visible()
    page.wait_for_timeout(300)
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert page.locator("#transcript img, #transcript script, #transcript svg").count() == 0


def test_the_self_check_from_consent_to_its_result(page: Page) -> None:
    press(page, "资格自查")
    expect(last_entry(page)).to_contain_text("开始资格自查前，请阅读")  # the privacy notice, consent first
    press(page, "同意并开始")
    press(page, "高技能人才")
    expect(last_entry(page)).to_contain_text("在职")
    press(page, "⬅️ 上一步")
    expect(last_entry(page)).to_contain_text("哪一类")
    press(page, "专业技术人才")
    press(page, "不确定")  # 在职: not sure, asked about later
    expect(last_entry(page)).to_contain_text("近5年")
    press(page, "为什么问这个")
    expect(last_entry(page)).to_contain_text("这个问题依据")
    for label, question in (("是", "党政军群"), ("否", "副省部级"), ("否", "不再直接从事"), ("否", "已经享受"),
                            ("未享受", "出生日期")):
        press(page, label)
        expect(page.locator("#transcript")).to_contain_text(question)
    ask(page, "1970年3月15日")
    expect(last_entry(page)).to_contain_text("高级职称")
    press(page, "📝 查看/修改")
    expect(last_entry(page)).to_contain_text("1970-03-15")
    last_entry(page).get_by_role("button", name=re.compile("在职")).click()
    press(page, "是")
    press(page, "有")
    last_entry(page).get_by_role("button", name=re.compile("^P1 ")).click()
    expect(last_entry(page).get_by_role("button", name=re.compile("^✅ P1 "))).to_be_visible()
    press(page, "完成")
    expect(last_entry(page)).to_contain_text("自查结果")
    expect(last_entry(page)).to_contain_text("初步符合条件")
    no_sideways_scroll(page)
    press(page, "🔄 重新开始")
    expect(last_entry(page)).to_contain_text("哪一类")


def test_a_reload_keeps_the_transcript_and_the_self_check_step(page: Page) -> None:
    ask(page, "材料报送截止时间")
    expect(last_entry(page)).to_contain_text("5月10日")
    walk_to_the_birth_date(page)
    page.reload()
    expect(page.locator("#transcript")).to_contain_text("材料报送截止时间")
    expect(last_entry(page)).to_contain_text("出生日期")
    ask(page, "1975-06-01")
    expect(last_entry(page)).to_contain_text("高级职称")
    page.reload()
    press(page, "有")
    expect(last_entry(page)).to_contain_text("具备下列哪些条件")


def test_a_phone_needs_no_sideways_scrolling(page: Page) -> None:
    no_sideways_scroll(page)
    press(page, "材料清单")
    expect(last_entry(page)).to_contain_text("推荐人选信息表")
    ask(page, "x" * 300)
    ask(page, "https://example.invalid/" + "a/b" * 60)
    expect(page.locator("#transcript article.me")).to_have_count(2)
    no_sideways_scroll(page)
    walk_to_the_birth_date(page)
    no_sideways_scroll(page)


def test_deadlines_contacts_and_privacy_from_the_menu(page: Page) -> None:
    press(page, "截止时间")
    expect(last_entry(page)).to_contain_text("5月10日")
    press(page, "联系方式")
    expect(last_entry(page)).to_contain_text("0351-7676026")
    press(page, "隐私说明")
    expect(last_entry(page)).to_contain_text("天未使用即自动删除")


def test_delete_my_data_asks_first_then_clears_the_conversation(page: Page) -> None:
    ask(page, "专技处联系电话")
    press(page, "删除我的数据")
    press(page, "取消")
    expect(last_entry(page)).to_contain_text("数据未删除")
    press(page, "删除我的数据")
    press(page, "确定删除")
    expect(page.get_by_role("status")).to_contain_text("已删除")
    expect(page.locator("#transcript article")).to_have_count(1)
    page.reload()
    expect(page.locator("#transcript")).not_to_contain_text("7676026")


def test_english_questions_get_english_answers_marked_as_english(page: Page) -> None:
    ask(page, "When is the deadline?")
    expect(last_entry(page)).to_have_attribute("lang", "en")
    expect(last_entry(page)).to_contain_text("May")


def test_keyboard_alone_asks_and_answers(page: Page) -> None:
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("专技处联系电话")
    page.keyboard.press("Enter")
    expect(last_entry(page)).to_contain_text("7676026")
    assert page.evaluate("document.activeElement.id") == "q"  # ready for the next question
    page.get_by_role("button", name="资格自查", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_text("同意并开始")  # focus follows the new step
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_text("专业技术人才")


def test_buttons_are_labelled_and_the_transcript_is_announced(page: Page) -> None:
    ask(page, "专技处联系电话")
    walk_to_the_birth_date(page)
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    names = page.evaluate("[...document.querySelectorAll('button')].map(b => b.textContent.trim())")
    assert names and all(names)
    assert page.get_by_role("textbox").count() == 1


def test_nothing_is_loaded_from_another_server(page: Page, server: str) -> None:
    ask(page, "专技处联系电话")
    page.reload()
    assert page.requests and all(url.startswith(server) for url in page.requests)  # type: ignore[attr-defined]


def test_the_page_works_without_javascript(browser, server) -> None:
    context = browser.new_context(viewport=PHONE, base_url=server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    ask(page, "专技处联系电话")
    expect(page.locator("#transcript")).to_contain_text("7676026")
    press(page, "👍")
    expect(page.get_by_role("status")).to_have_text("谢谢您的反馈！")
    press(page, "资格自查")
    press(page, "同意并开始")
    expect(page.locator("#transcript")).to_contain_text("哪一类")
    context.close()


def test_staff_login_wrong_then_right_shows_charts(browser, server) -> None:
    context = browser.new_context(base_url=server)
    page = context.new_page()
    page.goto("/")
    ask(page, "专技处联系电话")
    expect(last_entry(page)).to_contain_text("7676026")
    page.goto("/staff")
    page.get_by_label("密码").fill("not the password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("密码不正确。")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("svg.chart").first).to_be_visible()
    assert page.locator("svg.chart rect.bar").count() > 0
    expect(page.get_by_role("link", name="导出提问记录（CSV）")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="导出提问记录（CSV）").click()
    assert Path(download.value.path()).read_text("utf-8-sig").startswith("id,time,user,question")
    context.close()
