"""干事创业清单 and 为民办实事: the same shape of ledger, declared once (NumberedList).

Both are a township's numbered list of tasks, matched by 序号 within the township. There is no organisation
column: a row belongs to the township of its 责任领导, else to the one its 责任单位 names, else to the default
one (--org, or the importing user's township). 责任单位 is "an organisation or free text", stored as the forms
store it (common.responsible_unit): an organisation of the township, or the township committee with the
unit's name; blank is the committee. A done item (已完成) needs a 完成时间 and one with a 完成时间 must be done
(the models' clean()); a blank 状态 is 未开始. A list is loaded whole (chunk=None); a 序号 twice in a file is
an error naming the other row. An export is the campaign's items as the indicators count them, by a date
that may be unknown (an item without one counts in every campaign).
"""

from __future__ import annotations

from ..context import Batch
from ..spec import Column, Sheet, register
from .common import (
    admins_only,
    campaign_records,
    first_of_key,
    people_township,
    person,
    recorded,
    responsible_unit,
    writable_unit,
)


class NumberedList:
    """One numbered list. A subclass declares its model and its own columns, and says what its own cells
    mean (`values`, `new_values`) and hold in an export (`exported_head`, `exported_tail`); declare()
    registers the sheet. Its columns: 序号, `head`, 责任领导, 责任单位, the deadline (`deadline`: the column
    and the field it fills), 状态 (of `statuses`), 完成时间, `tail`."""

    name: str
    order: int
    model: type
    head: tuple[Column, ...]
    deadline: tuple[str, str]
    statuses: type  # the model's status choices; a blank 状态 is their NOT_STARTED
    tail: tuple[Column, ...] = ()
    example: tuple
    dated: str  # the field by which a campaign counts an item
    related: tuple[str, ...] = ("organisation", "leader")  # with the recorded items a load compares
    exported: tuple[str, ...] = ("organisation", "leader__organisation")  # with the items an export writes
    for_admins: bool = False  # whether only township admins import it (research records)

    def declare(self) -> Sheet:
        deadline, _ = self.deadline
        return register(
            Sheet(
                name=self.name,
                order=self.order,
                chunk=None,
                columns=(
                    Column("序号", "int", required=True, key=True, note="本乡内的编号"),
                    *self.head,
                    Column("责任领导", "member"),
                    Column("责任单位", "org_or_text", width=24, note="本乡党组织名称，或其他单位名称"),
                    Column(deadline, "date", rule="deadline"),
                    Column("状态", "choice", choices=tuple(self.statuses.values)),
                    Column("完成时间", "date", note="已完成的须填写"),
                    *self.tail,
                ),
                example=self.example,
                loader=self.load,
                exporter=self.export,
            )
        )

    # What a subclass says -----------------------------------------------------------------------------

    def prepare(self, ctx, parsed: list):
        """What `values` needs for all the rows, read once (parsed: the rows' (row, township, ...))."""
        return None

    def values(self, ctx, row, township, leader, prepared) -> dict | None:
        """The fields of the list's own columns; None after an error on the row."""
        raise NotImplementedError

    def new_values(self, ctx, row) -> dict:
        """Fields a new item takes that the ledger does not hold."""
        return {}

    def exported_head(self, item) -> tuple:
        """The cells of `head` in an export."""
        raise NotImplementedError

    def exported_tail(self, item) -> tuple:
        """The cells of `tail` in an export."""
        return ()

    # The rest ----------------------------------------------------------------------------------------

    def load(self, rows, ctx) -> None:
        if self.for_admins and not admins_only(ctx, self.name):
            return
        parsed = self._parse(rows, ctx)
        if not parsed:
            return
        prepared = self.prepare(ctx, parsed)
        existing = recorded(
            ctx,
            self.model.objects.select_related(*self.related),
            ("township_id", "serial"),
            {(t.pk, row["序号"]) for row, t, _, _ in parsed},
        )
        deadline, deadline_field = self.deadline
        items = Batch(ctx, self.model)
        for row, township, leader, (organisation, unit) in parsed:
            own = self.values(ctx, row, township, leader, prepared)
            if own is None:
                continue
            values = {
                **own,
                "leader": leader,
                "organisation": organisation,
                "unit": unit,
                deadline_field: row[deadline],
                "status": row["状态"] or self.statuses.NOT_STARTED,
                "completed_on": row["完成时间"],
            }
            item = existing.get((township.pk, row["序号"])) or self.model(
                township=township, serial=row["序号"], **self.new_values(ctx, row)
            )
            items.put(row, item, values)
        items.write()

    def _parse(self, rows, ctx) -> list:
        """The (row, township, leader, (organisation, unit)) of the rows whose 责任领导 (if any) is known,
        whose 责任单位 is writable, and whose 序号 is the first of its township in the file."""
        parsed, seen = [], {}
        for row in rows:
            leader = ctx.member(row, "责任领导", required=False)
            if row["责任领导"] and leader is None:
                continue
            township = people_township(ctx, row, [leader], "责任单位")
            if township is None:
                continue
            unit = responsible_unit(ctx, row, "责任单位", township)
            if unit is None or not writable_unit(ctx, row, "责任单位", unit[0]):
                continue
            if not first_of_key(ctx, seen, (township.pk, row["序号"]), row, "序号", "序号"):
                continue
            parsed.append((row, township, leader, unit))
        return parsed

    def export(self, campaign, org_ids):
        records = self.model.objects.select_related(*self.exported)
        items, shared = campaign_records(
            records.order_by("township__order", "township_id", "serial"),
            campaign,
            org_ids,
            self.dated,
            or_unknown=True,
            township="township_id",
        )
        _, deadline_field = self.deadline
        for item in items:
            yield (
                item.serial,
                *self.exported_head(item),
                person(item.leader, shared) if item.leader_id else "",
                item.unit or item.organisation.name,
                getattr(item, deadline_field),
                item.status,
                item.completed_on,
                *self.exported_tail(item),
            )
