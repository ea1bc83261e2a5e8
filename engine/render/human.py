"""Human words for machine values: dates, durations and fact paths as a lawyer reads them.

``fact_label("custody[0].hours_before_judge", "en")`` -> "custody 1: time until first seen by a judge";
``fact_value("custody[0].hours", "1608.02–1655.98", "en")`` -> "67–69 days";
``when_text("2012-03-05T09:00", "en")`` -> "5 March 2012, 09:00". Unknown shapes are returned as they came,
so a value is never hidden by a formatting rule.
"""
from __future__ import annotations

import re
from datetime import datetime

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"],
}
MONTHS_ALONE = {"en": MONTHS["en"],
                "ru": ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
                       "ноябрь", "декабрь"]}
MONTHS_SHORT = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "ru": ["янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
}

_MOMENT = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}))?)?)?(?: \+ ([\d.]+) d)?$")
_SPAN = re.compile(r"^(-?[\d.]+)(?:–(-?[\d.]+))?$")


def _lang(lang: str) -> str:
    return "ru" if lang == "ru" else "en"


def when_text(text: str, lang: str = "en") -> str:
    """``2012-03-05T09:00`` -> ``5 March 2012, 09:00``; ``2011-05`` -> ``May 2011``; other text unchanged."""
    if text is None:
        return text
    match = _MOMENT.match(str(text).strip())
    if not match:
        return str(text)
    y, m, d, hh, mm, plus = match.groups()
    lang = _lang(lang)
    if m is None:
        out = y
    elif d is None:
        out = f"{MONTHS_ALONE[lang][int(m) - 1]} {y}"
    else:
        out = f"{int(d)} {MONTHS[lang][int(m) - 1]} {y}"
        if hh is not None:
            out += f", {hh}:{mm}"
    if plus:
        days = float(plus)
        out += f" + {duration_days(days, days, lang)}"
    return out


def day_text(moment: datetime, lang: str = "en", with_year: bool = True, with_time: bool = False) -> str:
    lang = _lang(lang)
    out = f"{moment.day} {MONTHS_SHORT[lang][moment.month - 1]}"
    if with_year:
        out += f" {moment.year}"
    if with_time:
        out += f" {moment:%H:%M}"
    return out


def _n(x: float) -> str:
    return str(int(round(x))) if abs(x - round(x)) < 0.05 else f"{x:.1f}"


def plural_ru(n: float, one: str, few: str, many: str) -> str:
    if not float(n).is_integer():
        return few
    n = int(n) % 100
    if 11 <= n <= 14:
        return many
    return one if n % 10 == 1 else few if n % 10 in (2, 3, 4) else many


def unit_word(n: float, unit: str, lang: str) -> str:
    if _lang(lang) == "ru":
        return {"h": "ч", "day": plural_ru(n, "день", "дня", "дней"), "month": plural_ru(n, "месяц", "месяца", "месяцев"),
                "year": plural_ru(n, "год", "года", "лет")}[unit]
    if unit == "h":
        return "h"
    return unit if n == 1 else unit + "s"


def duration_days(lo_days: float, hi_days: float, lang: str = "en") -> str:
    text = _n(lo_days) if _n(lo_days) == _n(hi_days) else f"{_n(lo_days)}–{_n(hi_days)}"
    return f"{text} {unit_word(hi_days, 'day', lang)}"


def duration_hours(lo: float, hi: float, lang: str = "en") -> str:
    """Hours as a lawyer would say them: ``78 h``, ``15–39 h``; ``67–69 days`` once hours are silly."""
    lo, hi = max(0.0, lo), max(0.0, hi)
    if hi <= 96:
        lo_t, hi_t = str(int(round(lo))), str(int(round(hi)))
        return f"{lo_t} {unit_word(0, 'h', lang)}" if lo_t == hi_t else f"{lo_t}–{hi_t} {unit_word(0, 'h', lang)}"
    if hi < 24 * 730:
        lo_d, hi_d = round(lo / 24), round(hi / 24)
        return duration_days(lo_d, hi_d, lang)
    return _years(lo, hi, lang)


