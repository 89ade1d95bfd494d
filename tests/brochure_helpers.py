from bases.services.quotas import do_set_quota
from policy.rules.brochures import SECTIONS


def complete_sections(prefix="内容"):
    """Text for every section, each just long enough to pass the completeness check."""
    return {section.key: f"{prefix}{section.label}" + "详" * section.min_chars for section in SECTIONS}


def give_plan(world, base="xiehe", places=5):
    return do_set_quota(
        actor=None, campaign=world["hubei_campaign"], specialty_base=world[f"{base}_internal"], places=places
    )
