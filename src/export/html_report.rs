//! A report in the BPF output report's layout: one table per agreement (Element | Present? |
//! Notes) with its summary below, the UNGGE norms always as (a)–(k), and the prevalence table.
//! One self-contained HTML file that prints well.

use crate::charts::{ChartKind, ChartSpec, build_chart, svg::chart_to_svg};
use crate::formats::markup::escape;
use crate::model::standard::UNGGE_NORMS_FRAMEWORK;
use crate::model::tally::element_tally;
use crate::model::{AgreementId, Assessment, ElementId, Framework, FrameworkId, Project};
use crate::palette::{
    BAND, INK, MUTED, QUOTE_INK, RULE, TABLE_BORDER, assessment_fill, assessment_text,
};
use crate::sources::evidence::ExcerptState;
use std::collections::HashMap;
use std::fmt::Write as _;

fn badge(assessment: Assessment) -> String {
    format!(
        r#"<span class="badge" style="background:{};color:{}">{} {}</span>"#,
        assessment_fill(assessment).hex(),
        assessment_text(assessment).hex(),
        assessment.letter(),
        assessment.label()
    )
}

const STYLE: &str = "
body { font-family: 'DejaVu Sans', 'Segoe UI', Arial, sans-serif; color: var(--ink); max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid var(--rule); padding-bottom: .2rem; }
.meta, .source { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .8rem 0; page-break-inside: avoid; }
th, td { border: 1px solid var(--table-border); padding: .35rem .5rem; vertical-align: top; text-align: left; }
th { background: var(--band); }
td.present { white-space: nowrap; width: 9rem; }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: 3px; font-weight: bold; font-size: .85rem; }
blockquote { margin: .3rem 0 0; font-style: italic; color: var(--quote-ink); }
.locator { color: var(--muted); font-size: .85rem; }
.state { font-style: normal; font-size: .8rem; font-weight: bold; margin-left: .4rem; white-space: nowrap; }
.state-verified { color: var(--ink); } .state-changed, .state-missing { color: var(--warn); }
table.sources td { font-size: .9rem; } code { font-size: .85rem; }
figure { margin: 1rem 0; } figure svg { width: 100%; height: auto; }
section.agreement { page-break-before: always; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; } }
";

/// Ink for a quote the source no longer holds: the palette's vermillion darkened so small
/// bold text keeps a 4.5:1 contrast on white; the mark's symbol and words carry the meaning.
const WARN: &str = "#a33c00";

/// The palette's colours as CSS variables, which [`STYLE`] uses.
fn palette_css() -> String {
    format!(
        ":root {{ --ink: {INK}; --muted: {MUTED}; --rule: {RULE}; --band: {BAND}; \
         --table-border: {TABLE_BORDER}; --quote-ink: {QUOTE_INK}; --warn: {WARN}; }}"
    )
}

/// The report as one HTML document.
pub fn project_to_html(project: &Project) -> String {
    let mut out = String::new();
    let title = escape(&project.title);
    // `<meta …/>` and every tag closed: the report is also well-formed XML for XML tools.
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{title}</title>\n<style>{}{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n<p class=\"meta\">As of {}. {} agreements, {} elements in {} frameworks.</p>\n",
        palette_css(),
        project.as_of.format("%-d %B %Y"),
        project.agreements.len(),
        project.elements().count(),
        project.frameworks.len()
    );
    if !project.description.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(&project.description));
    }
    if let Ok(chart) = build_chart(project, &ChartSpec::new(ChartKind::Heatmap)) {
        let _ = writeln!(out, "<figure>{}</figure>", chart_to_svg(&chart));
    }
    if let Some(norms) = project.framework(&FrameworkId::new(UNGGE_NORMS_FRAMEWORK)) {
        let _ = writeln!(
            out,
            "<h2>{}</h2>\n<table><tr><th>Norm</th><th>Text (paraphrase)</th></tr>",
            escape(&norms.name)
        );
        for element in &norms.elements {
            let _ = writeln!(
                out,
                "<tr><td><b>{}</b> {}</td><td>{}</td></tr>",
                escape(&element.label),
                escape(&element.name),
                escape(&element.definition)
            );
        }
        out.push_str("</table>\n");
    }
    let states = crate::io::evidence_table::excerpt_states(project);
    for agreement in &project.agreements {
        agreement_section(&mut out, project, &agreement.id, &states);
    }
    prevalence_section(&mut out, project);
    sources_section(&mut out, project);
    let _ = writeln!(
        out,
        "<p class=\"source\">Made with normgrid from “{title}”.</p>\n</body>\n</html>"
    );
    out
}

