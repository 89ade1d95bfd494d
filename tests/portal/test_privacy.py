"""Masking of names and numbers on what strangers may see."""

import pytest

from portal.privacy import mask_name


@pytest.mark.parametrize(
    ("name", "masked"), [("张三", "张*"), ("欧阳明月", "欧***"), ("王", "*"), ("", ""), (" 李四 ", "李*")]
)
def test_mask_name_keeps_the_first_character_only(name, masked):
    assert mask_name(name) == masked
