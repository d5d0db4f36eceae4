"""Rows of the access matrix (core/tests/test_access_matrix.py) for the report pages.

Every user with an organisation reads the reports of his own scope (the default organisation is his own; the
superuser's is the county). The summary template belongs to a township: township A has one uploaded; only
a township admin (or the superuser) uploads or withdraws, a county viewer may look (403 on writes), and a
user who cannot see township A gets 404. The template page of a user below a township lists the townships he
may see (none for a branch secretary), hence 200.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from taizhang.campaigns.models import Campaign
from taizhang.reports.models import SummaryTemplate
from taizhang.reports.selectors import default_template_path

TARGETS = {
    "township_a": lambda cast: {"org_pk": cast.township_a.pk},
    "summary_template_a": lambda cast: {"pk": cast.summary_template_a.pk},
}


def _default_template() -> bytes:
    return default_template_path(Campaign.current()).read_bytes()


def setup(cast) -> None:
    # Stored directly (the upload service checks and renders the template: too slow for every cell here).
    template = SummaryTemplate(
        organisation=cast.township_a,
        campaign=Campaign.current(),
        original_name="甲乡模板.docx",
        size=1,
        sha256="",
        uploaded_by=cast.admin_a,
    )
    template.file.save("template.docx", ContentFile(_default_template()), save=True)
    cast.summary_template_a = template


def _uploaded(cast) -> bool:
    return SummaryTemplate.objects.filter(organisation=cast.township_a).count() == 2


def _withdrawn(cast) -> bool:
    return not SummaryTemplate.objects.filter(organisation=cast.township_a).exists()


POST_DATA = {
    "reports:template_upload": lambda cast: {"file": SimpleUploadedFile("新模板.docx", _default_template())},
}

# fmt: off
GET_MATRIX = [
    # url name                      object                root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    ("reports:index",               None,                  200, 200,  200,  200,   200,   200,  200,   404,   302),
    ("reports:summary",             None,                  200, 200,  200,  200,   200,   200,  200,   404,   302),
    ("reports:stats_xlsx",          None,                  200, 200,  200,  200,   200,   200,  200,   404,   302),
    ("reports:stats_docx",          None,                  200, 200,  200,  200,   200,   200,  200,   404,   302),
    ("reports:check",               None,                  200, 200,  200,  200,   200,   200,  200,   404,   302),
    ("reports:template",            None,                  200, 200,  200,  200,   200,   200,  200,   404,   302),
    ("reports:template_default",    None,                  200, 200,  200,  200,   200,   200,  200,   200,   302),
    ("reports:template_file",       "summary_template_a",  200, 200,  200,  404,   404,   404,  404,   404,   302),
    ("reports:template_upload",     "township_a",          405, 405,  405,  405,   405,   405,  405,   405,   302),
    ("reports:template_reset",      "township_a",          405, 405,  405,  405,   405,   405,  405,   405,   302),
]

POST_MATRIX = [
    # url name                      object        effect      root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    ("reports:template_upload",     "township_a", _uploaded,  302, 403,  302,  404,   404,   404,  404,   404,   302),
    ("reports:template_reset",      "township_a", _withdrawn, 302, 403,  302,  404,   404,   404,  404,   404,   302),
]
# fmt: on
