//! `normgrid check` and `normgrid summary`: what a project holds, in plain text.

use super::*;
use crate::model::Framework;
use crate::model::Tally;
use crate::model::tally::{agreement_tally, element_tally};

pub(super) fn check(file: &Path) -> Result<ExitCode, String> {
    let loaded = load_project(file).map_err(|e| e.to_string())?;
    let project = &loaded.project;
    let (quotes, counts) = check_excerpts(project);
    for line in quotes.lines() {
        println!("{}: {line}", file.display());
    }
    if loaded.problems.is_empty() && counts.has_failures() {
        return Ok(ExitCode::from(1));
    }
    if loaded.problems.is_empty() {
        println!(
            "{}: ok: {} agreements, {} elements in {} frameworks, {} cells filled, {} initiatives, {} notes, {}",
            file.display(),
            project.agreements.len(),
            project.elements().count(),
            project.frameworks.len(),
            project.cells.len(),
            project.initiatives.len(),
            project.notes.len(),
            counted(project.sources.len(), "source", "sources"),
        );
        Ok(ExitCode::SUCCESS)
    } else {
        for problem in &loaded.problems {
            println!("{}: {problem}", file.display());
        }
        println!(
            "{} found",
            counted(loaded.problems.len(), "problem", "problems")
        );
        Ok(ExitCode::from(1))
    }
}

/// The plain-text summary `normgrid summary` prints.
pub fn summary_text(project: &Project, framework: Option<&str>) -> Result<String, String> {
    let frameworks: Vec<&Framework> = match framework {
        None => project.frameworks.iter().collect(),
        Some(wanted) => {
            let found = project
                .frameworks
                .iter()
                .find(|f| f.id.as_str() == wanted || f.name.eq_ignore_ascii_case(wanted))
                .ok_or_else(|| {
                    let ids: Vec<&str> = project.frameworks.iter().map(|f| f.id.as_str()).collect();
                    unknown_id_message("framework", wanted, &ids)
                })?;
            vec![found]
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "{} (as of {})", project.title, project.as_of);
    let agreements: Vec<AgreementId> = project.agreements.iter().map(|a| a.id.clone()).collect();
    for framework in frameworks {
        let _ = writeln!(out);
        framework_summary(&mut out, project, framework, &agreements);
    }
    Ok(out)
}

fn framework_summary(
    out: &mut String,
    project: &Project,
    framework: &Framework,
    agreements: &[AgreementId],
) {
    let elements: Vec<ElementId> = framework.elements.iter().map(|e| e.id.clone()).collect();
    let _ = writeln!(
        out,
        "== {} ({} elements) ==",
        framework.name,
        elements.len()
    );
    let assessed = project
        .agreements
        .iter()
        .any(|a| agreement_tally(project, &a.id, &elements).not_assessed < elements.len());
    if !assessed {
        let _ = writeln!(out, "No cells of this framework are assessed yet.");
        return;
    }

    let _ = writeln!(out, "\nPer element (over {} agreements):", agreements.len());
    let name_width = framework
        .elements
        .iter()
        .map(|e| e.display_name().chars().count())
        .max()
        .unwrap_or(0)
        .max(7)
        + 4;
    let _ = writeln!(out, "{:<name_width$}{}", "Element", tally_header());
    for (n, element) in framework.elements.iter().enumerate() {
        let tally = element_tally(project, &element.id, agreements);
        let name = format!("{:>2} {}", column_key(framework, n), element.display_name());
        let _ = writeln!(out, "{name:<name_width$}{}", tally_row(tally));
    }

    let _ = writeln!(
        out,
        "\nPer agreement (Y = yes, I = indirect, N = no, · = not assessed):"
    );
    let short_width = project
        .agreements
        .iter()
        .map(|a| a.short_name.chars().count())
        .max()
        .unwrap_or(0)
        .max(9)
        + 2;
    let mut header = format!("{:<short_width$}", "Agreement");
    for n in 0..elements.len() {
        let _ = write!(header, "{:>3}", column_key(framework, n));
    }
    let _ = writeln!(out, "{header}  {}", tally_header());
    for agreement in &project.agreements {
        let mut line = format!("{:<short_width$}", agreement.short_name);
        for element in &elements {
            let _ = write!(
                line,
                "{:>3}",
                project.assessment(&agreement.id, element).letter()
            );
        }
        let tally = agreement_tally(project, &agreement.id, &elements);
        let _ = writeln!(out, "{line}  {}", tally_row(tally));
    }
}

/// Norms keep their letters (a)–(k); other elements are numbered from 1.
fn column_key(framework: &Framework, index: usize) -> String {
    let label = framework.elements[index].label.trim();
    let letter = label.trim_start_matches('(').trim_end_matches(')');
    if letter.is_empty() {
        (index + 1).to_string()
    } else {
        letter.to_owned()
    }
}

fn tally_header() -> String {
    format!("{:>5}{:>5}{:>5}{:>5}", "Yes", "Ind", "No", "n/a")
}

fn tally_row(tally: Tally) -> String {
    format!(
        "{:>5}{:>5}{:>5}{:>5}",
        tally.yes, tally.indirect, tally.no, tally.not_assessed
    )
}
