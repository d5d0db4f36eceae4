"""Deterministic Chinese names and mobiles for seed data."""

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤"
GIVEN = [
    "建国",
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "文华",
    "玉兰",
    "红梅",
    "志强",
    "海燕",
    "春生",
    "金凤",
    "德明",
    "国华",
    "永红",
    "凤英",
    "小龙",
    "晓东",
    "新民",
    "宏伟",
    "丽萍",
    "淑珍",
    "立新",
    "海波",
    "雪梅",
    "长青",
    "玉珍",
    "建华",
    "秋菊",
    "富贵",
    "振华",
    "志明",
    "爱国",
    "桂兰",
    "宝山",
    "水生",
    "荣华",
    "庆丰",
    "德才",
    "家福",
    "春燕",
    "丽华",
    "建平",
    "卫东",
    "红军",
    "金生",
    "福生",
    "炳坤",
    "国强",
    "桂芳",
    "美玲",
    "少华",
    "永康",
    "进财",
    "明辉",
    "雅琴",
    "慧敏",
    "俊杰",
    "文斌",
    "晓燕",
    "志刚",
    "建军",
    "凤珍",
    "世平",
    "德胜",
    "清华",
    "耀明",
    "瑞芬",
    "春花",
    "秀珍",
    "国庆",
    "胜利",
    "援朝",
    "学军",
]


def name_pool(rng, count: int) -> list[str]:
    """`count` distinct names, two or three characters, in a deterministic order."""
    seen: set[str] = set()
    names: list[str] = []
    while len(names) < count:
        surname = SURNAMES[rng.randrange(len(SURNAMES))]
        name = surname + GIVEN[rng.randrange(len(GIVEN))]
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def mobile_pool(rng, count: int) -> list[str]:
    prefixes = (
        "130",
        "131",
        "132",
        "133",
        "135",
        "136",
        "137",
        "138",
        "139",
        "150",
        "151",
        "152",
        "158",
        "159",
        "177",
        "180",
        "186",
        "187",
        "188",
        "189",
    )
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        number = prefixes[rng.randrange(len(prefixes))] + f"{rng.randrange(10**8):08d}"
        if number not in seen:
            seen.add(number)
            out.append(number)
    return out
