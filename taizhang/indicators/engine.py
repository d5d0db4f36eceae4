"""Indicators are declared as data in the campaign file; this engine computes them.

A declaration names what it counts and how:

    - code: study.seminars
      label: 基层党组织专题研讨
      unit: 次
      part: 学
      count: study.Meeting                   # or  distinct: [study.Meeting, organiser]  /  sum: [serve.PublicityItem, quantity]
      where: {type: 专题研讨, organiser: below_committee}
      as_of: date                           # optional: the date a record counts from (default: the model's as_of_field)
      within: date                          # optional, for records without a campaign: a date in the campaign's period

or, for a figure that adds several terms, `terms: [{count: ..., where: ...}, {sum: ..., where: ...}]`.

For a campaign, an organisation subtree and an as-of date, every term is turned into a conditional aggregate
(Count/Sum with filter=Q) on its model; the terms of one model are computed in one query, so the number of
queries is the number of models involved, whatever the data. A figure's records (drill-down) are the same
model filtered by the same Q.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from taizhang.core.scoping import is_everything, orgs_lookup, subtree_ids

from .filters import FILTERS, at

AGGREGATES = ("count", "distinct", "sum")
LOOKUPS = {"in", "gt", "gte", "lt", "lte", "isnull", "contains", "startswith"}


def _split_lookup(key: str) -> tuple[str, str | None]:
    """("self" | field path, lookup or None) of a `where` key such as "quantity__gt"."""
    if key == "self":
        return "", None
    parts = key.split("__")
    if len(parts) > 1 and parts[-1] in LOOKUPS:
        return "__".join(parts[:-1]), parts[-1]
    return key, None


@dataclass(frozen=True)
class Term:
    model: type[models.Model]
    aggregate: str  # count | distinct | sum
    field: str  # "pk" for count
    where: tuple[tuple[str, object], ...] = ()
    as_of: str | None = None
    within: str | None = (
        None  # for records without a campaign: a date that must fall in the campaign's period
    )

    def condition(self, *, campaign=None, as_of: datetime.date | None) -> Q:
        q = Q()
        for key, value in self.where:
            path, lookup = _split_lookup(key)
            if lookup:
                q &= Q(**{key: value})
            elif _filter_names(value) and _is_relation_or_self(self.model, path):
                for name in _filter_names(value):
                    q &= FILTERS[name](path, campaign=campaign, as_of=as_of, model=self.model)
            elif isinstance(value, list):
                q &= Q(**{at(path, "in"): value})
            elif value is None:
                q &= Q(**{at(path, "isnull"): True})
            else:
                q &= Q(**{path: value})
        if as_of is not None and self.as_of:
            q &= Q(**{f"{self.as_of}__lte": as_of})
        return q

    def expression(self, condition: Q):
        if self.aggregate == "count":
            return Count("pk", filter=condition)
        if self.aggregate == "distinct":
            return Count(self.field, filter=condition, distinct=True)
        return Coalesce(Sum(self.field, filter=condition), 0)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: str
    part: str
    terms: tuple[Term, ...] = field(default_factory=tuple)
    description: str = ""
    ratio: tuple[str, str] | None = None  # (numerator code, denominator code): a percentage of two figures
    table: bool = False  # a column of the dashboard's table of organisations
    lower_is_better: bool = False  # e.g. overdue measures: the highest value is the weakest

    @property
    def is_ratio(self) -> bool:
        return self.ratio is not None


def _filter_names(value) -> list[str]:
    """The named filters a `where` value names: one name, or a list of names (all applied)."""
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return names if names and all(isinstance(n, str) and n in FILTERS for n in names) else []


def _is_relation_or_self(model, path: str) -> bool:
    if not path:
        return True
    try:
        f = _resolve(model, path)
    except FieldDoesNotExist:
        return False
    return f.is_relation


def _resolve(model, path: str):
    """The field at the end of a path of forward relations; refuses multi-valued hops (they multiply rows)."""
    current = model
    f = None
    for part in path.split("__"):
        f = current._meta.get_field(part)
        if f.many_to_many or f.one_to_many:
            raise FieldDoesNotExist(f"{path}：经过多值关联“{part}”")
        if f.is_relation:
            current = f.related_model
    return f


def _parse_term(code: str, spec: dict) -> Term:
    kinds = [k for k in AGGREGATES if k in spec]
    if len(kinds) != 1:
        raise ValidationError(f"指标 {code}：应有且只有 count、distinct、sum 之一。")
    aggregate = kinds[0]
    target = spec[aggregate]
    model_label, field_name = (target, "pk") if aggregate == "count" else (tuple(target) + (None,))[:2]
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        raise ValidationError(f"指标 {code}：没有记录类型“{model_label}”。") from None
    if aggregate != "count":
        if not field_name:
            raise ValidationError(f"指标 {code}：{aggregate} 须写成 [记录类型, 字段]。")
        _check_path(code, model, field_name)
    where = spec.get("where") or {}
    if not isinstance(where, dict):
        raise ValidationError(f"指标 {code}：where 应为键值表。")
    for key, value in where.items():
        path, lookup = _split_lookup(key)
        if path:
            _check_path(code, model, path)
        if _filter_names(value) and (lookup or not _is_relation_or_self(model, path)):
            raise ValidationError(f"指标 {code}：筛选“{value}”只能用于组织或党员字段，不能用于“{key}”。")
    as_of = spec.get("as_of", getattr(model, "as_of_field", None))
    if as_of:
        _check_path(code, model, as_of)
    within = spec.get("within")
    if within:
        _check_path(code, model, within)
    return Term(
        model, aggregate, field_name, tuple(sorted(where.items(), key=lambda kv: kv[0])), as_of, within
    )


def _check_path(code: str, model, path: str) -> None:
    try:
        _resolve(model, path)
    except FieldDoesNotExist as exc:
        raise ValidationError(f"指标 {code}：{model._meta.verbose_name}没有字段“{path}”（{exc}）。") from None


def parse(declaration: dict) -> Indicator:
    code = declaration.get("code") or "（无代码）"
    for key in ("code", "label", "unit"):
        if not declaration.get(key):
            raise ValidationError(f"指标 {code}：缺少 {key}。")
    common = {
        "code": declaration["code"],
        "label": declaration["label"],
        "unit": declaration["unit"],
        "part": declaration.get("part", ""),
        "description": declaration.get("description", ""),
        "table": bool(declaration.get("table", False)),
        "lower_is_better": declaration.get("better") == "lower",
    }
    if "ratio" in declaration:
        ratio = declaration["ratio"]
        if not (isinstance(ratio, list) and len(ratio) == 2 and all(isinstance(c, str) for c in ratio)):
            raise ValidationError(f"指标 {code}：ratio 应写成 [分子指标代码, 分母指标代码]。")
        return Indicator(**common, ratio=(ratio[0], ratio[1]))
    specs = declaration.get("terms") or [declaration]
    return Indicator(**common, terms=tuple(_parse_term(code, spec) for spec in specs))


def indicators_of(campaign) -> list[Indicator]:
    """The campaign's declared indicators that say what they count (a declaration with only code, label and
    unit is listed in the file ahead of its definition and left out here)."""
    parsed = [
        parse(d)
        for d in campaign.indicators
        if "terms" in d or "ratio" in d or any(k in d for k in AGGREGATES)
    ]
    codes = {i.code for i in parsed}
    # A ratio is computable only when both of its figures are.
    return [i for i in parsed if not i.is_ratio or set(i.ratio) <= codes]


def _base(term: Term, campaign, org_ids, *, everything: bool | None = None):
    """The records a term looks at: in the subtree, and of the campaign (by its campaign field, or for records
    without one by the date named in `within` falling in the campaign's period, or being unknown)."""
    model = term.model
    qs = model._default_manager.filter(**orgs_lookup(model.scope_path, org_ids, everything=everything))
    campaign_path = getattr(model, "campaign_path", None)
    if campaign_path is None and _has_field(model, "campaign"):
        campaign_path = "campaign"
    if campaign_path:
        qs = qs.filter(**{campaign_path: campaign})
    elif term.within:
        # A record whose date is not known is not left out.
        period = (campaign.start_date, campaign.end_date)
        qs = qs.filter(Q(**{f"{term.within}__range": period}) | Q(**{f"{term.within}__isnull": True}))
    return qs


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def compute(
    campaign, root, *, as_of: datetime.date | None = None, indicators: list[Indicator] | None = None
) -> dict[str, int | None]:
    """{code: value} for the campaign's indicators over root's subtree, one query per model involved (none
    when the data has not changed since they were last computed: see cache.py). A ratio is a whole percentage, or None when its denominator is 0."""
    return compute_rows(campaign, {root.pk: subtree_ids(root.pk)}, as_of=as_of, indicators=indicators)[
        root.pk
    ]


def compute_rows(
    campaign,
    rows: dict[object, frozenset[int]],
    *,
    as_of: datetime.date | None = None,
    indicators: list[Indicator] | None = None,
) -> dict[object, dict[str, int | None]]:
    """The figures of several sets of organisations at once (the rows of a table: each grassroots organisation
    of a township, each township of a county, and their total), still one query per model: the records are
    counted per organisation, and a row adds up the counts of its organisations. The sets may overlap (a
    total row is the union of the others). Counts and sums add up; a distinct count adds up when it counts
    the organisations themselves, and otherwise gets one more query that lists the distinct values."""
    from .cache import cached

    indicators = indicators if indicators is not None else indicators_of(campaign)
    sets = tuple(sorted((repr(key), tuple(sorted(ids))) for key, ids in rows.items()))
    return cached(
        ("rows", campaign.pk, sets, as_of, tuple(indicators)),
        lambda: _compute_rows(campaign, rows, as_of=as_of, indicators=indicators),
    )


def _compute_rows(campaign, rows, *, as_of, indicators) -> dict[object, dict[str, int | None]]:
    by_model = _terms_by_model(indicators)
    all_ids = frozenset().union(*rows.values())
    everything = is_everything(all_ids)
    results: dict[object, dict[str, int]] = {key: {} for key in rows}
    if len(rows) == 1:  # one set: a plain aggregate, nothing to group
        (key,) = rows
        _aggregate_single(results[key], by_model, campaign, all_ids, as_of=as_of, everything=everything)
        return {key: _values(indicators, results[key]) for key in rows}
    rows_of_org = _rows_of_org(rows)
    for model, terms in by_model.items():
        scope = model.scope_path or "pk"
        conditions = {name: term.condition(campaign=campaign, as_of=as_of) for name, term in terms.items()}
        base = _base(next(iter(terms.values())), campaign, all_ids, everything=everything)
        base = _narrowed(base, conditions.values())
        additive = {name: term for name, term in terms.items() if _additive(term, scope)}
        if additive:
            _add_grouped(results, base, scope, additive, conditions, rows_of_org)
        for name, term in terms.items():
            if name in additive:
                continue
            _count_distinct(results, base, scope, name, term, conditions[name], rows_of_org)
    return {key: _values(indicators, results[key]) for key in rows}


def _terms_by_model(indicators: list[Indicator]) -> dict[type, dict[str, Term]]:
    """The terms of the indicators by model, each named "f{indicator index}_{term index}" (the names
    `_values` reads the results by)."""
    by_model: dict[type, dict[str, Term]] = {}
    for n, indicator in enumerate(indicators):
        for i, term in enumerate(indicator.terms):
            by_model.setdefault(term.model, {})[f"f{n}_{i}"] = term
    return by_model


def _aggregate_single(result: dict[str, int], by_model, campaign, all_ids, *, as_of, everything) -> None:
    """Add to `result` the figures of one set of organisations: one plain aggregate query per model."""
    for terms in by_model.values():
        conditions = {name: term.condition(campaign=campaign, as_of=as_of) for name, term in terms.items()}
        base = _base(next(iter(terms.values())), campaign, all_ids, everything=everything)
        base = _narrowed(base, conditions.values())
        result.update(
            base.aggregate(**{name: term.expression(conditions[name]) for name, term in terms.items()})
        )


def _rows_of_org(rows) -> dict[int, list[object]]:
    """The keys of the rows each organisation is in, in the order of the rows."""
    rows_of_org: dict[int, list[object]] = {}
    for key, ids in rows.items():
        for org_id in ids:
            rows_of_org.setdefault(org_id, []).append(key)
    return rows_of_org


def _add_grouped(results, base, scope: str, additive: dict[str, Term], conditions, rows_of_org) -> None:
    """Add the additive terms' per-organisation values (one query grouped by organisation) to the results
    of every row each organisation is in."""
    aggregates = {name: term.expression(conditions[name]) for name, term in additive.items()}
    for grouped in base.order_by().values(scope).annotate(**aggregates):
        for key in rows_of_org.get(grouped[scope], ()):
            for name in additive:
                results[key][name] = results[key].get(name, 0) + (grouped[name] or 0)


def _count_distinct(results, base, scope: str, name: str, term: Term, condition: Q, rows_of_org) -> None:
    """Set each row's value of a distinct count that does not add up: one query listing the distinct
    (organisation, value) pairs, the values of a row's organisations then counted once."""
    seen: dict[object, set] = {key: set() for key in results}
    pairs = (
        base.filter(condition, **{f"{term.field}__isnull": False})
        .order_by()
        .values_list(scope, term.field)
        .distinct()
    )
    for org_id, value in pairs:
        for key in rows_of_org.get(org_id, ()):
            seen[key].add(value)
    for key, values in seen.items():
        results[key][name] = len(values)


def _narrowed(base, conditions) -> models.QuerySet:
    """The records that at least one of the terms looks at, when every term has a condition: a record none
    of them counts adds nothing, and the condition lets the database use an index (e.g. on the meeting type)
    instead of reading every record of the campaign."""
    conditions = list(conditions)
    if not conditions or any(not q for q in conditions):
        return base
    either = Q()
    for q in conditions:
        either |= q
    return base.filter(either)


def _additive(term: Term, scope: str) -> bool:
    """Whether a term's per-organisation values add up to a set's value: a count or a sum does; a distinct
    count does when what it counts is the organisation itself."""
    if term.aggregate != "distinct":
        return True
    field = term.field.removesuffix("_id").removesuffix("__pk").removesuffix("__id")
    return field == scope.removesuffix("_id")


def _values(indicators: list[Indicator], results: dict[str, int]) -> dict[str, int | None]:
    values: dict[str, int | None] = {
        indicator.code: sum(results.get(f"f{n}_{i}") or 0 for i in range(len(indicator.terms)))
        for n, indicator in enumerate(indicators)
        if not indicator.is_ratio
    }
    for indicator in indicators:
        if indicator.is_ratio:
            numerator, denominator = (values.get(code) for code in indicator.ratio)
            values[indicator.code] = (
                round(100 * numerator / denominator) if numerator is not None and denominator else None
            )
    return values


def records(campaign, root, indicator: Indicator, *, as_of: datetime.date | None = None):
    """The records behind a figure: one queryset per term."""
    org_ids = subtree_ids(root.pk)
    if indicator.is_ratio:  # the records of a percentage are those of its numerator
        numerator = next(i for i in indicators_of(campaign) if i.code == indicator.ratio[0])
        return records(campaign, root, numerator, as_of=as_of)
    return [
        (term, _base(term, campaign, org_ids).filter(term.condition(campaign=campaign, as_of=as_of)))
        for term in indicator.terms
    ]
