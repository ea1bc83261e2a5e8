"""Custody on a calendar: one dated axis per person, every period that person was held drawn on it.

Chained periods (arrest -> custody -> sentence) read as one story. Terms are taken from the sanction when
the file records no end (an 8-day arrest runs 8 days from its start; a 6-year sentence six years), and a
sanction of arrest or prison with no custody period recorded is drawn from the decision date. Markers show
the protocol, relatives told, the lawyer's first visit and each appearance before a judge. A legal limit
is drawn from the start of the period it judged, labelled in the unit of the law; the part beyond it is
red only when the finding is a violation or probable violation (a concern is drawn in the concern colour).
An unknown end fades out after the last moment the person is known to have been held. Labels are laid out
in lanes so they never overlap. The SVG is built here (every text escaped), the template only places it.
"""
from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from markupsafe import Markup, escape

from engine.model.when import FAR_FUTURE, FAR_PAST, parse_moment
from engine.render import human
from engine.render.labels import label

VIOLATED = ("violation", "probable violation")
COLOURS = {"held": "#3d5a80", "uncertain": "#c9d4e5", "violation": "#d92d20", "probable violation": "#d92d20",
           "concern": "#7f56d9", "judge": "#f5b700", "protocol": "#667085", "relatives": "#12b76a", "lawyer": "#2e90fa",
           "hearing": "#f5b700", "ink": "#1d2433", "muted": "#5b6478", "faint": "#8a93a6", "track": "#f4f6fa",
           "line": "#d9dee8"}
MEASURES = {"hours": "held", "hours_pretrial": "held", "hours_before_judge": "judge", "hours_to_relatives": "relatives",
            "hours_to_lawyer": "lawyer", "hours_to_protocol": "protocol"}
LABEL_W, BAR_W, LANE_H, BAR_H = 150, 510, 12, 14
LONG = timedelta(days=120)  # a longer term (a sentence) is drawn to the edge with its end date, not to scale
CHAR_W = 6.0  # average width of a 10 px DejaVu Sans character, for laying labels out without a font engine


@dataclass
class Limit:
    hours: float
    measure: str
    citation: str
    status: str
    at: datetime  # start + limit
    text: str = ""  # "72 h · judge": the limit in the unit of the law, and what it measures


@dataclass
class Marker:
    kind: str  # judge | protocol | relatives | lawyer | hearing
    lo: datetime
    hi: datetime
    text: str


@dataclass
class Period:
    proceeding: str
    basis: str
    start_lo: datetime
    start_hi: datetime
    end_lo: datetime | None
    end_hi: datetime | None
    end_note: str | None  # how the end was found when the file records none
    held_until: datetime  # the last moment the person is known to have been held
    markers: list[Marker] = field(default_factory=list)
    limits: list[Limit] = field(default_factory=list)
    term: str | None = None  # "6 years", "8 days": the term imposed, when the end comes from it
    index: int | None = None  # the custody period of the proceeding (None: drawn from the decision)
    start_text: str = ""

    @property
    def known_end(self) -> bool:
        return self.end_lo is not None


@dataclass
class PersonCalendar:
    person: str
    name: str
    periods: list[Period]
    svg: Markup = Markup("")
    notes: list[str] = field(default_factory=list)


def _moment(given):
    """The moment to draw, or None: unknown, never happened, or open on one side (a calendar cannot place it)."""
    if given is None or given.value is None:
        return None
    try:
        m = parse_moment(str(given.value))
    except ValueError:
        return None
    return None if m.earliest <= FAR_PAST or m.latest >= FAR_FUTURE else m


def _add_months(day: datetime, months: int) -> datetime:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(year=year, month=month, day=min(day.day, _cal.monthrange(year, month)[1]))


def _num(given) -> float:
    return float(given.value) if given is not None and given.value is not None else 0.0


def _terms(proc) -> tuple[float, int]:
    """(days of arrest, months of prison) to serve under the proceeding's decision; suspended terms are not served."""
    days = months = 0
    sanctions = proc.decision.sanctions if proc.decision else []
    for s in sanctions:
        if s.suspended is not None and s.suspended.value is True:
            continue
        if s.kind == "arrest":
            days += _num(s.days)
        elif s.kind == "prison":
            months += int(round(_num(s.years) * 12 + _num(s.months)))
    return days, months


