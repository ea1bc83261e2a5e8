"""Human words for machine values: dates, durations and fact paths as a lawyer reads them.

``fact_label("custody[0].hours_before_judge", "en")`` -> "custody 1: time until first seen by a judge";
``fact_value("custody[0].hours", "1608.02–1655.98", "en")`` -> "67–69 days";
``when_text("2012-03-05T09:00", "en")`` -> "5 March 2012, 09:00". Unknown shapes are returned as they came,
so a value is never hidden by a formatting rule.
"""
from __future__ import annotations

import re
from datetime import datetime

from engine.model.when import OPEN

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


_BOUND_WORDS = {"en": ("between {lo} and {hi}", "after {lo}", "before {hi}"),
                "ru": ("в период с {lo} по {hi}", "после {lo}", "до {hi}")}


def _genitive(text: str, lang: str) -> str:
    """Russian prepositions "с", "после", "до" take the genitive: a month alone is "июля 2016", not "июль 2016"."""
    match = _MOMENT.match(text)
    if lang == "ru" and match and match.group(2) and not match.group(3):
        return f"{MONTHS['ru'][int(match.group(2)) - 1]} {match.group(1)}"
    return when_text(text, lang)


def bounds_text(text: str, lang: str = "en") -> str | None:
    """``2010-06-15/2010-06-20`` -> ``between 15 June 2010 and 20 June 2010``; ``../2016-07-27`` -> ``before 27 July
    2016``; None when the text is not a pair of bounds (the case format writes a time known only within bounds so)."""
    lo, sep, hi = str(text).strip().partition("/")
    if not sep or not all(part == OPEN or _MOMENT.match(part) for part in (lo, hi)) or lo == hi == OPEN:
        return None
    lang = _lang(lang)
    both, after, before = _BOUND_WORDS[lang]
    if lo == OPEN:
        return before.format(hi=_genitive(hi, lang))
    if hi == OPEN:
        return after.format(lo=_genitive(lo, lang))
    return both.format(lo=_genitive(lo, lang), hi=when_text(hi, lang))


def when_text(text: str, lang: str = "en") -> str:
    """``2012-03-05T09:00`` -> ``5 March 2012, 09:00``; ``2011-05`` -> ``May 2011``; bounds as words (bounds_text);
    other text unchanged."""
    if text is None:
        return text
    match = _MOMENT.match(str(text).strip())
    if not match:
        return bounds_text(text, lang) or str(text)
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
    "evidence": ("evidence", "доказательство"), "allegations": ("allegation", "заявление о жестоком обращении"),
    "court_appearances": ("court appearance", "явка в суд"), "same_act": ("other proceeding", "другое производство"),
    "investigative_acts": ("investigative act", "следственное действие"),
    "expression": ("act of expression", "выражение мнения"),
    "warrants": ("warrant or order", "ордер или постановление"),
}
_ROOTS = {"decision": ("decision", "решение"), "incident": ("event", "событие"), "person": ("person", "лицо"),
          "proceeding": ("proceeding", "производство"), "employment": ("employment", "работа"),
          "expulsion": ("expulsion", "выдворение"), "registration": ("registration", "регистрация"),
          "dates": ("dates", "даты"), "derived": ("computed", "вывод")}

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
    "delay_explained": ("the State explained the time before a judge", "государство объяснило срок до доставления к судье"),
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

