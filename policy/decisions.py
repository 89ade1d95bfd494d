"""A rule's answer: allowed or not, with every reason naming the clause of the notice it rests
on, in words an applicant or an office understands."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reason:
    clause: str
    message: str

    def __str__(self):
        return f"{self.message}（{self.clause}）"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: tuple = field(default=())

    def __bool__(self):
        return self.allowed

    def __str__(self):
        return "；".join(str(reason) for reason in self.reasons)
