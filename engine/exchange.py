"""Imports and exports for human-rights documentation tools.

* ``import_csv``: proceedings from a spreadsheet (one row per proceeding) into case files that validate.
  The columns are documented in ``docs/reports.md``.
* ``render_huridocs``: findings as a CSV whose columns follow the HURIDOCS Events Standard Formats (ESF,
  2nd rev. ed. 2001): one row per act (a finding of ``violation``, ``probable violation`` or ``concern``),
  with the victim, the type of act, the type of perpetrator and the rights affected coded with the
  HURIDOCS micro-thesauri (03 Rights typology, 04 Types of acts, 24 Types of perpetrators). The terms
  and codes were read from HURIDOCS' own implementation of the ESF, OpenEvSys (github.com/huridocs/
  OpenEvSys, ``schema/mysql-dbpopulate-mt.sql``, Russian terms from ``res/locale/ru/mt_vocab_l10n.sql``).
"""
from __future__ import annotations

import csv
import io
import os
import re

import yaml

from engine.errors import InputError, InputErrors

# --- CSV import ----------------------------------------------------------------------------------

IMPORT_COLUMNS = {
    # column: (what it is, where it goes)
    "case_id": "case id (rows with the same case_id make one case file) — required",
    "case_title": "case title",
    "source_id": "id of the source of the row's facts (default s1)",
    "source_title": "title of that source",
    "source_url": "URL of that source",
    "status": "status of the row's facts: established, observed, reported (default), alleged, disputed",
    "person_id": "person id (default: made from the row number)",
    "person_name": "person's name as the source spells it — required",
    "person_name_ru": "person's name in Russian",
    "person_role": "free text: strike leader, union lawyer, ...",
    "incident_id": "incident id (rows with the same incident_id share the incident)",
    "incident_kind": "assembly, strike, speech, publication, dispersal, arrest, attack, inspection, other",
    "incident_date": "date of the incident (2011-12-16)",
    "incident_place": "place of the incident",
    "incident_peaceful": "yes / no / unknown",
    "proceeding_id": "proceeding id (default: kind and row number)",
    "proceeding_kind": "administrative, criminal, labour, civil — required",
    "court": "court",
    "charge_code": "KZ-CAO-2001, KZ-CC-1997, ... (several charges: separate with ';')",
    "charge_article": "article (with ';' as in charge_code)",
    "charge_part": "part (with ';' as in charge_code)",
    "custody_start": "when detained (2011-09-08T10:00, or 2011-09-08)",
    "custody_end": "when released",
    "custody_basis": "administrative_detention, suspect_detention, pretrial_custody, administrative_arrest, "
                     "sentence, other",
    "before_judge": "when first brought before a judge",
    "hearing_date": "date of the hearing",
    "hearing_public": "yes / no / unknown",
    "lawyer_present": "yes / no / unknown",
    "lawyer_requested": "yes / no / unknown",
    "decision_date": "date of the decision",
    "decision_outcome": "convicted, acquitted, penalised, dismissed, granted, rejected",
    "sanction_kind": "warning, fine, arrest, prison, ... (one sanction per row)",
    "sanction_amount": "fine amount",
    "sanction_currency": "currency of the fine (KZT)",
    "sanction_mci": "fine in monthly calculation indices",
    "sanction_days": "arrest days",
    "sanction_months": "prison months",
    "note": "free text, kept as a note of the proceeding",
}
REQUIRED = ("case_id", "person_name", "proceeding_kind")
_TRUE = {"yes", "true", "1", "y", "да"}
_FALSE = {"no", "false", "0", "n", "нет"}
_UNKNOWN = {"", "unknown", "?", "неизвестно"}


def _bool(value: str, column: str, where: InputError):
    v = value.strip().lower()
    if v in _UNKNOWN:
        return None
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise InputError(where.path, f"column {column}: {value!r} is not yes, no or unknown", where.line)


def _number(value: str, column: str, where: InputError):
    v = value.strip().replace(" ", "").replace(",", ".")
    if v.lower() in _UNKNOWN:
        return None
    try:
        number = float(v)
    except ValueError:
        raise InputError(where.path, f"column {column}: {value!r} is not a number", where.line) from None
    return int(number) if number.is_integer() else number


def _slug(text: str, fallback: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]
    return slug if slug and re.match(r"^[a-z0-9]", slug) else fallback


