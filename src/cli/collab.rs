//! `normgrid merge` and the git merge driver: three-way merges of project files.

use super::*;

/// Merges files for `merge` and `merge-driver`. Conflicts go to `report` (or stderr).
/// Damaged inputs are refused, writing nothing, unless `repair` is set.
pub(super) fn merge_files(
    base: Option<&Path>,
    ours: &Path,
    theirs: &Path,
    out: &Path,
    fallback: crate::collab::Fallback,
    report: Option<&Path>,
    repair: bool,
) -> Result<ExitCode, String> {
    use crate::collab::merge_inputs::{EXIT_INPUTS_REFUSED, side_name};
    let load = |path: &Path| {
        load_project(path)
            .map(|loaded| loaded.project)
            .map_err(|e| e.to_string())
    };
    let base_project = base.map(load).transpose()?;
    let ours_project = load(ours)?;
    let theirs_project = load(theirs)?;
    let base_name = base.map_or_else(|| "(none: two-way)".to_owned(), |b| b.display().to_string());
    let (ours_name, theirs_name) = (ours.display().to_string(), theirs.display().to_string());
    let names = [base_name.as_str(), ours_name.as_str(), theirs_name.as_str()];
    let inputs = match crate::collab::MergeInputs::prepare(
        base_project.as_ref(),
        &ours_project,
        &theirs_project,
        repair,
        chrono::Local::now().date_naive(),
    ) {
        Ok(inputs) => inputs,
        Err(refusal) => {
            for found in &refusal.problems {
                let name = side_name(names, found.side);
                eprintln!("{name} ({}): {}", found.side.label(), found.problem);
            }
            let advice = if refusal.repair_tried {
                "A repair cannot fix these: fix the files by hand."
            } else if report.is_some() {
                "Fix the files (normgrid check FILE lists the problems), or pass --repair to rename duplicates, keep orphan cells in merge notes and remove dangling links, each listed."
            } else {
                "Fix the files (normgrid check FILE lists the problems), or merge them with normgrid merge --repair."
            };
            eprintln!(
                "merge refused: {} in the inputs would be lost or mixed up by the merge; nothing was written. {advice}",
                counted(refusal.problems.len(), "problem", "problems")
            );
            return Ok(ExitCode::from(EXIT_INPUTS_REFUSED));
        }
    };
    let repairs = inputs.repairs_text(names);
    print!("{repairs}");
    let mut result = crate::collab::merge_projects(
        inputs.base.as_ref(),
        &inputs.ours,
        &inputs.theirs,
        &Default::default(),
        fallback,
    );
    inputs.keep_removed_content(&mut result.project);
    for problem in crate::model::validate::problems(&result.project) {
        eprintln!("warning: merged project: {problem}");
    }
    if report.is_some() {
        save_project(out, &result.project).map_err(|e| e.to_string())?;
    } else {
        // Git's %A is a temporary file: no .bak beside it in the work tree.
        let text = crate::io::project_to_ron(&result.project).map_err(|e| e.to_string())?;
        crate::io::write_atomically(out, text.as_bytes(), false).map_err(|e| e.to_string())?;
    }
    let text = format!("{repairs}{}", result.report(names));
    let unresolved = result.unresolved();
    let repaired = if inputs.repairs.is_empty() {
        String::new()
    } else {
        format!(
            " after {}",
            counted(inputs.repairs.len(), "repair", "repairs")
        )
    };
    match report {
        Some(report) if !result.conflicts.is_empty() || !inputs.repairs.is_empty() => {
            crate::io::write_atomically(report, text.as_bytes(), false)
                .map_err(|e| e.to_string())?;
            println!(
                "wrote {}: {}, {unresolved} unresolved{repaired}; report in {}",
                out.display(),
                counted(result.conflicts.len(), "conflict", "conflicts"),
                report.display()
            );
        }
        Some(_) => println!(
            "wrote {}: merged without conflicts ({} from ours, {} from theirs)",
            out.display(),
            counted(result.taken_from_ours, "change", "changes"),
            result.taken_from_theirs
        ),
        None if unresolved > 0 => eprint!("{text}"),
        None => {}
    }
    if unresolved > 0 {
        println!(
            "{} ours and marked Disputed with a merge note; resolve them in normgrid (toolbar: Review status → Disputed) or pass --prefer ours|theirs.",
            counted(unresolved, "conflict kept", "conflicts kept")
        );
        Ok(ExitCode::from(1))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}
