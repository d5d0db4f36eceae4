from django import forms

from taizhang.core.cleaning import safe_filename
from taizhang.core.forms import CleanInput

MAX_UPLOAD = 100 * 1024 * 1024


class UploadForm(CleanInput, forms.Form):
    file = forms.FileField(
        label="台账文件",
        help_text="Excel 工作簿（.xlsx），可含组织、党员、会议活动、问题清单等任意几个工作表",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={"required": "请选择要导入的 Excel 文件。"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                f"“{safe_filename(upload.name)}”不是 .xlsx 文件。若是 .xls 或 .et，请在 Excel/WPS 中“另存为”Excel 工作簿（.xlsx）。"
            )
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                f"文件超过 {MAX_UPLOAD // (1024 * 1024)} MB，请按工作表拆分后分别导入。"
            )
        return upload
