"""Generate the default work-summary templates shipped in taizhang/reports/data/:

    .venv/bin/python -m taizhang.reports.make_default_template

- `summary-2023-second-batch.docx`: the 2023 second-batch campaign, written like the seed summary
  (../shared/seed/township-summary-2023.txt): title, opening, one level-1 part per campaign part (headings
  from the campaign file), paragraphs with run-in headings whose figures are indicator tags;
- `summary-generic.docx`: any other campaign: each part's heading, description and its figures in a list.

The files are written byte for byte the same on every run (fixed zip dates), so a change shows in git only
when this script or the campaign file changed. A township downloads one of these, edits it in Word and uploads
it as its own (reports.SummaryTemplate).
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import yaml

from . import docx_layout as layout

DATA_DIR = Path(__file__).resolve().parent / "data"
CAMPAIGNS_DIR = Path(__file__).resolve().parent.parent / "campaigns" / "data"
GENERIC = "summary-generic.docx"
FIXED_DATE = datetime(2023, 9, 1, tzinfo=UTC)

TITLE = "{{ year }}年{{ place }}{{ campaign_short }}工作开展情况的工作总结"
OPENING = (
    "{{ campaign_short }}开展以来，{{ place }}{% if motto %}准确把握“{{ motto }}”的总要求，{% endif %}"
    "以系统思维谋划推进工作开展，打好“组合拳”，推动主题教育见行见效。现将有关情况总结如下。"
)

# The 2023 campaign's parts, by their short name: an opening sentence, then (run-in heading, text) paragraphs.
# Each sentence with a figure is a sentence of its own ("截至目前，…"), so that leaving it out leaves the rest.
PARTS_2023: dict[str, list] = {
    "谋": [
        "坚持高站位谋划、高标准要求、高质量推进，有力有序深入开展主题教育。",
        (
            "抓好部署开好局。",
            "迅速成立以党委书记为组长的主题教育工作领导小组及办公室，召开主题教育工作部署会、动员大会、"
            "领导小组会议和业务培训会，一体推进、细化落实理论学习、调查研究、推动发展等重点举措，"
            "为扎实深入开展主题教育开好头、起好步、谋好局。"
            "{{ place }}共有{{ org.grassroots }}个基层党组织、{{ org.branches }}个党支部参加主题教育，做到组织全覆盖。",
        ),
        (
            "抓好传达聚好力。",
            "各党支部紧密结合支部实际，制定党支部学习计划，建立党支部委员挂钩联系、带学领学机制，"
            "确保主题教育稳步推进。截至目前，{{ deploy.branch_meetings }}个党支部召开党员大会传达中央部署和上级工作要求。",
        ),
        (
            "抓好宣传起好步。",
            "线上线下宣传相结合，筑牢学习阵地，通过公众号推送主题教育工作动态和理论学习素材，"
            "利用LED显示屏循环播放宣传标语，持续营造主题教育浓厚氛围。"
            "截至目前，设立大型广告牌{{ publicity.billboards }}个，张贴横幅、标语{{ publicity.banners }}条。",
        ),
    ],
    "学": [
        "通过扎实理论学习、筑牢思想根基、坚定理想信念，让主题教育“热”起来。",
        (
            "班子领学提升理论学习“高度”。",
            "通过党委理论学习中心组学习、党委会议等形式，原原本本学习习近平新时代中国特色社会主义思想，"
            "通过“读原著、学原文、悟原理”，全面筑牢凝心铸魂的思想基础。"
            "截至目前，党委理论学习中心组学习{{ study.central_group }}次。",
        ),
        (
            "支部促学拓展理论学习“宽度”。",
            "依托党校、教育基地及远程教育平台等载体，采取“三会一课”、主题党日等形式，"
            "建立“周分享＋讨论、月研学＋小结”机制，支部集中学、个人自主学相互补充、相互促进。"
            "各基层党组织围绕{{ examples.meeting_topics|cn_list(3, quote=True) }}等主题开展学习研讨。"
            "截至目前，基层党组织开展专题研讨{{ study.seminars }}次，基层党委书记、党支部书记讲授专题党课"
            "{{ study.lectures }}场，培训党员{{ study.training_person_times }}人次。",
        ),
        (
            "分类施学确保不漏一人。",
            "针对退休党员、流动党员，采取送书上门、党员交流群转发学习资料、听有声书籍等方式组织补学。"
            "截至目前，退休党员学习覆盖{{ study.retired_covered }}名，流动党员学习覆盖{{ study.mobile_covered }}名，"
            "全体党员学习覆盖率达{{ study.coverage_rate }}%，确保人人学、不漏学、不掉队。",
        ),
        (
            "现场教学挖掘理论学习“深度”。",
            "组织党支部书记、第一书记、机关党员等前往革命教育基地开展现场教学，"
            "通过现场丰富的图像资料与专业讲解员的解说，让理论学习更深刻。",
        ),
    ],
    "改": [
        "突出问题导向，查不足、找差距、明方向，抓严检视整改，推动主题教育取得扎实成效。",
        (
            "正视问题全面改。",
            "党委班子、班子成员及各基层党组织严格对照梳理问题清单，坚持把自己摆进去、把职责摆进去、"
            "把工作摆进去，切实以“小切口”解决实际问题。截至目前，党委班子查摆问题{{ rectify.leadership_problems }}条，"
            "各基层党组织查摆问题{{ rectify.grassroots_problems }}条，分类施策逐一整改。",
        ),
        (
            "聚合力量用心改。",
            "聚焦发展堵点痛点、薄弱环节，确定专项整改问题，由党委书记总抓牵头，党委班子成员主动认领，"
            "确保每项措施不落空。截至目前，党委班子制定整改措施{{ rectify.leadership_measures }}条，"
            "各基层党组织制定整改措施{{ rectify.grassroots_measures }}条，"
            "开展谈心谈话、提醒谈话{{ rectify.talks }}人次。"
            "目前已完成整改措施{{ rectify.measures_done }}条，整改完成率达{{ rectify.measures_done_rate }}%。",
        ),
        (
            "上下联动深入改。",
            "对照基层党建工作重点任务清单，引导各基层党组织夯实基层基础、落实重点任务、破解难点问题。"
            "截至目前，对{{ rectify.health_checked }}个基层党组织开展基层党建工作体检。"
            "持续做好软弱涣散党组织整顿工作，推动后进支部升级转化，为主题教育提供坚实组织保证。",
        ),
    ],
    "研": [
        "以调查研究推动主题教育走深走实，到问题困难多、群众意见集中、工作打不开局面的地方去，"
        "找到推动高质量发展的新思路新机制。",
        (
            "做好调查研究基本功。",
            "领导班子通过走村入户、听民意、访民情等方式深入开展调查研究，切实以问题为导向、以实效为标尺。"
            "{{ place }}选定{{ examples.research_topics|cn_list(3, quote=True) }}等调研课题，"
            "着力破解制约发展的瓶颈问题、现实难题。截至目前，收集干事创业清单{{ research.action_items }}条。",
        ),
        (
            "拿出“四下基层”真举措。",
            "坚持以上带下，书记带着书记干、一级带着一级学，组织包村领导带着问题深入一线，"
            "通过召开座谈会、实地调研、走访入户等形式听民意、找症结、谋思路。"
            "截至目前，已深入各村、重点企业、卫生院、学校等基层一线开展调研{{ research.visits }}次。",
        ),
        (
            "当好服务企业贴心人。",
            "建立干部每月走访企业服务清单制度，及时协调解决企业生产经营中遇到的困难问题，"
            "让企业安心创业、舒心发展。",
        ),
    ],
    "建": [
        "在大局下思考和行动，以推动高质量发展、提高人民生活品质的新成效检验主题教育成果。",
        (
            "全面深化党建引领。",
            "通过设立党员先锋岗、党员责任区，组建党员突击队，切实让群众感受到党员在身边、服务暖人心。"
            "以结对共建为抓手，与{{ examples.partnerships }}开展结对共建，推动资源共享、优势互补、共同发展。",
        ),
        (
            "全面深化为民办实事。",
            "组织党员干部进村入户听民意、访民情，引导党员干部在重点难点问题上拿出实招硬招。"
            "截至目前，集中力量办好{% if examples.service_projects %}{{ examples.service_projects|cn_list(3) }}等"
            "{% endif %}{{ serve.service_projects_done }}件为民办实事，完成"
            "{% if examples.action_items_done %}{{ examples.action_items_done|cn_list(3) }}等{% endif %}"
            "干事创业清单项目{{ research.action_items_done }}项，切实解决群众所思、所想、所盼。",
        ),
    ],
}


def _campaign_file(code: str) -> dict:
    for path in sorted(CAMPAIGNS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("code") == code:
            return data
    raise SystemExit(f"没有代码为 {code} 的主题教育数据文件。")


def _finish(document) -> None:
    core = document.core_properties
    core.created = core.modified = FIXED_DATE
    core.last_printed = FIXED_DATE
    core.revision = 1


def _signature(document) -> None:
    layout.signature(document, "{{ signature }}", "{{ date }}")


def summary_2023() -> object:
    """The 2023 campaign's template, its part headings taken from the campaign file."""
    campaign = _campaign_file("2023-second-batch")
    document = layout.new_document()
    layout.title(document, TITLE)
    layout.body(document, OPENING)
    shorts = [part["short"] for part in campaign["parts"]]
    missing = [short for short in shorts if short not in PARTS_2023]
    if missing:
        raise SystemExit(f"工作板块 {'、'.join(missing)} 尚无默认模板文字。")
    from .summary import cn_ordinal

    for number, part in enumerate(campaign["parts"], start=1):
        layout.heading1(document, f"{cn_ordinal(number)}、{part['name']}")
        for item in PARTS_2023[part["short"]]:
            if isinstance(item, tuple):
                layout.body(document, item[1], run_in=item[0])
            else:
                layout.body(document, item)
    _signature(document)
    _finish(document)
    return document


