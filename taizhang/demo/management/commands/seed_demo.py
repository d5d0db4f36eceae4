from django.core.management.base import BaseCommand

from taizhang.demo.seed.run import run


class Command(BaseCommand):
    help = "载入演示乡镇（XX县委 > XX乡党委，13个基层党组织、20个党支部、约380名党员）及演示账号。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="清空现有数据后重新生成")

    def handle(self, *args, force=False, **options):
        ctx = run(scale_townships=None, force=force, out=self.stdout)
        township = ctx.townships[0]
        self.stdout.write(
            self.style.SUCCESS(
                f"已载入演示乡镇“{township.committee.name}”：基层党组织{len(township.grassroots)}个，"
                f"党支部{len(township.branches)}个，党员{len(township.members)}名。"
            )
        )
        self.stdout.write("演示账号（仅用于演示数据）：")
        for who, username, password in ctx.logins:
            self.stdout.write(f"  {who}：账号 {username}  密码 {password}")
