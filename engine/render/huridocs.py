"""Findings as a CSV whose columns follow the HURIDOCS Events Standard Formats (ESF, 2nd rev. ed. 2001).

One row per act (a finding of ``violation``, ``probable violation`` or ``concern``), with the victim, the
type of act, the type of perpetrator and the rights affected coded with the HURIDOCS micro-thesauri
(03 Rights typology, 04 Types of acts, 24 Types of perpetrators). The terms and codes were read from
HURIDOCS' own implementation of the ESF, OpenEvSys (github.com/huridocs/OpenEvSys,
``schema/mysql-dbpopulate-mt.sql``, Russian terms from ``res/locale/ru/mt_vocab_l10n.sql``).
"""
from __future__ import annotations

import csv
import io
import re

# --- HURIDOCS export -----------------------------------------------------------------------------

# (code, English term, Russian term) from the HURIDOCS micro-thesauri as published in OpenEvSys
RIGHTS_MT = {
    "liberty": ("01 08", "Liberty of person (Right to)", "Свобода личности (Право на)"),
    "fair_trial": ("03 10 14", "Fair trial (Right to)", "Справедливый суд (Право на)"),
    "ne_bis_in_idem": ("03 10 10", "Non bis in idem (Right to)",
                       "Недопустимость повторного привлечения к ответственности за одно и то же деяние (Право на)"),
    "legal_assistance": ("03 10 09", "Legal assistance (Right to)", "Юридическая помощь (Право на)"),
    "public_trial": ("03 10 15", "Public trial (Right to)", "Открытый суд (Право на)"),
    "ill_treatment": ("01 09", "Personal security and integrity (Right to)", "Безопасность личности (Право на)"),
    "assembly": ("01 13", "Freedom of assembly (Right to)", "Свобода собраний (Право на)"),
    "association": ("01 14", "Freedom of association (Right to)", "Свобода объединений (Право на)"),
    "expression": ("01 16", "Freedom of expression (Right to)", "Свобода самовыражения (Право на)"),
    "strike": ("03 21 07", "Strike (Right to)", "Забастовка (Право на)"),
    "labour": ("02 11", "Work (Right to)", "Труд (Право на)"),
    "privacy": ("01 28", "Privacy (Right to)", "Конфиденциальность (Право на)"),
    "equality": ("01 03", "Be equal before the law (Right to)", "Быть равным перед законом (Право на)"),
}
ACTS_MT = {
    "detention": ("03 01 02", "Detention, imprisonment", "Задержание, заключение"),
    "fair_trial": ("35 01 14", "Denial of the right to fair trial", "Отказ в праве на справедливый суд"),
    "legal_assistance": ("35 01 09", "Denial of the right to legal assistance", "Отказ в праве на юридическую помощь"),
    "integrity": ("02 01", "Direct violations against personal integrity",
                  "Непосредственные нарушения неприкосновенности личности"),
    "assembly": ("12 01", "Direct actions which violate the right to association and assembly",
                 "Непосредственные действия, нарушающие право на объединения и собрания"),
    "expression": ("10 01", "Direct actions which violate the right to expression",
                   "Непосредственные действия, нарушающие право на самовыражение"),
    "dismissal": ("30 01 04 03 01", "Lay-off or dismissal", "Увольнение или временное увольнение"),
    "labour": ("30", "Labour rights violations", "Нарушение трудовых прав"),
    "privacy": ("04", "Violations against the right to privacy", "Нарушения права на конфиденциальность"),
    "other": ("90", "Other", "Другие"),
}
PERPETRATORS_MT = {
    "executive": ("01 01", "Executive", "Принадлежащие к структурам исполнительной власти"),
    "judiciary": ("01 03", "Judiciary", "Принадлежащие к структурам судебной власти"),
    "employers": ("11 03 01", "Employers", "Наниматель"),
    "government": ("01", "Governmental entities", "Государственные объекты"),
}
HURIDOCS_COLUMNS = [
    ("event_title", "0102 Event Title"), ("act_record", "2101 Act Record Number"),
    ("victim", "2102 Victim Name"), ("act_type", "2109 Type of Act"), ("act_type_code", "2109 Type of Act (code)"),
    ("initial_date", "2111 Initial Date"), ("location", "2112 Exact Location"), ("country", "0111 Geographical Term"),
    ("perpetrator_type", "2412 Type of Perpetrator"), ("perpetrator_type_code", "2412 Type of Perpetrator (code)"),
    ("rights", "0153 Rights Affected"), ("rights_code", "0153 Rights Affected (code)"),
    ("national_legislation", "2154 National Legislation"), ("international_instruments", "2155 International Instruments"),
    ("violation_status", "0151 Violation Status"), ("source", "2502 Source Name"), ("comments", "2150 Remarks"),
]


def _roots(finding) -> set[str]:
    return {re.split(r"[.\[]", f.path)[0] for f in finding.facts}