# A fact named by its whole path (list items written ``[]``), in the words a monitor uses. For a fact of the
# proceeding, the person, the event or the decision this is the whole label ("when the case was sent to
# court"); for an item of a list it follows the item's name and number ("hearing 2: stage of the case").
# It comes before FACT_WORDS, whose words are shared by every list that has the attribute.
PATH_WORDS = {
    # the proceeding
    "proceeding.id": ("proceeding (its id in the case file)", "производство (его обозначение в деле)"),
    "proceeding.kind": ("kind of proceeding (criminal, administrative, ...)",
                        "вид производства (уголовное, административное, ...)"),
    "proceeding.court": ("court that decides the case", "суд, рассматривающий дело"),
    "proceeding.instance": ("instance (first, appeal, cassation, supervisory)",
                            "инстанция (первая, апелляционная, кассационная, надзорная)"),
    "proceeding.opened": ("when the proceeding was opened", "когда возбуждено производство"),
    "proceeding.charge_notified_at": ("when the person was told of the charge in detail",
                                      "когда лицу подробно сообщили об обвинении"),
    "proceeding.guilt_prejudged": ("treated as guilty before judgment", "виновность предрешена до решения суда"),
    "proceeding.discrimination_ground": ("ground of discrimination", "признак дискриминации"),
    "proceeding.file_access_at": ("when the defence could first study the case file",
                                  "когда защита впервые смогла ознакомиться с материалами дела"),
    "proceeding.counsel_confidential": ("could consult counsel in private", "конфиденциальные встречи с защитником"),
    "proceeding.sent_to_court_at": ("when the case was sent to court", "когда дело направлено в суд"),
    "proceeding.deprived_of_liberty": ("held at any point in the proceeding", "содержание под стражей в ходе производства"),
    "role": ("role in the event (organiser, participant, speaker, ...)",
             "роль в событии (организатор, участник, выступавший, ...)"),
    "prior_penalty_within_year": ("penalised for the same within a year", "взыскание за то же в течение года"),
    # the person
    "person.id": ("person (their id in the case file)", "лицо (его обозначение в деле)"),
    "person.name": ("name", "имя"),
    "person.kind": ("individual, organisation or group", "физическое лицо, организация или группа"),
    "person.count": ("number of people in the group", "число людей в группе"),
    "person.nationality": ("nationality", "гражданство"),
    "person.foreign_national": ("foreign national", "иностранный гражданин"),
    "person.role": ("who the person is (union lawyer, strike leader, ...)",
                    "кто это лицо (юрист профсоюза, лидер забастовки, ...)"),
    "person.minor": ("under 18", "несовершеннолетний (до 18 лет)"),
    "person.sex": ("sex", "пол"),
    "person.union_member": ("trade union member", "член профсоюза"),
    "person.born": ("date of birth", "дата рождения"),
    "person.age_at_decision": ("age on the date of the decision", "возраст на дату решения"),
    "person.pregnant": ("pregnant", "беременность"),
    "person.child_under_14": ("has a child under 14", "ребёнок до 14 лет"),
    "person.single_parent": ("single parent", "одинокий родитель"),
    "person.disability_group": ("disability group", "группа инвалидности"),
    "person.minority": ("minority the person belongs to", "принадлежность к меньшинству"),
    # the event (assembly, strike, publication, ...)
    "incident.id": ("event (its id in the case file)", "событие (его обозначение в деле)"),
    "incident.kind": ("kind of event (assembly, strike, publication, ...)", "вид события (собрание, забастовка, публикация, ...)"),
    "incident.form": ("form of the event (meeting, rally, march, picket, ...)",
                      "форма мероприятия (собрание, митинг, шествие, пикет, ...)"),
    "incident.date": ("date of the event", "дата события"),
    "incident.end_date": ("when the event ended", "когда событие закончилось"),
    "incident.place": ("place of the event", "место события"),
    "incident.organiser": ("organiser of the event", "организатор события"),
    "incident.participants": ("number of participants in the event", "число участников"),
    "incident.peaceful": ("the event was peaceful", "мирный характер события"),
    "incident.authorised": ("the event was authorised", "разрешение на проведение"),
    "incident.spontaneous": ("spontaneous assembly (no time to give notice)", "стихийное собрание (не было времени уведомить)"),
    "incident.permission_refused": ("permission refused or the assembly banned beforehand",
                                    "в разрешении отказано или мероприятие заранее запрещено"),
    "incident.religious": ("a manifestation of religion or belief", "исповедание религии или убеждений"),
    "incident.association_activity": ("activity in or for an association", "деятельность в объединении или от его имени"),
    "incident.violence_by_participants": ("violence by participants", "насилие со стороны участников"),
    "incident.transport_disrupted": ("transport disrupted", "нарушена работа транспорта"),
    "incident.significant_harm": ("significant harm caused", "причинён существенный вред"),
    "incident.state_of_emergency": ("state of emergency in force", "действовало чрезвычайное положение"),
    "incident.hazardous_facility": ("strike at a hazardous production facility",
                                    "забастовка на опасном производственном объекте"),
    "incident.strike_vote_held": ("workers voted on the strike", "проведено голосование о забастовке"),
    "incident.strike_vote_present_share": ("share of all workers present at the strike meeting",
                                           "доля всех работников, присутствовавших на собрании о забастовке"),
    "incident.strike_vote_for_share": ("share of those present who voted to strike",
                                       "доля присутствовавших, проголосовавших за забастовку"),
    "incident.notice_days": ("days of written notice of the strike given to the employer",
                             "за сколько дней работодатель письменно предупреждён о забастовке"),
    "incident.conciliation_attempted": ("conciliation tried before the strike", "примирительные процедуры до забастовки"),
    "incident.declared_unlawful": ("a court declared the strike unlawful", "суд признал забастовку незаконной"),
    "incident.declared_unlawful_by_court": ("when a court declared the strike unlawful",
                                            "когда суд признал забастовку незаконной"),
    # the decision and what it imposed
    "decision.recorded": ("the decision is in the case file", "решение есть в материалах дела"),
    "decision.date": ("date of the decision", "дата решения"),
    "decision.outcome": ("outcome of the decision (convicted, acquitted, penalised, ...)",
                         "результат решения (осуждён, оправдан, наложено взыскание, ...)"),
    "decision.final": ("the decision is final", "решение вступило в силу"),
    "decision.by_judge": ("penalty imposed by a judge", "наказание назначено судьёй"),
    "decision.sanctioned": ("a sanction was imposed", "назначено наказание"),
    "decision.sanctions": ("sanctions imposed", "назначенные наказания"),
    "decision.sanction_kinds": ("kinds of sanction imposed", "виды назначенных наказаний"),
    "decision.arrest_days": ("days of arrest imposed", "назначено суток ареста"),
    "decision.fine_mci": ("fine imposed, in MCI", "штраф в МРП"),
    "decision.fine_amount": ("fine imposed (amount)", "размер штрафа"),
    "decision.prison_months": ("months of prison imposed", "назначено месяцев лишения свободы"),
    "decision.prison_months_unsuspended": ("months of prison to serve (not suspended)",
                                           "месяцев реального лишения свободы"),
    "decision.suspended": ("sentence suspended", "наказание назначено условно"),
    "decision.public_works_hours": ("hours of public works imposed", "назначено часов общественных работ"),
    "decision.restriction_months": ("months of restriction of liberty imposed", "назначено месяцев ограничения свободы"),
    "decision.has_ban": ("a ban was imposed", "назначен запрет"),
    "decision.ban_years": ("years of ban imposed", "срок запрета (лет)"),
    "sanctions[].kind": ("kind of sanction", "вид наказания"), "sanctions[].amount": ("amount", "сумма"),
    "sanctions[].currency": ("currency", "валюта"), "sanctions[].mci": ("fine in MCI", "штраф в МРП"),
    "sanctions[].days": ("days", "дней (суток)"), "sanctions[].months": ("months", "месяцев"),
    "sanctions[].hours": ("hours", "часов"), "sanctions[].years": ("years", "лет"),
    "sanctions[].suspended": ("suspended", "условно"), "sanctions[].probation_months": ("months of probation",
                                                                                     "испытательный срок (месяцев)"),
    "sanctions[].activity": ("activity banned", "запрещённая деятельность"),
    # charges
    "charges[].code": ("code", "кодекс"), "charges[].article": ("article", "статья"), "charges[].part": ("part", "часть"),
    "charges[].paragraph": ("paragraph", "пункт"),
    "charges[].outcome": ("outcome on this charge", "исход по этому обвинению"),
    "charges[].code_in_force": ("code in force at the time", "кодекс, действовавший в то время"),
    "charges[].arrest_possible": ("the article allows arrest or prison", "статья предусматривает арест или лишение свободы"),
    "charges[].punitive": ("the offence binds everyone and its sanction punishes",
                           "правонарушение касается всех, а санкция карательная"),
    "charges[].assembly_rules": ("the article punishes breaking the rules on assemblies",
                                 "статья о нарушении порядка проведения собраний"),
    "charges[].charged_at": ("when charged under this article", "когда предъявлено обвинение по этой статье"),
    "charges[].until": ("when this charge was dropped or reclassified", "когда обвинение снято или переквалифицировано"),
    # custody
    "custody[].basis": ("basis of custody", "основание содержания"),
    "custody[].start": ("detained at", "момент задержания"), "custody[].end": ("released at", "момент освобождения"),
    "custody[].warrant": ("an arrest warrant or order was shown", "предъявлен ордер или постановление"),
    "custody[].court_order": ("ordered by a court", "арест санкционирован судом"),
    "custody[].court_sanction_at": ("when a court sanctioned the custody", "когда суд санкционировал арест"),
    "custody[].place": ("place of detention", "место содержания"),
    "custody[].delivered_at": ("delivered to the police station", "доставление в отдел полиции"),
    "custody[].before_incident": ("held before the event began", "задержание до начала события"),
    "custody[].follows": ("earlier custody period it continues", "предыдущий период содержания, который он продолжает"),
    "custody[].stated_hours": ("length of custody the source states", "срок содержания по данным источника"),
    "custody[].hours_pretrial": ("time in custody before the case went to court",
                                 "срок содержания под стражей до направления дела в суд"),
    "custody[].ground_72h": ("ground for 72 hours' detention (CPC 2014 art. 131(4))",
                             "основание задержания на 72 часа (ч. 4 ст. 131 УПК 2014)"),
    "custody[].court_review": ("a court could review the detention", "судебная проверка законности задержания"),
    "custody[].rights_explained": ("rights explained on detention", "права разъяснены при задержании"),
    "custody[].incommunicado": ("held incommunicado", "содержание без связи с родными и адвокатом"),
    "custody[].medical_exam_at": ("first medical examination in custody", "первое медицинское освидетельствование под стражей"),
    "custody[].injuries_recorded": ("injuries recorded", "телесные повреждения зафиксированы"),
    "custody[].overcrowded": ("overcrowded", "переполненность"),
    "custody[].denied_food_or_water": ("denied food or water", "лишение пищи или воды"),
    "custody[].denied_medical_care": ("denied medical care", "отказ в медицинской помощи"),
    "custody[].died_at": ("death in custody or from what happened in it", "смерть под стражей или от того, что там произошло"),
    "custody[].death_investigated": ("the death was investigated", "смерть расследована"),
    "custody[].death_investigation_independent": ("the investigation of the death was independent",
                                                  "независимость расследования смерти"),
    "warrants[].at": ("when issued", "когда вынесен"), "warrants[].by": ("issued by", "кем вынесен"),
    "warrants[].kind": ("kind (arrest warrant, detention order, custody sanction, extension)",
                        "вид (ордер на арест, постановление о задержании, санкция на арест, продление)"),
    "warrants[].hours": ("term it authorised", "срок, на который вынесен"),
    "warrants[].shown": ("shown to the person", "предъявлен лицу"),
    "court_appearances[].at": ("when brought before the court", "когда доставлен в суд"),
    "court_appearances[].in_person": ("brought in person", "доставлен лично"),
    "court_appearances[].purpose": ("purpose", "цель"),
    # hearings
    "hearings[].date": ("date", "дата"), "hearings[].public": ("open to the public", "открытость заседания"),
    "hearings[].stage": ("stage (pre-trial, first instance, appeal, ...)", "стадия (досудебная, первая инстанция, апелляция, ...)"),
    "hearings[].attendance": ("how the accused took part (in person, by video link)",
                              "как участвовал подсудимый (лично, по видеосвязи)"),
    "hearings[].could_follow": ("the accused could follow the hearing", "подсудимый мог следить за ходом заседания"),
    "hearings[].defendant_summoned": ("the accused was summoned in time", "подсудимый своевременно извещён"),
    "hearings[].audience_in_separate_room": ("public followed from another room", "публика следила из другого помещения"),
    "hearings[].prosecutor_present": ("prosecutor present", "прокурор участвовал"),
    "hearings[].duration_minutes": ("length in minutes", "продолжительность (минут)"),
    "hearings[].adjournment_requested": ("the defence asked for time to prepare", "защита просила об отложении"),
    "hearings[].adjournment_refused": ("adjournment refused", "в отложении отказано"),
    # appeals
    "appeals[].filed": ("when filed", "когда подана"), "appeals[].heard": ("when heard", "когда рассмотрена"),
    "appeals[].court": ("court that heard the appeal", "суд, рассмотревший жалобу"),
    "appeals[].outcome": ("outcome of the appeal", "результат рассмотрения жалобы"),
    "appeals[].available": ("the law gave a right of appeal", "право на обжалование"),
    "appeals[].days_to_hearing": ("days from filing to hearing", "дней от подачи до рассмотрения"),
    "appeals[].witnesses_admitted": ("witnesses heard on appeal", "свидетели допрошены при обжаловании"),
    "appeals[].evidence_admitted": ("new evidence admitted on appeal", "новые доказательства приняты при обжаловании"),
    # evidence
    "evidence[].kind": ("kind of evidence (confession, testimony, search, ...)", "вид доказательства (признание, показания, обыск, ...)"),
    "evidence[].authorised": ("authorised (a search, a wiretap)", "санкционировано (обыск, прослушивание)"),
    "evidence[].authorised_by": ("authorised by", "кем санкционировано"),
    "evidence[].authorisation_examined": ("the court examined the authorisation", "суд проверил санкцию"),
    "evidence[].offered_by": ("offered by", "кем представлено"),
    # allegations of torture or ill-treatment
    "allegations[].kind": ("what is alleged (torture, ill-treatment, threats)", "что заявлено (пытки, жестокое обращение, угрозы)"),
    "allegations[].date": ("date of the treatment", "дата предполагаемого обращения"),
    "allegations[].victim": ("who was ill-treated", "кто пострадал"),
    "allegations[].victim_name": ("name of the person ill-treated", "имя пострадавшего"),
    "allegations[].victim_is_accused": ("the person ill-treated is the accused", "пострадавший — сам обвиняемый"),
    "allegations[].victim_minor": ("the person ill-treated is a minor", "пострадавший несовершеннолетний"),
    "allegations[].custody": ("custody period it happened in", "период содержания, когда это произошло"),
    "allegations[].perpetrator": ("alleged perpetrator", "предполагаемый исполнитель"),
    "allegations[].purpose": ("purpose (confession, punishment, intimidation, ...)", "цель (признание, наказание, запугивание, ...)"),
    "allegations[].complained_at": ("when reported to the authorities", "когда заявлено властям"),
    "allegations[].investigation_opened": ("an investigation was opened", "возбуждено расследование"),
    "allegations[].investigation_opened_at": ("when the investigation was opened", "когда возбуждено расследование"),
    "allegations[].investigated_by": ("who investigated", "кто расследовал"),
    "allegations[].investigator_independent": ("investigator independent of the alleged perpetrators",
                                               "независимость следователя от предполагаемых исполнителей"),
    "allegations[].investigation_closed_at": ("when the investigation was closed", "когда расследование завершено"),
    "allegations[].investigation_outcome": ("outcome of the investigation", "результат расследования"),
    "allegations[].medical_exam_at": ("medical examination after the treatment", "медицинское освидетельствование после обращения"),
    "allegations[].injuries_recorded": ("injuries recorded", "телесные повреждения зафиксированы"),
    "allegations[].occurred": ("the treatment took place as alleged", "обращение имело место"),
    "allegations[].state_explanation": ("the authorities' answer to the allegation", "ответ властей на заявление"),
    "allegations[].reprisal": ("reprisal for the complaint", "преследование за жалобу"),
    "allegations[].redress_sought": ("redress sought", "требование о возмещении"),
    "allegations[].redress_granted": ("redress granted", "возмещение предоставлено"),
    "allegations[].trial_suspended": ("trial suspended to check the allegation", "рассмотрение дела приостановлено для проверки"),
    "allegations[].statements_excluded": ("statements obtained this way excluded", "полученные так показания исключены"),
    # acts of expression
    "expression[].kind": ("kind (speech, post, poster, interview, ...)", "вид (выступление, пост, плакат, интервью, ...)"),
    "expression[].incident": ("event it was part of", "событие, частью которого оно было"),
    "expression[].punished": ("punished in this proceeding", "наказано в этом производстве"),
    "expression[].relied_on": ("relied on by the court as evidence", "положено судом в основу как доказательство"),
    "expression[].obstructed": ("prevented by the authorities", "воспрепятствовано властями"),
    "expression[].minority_culture": ("in a minority's language or culture", "на языке или в культуре меньшинства"),
    # investigative acts
    "investigative_acts[].kind": ("kind (questioning, confrontation, search, ...)", "вид (допрос, очная ставка, обыск, ...)"),
    "investigative_acts[].at": ("when it began", "когда начато"),
    "investigative_acts[].by": ("carried out by", "кем проведено"),
    "investigative_acts[].as_role": ("questioned as (suspect, accused, witness)",
                                     "в каком качестве (подозреваемый, обвиняемый, свидетель)"),
    "investigative_acts[].custody": ("custody period it took place in", "период содержания, когда оно проведено"),
    # labour
    "employment.dismissed_on": ("date of dismissal", "дата увольнения"),
    "employment.ground": ("ground for dismissal", "основание увольнения"),
    "employment.strike_declared_unlawful_on": ("when the strike was declared unlawful", "когда забастовка признана незаконной"),
    "employment.disciplinary_measure": ("a disciplinary measure was taken", "применено дисциплинарное взыскание"),
    # expulsion of an alien
    "expulsion.lawfully_present": ("lawfully in the country", "законное пребывание в стране"),
    "expulsion.could_submit_reasons": ("could submit reasons against expulsion",
                                       "возможность представить доводы против выдворения"),
    "expulsion.reviewed": ("the case was reviewed by a competent authority", "дело пересмотрено компетентным органом"),
    "expulsion.represented": ("represented before the authority", "наличие представителя"),
    "expulsion.national_security_invoked": ("national security invoked", "ссылка на национальную безопасность"),
    "expulsion.risk_of_torture_claimed": ("risk of torture claimed", "заявлен риск пыток"),
    "expulsion.executed_at": ("when the expulsion was carried out", "когда выдворение исполнено"),
    "expulsion.interim_measures_requested_at": ("when a treaty body asked not to expel while it examines the complaint",
                                                "когда договорный орган попросил не выдворять до рассмотрения жалобы"),
    "expulsion.interim_measures_by": ("treaty body that asked for interim measures",
                                      "договорный орган, запросивший временные меры"),
    "expulsion.interim_measures_lifted_at": ("when the request for interim measures was withdrawn",
                                             "когда просьба о временных мерах отозвана"),
    # registration of an association, party, union, religious community or medium
    "registration.entity": ("kind of entity (association, party, union, ...)", "вид объединения (общественное, партия, профсоюз, ...)"),
    "registration.refused": ("registration refused", "в регистрации отказано"),
    "registration.suspended": ("activity suspended", "деятельность приостановлена"),
    "registration.dissolved": ("dissolved or banned", "ликвидировано или запрещено"),
    # other proceedings against the same person for the same act
    "same_act[].id": ("which proceeding", "какое производство"),
    "same_act[].kind": ("kind of proceeding", "вид производства"),
    "same_act[].opened": ("when it was opened", "когда возбуждено"),
    "same_act[].decision_date": ("date of its decision", "дата решения по нему"),
    "same_act[].penal_in_nature": ("criminal in nature", "уголовный характер"),
    "same_act[].before_this": ("decided before this decision", "решение по нему вынесено до этого решения"),
    "same_act[].opened_before_this": ("opened before this decision", "возбуждено до этого решения"),
    "same_act[].final": ("its decision is final", "решение по нему вступило в силу"),
    "same_act[].decision.sanctions": ("sanctions imposed", "назначенные наказания"),
    # facts rules derive (kind: derivation)
    "derived.penal_in_nature": ("the proceeding is criminal in nature (ICCPR art. 14)",
                                "уголовный характер производства (ст. 14 МПГПП)"),
    "derived.lc2007_strike_vote_valid": ("the strike vote had the quorum and majority LC 2007 requires",
                                         "голосование о забастовке с кворумом и большинством по ТК 2007"),
    "derived.lc2015_strike_vote_valid": ("the strike vote had the quorum and majority LC 2015 requires",
                                         "голосование о забастовке с кворумом и большинством по ТК 2015"),
    "derived.lc_strike_procedure_followed": ("the strike was voted and notified as the Labour Code requires",
                                             "порядок объявления забастовки по ТК соблюдён"),
    "derived.lc_strike_hazardous_facility_ban": ("the strike falls under the ban at hazardous facilities",
                                                 "забастовка подпадает под запрет на опасных объектах"),
}

