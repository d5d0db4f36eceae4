import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from taizhang.indicators.engine import compute
from taizhang.indicators.selectors import figure_table, find_campaign, find_org, parse_date


class Command(BaseCommand):
    help = "计算一个组织（含下级）在某主题教育中的全部指标。"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="组织名称，如 XX乡党委")
        parser.add_argument("--campaign", help="主题教育代码（默认当前）")
        parser.add_argument("--as-of", dest="as_of", help="截至日期 YYYY-MM-DD（默认全部记录）")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象 {指标代码: 数值}")

    def handle(self, *args, org, campaign=None, as_of=None, json=False, **options):
        try:
            organisation = find_org(org)
            campaign_obj = find_campaign(campaign)
            date = parse_date(as_of)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        if json:
            self.stdout.write(_dumps(compute(campaign_obj, organisation, as_of=date)))
            return
        table = figure_table(campaign_obj, organisation, date)
        self.stdout.write(f"{organisation.name} · {campaign_obj.name}" + (f" · 截至{date}" if date else ""))
        for part, figures in table.parts:
            self.stdout.write(f"【{part}】")
            for figure in figures:
                self.stdout.write(
                    f"  {figure.indicator.label}：{figure.value}{figure.indicator.unit}  ({figure.indicator.code})"
                )


def _dumps(values: dict) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True)