def classify(finding, incident_kind: str | None) -> tuple[str, str, str]:
    """(rights key, act key, perpetrator key) of a finding, from its right, citations and the facts it used."""
    from engine.render.summary import is_ne_bis_in_idem

    roots = _roots(finding)
    paths = " ".join(f.path for f in finding.facts)
    right = finding.right or "other"
    perpetrator = ("employers" if "employment" in roots else
                   "executive" if roots & {"custody", "court_appearances"} and (
                       right == "liberty" or not roots & {"hearings", "decision"}) else
                   "judiciary" if roots & {"hearings", "decision", "sanctions", "same_act", "appeals", "evidence",
                                           "charges"} else "government")
    if right == "liberty":
        return "liberty", "detention", perpetrator
    if right == "fair_trial":
        if is_ne_bis_in_idem(finding):
            return "ne_bis_in_idem", "fair_trial", perpetrator
        if "lawyer" in paths:
            return "legal_assistance", "legal_assistance", perpetrator
        if ".public" in paths or "closure_" in paths:
            return "public_trial", "fair_trial", perpetrator
        return "fair_trial", "fair_trial", perpetrator
    if right == "ill_treatment":
        return "ill_treatment", "integrity", perpetrator
    if right == "expression_assembly_association":
        if incident_kind in ("speech", "publication"):
            return "expression", "expression", perpetrator
        if incident_kind == "strike":
            return "association", "assembly", perpetrator
        return "assembly", "assembly", perpetrator
    if right == "labour":
        act = "dismissal" if "dismissed_on" in paths or "dismissal" in paths else "labour"
        return ("strike" if incident_kind == "strike" or "strike" in paths else "labour"), act, perpetrator
    if right == "privacy":
        return "privacy", "privacy", perpetrator
    if right == "equality":
        return "equality", "other", perpetrator
    return "fair_trial", "other", perpetrator


def huridocs_rows(report):
    from engine.model.instruments import INSTRUMENTS
    from engine.render.labels import label

    lang = report.lang
    pick = 2 if lang == "ru" else 1
    for case in report.cases:
        model = case.checked_case  # the case as it was checked; None for a report read back from JSON
        incidents = {i.id: i for i in model.incidents} if model else {}
        procs = {p.id: p for p in model.proceedings} if model else {}
        sources = {s.id: s.title for s in model.sources} if model else {}
        people = {p.id: p.name for p in model.people} if model else {}
        for proc in case.proceedings:
            mp = procs.get(proc.id)
            incident = incidents.get(mp.incident_ids[0]) if mp is not None and mp.incident_ids else None
            for f in proc.findings:
                if f.status not in ("violation", "probable violation", "concern"):
                    continue
                rights_key, act_key, perp_key = classify(f, incident.kind if incident else None)
                domestic = [c for c in f.citations if not _international(c, INSTRUMENTS)]
                international = [c for c in f.citations if _international(c, INSTRUMENTS)]
                used = sorted({s for fact in f.facts for s in [fact.source, *(i.source for i in fact.derived_from)] if s})
                yield {
                    "event_title": case.title or case.id, "act_record": f"{case.id}/{proc.id}/{f.rule}",
                    "victim": victim_of(f, mp, people) or proc.person_name, "act_type": ACTS_MT[act_key][pick], "act_type_code": ACTS_MT[act_key][0],
                    "initial_date": f.act_date or "", "location": (incident.place or "") if incident else "",
                    "country": "Казахстан" if lang == "ru" else "Kazakhstan",
                    "perpetrator_type": PERPETRATORS_MT[perp_key][pick],
                    "perpetrator_type_code": PERPETRATORS_MT[perp_key][0],
                    "rights": RIGHTS_MT[rights_key][pick], "rights_code": RIGHTS_MT[rights_key][0],
                    "national_legislation": "; ".join(domestic), "international_instruments": "; ".join(international),
                    "violation_status": label(f.status, lang),
                    "source": "; ".join(sources.get(s, s) for s in used),
                    "comments": f.explanation,
                }


_ALLEGATION = re.compile(r"^allegations\[(\d+)\]")


def victim_of(finding, proceeding, people: dict) -> str | None:
    """The victim an allegation-based finding is about: the allegation's `victim` (a child, a relative), else
    the person proceeded against. None when the finding rests on no allegation."""
    if proceeding is None:
        return None
    indices = sorted({int(m.group(1)) for fact in finding.facts for m in [_ALLEGATION.match(fact.path)] if m})
    names = []
    for i in indices:
        if i < len(proceeding.allegations):
            who = proceeding.allegations[i].victim or proceeding.person
            name = people.get(who, who)
            if name not in names:
                names.append(name)
    return "; ".join(names) or None


def _international(citation: str, instruments) -> bool:
    for inst in instruments.values():
        if inst.international and (citation.startswith(inst.name_en) or citation.startswith(inst.name_ru)):
            return True
    return False


def render_huridocs(report) -> str:
    from engine.render.csv_report import neutralise

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([title for _, title in HURIDOCS_COLUMNS])
    for row in huridocs_rows(report):
        writer.writerow([neutralise(row[key]) for key, _ in HURIDOCS_COLUMNS])
    return buffer.getvalue()