def summary_generic() -> object:
    """Any campaign: per part its heading, its description and its figures that are not zero."""
    document = layout.new_document()
    layout.title(document, "{{ title }}")
    layout.body(
        document,
        "{{ campaign_short }}开展以来，{{ place }}认真贯彻落实上级部署要求，扎实推进各项工作。现将有关情况总结如下。",
    )
    layout.body(document, "{%p for part in parts %}")
    layout.heading1(document, "{{ part.heading }}")
    layout.body(document, "{%p if part.description %}")
    layout.body(document, "{{ part.description }}")
    layout.body(document, "{%p endif %}")
    layout.body(document, "{%p if part.figures %}")
    layout.body(
        document,
        "截至目前，{% for f in part.figures %}{{ f.label }}{{ f.value }}{{ f.unit }}"
        "{% if not loop.last %}，{% endif %}{% endfor %}。",
    )
    layout.body(document, "{%p endif %}")
    layout.body(document, "{%p endfor %}")
    _signature(document)
    _finish(document)
    return document


def docx_bytes(document) -> bytes:
    """The document as .docx bytes with fixed zip dates, so the same document gives the same bytes."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2023, 9, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


TEMPLATES = {"summary-2023-second-batch.docx": summary_2023, GENERIC: summary_generic}


def main(argv: list[str] | None = None) -> None:
    target = Path(argv[0]) if argv else DATA_DIR
    target.mkdir(parents=True, exist_ok=True)
    for name, make in TEMPLATES.items():
        (target / name).write_bytes(docx_bytes(make()))
        print(f"已生成 {target / name}")


if __name__ == "__main__":
    main(sys.argv[1:])
