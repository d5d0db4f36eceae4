from taizhang.core.areas import AreaConfig


class ServeConfig(AreaConfig):
    name = "taizhang.serve"
    label = "serve"
    verbose_name = "为民服务与共建"
    part_links = {
        "build": [
            ("为民办实事", "serve:project_list"),
            ("结对共建", "serve:partnership_list"),
            ("党员先锋岗", "serve:post_list"),
        ],
        "plan": [("宣传", "serve:publicity_list")],
    }
    report_examples = {
        "partnerships": "taizhang.serve.selectors.partner_examples",
        "service_projects": "taizhang.serve.selectors.project_examples",
    }
