"""Who may see a cohort: admins all, coordinators their organisation's, trainers their own, nobody else."""
import pytest
from werkzeug.exceptions import NotFound

from training.access import get_cohort_or_404


def test_the_trainer_of_a_cohort_sees_it(make_cohort, make_user, make_org):
    org = make_org()
    trainer = make_user("trainer", organisation_id=org.id)
    cohort = make_cohort(org=org, trainer=trainer)
    assert get_cohort_or_404(cohort.id, trainer) == cohort


@pytest.mark.parametrize(
    ("role", "same_org", "visible"),
    [("trainer", True, False), ("trainer", False, False), ("coordinator", True, True),
     ("coordinator", False, False), ("admin", False, True), ("trainee", True, False)],
)
def test_others_see_it_only_as_their_role_allows(make_cohort, make_user, make_org, role, same_org, visible):
    org, other = make_org(), make_org()
    cohort = make_cohort(org=org)
    viewer = make_user(role, organisation_id=(org if same_org else other).id)
    if visible:
        assert get_cohort_or_404(cohort.id, viewer) == cohort
    else:
        with pytest.raises(NotFound):
            get_cohort_or_404(cohort.id, viewer)