_SEGMENT = re.compile(r"([a-z_0-9]+)(?:\[([^\]]+)\])?(?:\.|$)")


def _segments(path: str) -> list[tuple[str, str | None]] | None:
    """``same_act[a-1].sanctions[0].kind`` -> [("same_act", "a-1"), ("sanctions", "0"), ("kind", None)]."""
    out, pos = [], 0
    while pos < len(path):
        match = _SEGMENT.match(path, pos)
        if not match or match.end() == pos:
            return None
        out.append(match.groups())
        pos = match.end()
    return out if out and not path.endswith(".") else None


def _key(segments) -> str:
    """The path with its list items written ``[]`` (the last name is an attribute, even one called ``custody``)."""
    last = len(segments) - 1
    return ".".join(name + ("[]" if index is not None or (name in _CONTAINERS and n < last) else "")
                    for n, (name, index) in enumerate(segments))


def _table_words(segments, i: int) -> tuple[str | None, bool]:
    """(the fact's words from the tables, whether they name it whole); (None, False) when no table does."""
    for start in range(len(segments)):  # the whole path first, then without its outer items
        words = PATH_WORDS.get(_key(segments[start:]))
        if words:
            return words[i], True
    root, attr = segments[0][0], segments[-1][0]
    if len(segments) == 1:
        words = FACT_WORDS.get(root)
        return (words[i], True) if words else (None, False)
    if root == "dates":
        words = _ACT_DATES.get(attr)
        return (words[i], True) if words else (None, False)
    if root in _CONTAINERS or root in _ROOTS:
        words = FACT_WORDS.get(attr)
        return (words[i], False) if words else (None, False)
    return None, False


