"""The public vacancy board in the API: counts per specialty base, never a person."""

from rest_framework import serializers


class VacancyRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="quota_id", help_text="招收计划编号（同 /api/v1/plan/ 的 id）")
    specialty_base = serializers.IntegerField(source="specialty_base_id", help_text="专业基地编号")
    training_base = serializers.CharField(help_text="住培基地")
    city = serializers.CharField(help_text="市州")
    specialty = serializers.CharField(help_text="专业")
    specialty_code = serializers.CharField(help_text="专业代码")
    is_shortage = serializers.BooleanField(help_text="紧缺专业")
    plan = serializers.IntegerField(help_text="招收计划数")
    held = serializers.IntegerField(help_text="拟录取占用（尚未正式录取）")
    admitted = serializers.IntegerField(help_text="已录取（含专业学位硕士、农村订单定向等直接纳入）")
    left = serializers.IntegerField(help_text="剩余名额 = 计划 − 拟录取 − 已录取，不小于 0")


class VacancyTotalsSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    held = serializers.IntegerField()
    admitted = serializers.IntegerField()
    left = serializers.IntegerField()


class VacancyBoardSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="招录年度")
    is_open = serializers.BooleanField(help_text="现在是否公布空余名额（第一批次考核至第二批次拟录取公示结束）")
    reason = serializers.CharField(allow_blank=True, help_text="未公布时的说明，如“空余名额公告 5月20日起”")
    opens_on = serializers.DateField(allow_null=True, help_text="尚未开始时，开始公布的日期")
    counted_at = serializers.DateTimeField(allow_null=True, help_text="统计时间：至多一分钟前")
    totals = VacancyTotalsSerializer(allow_null=True, help_text="筛选结果的合计；未公布时为 null")
    results = VacancyRowSerializer(many=True)
