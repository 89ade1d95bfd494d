import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy.identity import InvalidResidentId, make_resident_id, parse_resident_id

regions = st.from_regex(r"[1-8]\d{5}", fullmatch=True)
births = st.dates(min_value=datetime.date(1940, 1, 1), max_value=datetime.date(2010, 12, 31))
sequences = st.integers(min_value=0, max_value=999)


def test_the_published_sample_number_is_valid():
    parsed = parse_resident_id("11010519491231002x")
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == datetime.date(1949, 12, 31)
    assert parsed.sex == "female"


@given(regions, births, sequences)
def test_generated_numbers_parse_back(region, birth, sequence):
    parsed = parse_resident_id(make_resident_id(region, birth, sequence))
    assert parsed.birth_date == birth
    assert parsed.sex == ("male" if sequence % 2 else "female")


@given(regions, births, sequences, st.sampled_from("0123456789X"))
def test_any_other_check_character_is_refused(region, birth, sequence, wrong):
    number = make_resident_id(region, birth, sequence)
    if wrong != number[-1]:
        with pytest.raises(InvalidResidentId):
            parse_resident_id(number[:-1] + wrong)


@given(regions, births, sequences, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_a_single_mistyped_digit_is_caught(region, birth, sequence, position, delta):
    number = make_resident_id(region, birth, sequence)
    typo = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    with pytest.raises(InvalidResidentId):
        parse_resident_id(typo)


@pytest.mark.parametrize("raw", ["", "1234", "11010519491331002X", "1101051949123100ZX", "110105194912310021"])
def test_malformed_numbers_are_refused_with_a_reason(raw):
    with pytest.raises(InvalidResidentId) as error:
        parse_resident_id(raw)
    assert str(error.value)
