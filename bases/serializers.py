from rest_framework import serializers

from bases.models import Quota, TrainingBase


class TrainingBaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingBase
        fields = ["id", "name", "city", "level", "contact_person", "phone_numbers", "qq_groups"]


class PlanRowSerializer(serializers.ModelSerializer):
    training_base = serializers.CharField(source="specialty_base.training_base.name")
    city = serializers.CharField(source="specialty_base.training_base.city")
    specialty = serializers.CharField(source="specialty_base.specialty.name")
    specialty_code = serializers.CharField(source="specialty_base.specialty.code")
    is_shortage = serializers.BooleanField()

    class Meta:
        model = Quota
        fields = ["id", "training_base", "city", "specialty", "specialty_code", "places", "capacity", "is_shortage"]
