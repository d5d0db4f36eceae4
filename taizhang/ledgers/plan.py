"""An import's writes, planned first and made afterwards in one short transaction.

Checking a workbook (the upload page's preview) and importing it run the same loaders over the same rows, and
the loaders never write: every record they would create or change, every row of a large table and every
list of people is put on a Plan. The preview then stops, having written nothing, so it holds no lock and
blocks nobody however large the file. The import applies the plan (`apply`) in one transaction that only
inserts and updates: seconds for 40,000 rows, where checking them takes tens.

A record the plan creates gets a negative id at once (Plan.new_id), so that later rows and sheets can refer
to it, find it and change it like a recorded one; `apply` inserts it, learns its real id and puts that in
place of the negative one wherever the plan used it (relations, plain rows, lists of people). While the
plan is made, reads go through the plan too (`fetch`, `people_ids`): the database's records as the plan has
changed them, and the plan's new ones. So a meeting in two chunks of one sheet, a 补学 of a meeting the same
file adds, or the members of the 党员 sheet named by the next one are found as if they had been written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from itertools import islice

from django.db import DEFAULT_DB_ALIAS, connection, connections

from taizhang.core.history import stamp
from taizhang.orgs.models import Organisation

BATCH = 1000  # rows per INSERT of records (each returns its ids)
ROWS = 5000  # rows per executemany of plain rows and history rows


def model_of(model):
    return model._meta.concrete_model


def is_new(pk) -> bool:
    """Whether an id is one the plan gave a record it will create."""
    return isinstance(pk, int) and pk < 0


class Plan:
    """The writes of one import, in the order the loaders asked for them, and what reads need to see them."""

    def __init__(self, *, actor=None, reason: str = "", started=None):
        self.actor, self.reason, self.started = actor, reason, started
        self.steps: list[tuple] = []
        self._last = 0
        self.known: dict[type, dict[int, object]] = defaultdict(dict)  # records created or changed, by id
        self.new: dict[type, list] = defaultdict(list)  # records to create, in order
        self.rows: dict[type, list[Rows]] = defaultdict(list)  # plain rows to insert
        self.people: dict[tuple[type, str], dict[int, list[int]]] = defaultdict(dict)  # lists of people set

    def new_organisations(self) -> dict[int, int | None]:
        """{id: parent id} of the organisations the plan adds (core.scoping.planned_organisations)."""
        return {org.pk: org.parent_id for org in self.new.get(model_of(Organisation), ())}

    def new_id(self) -> int:
        self._last -= 1
        return self._last

    # -- what the loaders ask for -----------------------------------------------------------------------

    def _adopt(self, obj) -> None:
        """A new record gets its (negative) id; any record is then the one reads of its id return."""
        model = model_of(type(obj))
        if obj.pk is None:
            obj.pk = self.new_id()
            self.new[model].append(obj)
        self.known[model][obj.pk] = obj

    def create(self, model, objects: list) -> None:
        for obj in objects:
            self._adopt(obj)
        self.steps.append(("create", model_of(model), list(objects)))

    def update(self, model, objects: list, fields: list[str]) -> None:
        """Records change (a new one too: it may name a record created after it, like a new organisation's
        secretary from the 党员 sheet)."""
        for obj in objects:
            self._adopt(obj)
        if fields:
            self.steps.append(("update", model_of(model), list(objects), list(fields)))

    def save(self, obj, update_fields=None) -> None:
        """One record saved on its own (with its history by the usual signal), as a loader's obj.save()."""
        creating = obj.pk is None
        self._adopt(obj)
        self.steps.append(("save", obj, creating, None if creating else update_fields))

    def insert(self, model, rows: list[dict], key: tuple[str, ...]) -> None:
        """Plain rows ({attname: value}, all with the same names) of a large table, inserted with their history
        rows (ctx docs). Kept as tuples: a 40,000-meeting file plans half a million attendance rows."""
        model = model_of(model)
        planned = Rows(model, tuple(rows[0]), key)
        planned.values = [tuple(row.values()) for row in rows]
        self.rows[model].append(planned)
        self.steps.append(("insert", model, planned))

    def set_people(self, obj, field: str, members: list, *, with_record: bool = False) -> None:
        """A record's list of people (many-to-many) set to `members`; with_record: the record is saved with it
        in one history entry (core.writes.save_with_members), created when new."""
        if with_record:
            creating = obj.pk is None
            self._adopt(obj)
        self.people[(model_of(type(obj)), field)][obj.pk] = [m.pk for m in members]
        self.steps.append(("people", obj, field, list(members), with_record and creating, with_record))

    # -- reads as the plan has it -----------------------------------------------------------------------

    def attach(self, obj) -> list[str]:
        """Give a record's relations to the plan's new records their instances, so that reading them (a
        model's clean()) does not look in the database for a record that is not there yet. Returns the names
        of those relations: field validation, which would look, is to skip them (the plan vouches for them)."""
        planned = []
        for field in obj._meta.concrete_fields:
            if field.is_relation and is_new(getattr(obj, field.attname)):
                planned.append(field.name)
                related = self.known.get(model_of(field.related_model), {}).get(getattr(obj, field.attname))
                if related is not None and not field.is_cached(obj):
                    field.set_cached_value(obj, related)
        return planned

    def fetch(self, queryset, **lookups) -> list:
        """queryset.filter(**lookups), each record the instance the plan holds when it created or changed it,
        then the plan's new records that match `lookups` (`field=value` or `field__in=values`, a relation
        by instance or id). The queryset's own filters are not applied to the new records: what an import
        creates is of its campaign and not deleted."""
        model = model_of(queryset.model)
        known = self.known.get(model, {})
        found = [known.get(obj.pk, obj) for obj in queryset.filter(**lookups)]
        tests = [_test(model, name, value) for name, value in lookups.items()]
        found += [obj for obj in self.new.get(model, ()) if all(test(obj) for test in tests)]
        return found

    def new_rows(self, model, field: str, values: Iterable) -> list[tuple[Rows, int]]:
        """(rows, index) of the plain rows the plan inserts into `model` whose attname `field` is one of
        `values`: read and changed (still unwritten) with Rows.get and Rows.set."""
        values = set(values)
        found = []
        for rows in self.rows.get(model_of(model), ()):
            at = rows.columns.index(field)
            found += [(rows, i) for i, row in enumerate(rows.values) if row[at] in values]
        return found

    def people_ids(self, obj, field: str) -> list[int] | None:
        """The ids of the people the plan sets on a record's list, None when it sets none."""
        return self.people.get((model_of(type(obj)), field), {}).get(obj.pk)


