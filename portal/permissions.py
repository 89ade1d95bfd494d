"""The one answer to "may this user see or change this object", for pages, API and services alike.

A model states where it sits with `scope_paths`: lookups from the model to the ids of its
province, training base, specialty base and owning user (any subset). The same paths drive the
single-object check (`may`) and the list filter (`visible`), so the two cannot disagree.

Who may do what:
- a superuser: everything;
- the provincial office: everything scoped to its province;
- a training-base office: everything of its training base; things scoped only to its province,
  read-only;
- specialty-base staff: everything of its specialty base; things of its training base or
  province that have no narrower scope, read-only;
- an applicant: what it owns (and a base sees an applicant's data once the applicant chose it);
- an employer unit: things scoped only to its province, read-only.

A model may narrow which staff roles its scope grants to with `staff_roles` (identity corrections
are no business of the specialty-base staff who score).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from portal.models import Role

VIEW = "view"
CHANGE = "change"

# Per staff role: the scope level where it has full rights, and the coarser levels where it may
# read objects scoped no narrower than that level.
_RIGHTS = {
    Role.PROVINCIAL_OFFICE: ("province", ()),
    Role.BASE_OFFICE: ("training_base", ("province",)),
    Role.SPECIALTY_BASE_STAFF: ("specialty_base", ("training_base", "province")),
    Role.EMPLOYER: (None, ("province",)),
}
_LEVELS = ("specialty_base", "training_base", "province")


def scope_via(relation, model):
    """The scope paths of a model that belongs wherever its `relation` (a `model`) belongs."""
    return {level: f"{relation}__{path}" for level, path in model.scope_paths.items() if level != "owner"}


def _resolve(obj, path):
    parts = path.split("__")
    if len(parts) > 1 and parts[-1] == "id":  # "training_base__id": read training_base_id, no fetch
        parts = [*parts[:-2], f"{parts[-2]}_id"]
    value = obj
    for attribute in parts:
        value = getattr(value, attribute)
        if value is None:
            return None
    return value


def scope_id(obj, level):
    """The id of the province, training base or specialty base `obj` belongs to, or None
    (also when it may belong to several, through a reverse relation)."""
    if getattr(type(obj), "scope_multi_valued", False):
        return None
    path = getattr(type(obj), "scope_paths", {}).get(level)
    return None if path is None else _resolve(obj, path)


def _narrowest_level(paths):
    return next((level for level in _LEVELS if level in paths), None)


def _grants(user, model, action):
    """(path, user's id) pairs: matching any one of them grants `action`."""
    paths = getattr(model, "scope_paths", {})
    if user.role not in _RIGHTS or action not in getattr(model, "staff_actions", (VIEW, CHANGE)):
        return []
    if user.role not in getattr(model, "staff_roles", _RIGHTS):
        return []
    full_level, read_levels = _RIGHTS[user.role]
    grants = []
    if full_level in paths:
        grants.append((paths[full_level], getattr(user, f"{full_level}_id")))
    object_level = _narrowest_level(paths)
    if action == VIEW and object_level in read_levels:
        grants.append((paths[object_level], getattr(user, f"{object_level}_id")))
    return [(path, value) for path, value in grants if value is not None]


def may(user, action, obj):
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    model = type(obj)
    if getattr(model, "scope_multi_valued", False):
        # A path through a reverse relation (an applicant's many applications) has no single value
        # to compare: ask the database with the same filter the lists use.
        return visible(user, model._default_manager.filter(pk=obj.pk), action).exists()
    paths = getattr(model, "scope_paths", {})
    if "owner" in paths and _resolve(obj, paths["owner"]) == user.pk:
        return True
    return any(_resolve(obj, path) == value for path, value in _grants(user, model, action))


def require(user, action, obj):
    if not may(user, action, obj):
        raise PermissionDenied


def visible(user, queryset, action=VIEW):
    """`queryset` narrowed to the rows `may(user, action, row)` allows."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    paths = queryset.model.scope_paths
    allowed = Q(pk__in=[])
    if "owner" in paths:
        allowed |= Q(**{paths["owner"]: user.pk})
    for path, value in _grants(user, queryset.model, action):
        allowed |= Q(**{path: value})
    if getattr(queryset.model, "scope_multi_valued", False):
        # Filtering across a reverse relation would repeat a row once per match.
        return queryset.filter(pk__in=queryset.model._default_manager.filter(allowed).values("pk"))
    return queryset.filter(allowed)


def require_role(user, *roles):
    """Refuse unless `user` holds one of `roles` (a superuser holds every role)."""
    if not (user.is_authenticated and user.is_active and (user.is_superuser or user.role in roles)):
        raise PermissionDenied
