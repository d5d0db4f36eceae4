from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from taizhang.core.forms import CleanInput


class TemplateUploadForm(CleanInput, forms.Form):
    file = forms.FileField(
        label="模板文件",
        help_text="Word 文件（.docx）。先下载当前模板，在 Word 中修改后上传。",
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )


class CheckForm(CleanInput, forms.Form):
    file = forms.FileField(
        label="上传总结",
        required=False,
        help_text="Word（.docx）或纯文本（.txt）",
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt,text/plain"}),
    )
    text = forms.CharField(label="或粘贴正文", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    as_of = forms.DateField(
        label="截至日期",
        required=False,
        help_text="总结写到哪一天；留空则按全部记录核对",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
            raise ValidationError(f"文件超过了{settings.MAX_UPLOAD_MB} MB的上限。")
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise ValidationError("请上传总结文件，或把正文粘贴在下面。")
        return data
