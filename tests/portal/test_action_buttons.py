from django.template import Context, Template

from policy.timetable import Window

BUTTON = Template('{% load actions %}<button{% disabled_unless window "why" %}>保存</button>')


def test_an_open_window_leaves_the_button_alone():
    assert BUTTON.render(Context({"window": Window(True)})) == "<button>保存</button>"


def test_a_closed_window_disables_the_button_and_points_to_its_reason():
    html = BUTTON.render(Context({"window": Window(False, "第一批次考核 4月24日起")}))
    assert html == '<button disabled aria-describedby="why" title="第一批次考核 4月24日起">保存</button>'


def test_the_reason_is_escaped():
    html = BUTTON.render(Context({"window": Window(False, '"><script>')}))
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html
