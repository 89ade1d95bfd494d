"""The provincial KPIs of a season, as pure functions over plain figures [notice 四(一)(二)].

四(一): the completion rate (住培招收完成率) and the completion of shortage specialties (紧缺专业招收
完成情况) are the key indicators of the year's performance review.

    completion rate = admitted / plan, per training base, per city and per specialty.

"Admitted" counts every place taken for good: candidates admitted in the rounds and the entries
outside the rounds (professional masters, rural order-oriented graduates) that are active. A rate is
a percentage rounded half up to one decimal (2/3 → 66.7%); with no plan there is no rate (None).

四(二): "对未完成紧缺专业招收计划的培训基地，按比例削减下一年度培训基地非紧缺专业招收计划" — a
training base whose admitted count in the shortage specialties is below its shortage plan loses part
of next year's non-shortage plan, in proportion to its shortfall:

    shortfall = shortage_plan − shortage_admitted                (only when positive)
    cut       = round_half_up(non_shortage_plan × shortfall / shortage_plan)

computed exactly on integers (no floating point): a half place is rounded up, so a base with 5
non-shortage places that missed 1 of its 2 shortage places loses round_half_up(2.5) = 3. The cut
never exceeds the non-shortage plan (shortfall ≤ shortage_plan); a base with no shortage plan, or
that met it, loses nothing. Shortage admissions above the plan in one specialty make up for a
shortfall in another: the rule reads the base's shortage plan as a whole. The result is a proposal
for the provincial office, which fixes next year's plan itself.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class PlanLine:
    """One quota of the season: a specialty base's plan and how many it admitted."""

    base_id: int
    base_name: str
    city: str
    specialty_id: int
    specialty_code: str
    specialty_name: str
    is_shortage: bool
    places: int
    admitted: int


@dataclass(frozen=True)
class Completion:
    key: object
    label: str
    places: int
    admitted: int

    @property
    def rate(self):
        return completion_rate(admitted=self.admitted, places=self.places)


@dataclass(frozen=True)
class ProposedCut:
    base_id: int
    base_name: str
    city: str
    shortage_plan: int
    shortage_admitted: int
    non_shortage_plan: int

    @property
    def shortfall(self):
        return max(self.shortage_plan - self.shortage_admitted, 0)

    @property
    def cut(self):
        return proposed_cut(
            non_shortage_plan=self.non_shortage_plan,
            shortage_plan=self.shortage_plan,
            shortage_admitted=self.shortage_admitted,
        )


def round_half_up(numerator, denominator):
    """numerator / denominator (non-negative integers, denominator > 0) rounded half up to an integer."""
    return (2 * numerator + denominator) // (2 * denominator)


def completion_rate(*, admitted, places):
    """admitted / places as a percentage, rounded half up to one decimal; None when nothing was planned."""
    if not places:
        return None
    return (Decimal(100 * admitted) / Decimal(places)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def proposed_cut(*, non_shortage_plan, shortage_plan, shortage_admitted):
    """Places to take off next year's non-shortage plan of a base [四(二)]: see the module docstring."""
    shortfall = shortage_plan - shortage_admitted
    if shortage_plan <= 0 or shortfall <= 0:
        return 0
    return round_half_up(non_shortage_plan * shortfall, shortage_plan)


def _group(lines: Iterable[PlanLine], key: Callable, label: Callable):
    totals = {}
    for line in lines:
        k = key(line)
        places, admitted, name = totals.get(k, (0, 0, label(line)))
        totals[k] = (places + line.places, admitted + line.admitted, name)
    return [Completion(key=k, label=name, places=p, admitted=a) for k, (p, a, name) in totals.items()]


def completion_by_base(lines):
    """Per training base, in the order the lines come (the plan's order)."""
    return _group(lines, lambda line: line.base_id, lambda line: line.base_name)


def completion_by_city(lines):
    """Per city, by name."""
    return sorted(_group(lines, lambda line: line.city, lambda line: line.city), key=lambda row: row.label)


def completion_by_specialty(lines):
    """Per specialty, shortage specialties first, then by code."""
    lines = list(lines)
    shortage = {line.specialty_id for line in lines if line.is_shortage}
    order = {line.specialty_id: (line.specialty_id not in shortage, line.specialty_code) for line in lines}
    rows = _group(lines, lambda line: line.specialty_id, lambda line: line.specialty_name)
    return sorted(rows, key=lambda row: order[row.key])


def shortage_completion(lines):
    """The shortage specialties together, across the lines given."""
    shortage = [line for line in lines if line.is_shortage]
    return Completion(
        key="shortage",
        label="",
        places=sum(line.places for line in shortage),
        admitted=sum(line.admitted for line in shortage),
    )


def shortage_completion_by_base(lines):
    """Per training base that has a shortage plan."""
    return [row for row in completion_by_base(line for line in lines if line.is_shortage) if row.places]


def proposed_cuts(lines):
    """A ProposedCut for each training base that missed its shortage plan, in the lines' order."""
    bases = {}
    for line in lines:
        base = bases.setdefault(line.base_id, {"line": line, "sp": 0, "sa": 0, "ns": 0})
        if line.is_shortage:
            base["sp"] += line.places
            base["sa"] += line.admitted
        else:
            base["ns"] += line.places
    cuts = []
    for base_id, base in bases.items():
        if base["sa"] < base["sp"]:
            cuts.append(
                ProposedCut(
                    base_id=base_id,
                    base_name=base["line"].base_name,
                    city=base["line"].city,
                    shortage_plan=base["sp"],
                    shortage_admitted=base["sa"],
                    non_shortage_plan=base["ns"],
                )
            )
    return cuts