def _years(lo: float, hi: float, lang: str) -> str:
    lo_y, hi_y = lo / 24 / 365.25, hi / 24 / 365.25
    text = _n(lo_y) if _n(lo_y) == _n(hi_y) else f"{_n(lo_y)}–{_n(hi_y)}"
    return f"{text} {unit_word(hi_y, 'year', lang)}"


def limit_text(hours: float, lang: str = "en") -> str:
    """A legal limit in the unit the law uses: 3 h, 72 h, 15 days, 2 months, 12 months."""
    if hours <= 72 or hours % 24:
        return f"{_n(hours)} {unit_word(0, 'h', lang)}"
    days = hours / 24
    if days <= 31:
        return f"{_n(days)} {unit_word(days, 'day', lang)}"
    months = days / 30.5
    if abs(months - round(months)) * 30.5 <= 3:
        return f"{int(round(months))} {unit_word(round(months), 'month', lang)}"
    return f"{_n(days)} {unit_word(days, 'day', lang)}"


# --- fact paths --------------------------------------------------------------------------------------

_CONTAINERS = {
    "custody": ("custody period", "период содержания"), "hearings": ("hearing", "заседание"),
    "charges": ("charge", "обвинение"), "sanctions": ("sanction", "наказание"), "appeals": ("appeal", "жалоба"),
    "evidence": ("evidence", "доказательство"), "allegations": ("allegation", "заявление"),
    "court_appearances": ("court appearance", "явка в суд"), "same_act": ("other proceeding", "другое производство"),
    "investigative_acts": ("investigative act", "следственное действие"),
}
_ROOTS = {"decision": ("decision", "решение"), "incident": ("incident", "событие"), "person": ("person", "лицо"),
          "proceeding": ("proceeding", "производство"), "employment": ("employment", "работа"),
          "dates": ("dates", "даты"), "derived": ("derived", "вывод")}

# the act dates that choose the law in force (dates.<name>)
_ACT_DATES = {
    "conduct": ("date of the acts in question", "дата вменяемых действий"),
    "detention": ("date of the detention", "дата задержания"),
    "hearing": ("date of the hearing", "дата заседания"),
    "decision": ("date of the decision", "дата решения"),
    "first": ("date of the first procedural step", "дата первого процессуального действия"),
    "investigation": ("date of the first investigative act", "дата первого следственного действия"),
}