def has_label(path: str) -> bool:
    """Whether the tables name this fact (else ``fact_label`` falls back to the attribute's own name)."""
    other = re.match(r"^proceedings\[([^\]]+)\]\.(.+)$", path)
    segments = _segments(other.group(2) if other else path)
    return bool(segments) and _table_words(segments, 0)[0] is not None


def fact_label(path: str, lang: str = "en") -> str:
    """``custody[0].hours_before_judge`` -> ``custody period 1: time until first seen by a judge``;
    ``incident.participants`` -> ``number of participants in the event``."""
    other = re.match(r"^proceedings\[([^\]]+)\]\.(.+)$", path)
    if other:  # a fact of another proceeding of the same person (chained custody, the same act)
        return f"{_ROOTS['proceeding'][1 if _lang(lang) == 'ru' else 0]} {other.group(1)} — {fact_label(other.group(2), lang)}"
    segments = _segments(path)
    if not segments:
        return path
    i = 1 if _lang(lang) == "ru" else 0
    words, whole = _table_words(segments, i)
    if words is None:
        words = segments[-1][0].replace("_", " ")
    heads = []  # the list items the fact belongs to: "custody period 1", "other proceeding admin-fine"
    for name, index in segments[:-1]:
        if name in _CONTAINERS:
            heads.append(_CONTAINERS[name][i] + ((f" {int(index) + 1}" if index.isdigit() else f" {index}")
                                                 if index is not None else ""))
    if len(segments) == 1 and segments[0][0] in _CONTAINERS:
        return _CONTAINERS[segments[0][0]][i]
    if heads:
        return f"{', '.join(heads)}: {words}"
    root = segments[0][0]
    if whole or len(segments) == 1:
        return words
    return f"{_ROOTS[root][i] if root in _ROOTS else root.replace('_', ' ')}: {words}"


