import django.db.models.deletion
from django.db import migrations, models


def copy_from_application(apps, schema_editor):
    Assessment = apps.get_model("admissions", "Assessment")
    Application = apps.get_model("admissions", "Application")
    for application in Application.objects.filter(assessments__isnull=False).distinct().iterator():
        Assessment.objects.filter(application=application).update(
            applicant_id=application.applicant_id, campaign_id=application.campaign_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("admissions", "0008_admission_notice_file"),
        ("policy", "0002_applicant_profile_and_choices"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="applicant",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assessments",
                to="admissions.applicant",
                verbose_name="学员",
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="campaign",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="policy.campaign",
            ),
        ),
        migrations.RunPython(copy_from_application, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="assessment",
            name="applicant",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assessments",
                to="admissions.applicant",
                verbose_name="学员",
            ),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="campaign",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="policy.campaign",
            ),
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("stage__in", ["proposed", "admitted"])),
                fields=("applicant", "campaign"),
                name="one_place_per_applicant_and_campaign",
                violation_error_message="同一考生在本年度只能占用一个招收名额。",
            ),
        ),
    ]