# attribute -> (English, Russian)
FACT_WORDS = {
    "start": ("detained at", "задержание"), "end": ("released at", "освобождение"),
    "hours": ("time held", "срок под стражей"), "hours_before_judge": ("time until first seen by a judge",
                                                                       "время до доставления к судье"),
    "before_judge": ("first brought before a judge", "первое доставление к судье"),
    "hours_to_protocol": ("time until the detention protocol", "время до составления протокола"),
    "protocol_at": ("detention protocol drawn up", "протокол задержания составлен"),
    "hours_to_relatives": ("time until relatives were told", "время до уведомления родственников"),
    "relatives_told_at": ("relatives told", "родственники уведомлены"),
    "hours_to_lawyer": ("time until a lawyer's first visit", "время до первого доступа адвоката"),
    "lawyer_access_at": ("lawyer's first visit", "первый доступ адвоката"),
    "acknowledged_at": ("detention first acknowledged", "содержание впервые признано"),
    "hours_unacknowledged": ("time the detention went unacknowledged", "время непризнания задержания"),
    "lawyer_requested": ("asked for a lawyer", "просьба об адвокате"), "lawyer_present": ("lawyer present", "адвокат присутствовал"),
    "lawyer_refused": ("lawyer refused", "в адвокате отказано"), "lawyer_waived": ("waived a lawyer", "отказ от адвоката"),
    "basis": ("basis", "основание"), "court_order": ("ordered by a court", "санкция суда"),
    "warrant": ("warrant", "ордер"), "acknowledged": ("acknowledged by the authorities", "признано властями"),
    "reasons_given": ("told the reasons", "сообщены причины"), "follows_previous": ("kept on after an earlier term ended",
                                                                                    "продолжено после окончания прежнего срока"),
    "public": ("public", "открытое"), "closure_ground": ("ground for closing", "основание закрытия"),
    "closure_reasoned": ("closure reasoned", "закрытие мотивировано"), "monitors_excluded": ("monitors excluded",
                                                                                              "наблюдатели не допущены"),
    "defendant_present": ("accused present", "подсудимый присутствовал"), "witnesses_requested": ("witnesses requested",
                                                                                                   "ходатайство о свидетелях"),
    "witnesses_refused": ("witnesses refused", "в свидетелях отказано"), "evidence_requested": ("evidence offered by the defence",
                                                                                                 "ходатайство о доказательствах"),
    "evidence_refused": ("defence evidence refused", "в доказательствах отказано"), "verdict_public": ("verdict made public",
                                                                                                        "приговор оглашён публично"),
    "interpreter_needed": ("needed an interpreter", "нужен переводчик"), "interpreter_provided": ("interpreter provided",
                                                                                                   "переводчик предоставлен"),
    "date": ("date", "дата"), "outcome": ("outcome", "исход"), "final": ("final", "вступило в силу"),
    "by_judge": ("imposed by a judge", "назначено судьёй"), "sanctioned": ("sanctioned", "назначено наказание"),
    "arrest_days": ("days of arrest imposed", "суток ареста назначено"), "prison_months": ("months of prison imposed",
                                                                                            "месяцев лишения свободы"),
    "prison_months_unsuspended": ("months of prison to serve", "месяцев лишения свободы (реально)"),
    "fine_mci": ("fine in MCI", "штраф в МРП"), "kind": ("kind", "вид"), "peaceful": ("peaceful", "мирное"),
    "authorised": ("authorised", "разрешено"), "violence_by_participants": ("violence by participants",
                                                                             "насилие участников"),
    "union_member": ("union member", "член профсоюза"), "name": ("name", "имя"), "minor": ("minor", "несовершеннолетний"),
    "sex": ("sex", "пол"), "role": ("role", "роль"), "before_this": ("decided before this one", "решено раньше"),
    "opened_before_this": ("opened before this one", "возбуждено раньше"), "penal_in_nature": ("penal in nature",
                                                                                                 "уголовно-правовой характер"),
    "investigated": ("investigated", "расследовано"), "raised_in_court": ("raised in court", "заявлено в суде"),
    "statements_excluded": ("statements excluded", "показания исключены"), "obtained_how": ("how obtained", "как получено"),
    "admitted": ("admitted", "принято"), "relied_on": ("relied on", "положено в основу"), "heard": ("heard", "рассмотрено"),
    "filed": ("filed", "подана"), "available": ("available", "доступна"), "detention": ("detention", "задержание"),
    "hearing": ("hearing", "заседание"), "decision": ("decision", "решение"), "article": ("article", "статья"), "code": ("code", "кодекс"),
    "part": ("part", "часть"), "charge_notified_at": ("told of the charge", "уведомление об обвинении"),
    "guilt_prejudged": ("treated as guilty before judgment", "виновность предрешена"),
    "discrimination_ground": ("ground of discrimination", "признак дискриминации"),
    "prior_penalty_within_year": ("penalised for the same within a year", "взыскание за то же в течение года"),
    "state_of_emergency": ("state of emergency", "чрезвычайное положение"), "place": ("place", "место"),
    "transport_disrupted": ("transport disrupted", "нарушена работа транспорта"),
    "significant_harm": ("significant harm", "существенный вред"), "pregnant": ("pregnant", "беременность"),
    "child_under_14": ("has a child under 14", "ребёнок до 14 лет"), "disability_group": ("disability group", "группа инвалидности"),
    "dismissed_on": ("dismissed on", "увольнение"), "ground": ("ground", "основание"),
    "has_ban": ("ban imposed", "назначен запрет"), "ban_years": ("years of ban", "лет запрета"),
    "code_in_force": ("code in force at the time", "кодекс действовал"), "sanction_kinds": ("kinds of sanction", "виды наказания"),
    "charged_at": ("charged on", "обвинение предъявлено"), "until": ("dropped or reclassified on", "обвинение изменено"),
    "exceptional_ground": ("exceptional ground for custody (CPC art. 150(1))", "исключительное основание ареста (ч. 1 ст. 150 УПК)"),
    "warrant_at_arrest": ("warrant issued by the arrest", "ордер вынесен к моменту задержания"),
    "court_sanction_at": ("court's sanction", "санкция суда"),
    "hours_to_court_sanction": ("time until a court's sanction", "время до санкции суда"),
    "sanctioned_by": ("custody sanctioned by", "арест санкционирован"),
    "lawyer_of_choice_refused": ("lawyer of choice refused", "в избранном защитнике отказано"),
    "as_role": ("questioned as", "допрошен в качестве"), "investigation": ("investigative act", "следственное действие"),
}

