"""Certificate codes: random, readable aloud, forgiving to type, and typos caught."""

import re

import pytest

from certificates import codes
from certificates.codes import ALPHABET, format_code, new_code, normalise_code


def test_new_code_is_canonical_and_random():
    issued = {new_code() for _ in range(2000)}
    assert len(issued) == 2000
    assert all(len(code) == 17 and set(code[:16]) <= set(ALPHABET) for code in issued)
    assert all(normalise_code(code) == code for code in issued)


def test_new_code_carries_80_bits_from_secrets(monkeypatch):
    requested = []
    monkeypatch.setattr(codes.secrets, "randbits", lambda bits: requested.append(bits) or 2**80 - 1)
    assert new_code() == "Z" * 16 + codes.check_symbol("Z" * 16)
    assert requested == [80]


def test_alphabet_leaves_out_letters_that_look_like_digits_or_spell_words():
    assert len(ALPHABET) == 32
    assert not set("ILOU") & set(ALPHABET)


def test_format_code_groups_four_by_four_then_the_check_symbol():
    code = new_code()
    printed = format_code(code)
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}-[0-9A-Z*~$=]", printed)
    assert printed.replace("-", "") == code


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower(),
        lambda code: format_code(code),
        lambda code: " ".join(format_code(code).split("-")).lower(),
        lambda code: f"  {code[:8]} – {code[8:]}\n",
    ],
)
def test_typed_code_ignores_case_spaces_and_dashes(typed):
    code = new_code()
    assert normalise_code(typed(code)) == code


def test_letters_that_look_like_digits_read_as_those_digits():
    data = "0O1IL" + "2" * 11
    canonical = "00111" + "2" * 11
    check = codes.check_symbol(canonical)
    assert normalise_code(data + check) == canonical + check
    assert normalise_code((data + check).lower()) == canonical + check


def test_every_single_character_typo_is_caught():
    code = new_code()
    for position in range(17):
        for symbol in codes.CHECK_ALPHABET[:32]:
            if symbol != code[position] and (position < 16 or symbol in codes.CHECK_ALPHABET):
                assert normalise_code(code[:position] + symbol + code[position + 1 :]) is None


def test_swapped_neighbours_are_caught():
    code = new_code()
    for position in range(15):
        swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
        assert swapped == code or normalise_code(swapped) is None


@pytest.mark.parametrize("typed", ["", "ABCD", "U" * 17, "0" * 16 + "!", "0" * 18, "ÀBCD-EFGH-JKMN-PQRS-T"])
def test_malformed_codes_are_refused(typed):
    assert normalise_code(typed) is None
