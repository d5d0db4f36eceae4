"""An upload's life: stored, checked (a dry run: the preview), then imported once the user confirms.

A job is a folder under var/imports/<id>/ holding the uploaded file and a small state.json (who, which
campaign and township, the status, the progress, the result). Files, not rows, so that the progress written
by a running import is visible to every server process at once, outside the import's own transaction. A
small file is checked and imported within the request; a large one in a background thread while the page
polls its progress.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
import uuid
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection

from taizhang.core.cleaning import safe_filename

from .importer import ImportResult, import_workbook

log = logging.getLogger(__name__)
INLINE_BYTES = 512 * 1024  # up to this size a file is checked within the request
KEEP_SECONDS = 24 * 3600


def root() -> Path:
    return Path(settings.VAR_DIR) / "imports"


class Job:
    def __init__(self, job_id: str):
        if not job_id or any(c not in "0123456789abcdef" for c in job_id):
            raise FileNotFoundError(job_id)
        self.id = job_id
        self.folder = root() / job_id
        if not (self.folder / "state.json").exists():
            raise FileNotFoundError(job_id)

    @property
    def file(self) -> Path:
        return self.folder / "upload.xlsx"

    @property
    def state(self) -> dict:
        return json.loads((self.folder / "state.json").read_text("utf-8"))

    def update(self, **changes) -> None:
        state = {**self.state, **changes}
        temporary = self.folder / "state.json.tmp"
        temporary.write_text(json.dumps(state, ensure_ascii=False, default=str), "utf-8")
        temporary.replace(self.folder / "state.json")  # atomic: a poll never reads half a file

    @classmethod
    def create(cls, upload, *, user, campaign, township) -> Job:
        _sweep()
        job_id = uuid.uuid4().hex
        folder = root() / job_id
        folder.mkdir(parents=True)
        with open(folder / "upload.xlsx", "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        state = {
            "user": user.pk,
            "filename": safe_filename(upload.name),  # no folders, no RTL override: shown on pages
            "size": upload.size,
            "campaign": campaign.pk,
            "township": township.pk if township else None,
            "status": "new",
            "progress": "",
            "result": None,
            "created": time.time(),
        }
        (folder / "state.json").write_text(json.dumps(state, ensure_ascii=False), "utf-8")
        return cls(job_id)

    def run(self, *, user, dry_run: bool, background: bool | None = None) -> None:
        """Check (dry_run) or import the file, within the request or in a thread for a large file."""
        self.update(status="checking" if dry_run else "importing", progress="正在读取……")
        if background is None:
            # Not inside a transaction (a test's): the thread's own connection would not see its data.
            limit = getattr(settings, "LEDGER_INLINE_BYTES", INLINE_BYTES)
            background = self.state["size"] > limit and not connection.in_atomic_block
        if background:
            threading.Thread(target=self._work, args=(user, dry_run, True), daemon=True).start()
        else:
            self._work(user, dry_run, False)

    def _work(self, user, dry_run: bool, threaded: bool) -> None:
        from taizhang.accounts.models import User
        from taizhang.campaigns.models import Campaign
        from taizhang.core.scoping import scope_for
        from taizhang.orgs.models import Organisation

        state = self.state
        try:
            user = User.objects.get(pk=user.pk)  # the request's lazy user is not for another thread
            campaign = Campaign.objects.get(pk=state["campaign"])
            township = (
                Organisation.objects.filter(pk=state["township"]).first() if state["township"] else None
            )

            def progress(sheet, done, total):
                share = f"（约{min(100, round(100 * done / total))}%）" if total else ""
                self.update(progress=f"{sheet}：已处理{done}行{share}")

            result = import_workbook(
                self.file,
                campaign=campaign,
                actor=user,
                scope=scope_for(user),
                township=township,
                dry_run=dry_run,
                progress=progress,
                filename=state["filename"],
            )
            if dry_run:
                status = "checked" if result.ok else "refused"
            else:
                status = "done" if result.written else "refused"
            self.update(status=status, progress="", result=_as_dict(result))
        except Exception:  # never leave a page polling forever; the exception's text is for the log only
            log.exception("Ledger import job %s failed", self.id)
            message = "导入时出错，未写入任何数据。请稍后重试；如仍出错，请联系系统管理员。"
            self.update(status="failed", progress="", result={"message": message})
            if not threaded:
                raise
        finally:
            if threaded:
                close_old_connections()
                connection.close()


def _as_dict(result: ImportResult) -> dict:
    return {
        "sheets": [asdict(s) for s in result.sheets],
        "errors": [str(e) for e in result.errors],
        "notices": result.notices,
        "written": result.written,
    }


def _sweep() -> None:
    """Forget uploads older than a day."""
    folder = root()
    if not folder.exists():
        return
    cutoff = time.time() - KEEP_SECONDS
    for job in folder.iterdir():
        if job.is_dir() and job.stat().st_mtime < cutoff:
            shutil.rmtree(job, ignore_errors=True)
