import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def attach_to_national_years(apps, schema_editor):
    """Days entered before years existed become the State Council's list of their year, not yet
    declared complete: one day no longer makes the rest of its year known."""
    CalendarYear = apps.get_model("policy", "CalendarYear")
    WorkingDayOverride = apps.get_model("policy", "WorkingDayOverride")
    for day in WorkingDayOverride.objects.all():
        year, _created = CalendarYear.objects.get_or_create(province=None, year=day.date.year)
        day.calendar_year = year
        day.save(update_fields=["calendar_year"])


class Migration(migrations.Migration):
    dependencies = [
        ("bases", "0004_assessments_publicity_admission"),
        ("policy", "0002_applicant_profile_and_choices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CalendarYear",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveIntegerField(verbose_name="年度")),
                ("declared_complete_at", models.DateTimeField(blank=True, null=True, verbose_name="确认完整时间")),
                (
                    "declared_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="确认人",
                    ),
                ),
                (
                    "province",
                    models.ForeignKey(
                        blank=True,
                        help_text="空：国务院办公厅公布的全国安排",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="bases.province",
                        verbose_name="省份",
                    ),
                ),
            ],
            options={
                "verbose_name": "年度工作日安排",
                "verbose_name_plural": "年度工作日安排",
                "ordering": ["-year", "province"],
                "constraints": [
                    models.UniqueConstraint(fields=("province", "year"), name="one_calendar_per_province_and_year"),
                    models.UniqueConstraint(
                        condition=models.Q(("province__isnull", True)),
                        fields=("year",),
                        name="one_national_calendar_per_year",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="workingdayoverride",
            name="calendar_year",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="days",
                to="policy.calendaryear",
                verbose_name="年度",
            ),
        ),
        migrations.RunPython(attach_to_national_years, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="workingdayoverride",
            name="calendar_year",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="days",
                to="policy.calendaryear",
                verbose_name="年度",
            ),
        ),
        migrations.AlterField(
            model_name="workingdayoverride",
            name="date",
            field=models.DateField(verbose_name="日期"),
        ),
        migrations.AddConstraint(
            model_name="workingdayoverride",
            constraint=models.UniqueConstraint(fields=("calendar_year", "date"), name="one_entry_per_day"),
        ),
    ]
