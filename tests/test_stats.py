"""Report arithmetic without a request: roll-ups, suppression, shares and the cascade."""
from datetime import date

from training import report_tables as rt
from training import stats
from training.stats import Totals


def test_counts_of_1_to_4_are_hidden_and_0_is_shown():
    assert rt.suppress_column([0, 3, 20, 30]) == [0, None, None, 30]
    assert rt.total_cell(0) == 0 and rt.total_cell(4) is None and rt.total_cell(5) == 5


def test_a_lone_hidden_cell_takes_the_next_smallest_with_it():
    assert rt.suppress_column([2, 9, 7, 40]) == [None, 9, None, 40]
    assert rt.suppress_column([2, 3, 40]) == [None, None, 40]  # already two hidden: nothing more to hide


def test_sizes_can_govern_suppression_of_another_figure():
    assert rt.suppress_column([30, 12, 50], sizes=[3, 6, 9]) == [None, None, 50]


def test_shares_are_hidden_with_their_counts():
    assert rt.share(5, 20) == 25 and rt.share(None, 20) is None and rt.share(5, None) is None
    assert rt.share(0, 0) is None


def test_the_cascade_gives_each_step_against_the_previous_and_the_first():
    steps = rt.cascade(Totals(people=200, given=180, carrying=162))
    assert [(s["count"], s["of_previous"], s["of_first"]) for s in steps] == [
        (200, None, None), (180, 90, 90), (162, 90, 81)]


def test_a_small_cascade_step_hides_its_shares():
    steps = rt.cascade(Totals(people=12, given=3, carrying=3))
    assert [(s["count"], s["of_previous"]) for s in steps] == [(12, None), (None, None), (None, None)]


def test_rollup_groups_unknowns_as_prefer_not_to_say():
    cells = {("female", "18-24", "peer", "North"): Totals(people=6), ("unknown", "18-24", "peer", "North"):
             Totals(people=7), ("male", "25-34", "family", "South"): Totals(people=8)}
    by_sex = rt.rollup(cells, "sex", ("female", "male", "other"))
    assert {k: v.people for k, v in by_sex.items()} == {"female": 6, "male": 8, "other": 0, "unknown": 7}
    assert rt.rollup(cells, "age_band", ("18-24", "25-34"))["18-24"].people == 13


def test_pass_rate_and_gain_need_5_people():
    assert rt.pass_rate(Totals(finalists=5, submitted=8, passed=6)) == 75
    assert rt.pass_rate(Totals(finalists=4, submitted=8, passed=6)) is None
    assert rt.mean_gain(Totals(gainers=5, gain_sum=101)) == 20.2 and rt.mean_gain(Totals(gainers=2)) is None


def test_split_rows_end_with_a_total():
    rows = rt.split_rows({"female": Totals(people=10, certified=6), "male": Totals(people=3, certified=1)})
    assert [(r["group"], r["people"], r["certified"]) for r in rows] == [
        ("female", None, None), ("male", None, None), (None, 13, 7)]


def test_the_period_covers_whole_days():
    f = stats.Filters(start=date(2026, 1, 1), end=date(2026, 1, 31), organisation_ids=(1,))
    assert (f.since.isoformat(), f.until.isoformat()) == ("2026-01-01T00:00:00", "2026-02-01T00:00:00")