def _term_text(days: float, months: int, lang: str) -> str:
    if days:
        return human.duration_days(days, days, lang)
    if months % 12 == 0:
        return f"{months // 12} {human.unit_word(months // 12, 'year', lang)}"
    return f"{months} {human.unit_word(months, 'month', lang)}"


def _periods(case, proc, lang: str) -> list[Period]:
    days, months = _terms(proc)
    out = []
    bases = set()
    for i, c in enumerate(proc.custody):
        start = _moment(c.start)
        basis = c.basis.value if c.basis is not None and c.basis.value else "other"
        bases.add(basis)
        if start is None:
            continue
        end = _moment(c.end)
        end_lo = end.earliest if end else None
        end_hi = end.latest if end else None
        note = term = None
        if end is None and basis == "administrative_arrest" and days:
            end_lo, end_hi = start.earliest + timedelta(days=days), start.latest + timedelta(days=days)
            term, note = _term_text(days, 0, lang), "term"
        elif end is None and basis == "sentence" and months:
            end_lo, end_hi = _add_months(start.earliest, months), _add_months(start.latest, months)
            term, note = _term_text(0, months, lang), "term"
        period = Period(proc.id, basis, start.earliest, start.latest, end_lo, end_hi, note, start.latest, term=term,
                        index=i)
        for kind, given in (("protocol", c.protocol_at), ("relatives", c.relatives_told_at),
                            ("lawyer", c.lawyer_access_at), ("judge", c.before_judge)):
            m = _moment(given)
            if m is not None:
                period.markers.append(Marker(kind, m.earliest, m.latest, ""))
        out.append(period)
    decided = _moment(proc.decision.date) if proc.decision else None
    if decided is not None:
        if days and "administrative_arrest" not in bases:
            out.append(Period(proc.id, "administrative_arrest", decided.earliest, decided.latest,
                              decided.earliest + timedelta(days=days), decided.latest + timedelta(days=days),
                              "decision", decided.latest, term=_term_text(days, 0, lang)))
        if months and "sentence" not in bases:
            out.append(Period(proc.id, "sentence", decided.earliest, decided.latest,
                              _add_months(decided.earliest, months), _add_months(decided.latest, months),
                              "decision", decided.latest, term=_term_text(0, months, lang)))
    for p in out:
        p.held_until = max([p.start_hi] + [m.hi for m in p.markers])
        p.start_text = _when(p.start_lo, p.start_hi, lang)
    return out


def _appearances(proc) -> list[Marker]:
    out = []
    for a in proc.court_appearances:
        m = _moment(a.at)
        if m is not None:
            out.append(Marker("judge", m.earliest, m.latest, ""))
    for h in proc.hearings:
        m = _moment(h.date)
        if m is not None:
            out.append(Marker("hearing", m.earliest, m.latest, ""))
    return out


def _limits(findings, index: int, period: Period, lang: str) -> list[Limit]:
    wanted = {f"custody[{index}].{m}": m for m in MEASURES}
    out, seen = [], set()
    for f in findings:
        paths = {fact.path for fact in f.facts} | {inner.path for fact in f.facts for inner in fact.derived_from}
        measures = [m for p, m in wanted.items() if p in paths]
        if not measures:
            continue
        measure = "hours" if "hours" in measures else "hours_pretrial" if "hours_pretrial" in measures else measures[0]
        for name, value in sorted(f.parameters.items()):
            if not name.endswith("_hours") or isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            key = (float(value), measure)
            if key in seen:
                continue
            seen.add(key)
            text = human.limit_text(float(value), lang) + (
                f" · {label('marker.' + MEASURES[measure], lang)}" if MEASURES[measure] != "held" else "")
            out.append(Limit(float(value), measure, f.citations[0], f.status,
                             period.start_lo + timedelta(hours=float(value)), text))
    return sorted(out, key=lambda lim: (lim.hours, lim.citation))


