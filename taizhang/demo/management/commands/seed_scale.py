import time

from django.core.management.base import BaseCommand, CommandError

from taizhang.demo.seed.run import run


class Command(BaseCommand):
    help = "生成压测数据：一个县委下 N 个与演示乡镇同样规模的乡镇（N=20：约260个基层党组织、400个党支部、8000名党员）。"

    def add_arguments(self, parser):
        parser.add_argument("--townships", type=int, default=20, help="乡镇数（默认20）")
        parser.add_argument("--force", action="store_true", help="清空现有数据后重新生成")

    def handle(self, *args, townships=20, force=False, **options):
        if townships < 1:
            raise CommandError("--townships 应为正整数。")
        started = time.monotonic()
        ctx = run(scale_townships=townships, force=force, out=self.stdout)
        members = sum(len(t.members) for t in ctx.townships)
        branches = sum(len(t.branches) for t in ctx.townships)
        grassroots = sum(len(t.grassroots) for t in ctx.townships)
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成{townships}个乡镇：基层党组织{grassroots}个，党支部{branches}个，党员{members}名，"
                f"用时{time.monotonic() - started:.1f}秒。"
            )
        )
        self.stdout.write(
            f"账号：admin01…admin{townships:02d}（乡党委管理员）、county（县委只读），密码 {ctx.password}"
        )
