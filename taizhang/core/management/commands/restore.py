from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from taizhang.core.backup import BackupError
from taizhang.core.restore import restore_backup


class Command(BaseCommand):
    help = (
        "从 taizhang backup 生成的文件恢复到一个空的安装（migrate 之后、尚无数据），恢复后核对记录数。"
        "恢复前先停止服务器和后台任务进程。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件（.zip）")
        parser.add_argument("--force", action="store_true", help="当前安装已有数据时也恢复（覆盖现有数据）")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args, file, force=False, database="default", **options):
        try:
            result = restore_backup(Path(file), using=database, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"无法读取或写入：{exc.strerror}（{exc.filename or file}）") from exc
        manifest = result.manifest
        self.stdout.write(
            f"已从 {result.path.name} 恢复（备份于 {manifest['created_at']}，台账 {manifest['taizhang_version']}）："
            f"记录 {result.records} 条、上传文件 {result.media_files} 个，记录数与备份清单一致。"
        )
        self.stdout.write("请接着运行 taizhang migrate（备份来自较早的版本时升级数据库），再启动服务器。")
