"""What an import knows while it runs: who imports (scope and history), which campaign, which township a row
belongs to, the organisations and members by name, the errors found and the counts of what changed.

Organisations and members are indexed once (and again after the 组织 and 党员 sheets are loaded), so that a
50,000-row sheet resolves its names without a query per row.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone

from taizhang.core.cleaning import shown
from taizhang.core.scoping import Scope
from taizhang.orgs.choices import OrgKind
from taizhang.orgs.fields import find_members, parse_name
from taizhang.orgs.models import Member, Organisation

from .plan import Plan, is_new
from .spec import Row, Sheet
from .values import split_names, text


@dataclass
class ImportError_:
    sheet: str
    row: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        if not self.sheet:  # about the whole file
            return self.message
        where = f"工作表“{self.sheet}”"
        if self.row:
            where += f"第{self.row}行"
        if self.column:
            where += f"“{self.column}”列"
        value = f"（{self.value}）" if self.value else ""
        return f"{where}{value}：{self.message}"


@dataclass
class Speaker:
    member: Member | None
    name: str = ""  # from outside: 姓名（单位）
    unit: str = ""


@dataclass
class ImportContext:
    campaign: object
    scope: Scope
    actor: object = None  # the user, for history; None from the command line
    default_township: Organisation | None = None
    reason: str = "导入台账"
    errors: list[ImportError_] = field(default_factory=list)
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    sheet: Sheet | None = None
    later: list = field(default_factory=list)  # work that waits for the members (an organisation's secretary)

    def __post_init__(self):
        self.started = timezone.now()  # every history row of one import has the same date
        self.plan = Plan(actor=self._user(), reason=self.reason, started=self.started)
        self.refresh()

    # -- errors and counts -------------------------------------------------------------------------------

    def error(self, row: Row | int | None, column: str, message: str, value="") -> None:
        number = row.number if isinstance(row, Row) else row
        self.errors.append(
            ImportError_(
                self.sheet.name if self.sheet else "", number, column, shown(text(value), 50), message
            )
        )

    def count(self, what: str, n: int = 1) -> None:
        """created | updated | unchanged, for the current sheet."""
        self.counts[self.sheet.name][what] += n

    # -- organisations -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """(Re)build the indexes of organisations and members (after the 组织 and 党员 sheets): those recorded,
        as this import changes them, and those it adds."""
        orgs = self.fetch(Organisation.objects.all())
        self.orgs_by_pk = {o.pk: o for o in orgs}
        self.orgs_by_name: dict[str, list[Organisation]] = defaultdict(list)
        for org in orgs:
            self.orgs_by_name[org.name].append(org)
            if org.short_name and org.short_name != org.name:
                self.orgs_by_name[org.short_name].append(org)
        self._township: dict[int, int | None] = {}
        self.members_by_name: dict[str, list[Member]] = defaultdict(list)
        for member in self.fetch(Member.objects.all()):
            member.organisation = self.orgs_by_pk[member.organisation_id]
            self.members_by_name[member.name].append(member)

    def add_org(self, org: Organisation) -> None:
        self.orgs_by_pk[org.pk] = org
        if org not in self.orgs_by_name[org.name]:
            self.orgs_by_name[org.name].append(org)
        self._township.pop(org.pk, None)

    def run_later(self) -> None:
        while self.later:
            self.later.pop(0)()

    def township_id(self, org: Organisation | None) -> int | None:
        """The id of the township committee (乡党委) an organisation is in (itself for a committee)."""
        if org is None:
            return None
        if org.pk not in self._township:
            node, found = org, None
            while node is not None:
                if node.kind == OrgKind.COMMITTEE:
                    found = node.pk
                    break
                node = self.orgs_by_pk.get(node.parent_id)
            self._township[org.pk] = found
        return self._township[org.pk]

    def township(self, org: Organisation | None) -> Organisation | None:
        pk = self.township_id(org)
        return self.orgs_by_pk.get(pk) if pk else None

    def org(self, row: Row, column: str, *, township: Organisation | None = None, required=True):
        """The organisation a cell names (by name or short name); within a township when one is known or a
        default is set, when the name is used in several."""
        name = text(row[column])
        if not name:
            if required:
                self.error(row, column, "不能为空")
            return None
        candidates = self.orgs_by_name.get(name, [])
        if len(candidates) > 1:
            within = township or self.default_township
            if within is not None:
                candidates = [o for o in candidates if self.township_id(o) == within.pk]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            self.error(row, column, "没有这个组织，请先在“组织”表或系统中建立", name)
        else:
            where = "、".join(
                self.orgs_by_pk[self.township_id(o)].name for o in candidates if self.township_id(o)
            )
            self.error(
                row, column, f"有{len(candidates)}个同名组织（{where}），请用 --org 或在本乡页面导入", name
            )
        return None

    def writable(self, row: Row, column: str, org: Organisation | None) -> bool:
        """Whether the importer may write records of this organisation; an error naming it when not."""
        if org is None:
            return False
        if not self.scope.can_write(org.pk):
            self.error(row, column, "不在您的管理范围内，本行不能导入", org.name)
            return False
        return True

    def writable_rows(self, rows, column: str):
        """(row, organisation) for each row whose `column` names an organisation the importer may write its
        records for; an error for each other row, as it comes."""
        for row in rows:
            org = self.org(row, column)
            if self.writable(row, column, org):
                yield row, org

    # -- people ------------------------------------------------------------------------------------------

    def members(self, row: Row, column: str, *, township: Organisation | None = None) -> list[Member] | None:
        """The members a cell names (a list of names, or one; the forms' rules, orgs.fields); None after an
        error (each unknown or ambiguous name is one, listing the candidates). Namesakes in several townships
        are narrowed to the row's."""
        township = township or self.default_township
        prefer = (lambda m: self.township_id(m.organisation) == township.pk) if township else None
        tokens = split_names(row[column])
        people, problems = find_members(tokens, self.members_by_name, prefer=prefer)
        for problem in problems:
            self.error(row, column, problem.in_cell(), problem.token)
        return None if problems else people

    def member(self, row: Row, column: str, *, township=None, required=True) -> Member | None:
        if not text(row[column]):
            if required:
                self.error(row, column, "不能为空")
            return None
        people = self.members(row, column, township=township)
        if people is None:
            return None
        if len(people) != 1:
            self.error(row, column, "只能填写一名党员", row[column])
            return None
        return people[0]

    def speaker(self, row: Row, column: str, *, township=None) -> Speaker | None:
        """A member, or someone from outside written 姓名（单位） where the unit is no organisation of the tree."""
        raw = text(row[column])
        if not raw:
            return Speaker(None)
        name, unit = parse_name(raw)
        if unit and unit not in self.orgs_by_name:
            return Speaker(None, name, unit)
        member = self.member(row, column, township=township)
        return Speaker(member) if member else None

    def row_township(self, row: Row, *, orgs=(), members=()) -> Organisation | None:
        """The township of a row: that of its organisation; else that of the people it names, when they are
        all of one; else the default one (--org, or the importing user's township); else an error."""
        for org in orgs:
            if org is not None:
                return self.township(org)
        townships = {self.township_id(m.organisation) for m in members if m is not None}
        if len(townships) == 1 and None not in townships:
            return self.orgs_by_pk[townships.pop()]
        if self.default_township is not None:
            return self.default_township
        committees = [o for o in self.orgs_by_pk.values() if o.kind == OrgKind.COMMITTEE]
        if len(committees) == 1:  # a database of one township (e.g. just filled from this file's 组织 sheet)
            return committees[0]
        self.error(row, "", "无法确定本行属于哪个乡镇，请在命令中用 --org 指定乡党委")
        return None

    # -- writing -----------------------------------------------------------------------------------------

    def validate(self, row: Row, obj, *, exclude=()) -> bool:
        """Field and model validation of an object about to be saved; each message becomes a row error."""
        # Relations are not validated again: they come from the context's own indexes (each an existing,
        # in-scope record), and checking each would be a query per row.
        relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        self.plan.attach(obj)  # its relations to records this import adds, for clean()
        try:
            obj.clean_fields(exclude=[*exclude, *relations])
            obj.clean()
        except ValidationError as exc:
            for name, messages in (
                exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]
            ):
                label = ""
                if name and name != "__all__":
                    try:
                        label = str(type(obj)._meta.get_field(name).verbose_name)
                    except Exception:
                        label = name
                for message in messages:
                    self.error(row, label, message)
            return False
        return True

    # -- writing: onto the plan (plan.py); nothing is written until the plan is applied ------------------

    def create(self, model, objects: list, *, counted: bool = True) -> None:
        """Create with history (who, why, when: one date for the whole import); counted as created unless
        `counted` is False (the rows of a record already counted, e.g. a meeting's attendance)."""
        if objects:
            self.plan.create(model, objects)
            if counted:
                self.count("created", len(objects))

    def update(self, model, objects: list, fields: list[str], *, counted: bool = True) -> None:
        if objects:
            self.plan.update(model, objects, fields)
            if counted:
                self.count("updated", len(objects))

    def create_quietly(self, model, objects: list) -> None:
        self.create(model, objects, counted=False)

    def update_quietly(self, model, objects: list, fields: list[str]) -> None:
        self.update(model, objects, fields, counted=False)

    def save(self, obj, update_fields=None) -> None:
        """One record saved on its own, with its history entry (who, why), counted nowhere."""
        self.plan.save(obj, update_fields)

    def insert_with_history(self, model, rows: list[dict], *, key: tuple[str, ...]) -> None:
        """Plain rows ({attname: value}) inserted with their history rows ("+", who, why, when) by two
        executemany statements and one read-back of the new ids by `key` (a unique key of the model). The
        same rows as create(), for the largest table of an import (a meeting's attendance: over 100,000 rows
        for 10,000 meetings), where building a model instance per row and per history row took most of the
        time. Not counted (the rows of records already counted)."""
        if rows:
            self.plan.insert(model, rows, key)

    def set_people(self, obj, field: str, members: list) -> bool:
        """Set a record's list of people (many-to-many, with history) when it differs; whether it does."""
        if not is_new(obj.pk) and {m.pk for m in members} == set(self.people_ids(obj, field)):
            return False
        self.plan.set_people(obj, field, members)
        return True

    def save_with_members(self, obj, field: str, people: list) -> None:
        """Save a record with its list of people so that its history holds one entry with both, as
        core.writes.save_with_members does, but without its scope check: the importer checks scope its own
        way (an import into an empty database writes the township it has just created)."""
        self.plan.set_people(obj, field, people, with_record=True)

    # -- reading: the database as the plan will have changed it -----------------------------------------

    def fetch(self, queryset, **lookups) -> list:
        """The records of queryset.filter(**lookups) and those this import adds that match (Plan.fetch)."""
        return self.plan.fetch(queryset, **lookups)

    def people_ids(self, obj, field: str) -> list[int]:
        """The ids of the people on a record's list, as this import leaves it."""
        planned = self.plan.people_ids(obj, field)
        if planned is not None:
            return planned
        if is_new(obj.pk):
            return []
        return list(getattr(obj, field).order_by().values_list("pk", flat=True))

    def people_of(self, model, field: str, records) -> dict[int, list[int]]:
        """The ids of the people on each record's list (in the order they were set), by record id, as this
        import leaves them: one query for the recorded records."""
        relation = model._meta.get_field(field)
        through = relation.remote_field.through
        source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        records = list(records)
        people: dict[int, list[int]] = defaultdict(list)
        recorded = [r.pk for r in records if not is_new(r.pk)]
        pairs = through.objects.filter(**{f"{source}__in": recorded}).order_by("pk")
        for record_id, member_id in pairs.values_list(f"{source}_id", f"{target}_id"):
            people[record_id].append(member_id)
        for record in records:
            planned = self.plan.people_ids(record, field)
            if planned is not None:
                people[record.pk] = list(planned)
        return people

    def _user(self):
        return self.actor if getattr(self.actor, "pk", None) else None


