from django.core.management.base import BaseCommand, CommandError

from taizhang.core.backup import ENGINE_NAMES, BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库（运行中也可以）、上传的文件和备份清单，写成一个 zip 文件（权限 0600）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", required=True, help="备份文件；或一个目录（以 / 结尾），其中按日期命名"
        )
        parser.add_argument("--keep", type=int, help="与目录一起用：只保留最新的 N 个备份")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args, output, keep=None, database="default", **options):
        try:
            result = create_backup(output, using=database, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"无法写入备份：{exc.strerror}（{exc.filename or output}）") from exc
        size = result.path.stat().st_size / 1024 / 1024
        self.stdout.write(
            f"已备份到 {result.path}（{ENGINE_NAMES[result.manifest['engine']]}，"
            f"记录 {result.records} 条，上传文件 {result.media_files} 个，{size:.1f} MB）"
        )