/// Each cell's excerpts checked against their sources, in the cell's order.
type States = HashMap<(AgreementId, ElementId), Vec<ExcerptState>>;

fn agreement_section(out: &mut String, project: &Project, id: &AgreementId, states: &States) {
    let Some(agreement) = project.agreement(id) else {
        return;
    };
    let _ = writeln!(
        out,
        "<section class=\"agreement\">\n<h2>{}</h2>",
        escape(&agreement.name)
    );
    let year = agreement
        .year
        .map(|y| format!("{y} · "))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<p class=\"meta\">{year}{} · {}{}</p>",
        agreement.space.label(),
        agreement.binding.label(),
        if agreement.supporters.is_empty() {
            String::new()
        } else {
            format!(" · {}", escape(&agreement.supporters))
        }
    );
    for framework in &project.frameworks {
        let assessed = framework.elements.iter().any(|e| {
            project.assessment(id, &e.id) != Assessment::NotAssessed
                || project.cells.get(id, &e.id).is_some()
        });
        if !assessed {
            let _ = writeln!(
                out,
                "<p class=\"meta\">{}: not assessed yet.</p>",
                escape(&framework.name)
            );
            continue;
        }
        framework_table(out, project, id, framework, states);
    }
    if !agreement.summary.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(&agreement.summary));
    }
    if !agreement.unique_elements.is_empty() {
        out.push_str("<p>Unique elements:</p>\n<ul>\n");
        for unique in &agreement.unique_elements {
            let _ = writeln!(out, "<li>{}</li>", escape(unique));
        }
        out.push_str("</ul>\n");
    }
    let initiatives: Vec<_> = project
        .initiatives
        .iter()
        .filter(|i| i.supports.iter().any(|l| &l.agreement == id))
        .collect();
    if !initiatives.is_empty() {
        out.push_str("<p>Stakeholder initiatives supporting the implementation:</p>\n<ul>\n");
        for initiative in initiatives {
            let links: Vec<String> = initiative
                .supports
                .iter()
                .filter_map(|l| {
                    let a = project.agreement(&l.agreement)?;
                    Some(match l.provision.as_ref().and_then(|p| a.provision(p)) {
                        Some(p) => format!("{} {}", a.short_name, p.label.to_lowercase()),
                        None => a.short_name.clone(),
                    })
                })
                .collect();
            let _ = writeln!(
                out,
                "<li><b>{}</b> ({}): {} <span class=\"locator\">({})</span></li>",
                escape(&initiative.title),
                escape(&initiative.stakeholder),
                escape(&initiative.description),
                escape(&links.join(", "))
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

fn framework_table(
    out: &mut String,
    project: &Project,
    id: &AgreementId,
    framework: &Framework,
    states: &States,
) {
    let _ = writeln!(
        out,
        "<table>\n<tr><th>{}</th><th>Present?</th><th>Notes</th></tr>",
        escape(&framework.name)
    );
    for element in &framework.elements {
        let cell = project.cell(id, &element.id);
        let mut notes = escape(&cell.note);
        let cell_states = states.get(&(id.clone(), element.id.clone()));
        for (n, excerpt) in cell.evidence.iter().enumerate() {
            // A locator without a quote shows only where the evidence is.
            if excerpt.exact.trim().is_empty() {
                notes.push_str("<blockquote class=\"locator-only\">");
            } else {
                let _ = write!(notes, "<blockquote>“{}”", escape(&excerpt.display_text()));
            }
            let source = excerpt
                .source
                .as_ref()
                .and_then(|id| project.source(id))
                .map(|s| s.title.as_str());
            let origin: Vec<&str> = [Some(excerpt.locator.as_str()), source]
                .into_iter()
                .flatten()
                .filter(|part| !part.is_empty())
                .collect();
            if !origin.is_empty() {
                let _ = write!(
                    notes,
                    " <cite class=\"locator\">({})</cite>",
                    escape(&origin.join(", "))
                );
            }
            if let Some(state) = cell_states.and_then(|s| s.get(n)) {
                notes.push_str(&state_mark(state));
            }
            notes.push_str("</blockquote>");
        }
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"present\">{}</td><td>{notes}</td></tr>",
            escape(&element.display_name()),
            badge(cell.assessment)
        );
    }
    out.push_str("</table>\n");
}

/// Whether the quote is still in its source, as a mark that does not rely on colour.
fn state_mark(state: &ExcerptState) -> String {
    let (class, mark) = match state {
        ExcerptState::Unsourced => return String::new(),
        ExcerptState::Verified { .. } => ("verified", "✓ verified"),
        ExcerptState::Relocated { .. } => ("verified", "✓ verified elsewhere in the source"),
        ExcerptState::Changed { .. } => ("changed", "≠ changed in the source"),
        ExcerptState::Missing => ("missing", "✗ missing from the source"),
        ExcerptState::Undecided { .. } => {
            ("missing", "✗ not found as written (too long to compare)")
        }
        ExcerptState::NoSuchSource => ("missing", "✗ source not in the project"),
    };
    format!(" <span class=\"state state-{class}\">{mark}</span>")
}

/// A link only for web addresses: a `javascript:` or `data:` URL in a shared project must
/// not become something a reader can click.
fn web_link(url: &str) -> String {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        format!("<a href=\"{0}\">{0}</a>", escape(url.trim()))
    } else {
        escape(url)
    }
}

/// The sources the quotes come from: title, kind, pages, when retrieved, which version
/// (sha256 prefix) and where to find the original.
fn sources_section(out: &mut String, project: &Project) {
    if project.sources.is_empty() {
        return;
    }
    out.push_str("<section class=\"sources\">\n<h2>Sources</h2>\n<table class=\"sources\">\n<tr><th>Source</th><th>Kind</th><th>Pages</th><th>Retrieved</th><th>sha256</th><th>Original</th></tr>\n");
    for source in &project.sources {
        let agreement = source
            .agreement
            .as_ref()
            .and_then(|a| project.agreement(a))
            .map(|a| {
                format!(
                    " <span class=\"locator\">({})</span>",
                    escape(&a.short_name)
                )
            })
            .unwrap_or_default();
        let pages = if source.pages.is_empty() {
            String::new()
        } else {
            source.pages.len().to_string()
        };
        let retrieved = source
            .retrieved
            .map(|d| d.format("%-d %B %Y").to_string())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td>{}{agreement}</td><td>{}</td><td>{pages}</td><td>{retrieved}</td><td><code>{}</code></td><td>{}</td></tr>",
            escape(&source.title),
            source.kind.label(),
            escape(&crate::collab::records::sha_prefix(&source.sha256)),
            web_link(&source.url)
        );
    }
    out.push_str("</table>\n</section>\n");
}

fn prevalence_section(out: &mut String, project: &Project) {
    let agreements: Vec<AgreementId> = project.agreements.iter().map(|a| a.id.clone()).collect();
    out.push_str("<section class=\"agreement\">\n<h2>How widespread each element is</h2>\n");
    for framework in &project.frameworks {
        let _ = writeln!(
            out,
            "<table>\n<tr><th>{}</th><th>Yes</th><th>Indirect</th><th>No</th><th>Not assessed</th><th>Included (Yes or Indirect)</th></tr>",
            escape(&framework.name)
        );
        for element in &framework.elements {
            let t = element_tally(project, &element.id, &agreements);
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><b>{} of {}</b></td></tr>",
                escape(&element.display_name()),
                t.yes,
                t.indirect,
                t.no,
                t.not_assessed,
                t.present(),
                agreements.len()
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("</section>\n");
}
