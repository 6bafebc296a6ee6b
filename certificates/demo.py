"""Demo data: a finished in-person cohort whose trainees hold certificates (one expired, one revoked).

Issuing creates their 3- and 6-month follow-ups; one trainee has answered the first, so the reports count an
answer and her dashboard asks the second.
"""
from datetime import timedelta

from sqlalchemy import select

from app import db
from certificates.issuing import issue_if_eligible, revoke
from quizzes.models import QuizAttempt
from training.cohorts import Cohort, CohortTrainer, Membership, SkillCheck
from training.content import catalog
from training.demo import DEMO_PASSWORD, ORGANISATIONS, ensure_organisation
from training.fieldwork import FollowUp
from training.models import ModuleProgress, User, utcnow

COHORT_NAME = "Bishkek outreach team, spring (demo, finished)"
PROGRAMME = "community-response"
# username, name to print, language, what the verify page shows, months ago issued, revoked?
TRAINEES = (
    ("demo-dana", "Dana Okafor", "en", "full", 23, False),  # expires within 60 days; a follow-up is waiting
    ("demo-aigerim", "Айгерим Садыкова", "ru", "initials", 3, False),
    ("demo-fatima", "فاطمة الزهراء بن علي", "ar", "full", 1, False),
    ("demo-oleh", "Олег Петренко", "uk", "hidden", 26, False),  # issued 26 months ago: expired
    ("demo-elodie", "Élodie Martin", "fr", "full", 4, True),
)


def _trainee(username: str, name: str, language: str, verify_name: str, organisation_id: int) -> User:
    """The demo trainee, created the first time."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, role="trainee", certificate_name=name, language=language,
                    verify_name=verify_name, organisation_id=organisation_id)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
    return user


def _completed(user: User, months_ago: int) -> None:
    """Every module completed, the final passed and the skills signed, some months ago."""
    content, when = catalog(), utcnow() - timedelta(days=30 * months_ago + 2)
    programme = content.programmes[PROGRAMME]
    for slug in programme.modules:
        module = content.modules[slug]
        db.session.add(ModuleProgress(user_id=user.id, module_slug=slug, content_version=module.version,
                                      sections_total=1, sections_read=1, last_section=1, seconds_spent=600,
                                      started_at=when, read_at=when, quiz_passed_at=when, completed_at=when))
    db.session.add(QuizAttempt(user_id=user.id, kind="final", target=PROGRAMME, language=user.language or "en",
                               seed=0, questions=[], options={}, rules={"paper": True}, content_versions={},
                               answers={}, score=90, passed=True, started_at=when, submitted_at=when))
    db.session.add_all(SkillCheck(user_id=user.id, programme_slug=PROGRAMME, skill_id=skill["id"], signed_at=when)
                       for skill in programme.skills)


def _answer_first_followup(username: str) -> None:
    """The 3-month follow-up answered (she carries naloxone and has not used it), leaving the 6-month one open."""
    db.session.flush()
    first = db.session.scalar(select(FollowUp).join(User, User.id == FollowUp.user_id)
                              .where(User.username == username, FollowUp.round == 3))
    first.carries_naloxone, first.used_since, first.answered_at = True, False, utcnow()


def load_demo_certificates() -> int:
    """Create the finished demo cohort and its certificates when missing; return how many were issued."""
    if db.session.scalar(select(Cohort.id).where(Cohort.name == COHORT_NAME)):
        return 0
    org = ensure_organisation(ORGANISATIONS[0])
    now = utcnow()
    cohort = Cohort(organisation_id=org.id, name=COHORT_NAME, programme_slug=PROGRAMME, language="ru",
                    delivery="in-person", starts_on=(now - timedelta(days=30 * 27)).date(),
                    ends_on=(now - timedelta(days=30 * 26)).date(), location="Bishkek", region="Bishkek")
    db.session.add(cohort)
    db.session.flush()
    trainer = db.session.scalar(select(User).where(User.username == "trainer"))
    if trainer is not None:
        db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=trainer.id))
    issued = 0
    for username, name, language, verify_name, months_ago, revoked in TRAINEES:
        user = _trainee(username, name, language, verify_name, org.id)
        db.session.add(Membership(cohort_id=cohort.id, user_id=user.id, joined_at=now - timedelta(days=30 * 27)))
        _completed(user, months_ago)
        db.session.flush()
        for certificate in issue_if_eligible(user.id, PROGRAMME, now=now - timedelta(days=30 * months_ago)):
            issued += 1
            if revoked:
                revoke(certificate, "Demo: issued to the wrong person", trainer or user, now - timedelta(days=7))
    _answer_first_followup("demo-dana")
    db.session.commit()
    return issued