def person_calendars(case, report_case, lang: str = "en") -> list[PersonCalendar]:
    """One calendar per person who was held at least once (or sentenced to arrest or prison)."""
    reports = {p.id: p for p in report_case.proceedings}
    out = []
    for person in case.people:
        periods, appearances = [], []
        for proc in case.proceedings:
            if proc.person != person.id:
                continue
            found = _periods(case, proc, lang)
            findings = reports[proc.id].findings if proc.id in reports else []
            for p in found:
                if p.index is not None:
                    p.limits = _limits(findings, p.index, p, lang)
            periods += found
            appearances += _appearances(proc)
        if not periods:
            continue
        periods.sort(key=lambda p: (p.start_lo, p.proceeding))
        name = person.name_ru if lang == "ru" and person.name_ru else person.name
        cal = PersonCalendar(person.id, name, periods)
        cal.svg = _draw(cal, appearances, lang, f"{report_case.id}-{len(out) + 1}")
        out.append(cal)
    return out


# --- drawing -----------------------------------------------------------------------------------------


def _axis(periods: list[Period], appearances: list[Marker]) -> tuple[datetime, datetime]:
    t0 = min(p.start_lo for p in periods)
    points = [p.held_until for p in periods] + [p.start_hi for p in periods]
    longest_short = timedelta(0)
    for p in periods:
        if p.end_hi is not None and p.end_hi - p.start_lo <= LONG:
            points.append(p.end_hi)
        for lim in p.limits:
            if lim.status in VIOLATED + ("concern",):
                points.append(lim.at)
        points += [m.hi for m in p.markers]
    t1 = max(points)
    shorter = [p for p in periods if p.end_hi is not None and p.end_hi > t1]
    if t1 - t0 < timedelta(hours=6):
        if shorter:
            t1 = max(p.end_hi for p in shorter)
        else:
            reach = max([lim.hours for p in periods for lim in p.limits], default=48.0)
            t1 = t0 + timedelta(hours=reach * 1.25)
    if any(not p.known_end for p in periods) and t1 - t0 < timedelta(days=3):
        t1 = max(t1, t0 + timedelta(days=3))
    open_from = min([p.start_lo for p in periods if not p.known_end], default=None)
    appearances_in = [m.hi for m in appearances if t0 <= m.lo <= t1
                      or (open_from is not None and open_from <= m.lo <= open_from + timedelta(days=400))]
    t1 = max([t1] + appearances_in)
    pad = (t1 - t0) * 0.06
    return t0, t1 + pad


def _ticks(t0: datetime, t1: datetime, lang: str) -> list[tuple[datetime, str]]:
    span = t1 - t0
    out = []
    if span <= timedelta(days=4):
        step = 6 if span <= timedelta(days=2) else 12
        t = t0.replace(minute=0, second=0) + timedelta(hours=(-t0.hour) % step)
        while t <= t1:
            out.append((t, human.day_text(t, lang, with_year=False, with_time=True) if t.hour == 0 or not out
                        else t.strftime("%H:%M")))
            t += timedelta(hours=step)
    elif span <= timedelta(days=75):
        step = 1 if span <= timedelta(days=9) else 7 if span <= timedelta(days=60) else 14
        t = datetime(t0.year, t0.month, t0.day) + timedelta(days=1)
        while t <= t1:
            out.append((t, human.day_text(t, lang, with_year=False)))
            t += timedelta(days=step)
    elif span <= timedelta(days=900):
        step = 1 if span <= timedelta(days=400) else 3
        t = datetime(t0.year, t0.month, 1)
        t = _add_months(t, 1)
        while t <= t1:
            if (t.month - 1) % step == 0:
                out.append((t, f"{human.MONTHS_SHORT['ru' if lang == 'ru' else 'en'][t.month - 1]} {t.year}"))
            t = _add_months(t, 1)
    else:
        t = datetime(t0.year + 1, 1, 1)
        while t <= t1:
            out.append((t, str(t.year)))
            t = datetime(t.year + 1, 1, 1)
    return out


