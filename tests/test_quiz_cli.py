"""The quiz commands: GIFT export and the content check."""
import shutil

import pytest

from training.content import CONTENT


def test_export_gift_prints_the_bank(runner):
    result = runner.invoke(args=["quizzes", "export-gift", "responding-step-by-step"])
    assert result.exit_code == 0
    assert "$CATEGORY: responding-step-by-step" in result.output
    assert "::responding-step-by-step-response-order::" in result.output


def test_export_gift_in_another_language(runner):
    result = runner.invoke(args=["quizzes", "export-gift", "responding-step-by-step", "--language", "fr"])
    assert result.exit_code == 0 and "(fr)" in result.output and "Donner la naloxone" in result.output


@pytest.mark.parametrize("args, reason", [
    (["nope"], "no module with the slug 'nope'"),
    (["screening-and-assessment", "--language", "de"], "is not written in 'de'"),
])
def test_export_gift_refuses_clearly(runner, args, reason):
    result = runner.invoke(args=["quizzes", "export-gift", *args])
    assert result.exit_code != 0 and reason in result.output and "Traceback" not in result.output


def test_content_check_passes_on_the_curriculum(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "No problems found." in result.output and "  ar: " in result.output


def test_content_check_lists_lesson_and_bank_problems(runner, tmp_path, monkeypatch):
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    (root / "03-responding-step-by-step" / "quiz.yaml").write_text("questions: [{id: Bad Id, kind: single}]\n")
    (root / "04-naloxone" / "fr.md").write_text("## Only one section\n")
    (root / "04-naloxone" / "quiz.yaml").write_text("questions: []\n")
    monkeypatch.setattr("quizzes.cli.CONTENT", root)
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "03-responding-step-by-step/quiz.yaml: question 'Bad Id': id must be lowercase" in result.output
    assert "04-naloxone/fr.md: needs at least two" in result.output
    assert "04-naloxone/quiz.yaml: has 0 questions" in result.output
