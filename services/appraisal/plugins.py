"""Scoring-rule plugins: found through the `duban.appraisal.rules` entry points.

A package adds or replaces a rule by declaring, in its own pyproject.toml,
    [project.entry-points."duban.appraisal.rules"]
    on_time = "my_package:StricterOnTimeRate"   # same key as a built-in: replaces it
    safety = "my_package:SafetyIncidents"        # a new key: adds a rule
The four built-ins are declared the same way in Duban's pyproject.toml.
"""
from shared.plugins import discover

from .domain.rules import BUILTIN_RULES, ScoringRule

ENTRY_POINT_GROUP = "duban.appraisal.rules"


def rule_keys(rule):
    return [rule.key]


def discover_rules(entry_points=None):
    """{rule key: rule instance}, built-ins first, plugins replacing or adding."""
    return discover(ENTRY_POINT_GROUP, rule_keys, builtins=BUILTIN_RULES, base=ScoringRule,
                    entry_points=entry_points)