class Rows:
    """The plain rows of one insert: their column names (attnames) and values, one tuple per row."""

    def __init__(self, model, columns: tuple[str, ...], key: tuple[str, ...]):
        self.model, self.columns, self.key = model, columns, key
        self.values: list[tuple] = []

    def get(self, i: int, name: str):
        return self.values[i][self.columns.index(name)]

    def set(self, i: int, **changes) -> None:
        row = dict(zip(self.columns, self.values[i], strict=True))
        row.update(changes)
        self.values[i] = tuple(row[name] for name in self.columns)


def _test(model, lookup: str, value):
    name, _, op = lookup.partition("__")
    if op not in ("", "in"):
        raise ValueError(f"Plan.fetch supports field=… and field__in=…, not {lookup}")
    field = model._meta.get_field(name)
    attname = field.attname if field.is_relation else name

    def key(v):
        return v.pk if field.is_relation and hasattr(v, "pk") else v

    wanted = {key(v) for v in value} if op == "in" else {key(value)}
    return lambda obj: getattr(obj, attname) in wanted


# -- applying ----------------------------------------------------------------------------------------------


def apply(plan: Plan) -> None:
    """Make the plan's writes, in order, in the caller's transaction."""
    if not connection.features.can_return_rows_from_bulk_insert:  # SQLite before 3.35
        raise RuntimeError("The database cannot return the ids of inserted rows (SQLite 3.35+ is needed)")
    ids: dict[int, int] = {}
    with _larger_cache():
        for step in plan.steps:
            STEPS[step[0]](plan, ids, *step[1:])


