from django.apps import AppConfig


class ServeConfig(AppConfig):
    name = "taizhang.serve"
    label = "serve"
    verbose_name = "为民服务与共建"
    # The pages this area offers on a campaign's part page (taizhang.views.part_page).
    part_links: dict[str, list[tuple[str, str]]] = {
        "build": [
            ("为民办实事", "serve:project_list"),
            ("结对共建", "serve:partnership_list"),
            ("党员先锋岗", "serve:post_list"),
        ],
        "plan": [("宣传", "serve:publicity_list")],
    }
    # Lists the work summary may quote (reports.examples): name -> function(campaign, root, as_of).
    report_examples = {
        "partnerships": "taizhang.serve.selectors.partner_examples",
        "service_projects": "taizhang.serve.selectors.project_examples",
    }
