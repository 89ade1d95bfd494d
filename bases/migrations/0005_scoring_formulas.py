"""Each quota's weights become version 1 of its scoring formula, which then is their one home."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def weights_to_first_versions(apps, schema_editor):
    Quota = apps.get_model("bases", "Quota")
    ScoringFormula = apps.get_model("bases", "ScoringFormula")
    rows = Quota.objects.values_list("pk", "interview_weight", "exam_weight").order_by("pk").iterator()
    ScoringFormula.objects.bulk_create(
        (
            ScoringFormula(quota_id=pk, version=1, interview_weight=interview, exam_weight=exam)
            for pk, interview, exam in rows
        ),
        batch_size=1000,
    )


def latest_versions_to_weights(apps, schema_editor):
    Quota = apps.get_model("bases", "Quota")
    ScoringFormula = apps.get_model("bases", "ScoringFormula")
    latest = {}
    for formula in ScoringFormula.objects.order_by("quota_id", "version").iterator():
        latest[formula.quota_id] = formula
    for formula in latest.values():
        Quota.objects.filter(pk=formula.quota_id).update(
            interview_weight=formula.interview_weight, exam_weight=formula.exam_weight
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bases", "0004_assessments_publicity_admission"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ScoringFormula",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.PositiveSmallIntegerField(verbose_name="版本")),
                ("interview_weight", models.PositiveSmallIntegerField(default=50, verbose_name="面试成绩权重（%）")),
                ("exam_weight", models.PositiveSmallIntegerField(default=50, verbose_name="专业考试成绩权重（%）")),
                (
                    "tie_break",
                    models.CharField(
                        choices=[
                            ("exam_first", "先比专业考试成绩，再比面试成绩"),
                            ("interview_first", "先比面试成绩，再比专业考试成绩"),
                        ],
                        default="exam_first",
                        max_length=16,
                        verbose_name="并列时的排序",
                    ),
                ),
                ("reason", models.TextField(blank=True, verbose_name="修改理由")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="生效时间")),
                (
                    "approved_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="专业基地已录入成绩后的修改，须由省级管理部门进行",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="省级审批人",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="为空：随招收计划生成",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="修改人",
                    ),
                ),
                (
                    "quota",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="formulas",
                        to="bases.quota",
                        verbose_name="招收计划",
                    ),
                ),
            ],
            options={
                "verbose_name": "计分公式",
                "verbose_name_plural": "计分公式",
                "ordering": ["quota", "-version"],
                "constraints": [
                    models.UniqueConstraint(fields=("quota", "version"), name="one_formula_per_version"),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("exam_weight__lte", 100),
                            ("interview_weight__lte", 100),
                            models.Q(("interview_weight__gt", 0), ("exam_weight__gt", 0), _connector="OR"),
                        ),
                        name="formula_weights_are_percentages",
                    ),
                ],
            },
        ),
        migrations.RunPython(weights_to_first_versions, latest_versions_to_weights),
        migrations.RemoveConstraint(model_name="quota", name="weights_are_percentages"),
        migrations.RemoveField(model_name="quota", name="exam_weight"),
        migrations.RemoveField(model_name="quota", name="interview_weight"),
    ]