SQLITE_CACHE_KB = 65536  # while applying: the new rows' indexes stay in memory (a third less time for 40,000)


@contextmanager
def _larger_cache():
    """On SQLite, a page cache of SQLITE_CACHE_KB for the length of the write (the default 2 MB makes each
    insert into the large indexes of attendance and history read pages back from the file)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _real(obj, ids: dict[int, int], *, creating: bool = False) -> list[tuple[str, int]]:
    """Put real ids in place of the plan's on an instance's relations. A record being created may name one
    created after it (a new organisation's secretary): that relation is left empty by its insert, and the
    step that set it, which comes later, fills it in. Returns those (attname, planned id): the caller puts
    them back once the record is inserted, for that step."""
    if is_new(obj.pk) and not creating:
        obj.pk = ids[obj.pk]
    later = []
    for field in obj._meta.concrete_fields:
        if field.is_relation:
            value = getattr(obj, field.attname)
            if not is_new(value):
                continue
            if value in ids:
                setattr(obj, field.attname, ids[value])
            elif creating and field.null:
                later.append((field.attname, value))
                field.delete_cached_value(obj)
                setattr(obj, field.attname, None)
            else:
                raise ValueError(f"{obj._meta.label}.{field.name} names a record not yet created")
    return later


def _put_back(objects, later: list[list[tuple[str, int]]]) -> None:
    for obj, names in zip(objects, later, strict=True):
        for attname, value in names:
            setattr(obj, attname, value)


def _history_meta(plan: Plan) -> dict:
    user = plan.actor if getattr(plan.actor, "pk", None) else None
    return {
        "history_date": plan.started,
        "history_change_reason": plan.reason,
        "history_user_id": user.pk if user else None,
    }


def _history(plan: Plan, model, objects: list, kind: str) -> None:
    """The history rows of records created ("+") or changed ("~") in bulk: what each record now is, with who,
    why and when; written as plain rows (simple-history's bulk helpers build an instance per row)."""
    names = tuple(f.attname for f in model._meta.concrete_fields)
    rows = (tuple(getattr(obj, name) for name in names) for obj in objects)
    insert_rows(model.history.model, names, rows, _history_meta(plan) | {"history_type": kind})


def _create(plan: Plan, ids, model, objects: list) -> None:
    if not objects:
        return
    planned = [obj.pk for obj in objects]
    later = []
    for obj in objects:
        obj.pk = None
        obj._state.adding = True
        later.append(_real(obj, ids, creating=True))
    model._base_manager.bulk_create(objects, batch_size=BATCH)
    for planned_id, obj in zip(planned, objects, strict=True):
        ids[planned_id] = obj.pk
        obj._state.adding = False
    _history(plan, model, objects, "+")
    _put_back(objects, later)


def _update(plan: Plan, ids, model, objects: list, fields: list[str]) -> None:
    for obj in objects:
        _real(obj, ids)
    fields = sorted({model._meta.get_field(name).name for name in fields})
    model._base_manager.bulk_update(objects, fields, batch_size=BATCH)
    _history(plan, model, objects, "~")


def _save(plan: Plan, ids, obj, creating: bool, update_fields) -> None:
    if creating:
        planned, obj.pk = obj.pk, None
        obj._state.adding = True
    later = _real(obj, ids, creating=creating)
    stamp(obj, plan.actor, plan.reason)
    obj.save(update_fields=update_fields)
    if creating:
        ids[planned] = obj.pk
    _put_back([obj], [later])


def _insert(plan: Plan, ids, model, rows: Rows) -> None:
    """Rows and their history rows with two executemany statements, and one read-back of the new ids by the
    rows' key (a unique key of the model). Nothing refers to these rows, so their ids are not kept."""
    if not rows.values:
        return
    relations = [
        i
        for i, name in enumerate(rows.columns)
        if model._meta.get_field(name).is_relation  # attnames: get_field knows them too
    ]
    values = rows.values
    if relations:
        values = [
            tuple(ids[v] if i in relations and is_new(v) else v for i, v in enumerate(row)) for row in values
        ]
    insert_rows(model, rows.columns, values)
    key = [rows.columns.index(name) for name in rows.key]
    pk = model._meta.pk.attname
    found = model._base_manager.filter(**{f"{rows.key[0]}__in": {row[key[0]] for row in values}})
    real = dict(
        (tuple(found_row[1:]), found_row[0])
        for found_row in found.values_list(pk, *rows.key).iterator(chunk_size=ROWS)
    )
    insert_rows(
        model.history.model,
        (*rows.columns, pk),
        ((*row, real[tuple(row[k] for k in key)]) for row in values),
        _history_meta(plan) | {"history_type": "+"},
    )


def _people(plan: Plan, ids, obj, field: str, members: list, creating: bool, with_record: bool) -> None:
    if not with_record:
        _real(obj, ids)
        stamp(obj, plan.actor, plan.reason)
        getattr(obj, field).set(members)
        return
    # Saved with its people so that its history holds one entry with both (core.writes.save_with_members).
    if creating:
        planned, obj.pk = obj.pk, None
        obj._state.adding = True
    later = _real(obj, ids, creating=creating)
    stamp(obj, plan.actor, plan.reason)
    obj.skip_history_when_saving = True
    try:
        obj.save()
        getattr(obj, field).set(members)
    finally:
        del obj.skip_history_when_saving
    stamp(obj, plan.actor, plan.reason)
    obj.save(update_fields=["updated_at"])
    if creating:
        ids[planned] = obj.pk
        obj.history.update(history_type="+")
    _put_back([obj], [later])


STEPS = {"create": _create, "update": _update, "save": _save, "insert": _insert, "people": _people}


# Field types whose int, str, bool or None value the database drivers take as it is: no per-value preparation.
PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)
PLAIN_VALUES = (int, str, bool, type(None))


def insert_rows(
    model, columns: tuple[str, ...], rows: Iterable[tuple], constants: dict | None = None
) -> None:
    """INSERT plain rows (tuples of the values of `columns`, attnames) with executemany, ROWS at a time;
    `constants` ({attname: value}) are the same in every row. A name the model has no field for is left out (a
    history table leaves out the timestamps); a field not named takes its default; the primary key is left to
    the database. Values are prepared for the database as Django would, but a constant once and a plain value
    of a plain field not at all: half a million attendance rows took a minute of preparation otherwise."""
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: the proxy looks it up on every use
    constants = constants or {}
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    given = {name: i for i, name in enumerate(columns)}
    fixed = {}
    for f in fields:
        if f.attname in constants or f.attname not in given:
            value = constants[f.attname] if f.attname in constants else f.get_default()
            fixed[f.attname] = f.get_db_prep_save(value, db)
    varying = [(given[f.attname], f) for f in fields if f.attname not in fixed]
    fields = [f for _, f in varying] + [f for f in fields if f.attname in fixed]
    tail = [fixed[f.attname] for f in fields[len(varying) :]]
    plain = [f.get_internal_type() in PLAIN_TYPES for _, f in varying]
    quote = db.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    steps = [(at, f, is_plain) for (at, f), is_plain in zip(varying, plain, strict=True)]

    def prepared(row):
        values = [
            value
            if value is None or (is_plain and isinstance(value, PLAIN_VALUES))
            else f.get_db_prep_save(value, db)
            for at, f, is_plain in steps
            for value in (row[at],)
        ]
        values += tail
        return values

    rows = iter(rows)
    with db.cursor() as cursor:
        while batch := [prepared(row) for row in islice(rows, ROWS)]:
            cursor.executemany(sql, batch)