class Batch:
    """The records one chunk of rows creates and updates, written together: bulk, with history, counted.

    add() each record a row stands for, with the fields changed() changed on it; write() once at the end.
    A record added twice (two rows of one record) is written once, with the fields of both. counted=False
    writes without counting, for records the caller counts itself (per row, or a record's parts).
    """

    def __init__(self, ctx: ImportContext, model, *, counted: bool = True):
        self.ctx, self.model, self.counted = ctx, model, counted
        self.creates: list = []
        self.updates: list = []
        self.fields: set[str] = set()
        self._added: set[int] = set()  # id() of the records in creates and updates (new ones are unhashable)

    def add(self, obj, changed_fields=()) -> None:
        """A new record (no pk) is created; an existing one updated when fields changed (field names, or
        attnames such as parent_id). A row that changes nothing (an existing record, or one an earlier row
        added) is counted unchanged."""
        added = id(obj) in self._added
        if not changed_fields and (obj.pk is not None or added):
            if self.counted:
                self.ctx.count("unchanged")
            return
        if obj.pk is not None:
            self.fields.update(changed_fields)
        if not added:
            self._added.add(id(obj))
            (self.creates if obj.pk is None else self.updates).append(obj)

    def put(self, row, obj, values: dict) -> None:
        """add() the record a row stands for with `values` set on it (changed()): a new record (keyed, not yet
        saved) or a recorded one, validated when new or changed; after an error on the row, nothing."""
        these = changed(obj, values)
        if (obj.pk is None or these) and not self.ctx.validate(row, obj):
            return
        self.add(obj, these)

    def write(self) -> None:
        fields = sorted({self.model._meta.get_field(name).name for name in self.fields})
        if self.counted:
            self.ctx.create(self.model, self.creates)
            self.ctx.update(self.model, self.updates, fields)
        else:
            self.ctx.create_quietly(self.model, self.creates)
            self.ctx.update_quietly(self.model, self.updates, fields)


def changed(obj, values: dict) -> list[str]:
    """Set values on obj; the names of the fields whose value changed."""
    fields = []
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.is_relation and field.many_to_one and name != field.attname:  # ids: no query per row
            same = getattr(obj, field.attname) == (value.pk if value is not None else None)
        else:
            same = getattr(obj, name) == value
        if not same:
            setattr(obj, name, value)
            fields.append(name)
    return fields