_ENUMS = {
    "ru": {
        "assembly": "собрание", "strike": "забастовка", "speech": "выступление", "publication": "публикация",
        "dispersal": "разгон", "arrest": "арест", "attack": "нападение", "inspection": "проверка", "other": "другое",
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
        "individual": "физическое лицо", "organisation": "организация", "group": "группа",
        # kinds of proceeding, instances and stages
        "psychiatric": "психиатрическое", "migration": "миграционное", "expulsion": "выдворение",
        "first": "первая инстанция", "appeal": "апелляция", "cassation": "кассация", "supervisory": "надзорная инстанция",
        "pretrial": "досудебная стадия", "journalist": "журналист", "monitor": "наблюдатель",
        # forms of an assembly (KZ AOC 2001 art. 373), acts of expression
        "meeting": "собрание", "rally": "митинг", "march": "шествие", "demonstration": "демонстрация",
        "picket": "пикетирование", "petition": "петиция", "post": "публикация в интернете", "poster": "плакат",
        "slogan": "лозунг", "interview": "интервью", "information_request": "запрос информации",
        # sanctions
        "warning": "предупреждение", "fine": "штраф", "prison": "лишение свободы", "public_works": "общественные работы",
        "restriction_of_liberty": "ограничение свободы", "corrective_labour": "исправительные работы",
        "ban": "лишение права (запрет)", "dismissal": "увольнение", "disciplinary": "дисциплинарное взыскание",
        "suspension_of_activity": "приостановление деятельности", "confiscation": "конфискация",
        "probation": "пробационный контроль", "costs": "судебные издержки", "travel_ban": "запрет на выезд",
        "life_imprisonment": "пожизненное лишение свободы", "death": "смертная казнь",
        # custody: grounds, basis, warrants
        "immigration": "миграционное содержание", "no_residence": "нет постоянного места жительства",
        "identity_unknown": "личность не установлена", "measure_breached": "нарушена мера пресечения",
        "absconded": "уклонение от следствия или суда", "especially_grave": "особо тяжкое преступление",
        "terrorism_extremism": "терроризм или экстремизм", "mass_disorder": "массовые беспорядки",
        "criminal_group": "преступная группа", "drugs_sexual_homicide": "наркотики, половое преступление или убийство",
        "remoteness_emergency": "отдалённость или чрезвычайная ситуация", "arrest_warrant": "ордер на арест",
        "detention_order": "постановление о задержании", "custody_sanction": "санкция на арест",
        "extension": "продление срока",
        # who: issuers, investigators, perpetrators, parties
        "court": "суд", "prosecutor": "прокурор", "investigator": "следователь", "police": "полиция",
        "security_service": "спецслужба", "military": "военные", "prison_staff": "сотрудники места содержания",
        "other_official": "другое должностное лицо", "private": "частное лицо", "unknown": "неизвестно",
        "same_unit": "то же подразделение", "investigative_committee": "следственный комитет",
        "independent_body": "независимый орган", "defence": "защита", "prosecution": "обвинение",
        "suspect": "подозреваемый", "accused": "обвиняемый", "witness": "свидетель",
        "HRC": "Комитет по правам человека", "CAT": "Комитет против пыток",
        # hearings, evidence, investigative acts
        "in_person": "лично", "video_link": "по видеосвязи", "absent": "без участия", "confession": "признание",
        "testimony": "показания", "wiretap": "прослушивание", "video": "видеозапись", "search": "обыск",
        "document": "документ", "expert": "заключение эксперта", "interrogation": "допрос",
        "confrontation": "очная ставка", "identification": "опознание", "expert_examination": "экспертиза",
        # allegations: purpose, the authorities' answer, the investigation
        "punishment": "наказание", "intimidation": "запугивание", "discrimination": "дискриминация",
        "general_denial": "общее отрицание", "account": "своё объяснение травм", "ongoing": "продолжается",
        "no_crime": "нет состава преступления", "no_evidence": "нет доказательств",
        "perpetrators_unidentified": "виновные не установлены", "prosecuted": "виновные преследуются",
        # registration
        "association": "общественное объединение", "party": "политическая партия", "trade_union": "профсоюз",
        "religious_community": "религиозное объединение", "media": "СМИ",
    },
    "en": {
        "administrative_detention": "administrative detention", "suspect_detention": "detention as a suspect",
        "pretrial_custody": "pre-trial custody", "administrative_arrest": "administrative arrest",
        "sentence": "sentence", "ill_treatment": "ill-treatment", "state_secret": "state secret",
        "sexual_offence": "sexual offence", "private_life": "private life", "public_order": "public order",
        "national_security": "national security", "strike_participation": "taking part in a strike",
        "information_request": "request for information", "public_works": "public works",
        "restriction_of_liberty": "restriction of liberty", "corrective_labour": "corrective labour",
        "suspension_of_activity": "suspension of activity", "travel_ban": "travel ban",
        "life_imprisonment": "life imprisonment", "no_residence": "no permanent residence",
        "identity_unknown": "identity not established", "measure_breached": "earlier preventive measure breached",
        "especially_grave": "especially grave crime", "terrorism_extremism": "terrorism or extremism",
        "mass_disorder": "mass disorder", "criminal_group": "criminal group",
        "drugs_sexual_homicide": "drugs, sexual offence or homicide", "remoteness_emergency": "remoteness or emergency",
        "arrest_warrant": "arrest warrant", "detention_order": "detention order", "custody_sanction": "custody sanction",
        "security_service": "security service", "prison_staff": "prison staff", "other_official": "another official",
        "same_unit": "the same unit", "investigative_committee": "investigative committee",
        "independent_body": "an independent body", "in_person": "in person", "video_link": "by video link",
        "expert_examination": "expert examination", "general_denial": "a general denial",
        "no_crime": "no crime", "no_evidence": "no evidence", "perpetrators_unidentified": "perpetrators not identified",
        "religious_community": "religious community", "trade_union": "trade union",
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
    return bounds_text(text, lang) or enum_text(text, lang)


_PROSE_HOURS = {"en": re.compile(r"(?<![\w.–-])(\d+(?:\.\d+)?)(?:–(\d+(?:\.\d+)?))? h\b"),
                "ru": re.compile(r"(?<![\w.–-])(\d+(?:\.\d+)?)(?:–(\d+(?:\.\d+)?))? ч(?![А-Яа-яЁё])")}
_PROSE_TIME = re.compile(r"(?<![\w-])\d{4}-\d{2}(?:-\d{2}(?:T\d{2}:\d{2})?(?: \+ [\d.]+ d)?)?(?![\w-])")
_TIME_OR_OPEN = r"(?:\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2})?)?)?|\.\.)"
_PROSE_BOUNDS = re.compile(rf"(?<![\w./-])(?P<on>on )?(?P<bounds>{_TIME_OR_OPEN}/{_TIME_OR_OPEN})(?![\w/-])")


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
    def bounds(match):  # "on 2010-06-15/2010-06-20" -> "between 15 June 2010 and 20 June 2010"
        words = bounds_text(match.group("bounds"), lang)
        return match.group(0) if words is None else words

    text = _PROSE_BOUNDS.sub(bounds, text)
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


_ENUM_WORD = re.compile(r"(?<![\w.-])([a-z]+(?:_[a-z0-9]+)*)(?![\w-])(?!\.\w)")  # not in ids (a.b, a-b)


_TOKEN = re.compile(r"[A-Za-z_]+|[А-Яа-яЁё]+")


def _in_latin_text(text: str, start: int, end: int) -> bool:
    """Whether the word at start:end stands in a run of Latin text (a name or title the case file gives in
    English, "... the 5 June 2011 march (not named)"), where it is not a value the engine wrote."""
    before = _TOKEN.findall(re.split(r"[.;:!?()«»\"]", text[max(0, start - 60):start])[-1])[-1:]
    after = _TOKEN.findall(re.split(r"[.;:!?()«»\"]", text[end:end + 60])[0])[:1]
    for word in before + after:
        if re.fullmatch(r"[A-Za-z_]+", word) and word.lower() not in _ENUMS["ru"]:
            return True
    return False


def russian_values(text: str) -> str:
    """Enum values the engine writes into Russian text as they are in the case file (``assembly``,
    ``pretrial_custody``) in Russian; other Latin words (names, codes, English text of the case file) stay."""
    def one(match):
        word = match.group(1)
        if len(word) <= 3 or word not in _ENUMS["ru"] or _in_latin_text(text, match.start(), match.end()):
            return word
        return _ENUMS["ru"][word]

    return _ENUM_WORD.sub(one, text)


def say(text: str, lang: str = "en", sex: str | None = None) -> str:
    """Every sentence the engine wrote, as a report prints it: gender resolved, values and units in the
    report's language, durations and dates in words."""
    if not text:
        return text
    if _lang(lang) == "ru":
        text = russian_values(gendered(text, sex, lang))
    else:  # a value written with an underscore is never an English word (ill_treatment, public_works)
        text = _ENUM_WORD.sub(lambda m: _ENUMS["en"].get(m.group(1), m.group(1)) if "_" in m.group(1) else m.group(1),
                              text)
    return prose(text, lang)
