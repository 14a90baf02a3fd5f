//! The review copy: one self-contained HTML file a reviewer opens in any browser to check the
//! mapping against its quoted sources and give verdicts, which the page saves as a review file
//! (`collab::review_file`). The project's data travels as JSON in a `<script
//! type="application/json">` block; the page's own script and style are static assets, and a
//! Content-Security-Policy with their hashes forbids every network request.

pub mod data;
pub mod pages;

use crate::charts::{ChartKind, ChartSpec, build_chart, svg::chart_to_svg};
use crate::formats::markup::escape;
use crate::model::Project;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use data::{ChartData, review_data};
use pages::PageCrops;
use sha2::{Digest, Sha256};

/// The page's script: reads the JSON block, builds the grid, keeps verdicts.
pub const REVIEW_JS: &str = include_str!("../../../assets/review/review.js");
/// The page's stylesheet, screen and print.
pub const REVIEW_CSS: &str = include_str!("../../../assets/review/review.css");

/// Above this many agreements the heatmap is left out: its image would outweigh the grid,
/// which shows the same colours.
pub const HEATMAP_MAX_AGREEMENTS: usize = 200;

/// Why a review copy could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReviewCopyError {
    #[error("could not encode the project's data for the review copy: {0}. Report this as a bug.")]
    Encode(#[from] serde_json::Error),
}

/// `'sha256-…'`, the CSP source that allows exactly this inline script or style.
pub fn csp_hash(content: &str) -> String {
    format!(
        "'sha256-{}'",
        BASE64.encode(Sha256::digest(content.as_bytes()))
    )
}

/// JSON that is safe inside a `<script>` element: no `<`, `>` or `&` can close it or open a
/// comment, and U+2028/U+2029 are escaped for older script parsers. JSON readers read the
/// `\uXXXX` escapes back as the same characters.
pub fn script_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            other => out.push(other),
        }
    }
    out
}

/// The charts the copy shows, as SVG data URLs (an SVG in an `<img>` runs no script).
fn charts(project: &Project) -> Vec<ChartData> {
    let mut kinds = vec![ChartKind::Prevalence, ChartKind::NormCoverage];
    if project.agreements.len() <= HEATMAP_MAX_AGREEMENTS {
        kinds.insert(0, ChartKind::Heatmap);
    }
    kinds
        .into_iter()
        .filter_map(|kind| build_chart(project, &ChartSpec::new(kind)).ok())
        .map(|chart| ChartData {
            data_url: format!(
                "data:image/svg+xml;base64,{}",
                BASE64.encode(chart_to_svg(&chart))
            ),
            title: chart.title,
        })
        .collect()
}

/// The palette's assessment colours as classes, and one rule per framework that hides its
/// columns, so the script sets classes, never styles.
fn palette_css(frameworks: usize) -> String {
    use crate::model::Assessment;
    use crate::palette::{
        BAND, DISPUTED_MARK, INK, MUTED, NEEDS_REVIEW_MARK, RULE, assessment_fill, assessment_text,
    };
    let mut css = format!(
        ":root{{--ink:{INK};--muted:{MUTED};--rule:{RULE};--band:{BAND};--disputed:{};--needs-review:{};}}\n",
        DISPUTED_MARK.hex(),
        NEEDS_REVIEW_MARK.hex()
    );
    for assessment in Assessment::ALL {
        let Ok(serde_json::Value::String(key)) = serde_json::to_value(assessment) else {
            continue;
        };
        css.push_str(&format!(
            ".a-{key}{{background:{};color:{};}}\n",
            assessment_fill(assessment).hex(),
            assessment_text(assessment).hex()
        ));
    }
    for index in 0..frameworks {
        css.push_str(&format!(".hide-fw-{index} .fw-{index}{{display:none;}}\n"));
    }
    css
}

/// The review copy of `project` as one HTML document, stamped `made_at`, with the page
/// crops of its PDF quotes (see [`pages::page_crops`]; empty when no original is at hand).
pub fn review_copy_html(
    project: &Project,
    made_at: DateTime<Utc>,
    crops: &PageCrops,
) -> Result<String, ReviewCopyError> {
    let data = review_data(project, made_at, charts(project), crops);
    let json = script_safe_json(&serde_json::to_string(&data)?);
    let style = format!("{}{REVIEW_CSS}", palette_css(project.frameworks.len()));
    let policy = format!(
        "default-src 'none'; script-src {}; style-src {}; img-src data:; connect-src 'none'; \
         font-src 'none'; form-action 'none'; base-uri 'none'",
        csp_hash(REVIEW_JS),
        csp_hash(&style)
    );
    let title = escape(&format!("Review copy: {}", project.title));
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"normgrid\">\n\
         <title>{title}</title>\n<style>{style}</style>\n</head>\n<body>\n\
         <noscript><p>This review copy needs JavaScript to show the grid. Open it in a browser \
         with scripts allowed for local files.</p></noscript>\n\
         <script id=\"normgrid-data\" type=\"application/json\">{json}</script>\n\
         <script>{REVIEW_JS}</script>\n</body>\n</html>\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_reads_back_the_same_string() {
        let hostile = "</script><!-- & \u{2028}\u{2029} \"quoted\"";
        let json = serde_json::to_string(hostile).unwrap_or_default();
        let safe = script_safe_json(&json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        assert!(!safe.contains('\u{2028}') && !safe.contains('\u{2029}'));
        let back: String = serde_json::from_str(&safe).unwrap_or_default();
        assert_eq!(back, hostile);
    }

    #[test]
    fn passage_cuts_at_character_boundaries() {
        let text = format!("{}QUOTE{}", "é".repeat(400), "ü".repeat(400));
        let start = text.find("QUOTE").unwrap_or_default();
        let passage = data::passage_of(&text, start..start + 5);
        let passage = passage.unwrap_or_else(|| panic!("the range fits"));
        assert_eq!(passage.exact, "QUOTE");
        assert!(passage.before.len() <= data::CONTEXT_BYTES && passage.before.starts_with('é'));
        assert!(passage.after.len() <= data::CONTEXT_BYTES && passage.after.ends_with('ü'));
        assert!(
            data::passage_of(&text, 1..3).is_none(),
            "inside a character"
        );
        assert!(data::passage_of(&text, 0..text.len() + 1).is_none());
    }
}
