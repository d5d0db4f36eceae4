from django import forms


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
