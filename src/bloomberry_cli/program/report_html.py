"""`bb report --html`: one self-contained file (inline SVG charts, no scripts, no network)."""

from __future__ import annotations

from html import escape

from bloomberry_cli.program.report import Report
from bloomberry_cli.wording import number, plural

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:960px;
color:#1d2733;padding:0 1rem}h1{font-size:1.6rem}h2{margin-top:2.2rem;font-size:1.2rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0}th,td{padding:.35rem .6rem;
border-bottom:1px solid #dde3ea;text-align:right}th:first-child,td:first-child{text-align:left}
.note{color:#5b6b7c;font-size:.9rem}.when{white-space:nowrap}svg text{font-size:12px;fill:#1d2733}
"""


def _bars(title: str, items: list[tuple[str, float]], unit: str = "") -> str:
    if not items:
        return f"<p class='note'>{escape(title)}: no data yet.</p>"
    width, row = 640, 26
    top = max(value for _, value in items) or 1.0
    height = row * len(items) + 10
    parts = [
        f"<svg role='img' aria-label='{escape(title)}' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}'>"
    ]
    for index, (label, value) in enumerate(items):
        y = 5 + index * row
        length = int(380 * value / top)
        parts.append(
            f"<text x='0' y='{y + 16}'>{escape(label[:28])}</text>"
            f"<rect x='200' y='{y + 3}' width='{max(length, 1)}' height='18' "
            f"fill='#3b7dd8'/><text x='{206 + length}' y='{y + 16}'>"
            f"{number(value)}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return f"<h3>{escape(title)}</h3>" + "".join(parts)


def render_html(report: Report, company: str) -> str:
    campaigns = "".join(
        f"<tr><td>{escape(c.name)}</td><td class='when'>{c.start} – {c.end}</td>"
        f"<td>{c.reach_in_window:,.0f}</td><td>{c.reach_outside:,.0f}</td>"
        f"<td>{c.participation:.0%} ({c.published_in_window}/{c.invited})</td>"
        f"<td>{escape(c.share_delay)}</td></tr>"
        for c in report.campaigns
    )
    people = "".join(
        f"<tr><td>{escape(p.name)}</td><td>{p.posts}</td><td>{p.impressions:,.0f}</td>"
        f"<td>{p.quality:.1f}</td><td>{p.inbound:,.0f}</td><td>{p.pipeline:,.0f}</td>"
        f"<td>{'–' if p.slope is None else f'{p.slope:+.2f}'}</td></tr>"
        for p in report.people
    )
    mix = "".join(
        f"<tr><td>{escape(c.name)}</td><td>{c.ratio_text}</td>"
        f"<td>{escape(c.ratio_verdict)}</td>"
        f"<td>{c.original}/{c.target_original:g}</td><td>{escape(c.pillars_text)}</td></tr>"
        for c in report.cadence
    )
    uncovered = (
        "".join(
            f"<li>{escape(p.pillar)}: "
            f"{escape('held by ' + ', '.join(p.holders) if p.holders else 'nobody holds it')}</li>"
            for p in report.uncovered_pillars
        )
        or "<li>none</li>"
    )
    quiet = (
        "".join(
            f"<li>{escape(c.name)}: {escape(', '.join(c.quiet_pillars))}</li>"
            for c in report.cadence
            if c.quiet_pillars
        )
        or "<li>none</li>"
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(company)}: program report</title>
<style>{_STYLE}</style></head><body>
<h1>{escape(company)}: employee program report</h1>
<p class="note">Generated <span class="when">{report.generated}</span> from the approval
trail and imported metrics; {plural(report.publications, "published post")}. Advocacy and
thought leadership are measured separately: advocacy by reach inside the campaign window,
thought leadership by engagement quality, inbound conversations and pipeline.</p>
<h2>Advocacy: reach and timing</h2>
<table><tr><th>Campaign</th><th>Window</th><th>Reach in window</th><th>Reach outside</th>
<th>Participation</th><th>Approval → share</th></tr>{campaigns}</table>
{
        _bars(
            "Reach inside each campaign window",
            [(c.name, c.reach_in_window) for c in report.campaigns],
        )
    }
<h2>Thought leadership: credibility</h2>
<table><tr><th>Person</th><th>Posts</th><th>Impressions</th><th>Quality</th><th>Inbound</th>
<th>Pipeline</th><th>Slope / week</th></tr>{people}</table>
<p class="note">Quality: comments and reposts per thousand impressions (likes are left out).
Slope: change in weekly quality per week.</p>
{_bars("Engagement quality", [(p.name, p.quality) for p in report.people if p.impressions])}
{_bars("Inbound conversations", [(p.name, p.inbound) for p in report.people if p.inbound])}
<h2>Mix and cadence</h2>
<table><tr><th>Person</th><th>Advocacy : original</th><th>Ratio</th>
<th>Original posts / target</th><th>Original posts per pillar</th></tr>{mix}</table>
<h3>Pillars with no active voice (no original post in {report.window_days} days)</h3>
<ul>{uncovered}</ul>
<h3>No recent post on a pillar</h3>
<ul>{quiet}</ul>
</body></html>
"""