def read_csv_rows(path: str) -> tuple[list[str], list[tuple[int, dict]]]:
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as err:
        raise InputErrors([InputError(path, f"cannot read: {err.strerror}")]) from None
    from engine.yamlio import decode

    text = decode(path, raw)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise InputErrors([InputError(path, "empty CSV: expected a header row (case_id, person_name, ...)", 1)])
    reader.fieldnames = header
    unknown = [h for h in header if h not in IMPORT_COLUMNS]
    errors = []
    for h in unknown:
        import difflib

        close = difflib.get_close_matches(h, list(IMPORT_COLUMNS), n=1)
        errors.append(InputError(path, f"unknown column {h!r}" + (f" (did you mean {close[0]!r}?)" if close else ""), 1))
    missing = [c for c in REQUIRED if c not in header]
    errors += [InputError(path, f"required column {c!r} is missing", 1) for c in missing]
    if errors:
        raise InputErrors(errors)
    rows = []
    try:
        for row in reader:
            if None in row:
                raise InputErrors([InputError(path, "more cells than columns in the header", reader.line_num)])
            if not any((v or "").strip() for v in row.values()):
                continue
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    except csv.Error as err:
        raise InputErrors([InputError(path, f"invalid CSV: {err}", reader.line_num)]) from None
    return header, rows


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";")] if value.strip() else []


def _row_to_proceeding(path: str, line: int, n: int, row: dict, case: dict, positions: dict) -> None:
    where = InputError(path, "", line)
    for column in REQUIRED:
        if not row.get(column):
            raise InputError(path, f"column {column}: required", line)
    status = row.get("status") or None
    source_id = row.get("source_id") or "s1"
    if not any(s["id"] == source_id for s in case["sources"]):
        source = {"id": source_id, "title": row.get("source_title") or f"Imported from {os.path.basename(path)}"}
        if row.get("source_url"):
            source["url"] = row["source_url"]
        case["sources"].append(source)

    def fact(value):
        """A fact with this row's source (and status when the row gives one)."""
        if value is None:
            return None
        defaults = case["defaults"]
        if source_id == defaults.get("source") and (not status or status == defaults.get("status")):
            return value  # the file's defaults say where it comes from
        out = {"value": value, "source": source_id}
        if status:
            out["status"] = status
        return out

    def text(column):
        return fact(row[column]) if row.get(column) and row[column].lower() not in _UNKNOWN else None

    person_id = row.get("person_id") or _slug(row["person_name"], f"person-{line}")
    if not any(p["id"] == person_id for p in case["people"]):
        person = {"id": person_id, "name": row["person_name"]}
        for column, key in (("person_name_ru", "name_ru"), ("person_role", "role")):
            if row.get(column):
                person[key] = row[column]
        case["people"].append(person)
    kind = row["proceeding_kind"].lower()
    proc = {"id": row.get("proceeding_id") or f"{_slug(kind, 'proceeding')}-{line}", "kind": kind, "person": person_id}
    if row.get("incident_id") or row.get("incident_kind") or row.get("incident_date"):
        incident_id = row.get("incident_id") or f"incident-{line}"
        if not any(i["id"] == incident_id for i in case["incidents"]):
            incident = {"id": incident_id, "kind": (row.get("incident_kind") or "other").lower()}
            if text("incident_date"):
                incident["date"] = text("incident_date")
            if row.get("incident_place"):
                incident["place"] = row["incident_place"]
            peaceful = _bool(row.get("incident_peaceful", ""), "incident_peaceful", where)
            if peaceful is not None:
                incident["peaceful"] = fact(peaceful)
            case["incidents"].append(incident)
        proc["incident"] = incident_id
    if row.get("court"):
        proc["court"] = row["court"]
    codes, articles, parts = (_split(row.get(c, "")) for c in ("charge_code", "charge_article", "charge_part"))
    if len(articles) != len(codes) or (parts and len(parts) != len(codes)):
        raise InputError(path, "columns charge_code, charge_article (and charge_part) need the same number of "
                               "';'-separated items", line)
    proc["charges"] = [dict({"code": c, "article": a}, **({"part": parts[i]} if parts and parts[i] else {}))
                       for i, (c, a) in enumerate(zip(codes, articles))]
    custody = {k: text(c) for k, c in (("start", "custody_start"), ("end", "custody_end"),
                                       ("basis", "custody_basis"), ("before_judge", "before_judge"))}
    custody = {k: v for k, v in custody.items() if v is not None}
    if custody:
        proc["custody"] = [custody]
    hearing = {"date": text("hearing_date")}
    for column in ("hearing_public", "lawyer_present", "lawyer_requested"):
        value = _bool(row.get(column, ""), column, where)
        hearing["public" if column == "hearing_public" else column] = fact(value)
    hearing = {k: v for k, v in hearing.items() if v is not None}
    if hearing:
        proc["hearings"] = [hearing]
    decision = {k: text(c) for k, c in (("date", "decision_date"), ("outcome", "decision_outcome"))}
    decision = {k: v for k, v in decision.items() if v is not None}
    if row.get("sanction_kind"):
        sanction = {"kind": row["sanction_kind"].lower()}
        for column, key in (("sanction_amount", "amount"), ("sanction_mci", "mci"), ("sanction_days", "days"),
                            ("sanction_months", "months")):
            value = _number(row.get(column, ""), column, where)
            if value is not None:
                sanction[key] = fact(value)
        if row.get("sanction_currency"):
            sanction["currency"] = row["sanction_currency"]
        decision["sanctions"] = [sanction]
    if decision:
        proc["decision"] = decision
    if row.get("note"):
        proc["notes"] = [{"text": row["note"], "source": source_id}]
    positions[("proceedings", len(case["proceedings"]))] = (line, 1)
    case["proceedings"].append(proc)