class _Lanes:
    """Greedy lanes for labels: a label goes to the first lane where it does not touch the one before."""

    def __init__(self):
        self.ends: list[float] = []

    def place(self, x: float, width: float) -> int:
        for lane, end in enumerate(self.ends):
            if x >= end + 6:
                self.ends[lane] = x + width
                return lane
        self.ends.append(x + width)
        return len(self.ends) - 1


RIGHT = LABEL_W + BAR_W + 10


def _text(x, y, content, size=10, fill=COLOURS["ink"], anchor="start", weight=None, italic=False, cls=None) -> str:
    if anchor == "start" and x + len(content) * CHAR_W * size / 10 > RIGHT:
        x, anchor = min(x, RIGHT), "end"
    extra = (f' font-weight="{weight}"' if weight else "") + (' font-style="italic"' if italic else "") + \
            (f' class="{cls}"' if cls else "")
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" text-anchor="{anchor}"{extra}>'
            f"{escape(content)}</text>")


def _draw(cal: PersonCalendar, appearances: list[Marker], lang: str, key: str) -> Markup:
    t0, t1 = _axis(cal.periods, appearances)
    uid = "".join(ch if ch.isalnum() or ch == "-" else "_" for ch in key)
    total = (t1 - t0).total_seconds() or 1.0

    def x(t: datetime) -> float:
        return LABEL_W + BAR_W * min(max((t - t0).total_seconds() / total, 0.0), 1.0)

    parts, y = [], 4.0
    ticks = _ticks(t0, t1, lang)
    axis_top = y
    parts.append(f'<line x1="{LABEL_W}" x2="{LABEL_W + BAR_W}" y1="{y + 14}" y2="{y + 14}" stroke="{COLOURS["line"]}"/>')
    last_end = -1e9
    for t, text in ticks:
        tx = x(t)
        parts.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{y + 10}" y2="{y + 14}" stroke="{COLOURS["faint"]}"/>')
        width = len(text) * CHAR_W * 0.95
        if tx - width / 2 > last_end + 4 and tx + width / 2 <= LABEL_W + BAR_W + 20:
            parts.append(_text(tx, y + 8, text, 9.5, COLOURS["faint"], "middle"))
            last_end = tx + width / 2
    y += 22
    grid_top = y
    assigned: dict[int, list[Marker]] = {}
    for m in appearances:  # each appearance on the first period it falls in
        for n, p in enumerate(cal.periods):
            if p.start_lo <= m.hi and (not p.known_end or m.lo <= p.end_hi):
                assigned.setdefault(n, []).append(m)
                break
    for n, p in enumerate(cal.periods):
        above, below = _Lanes(), _Lanes()
        row = []  # (lane kind, lane, element builder)
        label_items = []
        for lim in p.limits:
            if lim.at > t1:
                continue
            text = lim.text
            width = len(text) * CHAR_W
            tx = min(x(lim.at) + 2, RIGHT - width)
            label_items.append(("limit", above.place(tx, width), lim, text, tx))
        markers = list(p.markers) + [m for m in assigned.get(n, [])
                                     if not any(k.kind == "judge" and k.lo == m.lo for k in p.markers)]
        markers.sort(key=lambda m: (m.lo, m.kind))
        for m in markers:
            hours = human.duration_hours((m.lo - p.start_hi).total_seconds() / 3600,
                                         (m.hi - p.start_lo).total_seconds() / 3600, lang)
            text = f"{label('marker.' + m.kind, lang)}: {hours}"
            width = len(text) * CHAR_W
            tx = min(x(m.lo) - 2, RIGHT - width)
            label_items.append(("marker", below.place(tx, width + 4), m, text, tx))
        top_h = len(above.ends) * LANE_H
        bar_y = y + 26 + top_h
        # the row's words on the left
        left = [(line, 10, COLOURS["ink"], "600") for line in _wrap(label(f"basis.{p.basis}", lang), 11)]
        left += [(line, 9.5, COLOURS["muted"], None) for text in (_period_dates(p, lang), _period_length(p, lang))
                 for line in _wrap(text, 9.5)]
        for k, (line, size, colour, weight) in enumerate(left):
            row.append(_text(0, bar_y + 4 + 12 * k, line, size, colour, weight=weight))
        row.append(f'<rect x="{LABEL_W}" y="{bar_y - 6}" width="{BAR_W}" height="{BAR_H}" fill="{COLOURS["track"]}"/>')
        xs_lo, xs_hi = x(p.start_lo), x(p.start_hi)
        if xs_hi > xs_lo:
            row.append(f'<rect x="{xs_lo:.1f}" y="{bar_y - 6}" width="{xs_hi - xs_lo:.1f}" height="{BAR_H}" '
                       f'fill="url(#hatch-{uid})" class="uncertain"/>')
        if p.known_end:
            xe_lo, xe_hi = x(p.end_lo), x(p.end_hi)
            row.append(f'<rect class="held" x="{xs_hi:.1f}" y="{bar_y - 6}" width="{max(xe_lo - xs_hi, 0.8):.1f}" '
                       f'height="{BAR_H}" fill="{COLOURS["held"]}"/>')
            if xe_hi > xe_lo:
                row.append(f'<rect x="{xe_lo:.1f}" y="{bar_y - 6}" width="{xe_hi - xe_lo:.1f}" height="{BAR_H}" '
                           f'fill="url(#hatch-{uid})" class="uncertain"/>')
            if p.end_lo > t1:
                row.append(f'<path d="M{LABEL_W + BAR_W - 2} {bar_y - 9} l8 8 l-8 8 z" fill="{COLOURS["held"]}"/>')
                tail = f"→ {human.when_text(p.end_lo.strftime('%Y-%m-%d'), lang)}"
                row.append(_text(LABEL_W + BAR_W - 4, bar_y - 9, tail, 9.5, COLOURS["muted"], "end"))
        else:
            xh = x(p.held_until)
            row.append(f'<rect class="held" x="{xs_hi:.1f}" y="{bar_y - 6}" width="{max(xh - xs_hi, 0.8):.1f}" '
                       f'height="{BAR_H}" fill="{COLOURS["held"]}"/>')
            fade_to = min(LABEL_W + BAR_W, xh + max(60.0, BAR_W * 0.2))
            row.append(f'<rect class="fade" x="{xh:.1f}" y="{bar_y - 6}" width="{fade_to - xh:.1f}" height="{BAR_H}" '
                       f'fill="url(#fade-{uid})"/>')
            note = label("ongoing", lang)
            width = len(note) * CHAR_W
            if fade_to + 4 + width <= RIGHT:
                row.append(_text(fade_to + 4, bar_y + 4, note, 9.5, COLOURS["muted"], italic=True))
            else:  # no room after the bar: below it, in a lane of its own so it covers no marker or label
                tx = RIGHT - width
                lane = below.place(tx, width)
                row.append(_text(tx, bar_y + 22 + lane * LANE_H, note, 9.5, COLOURS["muted"], italic=True))
        for lim in p.limits:
            if lim.at > t1:
                continue
            measured_end = _measured(p, lim.measure, markers)
            if measured_end is not None and measured_end > lim.at and lim.status in VIOLATED + ("concern",):
                colour = COLOURS[lim.status]
                x_from, x_to = x(lim.at), x(measured_end)
                h, dy = (BAR_H, -6) if lim.measure == "hours" else (6, -2)
                row.append(f'<rect class="overrun {lim.status.replace(" ", "-")}" x="{x_from:.1f}" y="{bar_y + dy}" '
                           f'width="{max(x_to - x_from, 1):.1f}" height="{h}" fill="{colour}" fill-opacity="0.85"/>')
        for kind, lane, item, text, tx in label_items:
            if kind == "limit":
                lx = x(item.at)
                ly = bar_y - 10 - (len(above.ends) - 1 - lane) * LANE_H
                row.append(f'<line class="limit" x1="{lx:.1f}" x2="{lx:.1f}" y1="{ly + 2:.1f}" y2="{bar_y + 10}" '
                           f'stroke="{COLOURS["ink"]}" stroke-width="1.2" stroke-dasharray="3 2"/>')
                row.append(_text(tx, ly, text, 9.5, COLOURS["ink"], weight="600"))
            else:
                mx = x(item.lo)
                row.append(_marker_shape(item.kind, mx, bar_y + 1))
                ly = bar_y + 22 + lane * LANE_H
                row.append(f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{bar_y + 8}" y2="{ly - 8:.1f}" '
                           f'stroke="{COLOURS["faint"]}" stroke-width="0.6"/>')
                row.append(_text(tx, ly, text, 9.5, COLOURS["muted"]))
        bottom = bar_y + max(10 + 12 * len(left), 14 + len(below.ends) * LANE_H + 6)
        if n:
            parts.append(f'<line x1="0" x2="{LABEL_W + BAR_W}" y1="{y:.1f}" y2="{y:.1f}" stroke="{COLOURS["line"]}" '
                         f'stroke-dasharray="1 3"/>')
        parts += row
        y = bottom
    height = y + 4
    for t, _ in ticks:  # faint calendar grid behind the rows
        parts.insert(0, f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{grid_top}" y2="{height - 4:.1f}" '
                        f'stroke="{COLOURS["line"]}" stroke-width="0.5"/>')
    defs = (f'<defs><pattern id="hatch-{uid}" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="6" height="6" fill="#c9d4e5"/>'
            '<rect width="2.5" height="6" fill="#3d5a80"/></pattern>'
            f'<linearGradient id="fade-{uid}" x1="0" x2="1"><stop offset="0" stop-color="#3d5a80"/>'
            '<stop offset="1" stop-color="#3d5a80" stop-opacity="0.04"/></linearGradient></defs>')
    aria = escape(f"{label('timeline', lang)}: {cal.name}")
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{aria}" width="100%" '
                  f'viewBox="0 0 {LABEL_W + BAR_W + 12} {height:.0f}" font-family="DejaVu Sans, Arial, sans-serif">'
                  + defs + "".join(parts) + "</svg>")


