//! `normgrid import`: a CSV edited in a spreadsheet, and a reviewer's review file.

use super::*;

pub(super) fn import_csv_file(
    file: &Path,
    into: &Path,
    skip_problems: bool,
) -> Result<ExitCode, String> {
    let project = load_project(into).map_err(|e| e.to_string())?.project;
    // A CSV larger than the project cap could only make a project normgrid refuses to open;
    // refuse it before reading it whole.
    let size = std::fs::metadata(file)
        .map_err(|e| format!("{}: could not read: {e}", file.display()))?
        .len();
    if size > crate::io::MAX_FILE_BYTES {
        return Err(format!(
            "{}: the CSV is {size} bytes; normgrid imports CSV files up to {} bytes, the size of \
             the largest project it opens. Split the CSV and import the parts one by one.",
            file.display(),
            crate::io::MAX_FILE_BYTES
        ));
    }
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("{}: could not read: {e}", file.display()))?;
    let import = crate::io::csv_import::import_csv(&project, &text)
        .map_err(|p| format!("{}: {p}", file.display()))?;
    for problem in &import.problems {
        println!("{}: {problem}", file.display());
    }
    if !import.problems.is_empty() && !skip_problems {
        println!(
            "{}; nothing imported. Fix them, or pass --skip-problems to import the other lines.",
            counted(import.problems.len(), "problem", "problems")
        );
        return Ok(ExitCode::from(1));
    }
    if import.changed_cells == 0 {
        println!("no cell changed; {} left as it was", into.display());
    } else {
        // The size is checked before writing, so the import never saves a file `check` refuses.
        let (_, text) = crate::io::csv_import::project_after_import(
            &project,
            &import,
            crate::io::MAX_FILE_BYTES,
        )
        .map_err(|e| format!("{}: {e}", into.display()))?;
        crate::io::write_atomically(into, text.as_bytes(), true).map_err(|e| e.to_string())?;
        println!(
            "imported {} into {}",
            counted(import.changed_cells, "changed cell", "changed cells"),
            into.display()
        );
    }
    Ok(if import.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `import review`: applies a reviewer's verdicts to the project file and prints the summary.
pub(super) fn import_review_file(
    file: &Path,
    into: &Path,
    dry_run: bool,
) -> Result<ExitCode, String> {
    let project = load_project(into).map_err(|e| e.to_string())?.project;
    let review = match crate::collab::review_file::read_review_file(file) {
        Ok(review) => review,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(ExitCode::from(1));
        }
    };
    let import = match crate::collab::review_import::plan_review_import(&project, &review) {
        Ok(import) => import,
        Err(refusal) => {
            eprintln!(
                "error: {}: {refusal} {} was not changed.",
                file.display(),
                into.display()
            );
            return Ok(ExitCode::from(1));
        }
    };
    println!("{}", import.summary_text());
    // Which cells, so the volunteer needs no diff to see what the review did.
    for verdict in &import.applied {
        let comment = if verdict.comment.is_empty() {
            String::new()
        } else {
            format!(": {}", verdict.comment)
        };
        println!(
            "  {} {}{comment}",
            verdict.status.review_status().label(),
            verdict.cell.label
        );
    }
    match &import.command {
        Some(_) if dry_run => println!("--dry-run: {} was not changed.", into.display()),
        Some(command) => {
            let mut reviewed = project;
            command
                .apply(&mut reviewed)
                .map_err(|e| format!("{}: {e}; nothing was written", into.display()))?;
            save_project(into, &reviewed).map_err(|e| e.to_string())?;
            println!("wrote {}", into.display());
        }
        None => println!("{} left as it was.", into.display()),
    }
    Ok(ExitCode::SUCCESS)
}
