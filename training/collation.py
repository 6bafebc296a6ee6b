"""Putting people's names in the order readers expect: Python compares code points, dictionaries do not."""
import unicodedata

LAST = "\U0010ffff"  # sorts after every letter
# Cyrillic letters that Unicode numbers outside the alphabet's order: each goes right after the letter it follows
# in Ukrainian and Russian dictionaries (і after и, ї after і, є and ё after е, ґ after г).
AFTER = str.maketrans({"і": "и" + LAST, "ї": "и" + LAST * 2, "є": "е" + LAST, "ё": "е" + LAST, "ґ": "г" + LAST})


def name_key(name: str) -> str:
    """A key that sorts names without regard to case, and Cyrillic names in alphabetical order."""
    folded = unicodedata.normalize("NFC", name.casefold())
    return folded.translate(AFTER)