def _wrap(text: str, size: float) -> list[str]:
    """Words of a left-hand row label in lines that fit its column."""
    room = int((LABEL_W - 8) / (CHAR_W * size / 10))
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > room:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line] if line else lines


def _measured(p: Period, measure: str, markers: list[Marker]) -> datetime | None:
    if measure == "hours":
        return p.end_hi if p.known_end else p.held_until
    if measure == "hours_pretrial":  # runs to the day the case went to court, which the period's end does not show
        return None
    kind = MEASURES[measure]
    found = [m.hi for m in markers if m.kind == kind]
    return min(found) if found else None


def _marker_shape(kind: str, x: float, y: float) -> str:
    colour = COLOURS.get(kind, COLOURS["judge"])
    stroke = f'stroke="{COLOURS["ink"]}" stroke-width="0.8"'
    if kind in ("judge", "hearing"):
        return f'<circle class="marker {kind}" cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}" {stroke}/>'
    if kind == "protocol":
        return f'<rect class="marker {kind}" x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}" {stroke}/>'
    if kind == "relatives":
        return f'<path class="marker {kind}" d="M{x:.1f} {y - 5:.1f} l5 9 h-10 z" fill="{colour}" {stroke}/>'
    return f'<path class="marker {kind}" d="M{x:.1f} {y - 5:.1f} l5 5 l-5 5 l-5 -5 z" fill="{colour}" {stroke}/>'


def _period_dates(p: Period, lang: str) -> str:
    start = _when(p.start_lo, p.start_hi, lang)
    if not p.known_end:
        return f"{start} – ?"
    return f"{start} – {_when(p.end_lo, p.end_hi, lang)}"


def _when(lo: datetime, hi: datetime, lang: str) -> str:
    if lo == hi:
        return human.day_text(lo, lang, with_time=lo.hour != 0 or lo.minute != 0)
    return human.day_text(lo, lang)


def _period_length(p: Period, lang: str) -> str:
    if p.term:
        return f"{label('term_imposed', lang)}: {p.term}"
    if not p.known_end:
        return label("end_unknown", lang)
    lo = (p.end_lo - p.start_hi).total_seconds() / 3600
    hi = (p.end_hi - p.start_lo).total_seconds() / 3600
    return human.duration_hours(lo, hi, lang)