_PATH = re.compile(r"^([a-z_]+)(?:\[([^\]]+)\])?(?:\.([a-z_0-9.\[\]]+))?$")


def fact_label(path: str, lang: str = "en") -> str:
    """``custody[0].hours_before_judge`` -> ``custody period 1: time until first seen by a judge``."""
    other = re.match(r"^proceedings\[([^\]]+)\]\.(.+)$", path)
    if other:  # a fact of another proceeding of the same person (chained custody, the same act)
        return f"{other.group(1)} — {fact_label(other.group(2), lang)}"
    match = _PATH.match(path)
    if not match:
        return path
    root, index, attr = match.groups()
    i = 1 if _lang(lang) == "ru" else 0
    if root == "dates" and attr in _ACT_DATES:
        return _ACT_DATES[attr][i]
    attr_last = re.sub(r"\[\d+\]", "", attr.split(".")[-1]) if attr else None
    word = FACT_WORDS.get(attr_last, (attr_last.replace("_", " "),) * 2)[i] if attr_last else None
    if root in _CONTAINERS:
        number = (f" {int(index) + 1}" if index.isdigit() else f" {index}") if index is not None else ""
        head = _CONTAINERS[root][i] + number
        return f"{head}: {word}" if word else head
    if root in _ROOTS and word:
        return f"{_ROOTS[root][i]}: {word}"
    if word is None:
        return FACT_WORDS.get(root, (root.replace("_", " "),) * 2)[i]
    return f"{root.replace('_', ' ')}: {word}"


_ENUMS = {
    "ru": {
        "assembly": "собрание", "strike": "забастовка", "speech": "выступление", "publication": "публикация",
        "dispersal": "разгон", "arrest": "задержание", "attack": "нападение", "inspection": "проверка", "other": "другое",
        "administrative_detention": "административное задержание", "suspect_detention": "задержание по подозрению",
        "pretrial_custody": "содержание под стражей до суда", "administrative_arrest": "административный арест",
        "sentence": "наказание (лишение свободы)", "convicted": "осуждён(а)", "acquitted": "оправдан(а)",
        "penalised": "наложено взыскание", "dismissed": "прекращено", "granted": "удовлетворено",
        "rejected": "отклонено", "upheld": "оставлено без изменения", "quashed": "отменено", "modified": "изменено",
        "pending": "не рассмотрено", "organiser": "организатор", "participant": "участник", "speaker": "выступавший",
        "bystander": "случайный свидетель", "female": "женский", "male": "мужской", "criminal": "уголовное",
        "administrative": "административное", "labour": "трудовое", "civil": "гражданское", "torture": "пытки",
        "ill_treatment": "жестокое обращение", "threats": "угрозы", "lawful": "законно", "unauthorised": "без санкции",
        "none": "нет", "state_secret": "государственная тайна", "minor": "несовершеннолетний",
        "sexual_offence": "половое преступление", "private_life": "частная жизнь", "safety": "безопасность",
        "morals": "нравственность", "public_order": "общественный порядок", "national_security": "национальная безопасность",
        "strike_participation": "участие в забастовке", "absence": "прогул",
        "individual": "физическое лицо", "organisation": "организация",
    },
    "en": {
        "administrative_detention": "administrative detention", "suspect_detention": "detention as a suspect",
        "pretrial_custody": "pre-trial custody", "administrative_arrest": "administrative arrest",
        "sentence": "sentence", "ill_treatment": "ill-treatment", "state_secret": "state secret",
        "sexual_offence": "sexual offence", "private_life": "private life", "public_order": "public order",
        "national_security": "national security", "strike_participation": "taking part in a strike",
    },
}

_YES_NO = {"en": {"yes": "yes", "no": "no", "unknown": "unknown"}, "ru": {"yes": "да", "no": "нет", "unknown": "неизвестно"}}


def enum_text(value: str, lang: str = "en") -> str:
    return _ENUMS[_lang(lang)].get(value, value)


