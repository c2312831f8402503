"""Weights, the weighted score, ranking with ties, and manual adjustments.

- Weights are per organisation, whole numbers summing to 100 (default 40/30/20/10).
- A department with no item due is shown as such and not scored (never a zero).
- A rule with nothing to judge (None) drops out and the other weights are scaled up
  to 100: a department with no feedback due is scored on what it did have.
- Scores have two decimals; departments with the same score share a rank and the next
  rank is skipped (1, 2, 2, 4).
- A manual adjustment (points, with a reason) is added after weighting; the result is
  kept within 0..100.
"""
from .errors import RuleViolation

NO_ITEMS_DUE = "no_items_due"


def default_weights(rules):
    return {key: rule.default_weight for key, rule in rules.items()}


def check_weights(weights, rules):
    """Whole numbers 0..100 for known rules, summing to exactly 100."""
    problems = {}
    for key, value in weights.items():
        if key not in rules:
            problems[key] = ["unknown rule; known: {}".format(", ".join(sorted(rules)))]
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            problems[key] = ["a whole number from 0 to 100"]
    if problems:
        raise RuleViolation("Invalid weights", problems)
    total = sum(weights.values())
    if total != 100:
        raise RuleViolation("The weights must sum to 100 (they sum to {})".format(total),
                            {"weights": ["sum is {}, not 100".format(total)]})
    return dict(weights)


def measures(facts, rules):
    """{rule key: value or None} for one department."""
    return {key: rule.measure(facts) for key, rule in rules.items()}


def weighted(values, weights):
    """The weighted score over the rules that have a value, scaled to their weight."""
    used = [(values[key], weights.get(key, 0)) for key in values
            if values[key] is not None and weights.get(key, 0) > 0]
    total = sum(w for _, w in used)
    if not total:
        return None
    return round(sum(v * w for v, w in used) / total, 2)


def score(facts, rules, weights, adjustment=0.0):
    """(status, values, base score, final score): status "scored" or "no_items_due"."""
    values = measures(facts, rules)
    if not facts.get("due"):
        return NO_ITEMS_DUE, values, None, None
    base = weighted(values, weights)
    if base is None:
        return NO_ITEMS_DUE, values, None, None
    final = round(min(100.0, max(0.0, base + adjustment)), 2)
    return "scored", values, base, final


def rank(scores):
    """{department: score or None} -> {department: rank or None}, ties sharing a rank."""
    scored = sorted((s, d) for d, s in scores.items() if s is not None)
    ordered = sorted(scored, key=lambda pair: -pair[0])
    ranks = {d: None for d in scores}
    previous, position = None, 0
    for index, (value, department) in enumerate(ordered, start=1):
        if value != previous:
            position, previous = index, value
        ranks[department] = position
    return ranks


def last_placed(ranks):
    """Departments at the last rank; none when fewer than two ranks exist (all tied)."""
    values = {r for r in ranks.values() if r is not None}
    if len(values) < 2:
        return []
    worst = max(values)
    return sorted(d for d, r in ranks.items() if r == worst)
