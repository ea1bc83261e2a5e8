"""Which periods of a rule's law an act may fall in, given the act's date and the State's treaty dates.

What depends only on the rule and the State (its periods' starts, the window the State is bound in)
is worked out once per plan in a ``Schedule``; what depends on the proceeding (the act's date) once
per proceeding and date path, since a handful of paths serve every rule.
"""
from __future__ import annotations

from engine.evaluate.states import OPEN, Window
from engine.model.values import Fact


class ActDate:
    """The date of the act at one path of one proceeding, and whether nothing has been decided yet."""
    __slots__ = ("fact", "undecided", "first", "last")

    def __init__(self, fact: Fact, undecided: bool):
        self.fact, self.undecided = fact, undecided
        self.first = self.last = None
        if fact.known:
            self.first, self.last = fact.value.earliest.date(), fact.value.latest.date()


def act_date(tree: dict, path, seen: dict | None = None, dotted: str | None = None) -> ActDate:
    """The act date at ``path`` (for dates.decision: also whether no decision is recorded), looked up once
    per proceeding and path when ``seen`` keeps them (``dotted``: the path's text, when known)."""
    dotted = dotted or path.dotted
    if seen is not None:
        found = seen.get(dotted)
        if found is not None:
            return found
    holder = tree.get(path.root) or {}
    act = holder.get(path.attrs[0]) if isinstance(holder, dict) else None
    act = act if isinstance(act, Fact) else Fact(None, dotted)
    undecided = not act.known and dotted == "dates.decision" and tree["decision"]["recorded"].value is False
    found = ActDate(act, undecided)
    if seen is not None:
        seen[dotted] = found
    return found


class Schedule:
    """One rule for one State: the window the State is bound in and the rule's periods with their starts."""
    __slots__ = ("rule", "bound", "closed", "applies_to", "pairs", "own", "until", "if_unknown", "open", "act_key",
                 "single")

    def __init__(self, rule, bound: Window = OPEN):
        self.rule, self.bound, self.closed = rule, bound, bound.closed
        self.applies_to = frozenset(rule.rule.applies_to)
        own = bound.rule_start or rule.rule.in_force.from_
        starts = [own if i == 0 else p.start for i, p in enumerate(rule.periods)]  # the first starts with the rule
        self.pairs = list(zip(rule.periods, starts))
        self.own, self.until = own, rule.rule.in_force.until
        self.if_unknown = [p for p, start in self.pairs if bound.overlaps(start, p.end)]
        self.open = bound.start is None and bound.end is None  # the State adds no limit of its own
        self.act_key = rule.act_date.dotted
        self.single = self.pairs[0] if self.open and len(self.pairs) == 1 else None  # the common case

    def candidates(self, act: ActDate) -> tuple[list, bool]:
        """The periods the act may fall in, and whether it may fall outside them all."""
        if act.first is None:
            return list(self.if_unknown), True
        first, last = act.first, act.last
        own, until = self.own, self.until
        if self.single is not None:
            period, start = self.single
            chosen = [period] if start <= last and (period.end is None or period.end >= first) else []
            inside = own <= first and own <= last and (until is None or (first <= until and last <= until))
            return chosen, not inside
        if self.open:
            chosen = [p for p, start in self.pairs if start <= last and (p.end is None or p.end >= first)]
            inside = own <= first and own <= last and (until is None or (first <= until and last <= until))
            return chosen, not inside
        bound = self.bound
        chosen = [p for p, start in self.pairs if start <= last and (p.end is None or p.end >= first)
                  and bound.overlaps(max(start, first), last if p.end is None else min(p.end, last))]
        inside = all(own <= d and (until is None or d <= until) and bound.covers(d) for d in (first, last))
        return chosen, not inside


def candidates(rule, tree: dict, bound: Window = OPEN, seen: dict | None = None) -> tuple[list, Fact, bool]:
    """The periods of law the act may fall in, its date, and whether it may fall outside them all.

    `bound` is when the rule binds the State of the case (its treaty dates); the rule's own dates in
    force and that window must both cover the act. `seen` keeps the act dates already looked up."""
    act = act_date(tree, rule.act_date, seen)
    if act.undecided:
        return [], act.fact, False  # nothing has been decided: rules judging a decision do not apply yet
    periods, outside = Schedule(rule, bound).candidates(act)
    return periods, act.fact, outside