def fact_value(path: str, value: str | None, lang: str = "en") -> str | None:
    """A fact's value in words: dates as dates, hours as hours or days, enums and yes/no in the language."""
    if value is None:
        return None
    lang = _lang(lang)
    attr = path.rsplit(".", 1)[-1]
    text = str(value)
    if text in _YES_NO["en"] or text in _YES_NO["ru"].values():
        key = {v: k for k, v in _YES_NO["ru"].items()}.get(text, text)
        return _YES_NO[lang].get(key, text)
    if attr.startswith("hours") or attr == "hours":
        span = _SPAN.match(text)
        if span:
            lo = float(span.group(1))
            hi = float(span.group(2)) if span.group(2) else lo
            return duration_hours(lo, hi, lang)
    if _MOMENT.match(text):
        return when_text(text, lang)
    return enum_text(text, lang)


_PROSE_HOURS = {"en": re.compile(r"(?<![\w.–-])(\d+(?:\.\d+)?)(?:–(\d+(?:\.\d+)?))? h\b"),
                "ru": re.compile(r"(?<![\w.–-])(\d+(?:\.\d+)?)(?:–(\d+(?:\.\d+)?))? ч(?![А-Яа-яЁё])")}
_PROSE_TIME = re.compile(r"(?<![\w-])\d{4}-\d{2}(?:-\d{2}(?:T\d{2}:\d{2})?(?: \+ [\d.]+ d)?)?(?![\w-])")


def prose(text: str, lang: str = "en") -> str:
    """A rule's explanation as a person would write it: ``1608.02–1655.98 h`` -> ``67–69 days``,
    ``2012-03-05T09:00`` -> ``5 March 2012, 09:00``. Numbers that are not durations or dates stay as they are."""
    if not text:
        return text
    lang = _lang(lang)

    def hours(match):
        lo = float(match.group(1))
        hi = float(match.group(2)) if match.group(2) else lo
        return duration_hours(lo, hi, lang)

    text = _PROSE_HOURS[lang].sub(hours, text)
    return _PROSE_TIME.sub(lambda m: when_text(m.group(0), lang), text)


# --- Russian grammatical gender ----------------------------------------------------------------------

_GENDERED = re.compile(r"([А-Яа-яЁё]+)\((а|ла|ась|на)\)")
_MASCULINE_ONLY = {"провёл": "провела", "Провёл": "Провела", "содержался": "содержалась", "был": "была"}


def gendered(text: str, sex: str | None, lang: str = "ru") -> str:
    """Resolve the Russian ``лишён(а)`` forms of rule texts by the person's recorded sex ("Наталья Соколова
    лишена", not "лишён(а)"); keep them when the sex is unknown. English text is returned unchanged."""
    if not text or _lang(lang) != "ru" or sex not in ("female", "male"):
        return text

    def one(match):
        stem, ending = match.group(1), match.group(2)
        if sex == "male":
            return stem
        if ending == "ась":
            return (stem[:-2] if stem.endswith("ся") else stem) + "ась"
        if ending == "а" and stem.endswith("ён"):
            return stem[:-2] + "ена"
        return stem + ending

    text = _GENDERED.sub(one, text)
    if sex == "female":
        text = re.sub(r"(?<![А-Яа-яЁё])(провёл|Провёл|содержался)(?![А-Яа-яЁё(])", lambda m: _MASCULINE_ONLY[m.group(1)],
                      text)
    return text


_ENUM_WORD = re.compile(r"(?<![\w.-])([a-z]+(?:_[a-z0-9]+)*)(?![\w.-])")


def russian_values(text: str) -> str:
    """Enum values the engine writes into Russian text as they are in the case file (``assembly``,
    ``pretrial_custody``) in Russian; other Latin words (names, codes) stay."""
    return _ENUM_WORD.sub(lambda m: _ENUMS["ru"].get(m.group(1), m.group(1)) if len(m.group(1)) > 3 else m.group(1),
                          text)


def say(text: str, lang: str = "en", sex: str | None = None) -> str:
    """Every sentence the engine wrote, as a report prints it: gender resolved, values and units in the
    report's language, durations and dates in words."""
    if not text:
        return text
    if _lang(lang) == "ru":
        text = russian_values(gendered(text, sex, lang))
    return prose(text, lang)
