import io

from django.core.mail import EmailMessage

from portal.mail import ConsoleSummaryBackend


def test_the_console_shows_one_readable_line_with_the_links_not_base64():
    out = io.StringIO()
    message = EmailMessage(
        subject="重置密码",
        body="您好：\n\n请打开以下链接设置新密码：\nhttps://zhupei.example.gov.cn/accounts/reset/MQ/abc-123/\n\n此致",
        to=["zhang@example.com"],
    )
    message.attach("notice.pdf", b"%PDF-1.7", "application/pdf")
    ConsoleSummaryBackend(stream=out).send_messages([message])
    line = out.getvalue()
    assert line.count("\n") == 1
    assert line == (
        "Mail to zhang@example.com: 重置密码 | 您好： | https://zhupei.example.gov.cn/accounts/reset/MQ/abc-123/"
        " | [1 attachment(s)]\n"
    )


def test_a_long_first_line_is_shortened():
    out = io.StringIO()
    ConsoleSummaryBackend(stream=out).send_messages([EmailMessage(subject="通知", body="很长" * 100, to=["a@b.cn"])])
    assert len(out.getvalue()) < 120 and out.getvalue().rstrip().endswith("…")
