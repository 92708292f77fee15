"""Questionnaires, their frozen versions, sections and questions."""
