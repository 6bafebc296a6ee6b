"""Quiz attempts: what was drawn and shown, under which rules, what was answered and how it scored."""
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column

from app import db
from training.models import utcnow

KINDS = ("module", "pre", "final")


class QuizAttempt(db.Model):
    """One sitting of a module quiz, a programme's pre-test or its final assessment."""

    __tablename__ = "quiz_attempt"
    __table_args__ = (
        Index("ix_quiz_attempt_user_id_target", "user_id", "target"),
        # Covers the funder reports' read of every attempt, which is the costliest query on a large programme.
        Index("ix_quiz_attempt_report", "kind", "user_id", "target", "submitted_at", "score", "passed"),
        UniqueConstraint("user_id", "paper_batch"),
        # One open attempt per quiz: two clicks on "start" resume the same draw instead of drawing twice.
        Index(
            "uq_quiz_attempt_open", "user_id", "kind", "target", unique=True,
            sqlite_where=text("submitted_at IS NULL"), postgresql_where=text("submitted_at IS NULL"),
        ),
        # A pre-test is a baseline: one per person and programme, ever.
        Index(
            "uq_quiz_attempt_pre", "user_id", "target", unique=True,
            sqlite_where=text("kind = 'pre'"), postgresql_where=text("kind = 'pre'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # module | pre | final
    target: Mapped[str] = mapped_column(String(60))  # the module's slug, or the programme's
    language: Mapped[str] = mapped_column(String(5))
    seed: Mapped[int]
    questions: Mapped[list[str]] = mapped_column(JSON)  # qualified ids, in the order shown
    options: Mapped[dict[str, list[str]]] = mapped_column(JSON)  # option ids per question and part, as shown
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)  # QuizRules.to_dict() when the attempt began
    content_versions: Mapped[dict[str, str]] = mapped_column(JSON)  # module slug -> version
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # question id -> Response.to_data()
    score: Mapped[int | None]
    passed: Mapped[bool | None]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    # A result from a paper test after a field session, typed in by a trainer.
    paper: Mapped[bool] = mapped_column(default=False, server_default=false())
    paper_version: Mapped[str | None] = mapped_column(String(60))
    paper_batch: Mapped[str | None] = mapped_column(String(36))  # one form post: a repeat of it saves nothing
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def is_submitted(self) -> bool:
        """Whether the attempt has been graded."""
        return self.submitted_at is not None