def import_csv(path: str) -> dict[str, str]:
    """{case id: YAML text} for every case in the CSV; every case is validated before anything is returned."""
    from engine.load import load_case_document
    from engine.yamlio import Document

    _, rows = read_csv_rows(path)
    if not rows:
        raise InputErrors([InputError(path, "no data rows after the header", 2)])
    cases: dict[str, tuple[dict, dict]] = {}
    errors: list[InputError] = []
    for n, (line, row) in enumerate(rows):
        case_id = row.get("case_id", "")
        if case_id and case_id not in cases:
            cases[case_id] = ({"id": case_id, **({"title": row["case_title"]} if row.get("case_title") else {}),
                               "sources": [],
                               "defaults": {"source": row.get("source_id") or "s1",
                                            "status": row.get("status") or "reported"}, "people": [], "incidents": [],
                               "proceedings": []}, {(): (line, 1)})
        try:
            if not case_id:
                raise InputError(path, "column case_id: required", line)
            _row_to_proceeding(path, line, n, row, *cases[case_id])
        except InputError as err:
            errors.append(err)
    out = {}
    for case_id, (data, positions) in cases.items():
        if not data["incidents"]:
            del data["incidents"]
        try:
            load_case_document(Document(path, data, positions))
        except InputErrors as many:
            errors += many.errors
            continue
        except InputError as err:
            errors.append(err)
            continue
        header = (f"# Imported from {os.path.basename(path)} by trialcheck import-csv; check it with "
                  f"`trialcheck validate` and complete it by hand.\n")
        out[case_id] = header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    if errors:
        raise InputErrors(errors)
    return out


def write_cases(texts: dict[str, str], folder: str, overwrite: bool = False) -> list[str]:
    """Write every case file (atomically each); refuse to overwrite existing files unless asked."""
    from engine.output import write_atomic

    os.makedirs(folder, exist_ok=True)
    targets = {case_id: os.path.join(folder, f"{case_id}.yaml") for case_id in texts}
    existing = [p for p in targets.values() if os.path.exists(p)]
    if existing and not overwrite:
        raise InputErrors([InputError(p, "exists already (use --force to replace it)") for p in existing])
    for case_id, target in targets.items():
        write_atomic(target, texts[case_id])
    return sorted(targets.values())


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
    from engine.instruments import INSTRUMENTS
    from engine.render.labels import label
    from engine.render.timeline import load_case_for

    lang = report.lang
    pick = 2 if lang == "ru" else 1
    for case in report.cases:
        model = load_case_for(case)
        incidents = {i.id: i for i in model.incidents} if model else {}
        procs = {p.id: p for p in model.proceedings} if model else {}
        sources = {s.id: s.title for s in model.sources} if model else {}
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
                    "victim": proc.person_name, "act_type": ACTS_MT[act_key][pick], "act_type_code": ACTS_MT[act_key][0],
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
