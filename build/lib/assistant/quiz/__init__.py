"""Induction quizzes built from the guidance's own facts, each question with its answer key and
the citation that proves it (quiz → facts → builder → export)."""
from assistant.quiz.builder import TOPICS, QuizBuilder
from assistant.quiz.models import Quiz, QuizQuestion

__all__ = ["QuizBuilder", "TOPICS", "Quiz", "QuizQuestion"]
