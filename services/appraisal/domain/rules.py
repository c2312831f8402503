"""Scoring rules (考核指标): the plugin interface and the four built-in rules.

A rule turns one department's facts for the period into a value from 0 to 100, or
None when the department has nothing the rule could judge (no evaluated item, no
feedback due). Rules are discovered through the `duban.appraisal.rules` entry points
(services/appraisal/plugins.py); the four below are registered the same way. A plugin
with a built-in's `key` replaces it; a new key adds a rule (weight 0 until the
organisation's weights give it one).

Facts (all counts over the department's items as lead department (主责部门), annual-goal
milestones apart; see domain/outcomes.py for which items count):
    due, on_time, late, overdue_open        items due in the period and how they ended
    quality_n, quality_sum                  evaluated items among those due, sum of quality
    feedback_due, feedback_on_time          feedback due dates in the period, met on time
    assessed, accurate                      reports of the period assessed, marked accurate
    milestones_due, milestones_on_time,     annual-goal milestones (plan execution rate)
    milestones_late, milestones_overdue_open
    in_progress                             open items due after the period
    silent, unexplained_overdue             inaction evidence counts over the period's items
                                            (see domain/accountability.py)
    chases, unanswered_chases               chases (催办) sent in the period (milestones too),
                                            and those left unanswered (domain/chases.py)
"""
from .outcomes import rate

FACT_KEYS = ("due", "on_time", "late", "overdue_open", "quality_n", "quality_sum",
             "feedback_due", "feedback_on_time", "assessed", "accurate", "milestones_due",
             "milestones_on_time", "milestones_late", "milestones_overdue_open", "in_progress",
             "silent", "unexplained_overdue", "chases", "unanswered_chases")


def empty_facts():
    return {key: 0 for key in FACT_KEYS}


class ScoringRule:
    """Base of every scoring rule. Subclasses set `key`, `label`, `default_weight` and
    implement `measure(facts) -> float | None`."""

    key = None
    label = None
    default_weight = 0

    def measure(self, facts):
        raise NotImplementedError


class OnTimeRate(ScoringRule):
    """按期完成率: items completed on time / items due. With no item due, no score at all."""

    key = "on_time"
    label = "按期完成率"
    default_weight = 40

    def measure(self, facts):
        return rate(facts["on_time"], facts["due"])


class CompletionQuality(ScoringRule):
    """完成质量: the mean quality score (0–100) of the evaluated items among those due."""

    key = "quality"
    label = "完成质量"
    default_weight = 30

    def measure(self, facts):
        if not facts["quality_n"]:
            return None
        return round(facts["quality_sum"] / facts["quality_n"], 2)


class FeedbackTimeliness(ScoringRule):
    """反馈及时性: feedback due dates met on time / feedback due dates in the period."""

    key = "feedback_timeliness"
    label = "反馈及时性"
    default_weight = 20

    def measure(self, facts):
        return rate(facts["feedback_on_time"], facts["feedback_due"])


class FeedbackAccuracy(ScoringRule):
    """反馈准确性: reports marked accurate / reports assessed."""

    key = "feedback_accuracy"
    label = "反馈准确性"
    default_weight = 10

    def measure(self, facts):
        return rate(facts["accurate"], facts["assessed"])


BUILTIN_RULES = (OnTimeRate, CompletionQuality, FeedbackTimeliness, FeedbackAccuracy)
