"""Limits on objections (异议) during publicity (三(三)3): anyone signed in may object, but one person
cannot bury an office in copies or block a list by repeating themselves."""

import re

from django.utils.translation import gettext as _

# Objections one user may raise against one listed candidate, whatever became of the earlier ones.
PER_ENTRY = 3


# Objections one user may raise in one day (Asia/Shanghai), across every list.
PER_DAY = 20


def normalized(text):
    """The text as compared for "the same objection again": whitespace runs count as one space."""
    return re.sub(r"\s+", " ", text).strip()


def objection_refusal(*, on_entry, today, repeats):
    """Why the user may not raise this objection now, or "": `on_entry` and `today` count the
    user's earlier objections on this entry and today; `repeats` says the same text was raised
    on this entry before."""
    if repeats:
        return _("您已对该考生提出过相同内容的异议，培训基地会一并核实，请勿重复提交。")
    if on_entry >= PER_ENTRY:
        return _("对同一名考生最多提出 %(limit)s 次异议。") % {"limit": PER_ENTRY}
    if today >= PER_DAY:
        return _("每人每天最多提出 %(limit)s 条异议，请明天再提交。") % {"limit": PER_DAY}
    return ""
