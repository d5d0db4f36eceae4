from django import forms
from django.core.validators import MaxLengthValidator

from .cleaning import TEXT_LIMIT, Refused, check_text, has_odd_digits, normalise_text


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TreeChoiceField(forms.ModelChoiceField):
    """Organisations indented by depth (the queryset carries tree fields)."""

    def label_from_instance(self, obj):
        depth = getattr(obj, "tree_depth", 0) - getattr(self, "top_depth", 0)
        return f"{'　' * max(depth, 0)}{obj.name}"


class NamedErrors:
    """A form mixin: a missing or invalid value is reported with the field's name (请填写项目名称。)."""

    def full_clean(self):
        for field in self.fields.values():  # here, once the form's own __init__ has replaced fields
            label = field.label or ""
            verb = "请选择" if isinstance(field, forms.ChoiceField) else "请填写"
            field.error_messages["required"] = f"{verb}{label}。"
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = f"{label}不是有效的日期。"
            if isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = f"{label}应为整数。"
                field.error_messages["min_value"] = f"{label}不能小于%(limit_value)s。"
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = f"{label}：所选的值不在可选范围内。"
        super().full_clean()


NUMBER_FIELDS = (forms.IntegerField, forms.FloatField, forms.DecimalField)


class CleanInput:
    """A form mixin: clean input, as the ledger import has it (core.cleaning).

    Every bound text value is normalised before validation (NFKC letters and digits, so a mobile typed with
    full-width or Arabic-Indic digits is stored in ASCII; zero-width, bidi-control and BOM characters removed;
    no-break and ideographic spaces made spaces; trimmed); passwords and files are left alone. A text field
    then refuses control characters (line breaks and tabs only in a textarea), Excel error values and
    over-long text, with its label, its limit and the length: never cut, neither here nor by the browser
    (no maxlength attribute). A text field without max_length (a model's TextField) takes cleaning.TEXT_LIMIT.
    A number with superscript or circled digits (², ①) is refused rather than read as the digit NFKC makes.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)

    def full_clean(self):
        if self.is_bound and not getattr(self, "_input_normalised", False):
            self._input_normalised = True
            self.data = self._normalised(self.data)
        for field in self.fields.values():
            _guard(field)
        super().full_clean()

    def _normalised(self, data):
        data = data.copy()
        for name, field in self.fields.items():
            if _is_secret(field) or isinstance(field, forms.FileField):
                continue
            key = self.add_prefix(name)
            widget = field.widget
            keys = (
                [key + suffix for suffix in widget.widgets_names]
                if isinstance(widget, forms.MultiWidget)
                else [key]
            )
            for key in keys:
                if key not in data:
                    continue
                if hasattr(data, "setlist"):
                    data.setlist(key, [_normal(field, v) for v in data.getlist(key)])
                elif isinstance(data[key], list | tuple):
                    data[key] = [_normal(field, v) for v in data[key]]
                else:
                    data[key] = _normal(field, data[key])
        return data


def _is_secret(field) -> bool:
    return isinstance(field.widget, forms.PasswordInput)


def _normal(field, value):
    if not isinstance(value, str):
        return value
    if isinstance(field, NUMBER_FIELDS) and has_odd_digits(value):
        return value  # refused by the field as not a number, not read as the 2 NFKC makes of ²
    return normalise_text(value)


class _TextCheck:
    """A text field's validator: control characters and Excel error values refused (core.cleaning)."""

    def __init__(self, label: str, multiline: bool):
        self.label, self.multiline = label, multiline

    def __call__(self, value):
        if isinstance(value, str):
            try:
                check_text(value, label=self.label, limit=None, multiline=self.multiline)
            except Refused as exc:
                raise forms.ValidationError(str(exc), code="unclean") from None


def _guard(field) -> None:
    if getattr(field, "_input_guarded", False) or not isinstance(field, forms.CharField) or _is_secret(field):
        return
    field._input_guarded = True
    label = str(field.label or "内容").replace("%", "%%")
    if field.max_length is None:
        field.max_length = TEXT_LIMIT
        field.validators.append(MaxLengthValidator(TEXT_LIMIT))
    field.error_messages["max_length"] = (
        f"{label}最多%(limit_value)d个字，现有%(show_value)d个字，请删减后再填写（不会自动截断）。"
    )
    field.validators.append(_TextCheck(label.replace("%%", "%"), isinstance(field.widget, forms.Textarea)))
