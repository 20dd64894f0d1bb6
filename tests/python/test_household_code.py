"""diachi.HouseholdCode: forms, errors, check character, recovery."""
import pytest

import diachi
from diachi import HouseholdCode, olc


def test_forms_and_spellings():
    code = HouseholdCode.parse("11120 7q89-xg2")
    assert code.canonical == "111207Q89XG2"
    assert code.display == "11120 7Q89+XG2"
    assert code.postcode == 11120 and code.grid == "7Q89XG2" and code.unit == 1
    assert code.display_checked == "11120 7Q89+XG2-" + code.check_character
    assert HouseholdCode.parse(code.display_checked) == code
    assert str(code) == code.display
    unit = code.with_unit(12)
    assert unit.canonical == "111207Q89XG2/12"
    assert HouseholdCode.parse(unit.display_checked) == unit
    assert HouseholdCode.from_key(unit.key) == unit
    assert len({code, HouseholdCode.parse("111207Q89XG2"), unit}) == 2


def test_from_degrees_matches_the_open_location_code():
    code = HouseholdCode.from_degrees(11120, "21.0006", "105.8")
    full = olc.encode("21.0006", "105.8", 11)
    assert code.grid == full[4:8] + full[9:12]
    assert full == "7PH72R22+62R"


@pytest.mark.parametrize("text,error,position", [
    ("", "empty_input", 0),
    ("11120 7Q89+XG", "invalid_length", 0),
    ("1112O 7Q89+XG2", "invalid_character", 5),
    ("11120 7Q89+XI2", "invalid_character", 13),
    ("11120 7Q89+XG2/0", "bad_unit", 16),
    ("11120 7Q89+XĐ2", "invalid_character", 13),
])
def test_rejects_with_what_and_where(text, error, position):
    with pytest.raises(diachi.CodeError) as info:
        HouseholdCode.parse(text)
    assert info.value.code == error
    assert info.value.position == position


def test_check_character_catches_a_typo():
    code = HouseholdCode.parse("111207Q89XG2")
    typo = "111207Q89XG3" + code.check_character
    with pytest.raises(diachi.CodeError) as info:
        HouseholdCode.parse(typo)
    assert info.value.code == "bad_check_character"


def test_recover_lists_candidates_nearest_first():
    code = HouseholdCode.from_degrees(11120, 21.0285, 105.8542)
    cells = code.recover(21.2, 105.6, max_distance_m=150_000)
    assert cells[0].code == olc.encode(21.0285, 105.8542, 11)
    assert [c.distance_m for c in cells] == sorted(c.distance_m for c in cells)
    assert all(c.distance_m <= 150_000 for c in cells)
