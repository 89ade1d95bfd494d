"""Entries outside the open rounds (二(三)2-3, 四(三)): professional master's students entered by
their training base, and rural order-oriented graduates assigned by the provincial office."""

from django.utils.translation import gettext as _

from policy.decisions import Decision, Reason


def professional_master_decision(
    *, university_province, base_province, university_city, base_city, has_approval_document
):
    """May a base enter a professional master's student of a university in `university_province`?

    Since 2023 no cross-province residency training of new professional masters; off-site training
    inside the province needs the education department's written approval on file.
    """
    if university_province != base_province:
        return Decision(
            False,
            (
                Reason(
                    "四(三)",
                    _(
                        "培养高校在%(university)s，培训基地在%(base)s：专业学位硕士研究生不得跨省开展住院医师规范化培训。"
                    )
                    % {"university": university_province, "base": base_province},
                ),
            ),
        )
    if university_city != base_city and not has_approval_document:
        return Decision(
            False,
            (
                Reason(
                    "四(三)",
                    _(
                        "培养高校在%(university)s，培训基地在%(base)s，属省内异地培养：须上传省教育厅同意的书面材料后方可录入。"
                    )
                    % {"university": university_city, "base": base_city},
                ),
            ),
        )
    reason = (
        _("省内异地培养，已上传省教育厅同意的书面材料。")
        if university_city != base_city
        else _("培养高校与培训基地在同一城市。")
    )
    return Decision(True, (Reason("四(三)", reason),))
