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
