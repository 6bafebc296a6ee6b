"""Turning counted cells into a report's tables: roll-ups, shares and small-cell suppression (no database).

Small cells: a count of 1 to 4 people is hidden ("fewer than 5") and so is any share built on it; 0 is shown, as it
singles nobody out. When a column has exactly one hidden cell, the next smallest non-zero cell is hidden too, so
the total cannot give it back by subtraction. Known limits: two hidden cells whose visible total difference is 2
can still be pinned to 1 and 1; comparing two reports whose filters differ slightly (a period a day shorter, one
more filter) can reveal what one of them hides; rates are hidden under 5 people but not protected against
differencing. Funders get totals, not a query tool: coordinators should not publish many overlapping cuts.
"""
from training.stats import DIMENSIONS, UNKNOWN, Totals

MIN_CELL = 5  # 1 to 4 people are shown as "fewer than 5"; 0 is shown, as it singles nobody out
COUNTS = ("people", "certified", "given", "carrying")  # the per-group counts a split table shows


def rollup(cells: dict[tuple, Totals], dimension: str, groups: tuple[str, ...]) -> dict[str, Totals]:
    """Add up the finest cells into one dimension's groups, in the given order (every group present)."""
    index = DIMENSIONS.index(dimension)
    result = {group: Totals() for group in (*groups, UNKNOWN)}
    for key, totals in cells.items():
        result[key[index] if key[index] in result else UNKNOWN] += totals
    return result


def hidden(size: int) -> bool:
    """Whether a count of this many people could single someone out (1 to 4)."""
    return 0 < size < MIN_CELL


def suppress_column(values: list[int], sizes: list[int] | None = None) -> list[int | None]:
    """Replace small cells by None; if only one is small, hide the next smallest too, so totals reveal nothing."""
    sizes = sizes if sizes is not None else values
    shown: list[int | None] = [None if hidden(size) else value for value, size in zip(values, sizes, strict=True)]
    if shown.count(None) == 1:
        candidates = [i for i, value in enumerate(shown) if value is not None and sizes[i] > 0]
        if candidates:
            shown[min(candidates, key=lambda i: sizes[i])] = None
    return shown


def total_cell(value: int, size: int | None = None) -> int | None:
    """A total on its own: shown unless it counts 1 to 4 people."""
    return None if hidden(value if size is None else size) else value


def share(part: int | None, whole: int | None) -> int | None:
    """A whole percentage, or None when either side is hidden or there is nothing to divide by."""
    if part is None or not whole:
        return None
    return round(part * 100 / whole)


def pass_rate(t: Totals) -> int | None:
    """Final assessments passed out of submitted, in percent; hidden when fewer than 5 people sat them."""
    return None if t.finalists < MIN_CELL or not t.submitted else round(t.passed * 100 / t.submitted)


def mean_gain(t: Totals) -> float | None:
    """Mean knowledge gain in percentage points; hidden when fewer than 5 people have both tests."""
    return None if t.gainers < MIN_CELL else round(t.gain_sum / t.gainers, 1)


def split_rows(groups: dict[str, Totals]) -> list[dict]:
    """One row per group plus a total row, with small counts suppressed column by column."""
    names = list(groups)
    rows = [{"group": name, "pass_rate": pass_rate(groups[name]), "gain": mean_gain(groups[name])} for name in names]
    for field in COUNTS:
        for row, value in zip(rows, suppress_column([getattr(groups[n], field) for n in names]), strict=True):
            row[field] = value
    kits = suppress_column([groups[n].kits for n in names], [groups[n].kit_recipients for n in names])
    for row, value in zip(rows, kits, strict=True):
        row["kits"] = value
    total = sum(groups.values(), Totals())
    rows.append({"group": None, "pass_rate": pass_rate(total), "gain": mean_gain(total),
                 "kits": total_cell(total.kits, total.kit_recipients),
                 **{field: total_cell(getattr(total, field)) for field in COUNTS}})
    return rows


def cascade(total: Totals) -> list[dict]:
    """The 90-90-90 cascade: trained → given naloxone → carrying it, with each step's share of the last and first."""
    counts = [total_cell(total.people), total_cell(total.given), total_cell(total.carrying)]
    steps = []
    for i, (step, count) in enumerate(zip(("trained", "given", "carrying"), counts, strict=True)):
        steps.append({"step": step, "count": count, "of_previous": share(count, counts[i - 1]) if i else None,
                      "of_first": share(count, counts[0]) if i else None})
    return steps


def outcome_rows(counts: dict[tuple[str, bool], int], outcomes: tuple[str, ...]) -> list[dict]:
    """Overdose responses per outcome and how many had naloxone given, small counts suppressed."""
    totals = [sum(n for (o, _), n in counts.items() if o == outcome) for outcome in outcomes]
    given = [counts.get((outcome, True), 0) for outcome in outcomes]
    rows = [{"outcome": o, "reports": r, "naloxone": g} for o, r, g in
            zip(outcomes, suppress_column(totals), suppress_column(given), strict=True)]
    rows.append({"outcome": None, "reports": total_cell(sum(totals)), "naloxone": total_cell(sum(given))})
    return rows
