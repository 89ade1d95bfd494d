"""What the browser tests do on the pages, shared: the server's frozen clock, signing in, reading the
messages, the applicant's tabs and the round's score sheets."""

import datetime
import re
from zoneinfo import ZoneInfo

import time_machine
from playwright.sync_api import expect

SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def server_clock(*args):
    """The server's clock at that Shanghai time, still ticking; `.move_to(shanghai(...))` on what `with`
    gives moves it on. time_machine patches the clock process-wide, so the live server thread sees it
    too. Use with the `browser_cookies` fixture when anyone signs in."""
    return time_machine.travel(shanghai(*args), tick=True)


def log_in(page, url, username, password):
    """Open `url`, which sends an anonymous visitor to the login form, and log in there."""
    page.goto(url)
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    form = page.locator("main form")
    form.get_by_label("用户名").fill(username)
    form.get_by_label("密码").fill(password)
    form.get_by_role("button", name="登录").click()
    page.wait_for_url(url)


def messages(page):
    return page.locator("ul.messages")


def assert_no_horizontal_scroll(page):
    scroll_width, viewport_width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= viewport_width + 1, f"{page.url} scrolls sideways: {scroll_width}px in {viewport_width}px"


def open_tab(page, label):
    """A tab of the applicant's pages (我的报名)."""
    page.locator("nav.applicant-nav").get_by_role("link", name=label, exact=True).click()


# The `scans` fixture's files, by the kind of document each one is.
SCANS_BY_KIND = (("身份证件正面", "id-front.png"), ("身份证件反面", "id-back.png"), ("毕业证书", "毕业证书.pdf"))


def upload(page, kind, path):
    """Upload one document on the applicant's 报名材料 tab and wait for the confirmation."""
    form = page.get_by_test_id("upload-form")
    form.get_by_label("材料类型").select_option(label=kind)
    form.get_by_label("文件").set_input_files(path)
    form.get_by_role("button", name="上传").click()
    expect(messages(page)).to_contain_text("材料已上传")


def sheet(page, name):
    """A candidate's score sheet on the round page."""
    return page.locator(f"[data-testid=sheet][data-candidate='{name}']")


def ranking_row(page, name):
    return page.locator(f"[data-testid=ranking-row][data-candidate='{name}']")


def review(page, name):
    """Pass the candidate's qualification review."""
    sheet(page, name).get_by_label("通过", exact=True).check()
    sheet(page, name).get_by_role("button", name="保存审核结果").click()
    expect(messages(page)).to_contain_text(f"已保存{name}的资格审核结果。")


def enter_scores(page, name, interview, exam, overall, opinion):
    form = sheet(page, name).get_by_test_id("score-form")
    form.get_by_label("面试成绩", exact=True).fill(interview)
    form.get_by_label("专业考试成绩", exact=True).fill(exam)
    form.get_by_label("整体意见", exact=True).fill(overall)
    form.get_by_label("录取意见", exact=True).select_option(label=opinion)
    form.get_by_role("button", name="保存成绩").click()
